using System.Globalization;
using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>A shard's output and its manifest.</summary>
internal sealed record ShardPart(string Path, ShardManifest Manifest)
{
    public ShardSpec Spec => Manifest.Spec;
    public string Folder => System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
    /// <summary>A file the manifest names (a companion, the sidecar), beside the output.</summary>
    public string Beside(string file) => System.IO.Path.Combine(Folder, file);
    public override string ToString() => $"shard {Manifest.Shard} ({Path})";
}

/// <summary>
/// The shard outputs given to <c>softspot merge</c>, checked to make one complete run before anything is written:
/// each has its manifest, all come from the same command with the same inputs (by SHA-256), parameters and N,
/// every k in 1..N is there exactly once, every output is still what its manifest describes (size and SHA-256:
/// a truncated or edited shard is refused), and each shard wrote its whole share (frames; searches for ART).
/// </summary>
internal sealed class ShardSet
{
    /// <summary>The shards in the order k = 1..N.</summary>
    public IReadOnlyList<ShardPart> Parts { get; }
    public ShardManifest First => Parts[0].Manifest;
    public string Command => First.Command;

    private ShardSet(IReadOnlyList<ShardPart> parts) => Parts = parts;

    /// <summary>Reads and checks the shards (outputs, or their manifests' paths); <paramref name="allowIncomplete"/> accepts unfinished ART shards.</summary>
    public static ShardSet Load(IReadOnlyList<string> paths, bool allowIncomplete = false)
    {
        if (paths.Count == 0) throw new ShardException("no shard outputs to merge");
        var parts = paths.Select(p => Read(ShardManifest.OutputOf(p))).ToList();
        var first = parts[0];
        foreach (var p in parts.Skip(1))
        {
            if (p.Manifest.Command != first.Manifest.Command)
                throw Fail(p, $"a shard of '{p.Manifest.Command}', but {first.Path} is one of '{first.Manifest.Command}'");
            if (p.Spec.N != first.Spec.N)
                throw Fail(p, $"shard {p.Manifest.Shard}, but {first.Path} is shard {first.Manifest.Shard}: shards of one run share N");
            if (p.Manifest.Difference(first.Manifest, sameShard: false) is { } difference)
                throw Fail(p, $"not the same run as {first.Path} ({difference})");
        }
        foreach (var twice in parts.GroupBy(p => p.Spec.K).Where(g => g.Count() > 1))
            throw new ShardException($"shard {twice.First().Manifest.Shard} is given {twice.Count()} times: {string.Join(", ", twice.Select(p => p.Path))}");
        int n = first.Spec.N;
        var missing = Enumerable.Range(1, n).Except(parts.Select(p => p.Spec.K)).ToList();
        if (missing.Count > 0)
            throw new ShardException($"shard(s) {string.Join(", ", missing.Select(k => $"{k}/{n}"))} missing: given {string.Join(", ", parts.OrderBy(p => p.Spec.K).Select(p => p.Manifest.Shard))} of {n}");
        foreach (var p in parts) Verify(p);
        var incomplete = parts.Where(p => !p.Manifest.Complete).OrderBy(p => p.Spec.K).ToList();
        if (incomplete.Count > 0 && !allowIncomplete)
            throw new ShardException("incomplete: " + string.Join(", ", incomplete.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"shard {p.Manifest.Shard} ({p.Path}: {p.Manifest.SearchesDone} of {p.Manifest.SearchesExpected} searches)")))
                + "; rerun them to finish, or merge with --allow-incomplete");
        return new ShardSet(parts.OrderBy(p => p.Spec.K).ToList());
    }

    private static ShardPart Read(string output)
    {
        var manifest = ShardManifest.Load(output)
            ?? throw new InputFormatException(output, 0, InputProblem.Truncated,
                $"no manifest {System.IO.Path.GetFileName(ShardManifest.PathFor(output))}: not a finished shard (run it again; softspot status shows which are done)");
        if (manifest.MergedFrom is not null) throw new InputFormatException(output, 0, InputProblem.Syntax, "a merged output, not a shard");
        if (manifest.Output.File != System.IO.Path.GetFileName(output))
            throw new InputFormatException(output, 0, InputProblem.Syntax, $"its manifest describes {manifest.Output.File}: renamed after it was written?");
        return new ShardPart(output, manifest);
    }

    /// <summary>The output and companions unchanged, a table's frames all there.</summary>
    private static void Verify(ShardPart p)
    {
        if (p.Manifest.FirstChange(p.Folder) is var (file, change))
            throw new InputFormatException(p.Beside(file.File), 0, InputProblem.Truncated, $"{change}; rerun shard {p.Manifest.Shard}");
        var m = p.Manifest;
        if (m.FramesTotal is { } total && m.Frames != p.Spec.ShareOf(total))
            throw Fail(p, string.Create(CultureInfo.InvariantCulture, $"shard {m.Shard} of {total} frames should hold {p.Spec.ShareOf(total)} frames, its manifest says {m.Frames}"));
    }

    private static InputFormatException Fail(ShardPart p, string problem) => new(p.Path, 0, InputProblem.Syntax, problem);

    /// <summary>Each column's type over all shards (the first shard that saw a non-empty cell decides; a conflict is an error).</summary>
    public IReadOnlyList<string?> ColumnTypes()
    {
        var columns = First.Columns ?? throw new ShardException($"{Parts[0].Path}: its manifest lists no columns: not a table");
        var types = columns.Select(c => c.Type).ToArray();
        foreach (var p in Parts)
        {
            var other = p.Manifest.Columns ?? [];
            if (!other.Select(c => c.Name).SequenceEqual(columns.Select(c => c.Name)))
                throw Fail(p, $"its columns differ from those of {Parts[0].Path}");
            for (int k = 0; k < types.Length; k++)
            {
                if (other[k].Type is not { } t) continue;
                if (types[k] is { } known && known != t) throw Fail(p, $"column {columns[k].Name} holds {t} values, in {Parts[0].Path} {known}");
                types[k] = t;
            }
        }
        return types;
    }
}
