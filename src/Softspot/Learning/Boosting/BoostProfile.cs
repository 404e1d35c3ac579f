using System.Diagnostics;

namespace Softspot.Learning;

/// <summary>Optional phase timings of <see cref="GradientBoosting"/> (SOFTSPOT_GBDT_PROFILE=1), for benchmarking.</summary>
internal static class BoostProfile
{
    public static readonly bool On = Environment.GetEnvironmentVariable("SOFTSPOT_GBDT_PROFILE") == "1";
    public const int Binning = 0, Gradients = 1, Histogram = 2, Split = 3, Partition = 4, Margins = 5;
    private static readonly string[] Names = ["binning", "gradients", "node passes (histograms, subtraction, split search)", "of which split search (thread time)", "partition", "margins"];
    private static readonly long[] Ticks = new long[6];
    /// <summary>Histogram updates (rows x features) counted so far, in element 0.</summary>
    private static readonly long[] Updates = new long[1];

    public static long Start() => On ? Stopwatch.GetTimestamp() : 0;

    public static void Stop(int phase, long start)
    {
        if (On) Interlocked.Add(ref Ticks[phase], Stopwatch.GetTimestamp() - start);
    }

    public static void Count(long updates) { if (On) Interlocked.Add(ref Updates[0], updates); }

    public static string Report()
    {
        var parts = Names.Select((n, i) => $"{n} {Ticks[i] / (double)Stopwatch.Frequency:F3} s").ToArray();
        Array.Clear(Ticks);
        string updates = $", {Updates[0] / 1e6:F0} M histogram updates";
        Updates[0] = 0;
        return string.Join(", ", parts) + updates;
    }
}
