namespace Softspot.Cli.Commands;

/// <summary>--shard k/N, or a Slurm job array's SLURM_ARRAY_TASK_ID / SLURM_ARRAY_TASK_COUNT (ids 0- or 1-based via SLURM_ARRAY_TASK_MIN).</summary>
internal static class Shards
{
    public static (int K, int N) Parse(string? spec)
    {
        if (spec is null)
        {
            string? id = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), count = Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_COUNT");
            if (id is null || count is null) return (1, 1);
            int min = int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_MIN"), out int m) ? m : 0;
            if (!int.TryParse(id, out int t) || !int.TryParse(count, out int c)) throw new UsageException($"SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}: not integers");
            return Check(t - min + 1, c, $"SLURM_ARRAY_TASK_ID={id}");
        }
        var parts = spec.Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], out int k) || !int.TryParse(parts[1], out int n))
            throw new UsageException($"--shard {spec}: expected k/N, e.g. 1/4");
        return Check(k, n, $"--shard {spec}");
    }

    private static (int, int) Check(int k, int n, string what) =>
        n >= 1 && k >= 1 && k <= n ? (k, n) : throw new UsageException($"{what}: shard k must lie in 1..N");
}
