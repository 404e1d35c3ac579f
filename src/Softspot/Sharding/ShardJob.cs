using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>
/// One shard of a sharded command, before and after its work: whether an earlier run already did it (its output
/// and a manifest of the same run are there), and the manifest to write once the output is committed.
/// </summary>
internal sealed class ShardJob
{
    public required string Command { get; init; }
    public required ShardSpec Shard { get; init; }
    public required IReadOnlyList<InputFile> Inputs { get; init; }
    public required SortedDictionary<string, string> Parameters { get; init; }
    /// <summary>csv or parquet.</summary>
    public required string Format { get; init; }
    public required string Output { get; init; }
    /// <summary>Parameters a rerun may change to extend the shard rather than redo it (simulate art: atoms, searches).</summary>
    public IReadOnlyCollection<string> Extensible { get; init; } = [];

    /// <summary>The manifest of this run with what its outputs are; set the command's own fields with <c>with</c>, then <see cref="ShardManifest.Save"/>.</summary>
    public ShardManifest Manifest(OutputFile output) => new()
    {
        Command = Command, Shard = Shard.ToString(), Inputs = Inputs, Parameters = Parameters, Output = output,
    };

    /// <summary>
    /// The manifest of an earlier run that did this very shard completely, its output unchanged (same size and SHA-256, as merge checks): nothing
    /// to do. Otherwise null, after removing a stale manifest and the temporary files of killed runs, so that the
    /// output has no manifest until this run writes it. A manifest of another run (other inputs or parameters) is an
    /// error: its output would be silently replaced.
    /// </summary>
    public ShardManifest? Done()
    {
        var existing = ShardManifest.Load(Output);
        if (existing is not null)
        {
            var mine = Manifest(new OutputFile(Path.GetFileName(Output), Format, 0, "", 0));
            if (mine.Difference(existing, ignore: Extensible, here: "now", there: "then") is { } difference)
                throw new InputFormatException(ShardManifest.PathFor(Output), 0, InputProblem.Syntax,
                    $"{Output} was written by another run ({difference}): remove {Output} and its manifest, or choose another --out");
            string folder = Path.GetDirectoryName(Path.GetFullPath(Output))!;
            bool unchanged = existing.FirstChange(folder) is null;
            if (existing.Complete && unchanged && mine.Difference(existing) is null) return existing;
            File.Delete(ShardManifest.PathFor(Output));
        }
        AtomicFile.RemoveAbandoned(Output);
        return null;
    }

    /// <summary>
    /// The output table of a possibly sharded command: a shard's Parquet row groups are N times smaller, so that
    /// merging N shards needs the memory of one.
    /// </summary>
    public static TableFile OpenTable(ShardJob? job, string output, TableFormat format) =>
        TableFile.Create(output, format, job is null ? null : new IO.Parquet.ParquetWriteOptions { ReadTogether = job.Shard.N });

    /// <summary>
    /// Writes the manifest of a committed table that holds <paramref name="frames"/> of the run's
    /// <paramref name="framesTotal"/> frames, with the JSON <paramref name="sidecar"/> written beside it (or null); returns its path.
    /// </summary>
    public string FinishTable(TableFile table, long frames, long framesTotal, string? sidecar)
    {
        var written = table.Written ?? throw new InvalidOperationException("the table has not begun");
        var manifest = Manifest(OutputFile.Of(Output, Format, written.Rows)) with
        {
            Columns = written.Header.Zip(written.Types, (name, type) => new TableColumn(name, type)).ToArray(),
            Frames = frames,
            FramesTotal = framesTotal,
            Sidecar = sidecar is null ? null : Path.GetFileName(sidecar),
        };
        manifest.Save(Output);
        return ShardManifest.PathFor(Output);
    }

    /// <summary>
    /// Writes the manifest of a simulate art shard after a run (finished or stopped): the events file and its
    /// moved-atoms companion as they are now (<paramref name="outcomes"/>: every search in the events file, to whether
    /// it converged), and how many of the <paramref name="expected"/> searches they hold.
    /// </summary>
    public void FinishEvents(Simulation.Art.EventsFile events, IReadOnlyDictionary<long, bool> outcomes, IReadOnlySet<long> expected)
    {
        long done = 0, converged = 0;
        foreach (long search in expected)
            if (outcomes.TryGetValue(search, out bool ok))
            {
                done++;
                if (ok) converged++;
            }
        var manifest = Manifest(OutputFile.Of(events.Path, Format, outcomes.Count)) with
        {
            Companions = [OutputFile.Of(events.MovedPath, Format, CsvTableReader.CountRows(events.MovedPath, skipBlankRows: false))],
            SearchesExpected = expected.Count,
            SearchesDone = done,
            SearchesConverged = converged,
            Complete = done == expected.Count,
        };
        manifest.Save(Output);
    }
}
