using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>
/// <c>softspot merge</c>: checks that the given shard outputs make one complete run (<see cref="ShardSet"/>), joins
/// them into the output the unsharded run writes (tables: <see cref="TableMerge"/>; simulate art's events:
/// <see cref="EventsMerge"/>), merges the JSON written beside the tables (<see cref="SidecarJson"/>) and writes the
/// merged output's manifest: shard 1/1, with the shards it was merged from.
/// </summary>
internal static class ShardMerger
{
    public sealed record Result(ShardSet Set, string Output, string Format, long Rows, string? Sidecar, IReadOnlyList<string> Companions);

    /// <param name="shards">The shard outputs of one run (or their manifests' paths), every shard 1..N once.</param>
    /// <param name="output">The merged output to write (its manifest beside it); must not be one of the shards.</param>
    /// <param name="format">csv or parquet; null: as the output's extension says (.csv, .parquet), else the shards' format.</param>
    /// <param name="allowIncomplete">Accept simulate art shards that stopped before finishing their searches; the merged
    /// manifest is then marked incomplete.</param>
    public static Result Merge(IReadOnlyList<string> shards, string output, string? format = null, bool allowIncomplete = false)
    {
        var set = ShardSet.Load(shards, allowIncomplete);
        string target = Path.GetFullPath(output);
        if (set.Parts.FirstOrDefault(p => Path.GetFullPath(p.Path) == target) is { } clash)
            throw new ShardException($"{output}: the merged output would overwrite {clash}; choose another --out");
        bool events = set.First.Companions is not null;
        string chosen = events ? EventsFormat(format, output) : TableFormatOf(format, output, set.First.Output.Format);
        long rows = events ? EventsMerge.Merge(set, output) : TableMerge.Merge(set, output, TableFormats.Resolve(chosen, output));
        string? sidecar = null;
        if (set.Parts.All(p => p.Manifest.Sidecar is { } s && File.Exists(p.Beside(s))))
        {
            sidecar = Path.ChangeExtension(output, ".json");
            string text = SidecarJson.Merge(set.Parts.Select(p => p.Beside(p.Manifest.Sidecar!)).ToList());
            AtomicFile.Write(sidecar, w => w.Write(text));
        }
        var companions = events ? new[] { Simulation.Art.EventsFile.MovedPathFor(output) } : [];
        var m = set.First;
        var merged = m with
        {
            Shard = ShardSpec.Whole.ToString(),
            Softspot = Simulation.Provenance.SoftspotVersion,
            Output = OutputFile.Of(output, chosen, rows),
            Companions = events ? companions.Select(c => OutputFile.Of(c, "csv", CsvTableReader.CountRows(c, skipBlankRows: false))).ToArray() : null,
            Sidecar = sidecar is null ? null : Path.GetFileName(sidecar),
            Columns = m.Columns is null ? null : m.Columns.Zip(set.ColumnTypes(), (c, t) => c with { Type = t }).ToArray(),
            Frames = m.FramesTotal,
            SearchesExpected = Sum(set, x => x.SearchesExpected),
            SearchesDone = Sum(set, x => x.SearchesDone),
            SearchesConverged = Sum(set, x => x.SearchesConverged),
            Complete = set.Parts.All(p => p.Manifest.Complete),
            MergedFrom = set.Parts.Select(p => p.Manifest.Output).ToArray(),
        };
        merged.Save(output);
        return new Result(set, output, chosen, rows, sidecar, companions);
    }

    private static long? Sum(ShardSet set, Func<ShardManifest, long?> value) =>
        set.Parts.All(p => value(p.Manifest) is not null) ? set.Parts.Sum(p => value(p.Manifest)!.Value) : null;

    private static string EventsFormat(string? format, string output) =>
        format is null or "csv" ? "csv" : throw new ShardException($"{output}: simulate art's events files are CSV; --format {format} does not apply");

    private static string TableFormatOf(string? format, string output, string shards) =>
        format ?? (output.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? "parquet"
                   : output.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : shards);
}
