namespace Softspot.Labels;

/// <summary>
/// Binary labels for the tails of a per-atom quantity: the atoms in the top (or bottom) fraction, or beyond a
/// threshold. Values that are NaN are unlabelled (null). Ties at the boundary are all included, so the labelled
/// count can exceed the fraction slightly; the threshold used is reported.
/// </summary>
public static class TailLabels
{
    /// <summary>The value at which the top <paramref name="fraction"/> of the finite values starts (the k-th largest, k = ceil(f n)).</summary>
    public static double TopThreshold(IEnumerable<double> values, double fraction) => KthFromEnd(values, fraction, largest: true);

    /// <summary>The value at which the bottom <paramref name="fraction"/> of the finite values ends (the k-th smallest).</summary>
    public static double BottomThreshold(IEnumerable<double> values, double fraction) => KthFromEnd(values, fraction, largest: false);

    private static double KthFromEnd(IEnumerable<double> values, double fraction, bool largest)
    {
        CheckFraction(fraction);
        var finite = values.Where(double.IsFinite);
        var v = (largest ? finite.OrderByDescending(x => x) : finite.OrderBy(x => x)).ToArray();
        if (v.Length == 0) return double.NaN;
        int k = Math.Max(1, (int)Math.Ceiling(fraction * v.Length - 1e-9));
        return v[k - 1];
    }

    /// <summary>1 when value &gt;= threshold, 0 otherwise, null for NaN.</summary>
    public static int?[] AtOrAbove(IReadOnlyList<double> values, double threshold) =>
        values.Select(v => double.IsNaN(v) ? (int?)null : v >= threshold ? 1 : 0).ToArray();

    /// <summary>1 when value &lt;= threshold, 0 otherwise, null for NaN.</summary>
    public static int?[] AtOrBelow(IReadOnlyList<double> values, double threshold) =>
        values.Select(v => double.IsNaN(v) ? (int?)null : v <= threshold ? 1 : 0).ToArray();

    private static void CheckFraction(double f)
    {
        if (!(f > 0 && f < 1)) throw new ArgumentOutOfRangeException(nameof(f), $"the tail fraction {f} must lie strictly between 0 and 1");
    }
}
