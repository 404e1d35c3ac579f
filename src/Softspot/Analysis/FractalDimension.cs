namespace Softspot.Analysis;

/// <summary>A power law M(r) = A r^D fitted by least squares on log M against log r.</summary>
/// <param name="D">The exponent (the mass-radius fractal dimension; 3 for a homogeneous set).</param>
/// <param name="Prefactor">A.</param>
/// <param name="RMin">The smallest r fitted (A).</param>
/// <param name="RMax">The largest r fitted (A).</param>
/// <param name="Points">The points fitted (those in [RMin, RMax] with M &gt; 0).</param>
public sealed record PowerLawFit(double D, double Prefactor, double RMin, double RMax, int Points)
{
    /// <summary>A r^D.</summary>
    public double At(double r) => Prefactor * Math.Pow(r, D);
}

/// <summary>
/// The mass-radius fractal dimension of a set of atoms (as the 2019 paper's M(r) ~ r^D): the slope of log M(r)
/// against log r, where M(r) is the mean number of the set's other atoms within r of one of its atoms
/// (<see cref="PairCounts.Cumulative"/>).
/// </summary>
public static class FractalDimension
{
    /// <summary>Fits M(r) at the radii <paramref name="r"/> between <paramref name="rMin"/> and <paramref name="rMax"/>; null with fewer than 3 points of M &gt; 0.</summary>
    public static PowerLawFit? Fit(IReadOnlyList<double> r, IReadOnlyList<double> m, double rMin, double rMax)
    {
        var points = Enumerable.Range(0, r.Count).Where(k => r[k] >= rMin - 1e-9 && r[k] <= rMax + 1e-9 && m[k] > 0)
            .Select(k => (X: Math.Log(r[k]), Y: Math.Log(m[k]))).ToList();
        if (points.Count < 3) return null;
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        double sxy = points.Sum(p => (p.X - mx) * (p.Y - my)), sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        double d = sxy / sxx;
        return new PowerLawFit(d, Math.Exp(my - d * mx), rMin, rMax, points.Count);
    }
}
