namespace Softspot.Numerics;

/// <summary>Quantiles of sorted samples.</summary>
public static class Quantiles
{
    /// <summary>
    /// The q-quantile (0 to 1) of ascending values by linear interpolation between order statistics (numpy's default,
    /// <c>np.percentile(x, 100 q)</c>); NaN when there are no values.
    /// </summary>
    public static double Linear(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        double h = (sorted.Count - 1) * Math.Clamp(q, 0, 1);
        int lo = (int)Math.Floor(h);
        return lo + 1 < sorted.Count ? sorted[lo] + (h - lo) * (sorted[lo + 1] - sorted[lo]) : sorted[lo];
    }
}
