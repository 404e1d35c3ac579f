namespace Softspot.Descriptors;

/// <summary>A statistic over a list of values (descriptor-spec.md B.0): population std; diff is MRO's mean minus the centre.</summary>
public enum Stat { Sum, Mean, Std, Min, Max, Diff }

public static class Statistics
{
    public static readonly Stat[] All5 = [Stat.Sum, Stat.Mean, Stat.Std, Stat.Min, Stat.Max];
    public static readonly Stat[] Paper = [Stat.Mean, Stat.Std, Stat.Min, Stat.Max];

    public static string Name(Stat s) => s switch
    {
        Stat.Sum => "sum", Stat.Mean => "mean", Stat.Std => "std", Stat.Min => "min", Stat.Max => "max", Stat.Diff => "diff",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    public static string Describe(Stat s) => s switch
    {
        Stat.Sum => "sum", Stat.Mean => "mean", Stat.Std => "population standard deviation", Stat.Min => "minimum",
        Stat.Max => "maximum", Stat.Diff => "mean over the neighbours minus the atom's own value",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    /// <summary>
    /// Writes the statistics of <paramref name="values"/> in the order given; an empty list gives 0 for every
    /// statistic (amlearn leaves it undefined: descriptor-spec.md B.16 #9).
    /// </summary>
    public static void Compute(ReadOnlySpan<double> values, ReadOnlySpan<Stat> stats, Span<double> output, double centre = 0)
    {
        int n = values.Length;
        if (n == 0) { output[..stats.Length].Clear(); return; }
        double sum = 0, min = values[0], max = values[0];
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            sum += v;
            min = v < min ? v : min;
            max = v > max ? v : max;
        }
        double mean = sum / n;
        for (int k = 0; k < stats.Length; k++)
        {
            switch (stats[k])
            {
                case Stat.Sum: output[k] = sum; break;
                case Stat.Mean: output[k] = mean; break;
                case Stat.Std:
                    double ss = 0;
                    for (int i = 0; i < values.Length; i++) { double d = values[i] - mean; ss += d * d; }
                    output[k] = Math.Sqrt(ss / n);
                    break;
                case Stat.Min: output[k] = min; break;
                case Stat.Max: output[k] = max; break;
                case Stat.Diff: output[k] = mean - centre; break;
                default: throw new ArgumentOutOfRangeException(nameof(stats));
            }
        }
    }
}
