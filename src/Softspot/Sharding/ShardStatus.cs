using System.Globalization;
using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>The state of one shard of a family: done, incomplete (ART), stale, running, interrupted, unfinished or missing.</summary>
internal sealed record ShardState(string Shard, string State, string? Output, long? Rows, string? Note)
{
    public bool Done => State == ShardStatus.DoneState;
}

/// <summary>A merged output of a family, and whether it is still what its manifest says.</summary>
internal sealed record MergedOutput(string File, long Rows, bool Unchanged);

/// <summary>One sharded run found in a folder: its shards' states and its merged output, if any.</summary>
internal sealed record ShardFamily(string Command, int Shards, string? Naming, IReadOnlyList<ShardState> States, IReadOnlyList<MergedOutput> Merged)
{
    public int Done => States.Count(s => s.Done);
    public bool AllDone => Done == Shards && States.Count == Shards;
}

/// <summary>
/// <c>softspot status DIR</c>: the sharded runs whose manifests lie in a folder, grouped into families (same
/// command, inputs, parameters and N), with each shard's state. A shard is done when its manifest is there and its
/// output unchanged (and, for ART, every search is in); stale when its output is missing or changed since; with no
/// manifest, running or interrupted when a temporary file or an output is found under the name its siblings
/// suggest (f.{k}.csv), missing otherwise.
/// </summary>
internal static class ShardStatus
{
    public const string DoneState = "done";

    public static IReadOnlyList<ShardFamily> Scan(string folder)
    {
        if (!Directory.Exists(folder)) throw new DirectoryNotFoundException($"{folder}: no such folder");
        var manifests = Directory.EnumerateFiles(folder, "*" + ShardManifest.Suffix).Order(StringComparer.Ordinal)
            .Select(p => (Output: ShardManifest.OutputOf(p), Manifest: ShardManifest.Load(ShardManifest.OutputOf(p))!)).ToList();
        var merged = manifests.Where(m => m.Manifest.MergedFrom is not null).ToList();
        var groups = new List<List<(string Output, ShardManifest Manifest)>>();
        foreach (var m in manifests.Where(m => m.Manifest.MergedFrom is null))
        {
            var group = groups.FirstOrDefault(g => g[0].Manifest.Spec.N == m.Manifest.Spec.N && g[0].Manifest.Difference(m.Manifest, sameShard: false) is null);
            if (group is null) groups.Add([m]); else group.Add(m);
        }
        return groups.Select(g => Family(folder, g, merged)).ToList();
    }

    private static ShardFamily Family(string folder, List<(string Output, ShardManifest Manifest)> shards, List<(string Output, ShardManifest Manifest)> merged)
    {
        int n = shards[0].Manifest.Spec.N;
        var naming = ShardNameTemplate.Infer(shards.Select(s => (Path.GetFileName(s.Output), s.Manifest.Spec.K)));
        var states = new List<ShardState>();
        for (int k = 1; k <= n; k++)
        {
            var found = shards.Where(s => s.Manifest.Spec.K == k).ToList();
            if (found.Count == 0) states.Add(Unrecorded(folder, new ShardSpec(k, n), naming));
            else states.AddRange(found.Select(s => Recorded(folder, s.Manifest)));
        }
        var names = shards.Select(s => s.Manifest.Output.File).ToHashSet();
        var joined = merged.Where(m => m.Manifest.MergedFrom!.Any(f => names.Contains(f.File)))
            .Select(m => new MergedOutput(m.Manifest.Output.File, m.Manifest.Output.Rows, m.Manifest.FirstChange(folder) is null)).ToList();
        return new ShardFamily(shards[0].Manifest.Command, n, naming?.ToString(), states, joined);
    }

    private static ShardState Recorded(string folder, ShardManifest m)
    {
        string file = m.Output.File;
        if (m.FirstChange(folder) is var (changed, change))
            return new ShardState(m.Shard, "stale", file, null, $"{changed.File} {change}; rerun the shard");
        if (!m.Complete)
            return new ShardState(m.Shard, "incomplete", file, m.Output.Rows,
                string.Create(CultureInfo.InvariantCulture, $"{m.SearchesDone} of {m.SearchesExpected} searches; rerun the shard to finish"));
        return new ShardState(m.Shard, DoneState, file, m.Output.Rows, null);
    }

    private static ShardState Unrecorded(string folder, ShardSpec shard, ShardNameTemplate? naming)
    {
        if (naming is null) return new ShardState(shard.ToString(), "missing", null, null, "no manifest (its output's name cannot be guessed)");
        string name = naming.NameOf(shard.K), path = Path.Combine(folder, name);
        if (File.Exists(ShardManifest.PathFor(path)))
            return new ShardState(shard.ToString(), "missing", null, null, $"{name} is a shard of another run (see its manifest)");
        var temporaries = AtomicFile.Temporaries(path);
        if (temporaries.FirstOrDefault(t => t.Running) is { Path: not null } live)
            return new ShardState(shard.ToString(), "running", name, null, $"process {live.ProcessId} is writing {Path.GetFileName(live.Path)}");
        if (temporaries.Count > 0)
            return new ShardState(shard.ToString(), "interrupted", name, null,
                $"{Path.GetFileName(temporaries[0].Path)} left by process {temporaries[0].ProcessId}, which has stopped; rerun the shard");
        if (File.Exists(path))
            return new ShardState(shard.ToString(), "unfinished", name, null, "output without a manifest: still running, or stopped before its end; rerun the shard");
        return new ShardState(shard.ToString(), "missing", name, null, null);
    }
}
