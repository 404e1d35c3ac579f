using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>
/// What one shard of a sharded run did, written as <c>OUT.manifest.json</c> beside its output once the output is
/// complete: it is the shard's "done" marker, and what <c>softspot merge</c> and <c>softspot status</c> read. Its
/// identity (command, shard, inputs by content, the parameters that change rows, output format) decides whether a
/// rerun may skip the shard and whether shards belong together; the rest says what was written.
/// </summary>
internal sealed record ShardManifest
{
    /// <summary>The manifest layout's version; a reader refuses newer ones.</summary>
    public const int CurrentVersion = 1;

    public int ManifestVersion { get; init; } = CurrentVersion;
    /// <summary>featurize, label d2min or simulate art.</summary>
    public required string Command { get; init; }
    /// <summary>"k/N"; a merged output is "1/1" with <see cref="MergedFrom"/>.</summary>
    public required string Shard { get; init; }
    public string Softspot { get; init; } = Simulation.Provenance.SoftspotVersion;
    public required IReadOnlyList<InputFile> Inputs { get; init; }
    /// <summary>Every parameter that changes the rows, as invariant text (nested settings as dotted keys).</summary>
    public required SortedDictionary<string, string> Parameters { get; init; }
    public required OutputFile Output { get; init; }
    /// <summary>Files written with the output and merged with it (simulate art: the moved-atoms table).</summary>
    public IReadOnlyList<OutputFile>? Companions { get; init; }
    /// <summary>The JSON written beside a table (recipe or parameters, e.g. features.json), by name.</summary>
    public string? Sidecar { get; init; }
    /// <summary>Tables: the columns in order, with the type of their values (what a CSV's cells are when merged into Parquet).</summary>
    [JsonConverter(typeof(TableColumnsConverter))]
    public IReadOnlyList<TableColumn>? Columns { get; init; }
    /// <summary>Tables: frames this shard wrote, and frames in all the inputs (the whole run's).</summary>
    public long? Frames { get; init; }
    public long? FramesTotal { get; init; }
    /// <summary>simulate art: searches this shard should run, has in its events file, and of those converged.</summary>
    public long? SearchesExpected { get; init; }
    public long? SearchesDone { get; init; }
    public long? SearchesConverged { get; init; }
    /// <summary>Whether the shard's share is all done (tables: always; simulate art: every search present).</summary>
    public bool Complete { get; init; } = true;
    /// <summary>A merged output: the shard outputs it joins, in shard order.</summary>
    public IReadOnlyList<OutputFile>? MergedFrom { get; init; }

    [JsonIgnore]
    public ShardSpec Spec => ShardSpec.TryParse(Shard, out var s) ? s : throw new InvalidOperationException($"shard '{Shard}' is not k/N");

    /// <summary>
    /// The first of the output and its companions (in <paramref name="folder"/>, beside the manifest) that is no longer
    /// what the manifest records, and how (missing, another size, another SHA-256); null when all are unchanged. The one
    /// check behind merge's refusal, status's "done" and a rerun's skip, so that they never disagree.
    /// </summary>
    public (OutputFile File, string Change)? FirstChange(string folder)
    {
        foreach (var file in new[] { Output }.Concat(Companions ?? []))
            if (file.Changed(folder) is { } change) return (file, change);
        return null;
    }

    /// <summary>The manifest's path for an output: OUT.manifest.json.</summary>
    public static string PathFor(string output) => output + Suffix;

    public const string Suffix = ".manifest.json";

    /// <summary>The output a manifest path or output path names (OUT for OUT.manifest.json, else the path itself).</summary>
    public static string OutputOf(string path) => path.EndsWith(Suffix, StringComparison.Ordinal) ? path[..^Suffix.Length] : path;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Writes the manifest of <paramref name="output"/> atomically.</summary>
    public void Save(string output) => AtomicFile.Write(PathFor(output), w => w.Write(JsonSerializer.Serialize(this, Json)));

    /// <summary>The manifest of <paramref name="output"/>, or null when there is none; a manifest that cannot be read is an error naming it.</summary>
    public static ShardManifest? Load(string output)
    {
        string path = PathFor(output);
        if (!File.Exists(path)) return null;
        ShardManifest? m;
        try { m = JsonSerializer.Deserialize<ShardManifest>(File.ReadAllText(path), Json); }
        catch (JsonException e) { throw new InputFormatException(path, e.LineNumber is { } l ? l + 1 : 0, InputProblem.Syntax, $"not a shard manifest ({e.Message.Split(" Path:")[0]})"); }
        if (m is null) throw new InputFormatException(path, 0, InputProblem.Syntax, "not a shard manifest (null)");
        if (m.ManifestVersion > CurrentVersion)
            throw new InputFormatException(path, 0, InputProblem.Unsupported, $"manifest version {m.ManifestVersion} is newer than this Softspot reads ({CurrentVersion})");
        if (!ShardSpec.TryParse(m.Shard, out _)) throw new InputFormatException(path, 0, InputProblem.Syntax, $"shard '{m.Shard}' is not k/N");
        return m;
    }

    /// <summary>
    /// The first way this manifest's run differs from <paramref name="other"/>'s (command, inputs by content,
    /// parameters, output format; the shard too unless <paramref name="sameShard"/> is false), as "what A here, B
    /// there" with the given words; null when they are the same run. Parameters in <paramref name="ignore"/> are not compared.
    /// </summary>
    public string? Difference(ShardManifest other, bool sameShard = true, IReadOnlyCollection<string>? ignore = null, string here = "here", string there = "there")
    {
        string Differs(string what, string a, string b) => $"{what} {a} {here}, {b} {there}";
        if (Command != other.Command) return Differs("command", Command, other.Command);
        if (sameShard && Shard != other.Shard) return Differs("shard", Shard, other.Shard);
        if (Output.Format != other.Output.Format) return Differs("format", Output.Format, other.Output.Format);
        if (Inputs.Count != other.Inputs.Count) return Differs("input files:", Inputs.Count.ToString(CultureInfo.InvariantCulture), other.Inputs.Count.ToString(CultureInfo.InvariantCulture));
        for (int i = 0; i < Inputs.Count; i++)
            if (!Inputs[i].SameContent(other.Inputs[i]))
                return Differs($"{Inputs[i].Role} input:", Describe(Inputs[i]), Describe(other.Inputs[i]));
        foreach (var key in Parameters.Keys.Union(other.Parameters.Keys).Order(StringComparer.Ordinal))
        {
            if (ignore?.Contains(key) == true) continue;
            string a = Parameters.GetValueOrDefault(key) ?? "(unset)", b = other.Parameters.GetValueOrDefault(key) ?? "(unset)";
            if (a != b) return Differs(key, a, b);
        }
        return null;
    }

    private static string Describe(InputFile f) => $"{f.Path} (SHA-256 {f.Sha256[..Math.Min(12, f.Sha256.Length)]}...)";
}
