namespace Softspot.Learning.Interpretation;

/// <summary>
/// A Gaussian kernel density estimate of one sample evaluated on a grid: the shape a violin draws.
/// </summary>
/// <param name="Bandwidth">The kernel's standard deviation (0 when there is no estimate).</param>
/// <param name="Grid">The evaluation points, evenly spaced from the sample's minimum to its maximum (empty when there is no estimate).</param>
/// <param name="Density">The estimate at each grid point (it integrates to 1 over the whole line, a little less over the grid's span).</param>
public sealed record KernelDensity(double Bandwidth, double[] Grid, double[] Density)
{
    /// <summary>Grid points of <see cref="Gaussian"/> unless told.</summary>
    public const int DefaultPoints = 50;

    /// <summary>
    /// The estimate of scipy.stats.gaussian_kde with its default bandwidth (Scott's rule: the sample's standard
    /// deviation with ddof = 1 times n^(-1/5)), f(x) = 1/(n h sqrt(2 pi)) sum_i exp(-(x - x_i)^2 / (2 h^2)), on
    /// <paramref name="points"/> points from the minimum to the maximum of the sample (matplotlib's violinplot
    /// draws the same span). Non-finite values are left out; with fewer than 2 values, or all equal, there is no
    /// estimate (bandwidth 0, empty grid).
    /// </summary>
    public static KernelDensity Gaussian(IEnumerable<double> values, int points = DefaultPoints)
    {
        if (points < 2) throw new ArgumentOutOfRangeException(nameof(points), "at least 2 grid points");
        var x = values.Where(double.IsFinite).ToArray();
        int n = x.Length;
        if (n < 2) return new KernelDensity(0, [], []);
        double mean = x.Average(), ss = 0;
        foreach (double v in x) ss += (v - mean) * (v - mean);
        double h = Math.Sqrt(ss / (n - 1)) * Math.Pow(n, -0.2);
        double lo = x.Min(), hi = x.Max();
        if (!(h > 0) || !(hi > lo)) return new KernelDensity(0, [], []);
        var grid = new double[points];
        var density = new double[points];
        double norm = 1 / (n * h * Math.Sqrt(2 * Math.PI));
        for (int k = 0; k < points; k++)
        {
            double g = grid[k] = k == points - 1 ? hi : lo + (hi - lo) * k / (points - 1);
            double sum = 0;
            foreach (double v in x) { double u = (g - v) / h; sum += Math.Exp(-0.5 * u * u); }
            density[k] = sum * norm;
        }
        return new KernelDensity(h, grid, density);
    }
}

/// <summary>The distribution of one feature in one group of atoms: size, quartiles (numpy's linear interpolation) and density.</summary>
/// <param name="Group">The group's name.</param>
/// <param name="Count">The number of (finite) values.</param>
/// <param name="Q1">The first quartile.</param>
/// <param name="Median">The median.</param>
/// <param name="Q3">The third quartile.</param>
/// <param name="Density">The Gaussian kernel density estimate (<see cref="KernelDensity.Gaussian"/>).</param>
public sealed record GroupDistribution(string Group, int Count, double Q1, double Median, double Q3, KernelDensity Density)
{
    /// <summary>The distribution of the finite values of a group.</summary>
    public static GroupDistribution Of(string group, IEnumerable<double> values, int points = KernelDensity.DefaultPoints)
    {
        var sorted = values.Where(double.IsFinite).ToArray();
        Array.Sort(sorted);
        return new GroupDistribution(group, sorted.Length, Numerics.Quantiles.Linear(sorted, 0.25), Numerics.Quantiles.Linear(sorted, 0.5),
            Numerics.Quantiles.Linear(sorted, 0.75), KernelDensity.Gaussian(sorted, points));
    }
}
