using Softspot.Sharding;

namespace Softspot.Cli.Commands;

/// <summary>--shard k/N, or a Slurm job array's SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT (see <see cref="ShardSpec.FromSlurm"/>).</summary>
internal static class Shards
{
    /// <summary>The --shard option of the commands that shard their work.</summary>
    public static System.CommandLine.Option<string?> Option(string share) => new("--shard")
    {
        Description = $"k/N: {share} (default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set); writes OUT.manifest.json beside --out",
    };

    /// <summary>
    /// The shard asked for by <paramref name="spec"/> or, without it, by the Slurm variables (said on standard error, so
    /// that a job array run for another purpose is not sharded unnoticed); null when neither asks (not sharded).
    /// </summary>
    public static ShardSpec? Requested(string? spec)
    {
        if (spec is null)
        {
            var slurm = ShardSpec.FromSlurm(Environment.GetEnvironmentVariable);
            if (slurm is { } task)
                Console.Error.WriteLine($"softspot: shard {task} of a Slurm job array (SLURM_ARRAY_TASK_ID={Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID")}); give --shard 1/1 to process everything");
            return slurm;
        }
        if (!spec.Contains('/') || spec.Split('/') is not [var k, var n] || !int.TryParse(k, out _) || !int.TryParse(n, out _))
            throw new UsageException($"--shard {spec}: expected k/N, e.g. 1/4");
        return ShardSpec.TryParse(spec, out var s) ? s : throw new UsageException($"--shard {spec}: shard k must lie in 1..N");
    }
}
