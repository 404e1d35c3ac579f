using Softspot.IO;
using Softspot.Sharding;

namespace Softspot.Cli.Commands;

/// <summary>The --shard handling that featurize and label d2min share: the shard's job, the skip when done, the manifest.</summary>
internal static class ShardedOutput
{
    /// <summary>The shard job asked for by --shard or the Slurm variables (null: not sharded, no manifest); hashes the inputs.</summary>
    public static ShardJob? Job(string command, string? shardOption, string output, TableFormat format,
        IEnumerable<(string Role, string Path)> inputs, params (string Name, object? Value)[] parameters) =>
        Shards.Requested(shardOption) is { } shard
            ? new ShardJob
            {
                Command = command, Shard = shard, Output = output, Format = TableFormats.Name(format),
                Inputs = inputs.Select(i => InputFile.Of(i.Role, i.Path)).ToList(), Parameters = RunParameters.Of(parameters),
            }
            : null;

    /// <summary>True (and says so) when an earlier run did this shard: the command has nothing to do.</summary>
    public static bool AlreadyDone(ShardJob? job, TextWriter stdout)
    {
        if (job?.Done() is null) return false;
        stdout.WriteLine($"{job.Command}: shard {job.Shard} already done ({job.Output}, {ShardManifest.PathFor(job.Output)})");
        return true;
    }

    /// <summary>The output table: a shard's Parquet row groups are N times smaller, so that merging N shards needs the memory of one.</summary>
    public static TableFile Table(ShardJob? job, string output, TableFormat format) =>
        TableFile.Create(output, format, job is null ? null : new IO.Parquet.ParquetWriteOptions { ReadTogether = job.Shard.N });

    /// <summary>Writes a table shard's manifest; returns ", MANIFEST" for the command's summary line ("" when not sharded).</summary>
    public static string Finish(ShardJob? job, TableFile table, long frames, long framesTotal, string sidecar) =>
        job is null ? "" : ", " + job.FinishTable(table, frames, framesTotal, sidecar);
}
