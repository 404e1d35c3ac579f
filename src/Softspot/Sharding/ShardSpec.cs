using System.Globalization;

namespace Softspot.Sharding;

/// <summary>
/// Shard <see cref="K"/> of <see cref="N"/> (1-based): the share of a run's work units (frames for tables, selected
/// atoms for ART) whose 0-based global index i has i mod N = k - 1. Written "k/N".
/// </summary>
internal readonly record struct ShardSpec
{
    public int K { get; }
    public int N { get; }

    public ShardSpec(int k, int n)
    {
        if (n < 1 || k < 1 || k > n) throw new ArgumentException($"shard {k}/{n}: k must lie in 1..N");
        K = k; N = n;
    }

    /// <summary>The whole run as one shard.</summary>
    public static ShardSpec Whole { get; } = new(1, 1);

    /// <summary>Whether work unit <paramref name="index"/> (0-based, over the whole run) belongs to this shard.</summary>
    public bool Owns(long index) => index % N == K - 1;

    /// <summary>How many of <paramref name="units"/> work units (indices 0..units-1) belong to this shard.</summary>
    public long ShareOf(long units) => units < K ? 0 : (units - K) / N + 1;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{K}/{N}");

    /// <summary>"k/N" with 1 &lt;= k &lt;= N; false for anything else.</summary>
    public static bool TryParse(string? text, out ShardSpec spec)
    {
        spec = default;
        var parts = (text ?? "").Split('/');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int k)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < 1 || k < 1 || k > n) return false;
        spec = new ShardSpec(k, n);
        return true;
    }

    /// <summary>
    /// The shard of a Slurm job-array task: SLURM_ARRAY_TASK_ID among SLURM_ARRAY_TASK_COUNT tasks, numbered from
    /// SLURM_ARRAY_TASK_MIN (0 when unset) in steps of SLURM_ARRAY_TASK_STEP (1 when unset), so --array=0-3, 1-4 and
    /// 0-12:4 all give shards 1/4 to 4/4; null outside a job array.
    /// </summary>
    public static ShardSpec? FromSlurm(Func<string, string?> environment)
    {
        string? id = environment("SLURM_ARRAY_TASK_ID"), count = environment("SLURM_ARRAY_TASK_COUNT");
        if (id is null || count is null) return null;
        string what = $"SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_COUNT={count}";
        if (!int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out int task) || !int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out int n))
            throw new ArgumentException($"{what}: not integers");
        int min = Integer(environment, "SLURM_ARRAY_TASK_MIN", 0), step = Math.Max(1, Integer(environment, "SLURM_ARRAY_TASK_STEP", 1));
        int k = (task - min) / step + 1;
        if ((task - min) % step != 0 || n < 1 || k < 1 || k > n)
            throw new ArgumentException($"{what} (first id {min}, step {step}): task {task} is not one of {n} array tasks; shard k must lie in 1..N");
        return new ShardSpec(k, n);
    }

    private static int Integer(Func<string, string?> environment, string name, int fallback) =>
        int.TryParse(environment(name), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) ? v : fallback;
}
