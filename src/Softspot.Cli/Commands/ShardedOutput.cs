using Softspot.IO;
using Softspot.Sharding;

namespace Softspot.Cli.Commands;

/// <summary>The --shard handling that featurize and label d2min share: the shard's job and the skip when done (the services write the manifest).</summary>
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
}
