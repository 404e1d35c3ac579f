using Softspot.Numerics;

namespace Softspot.Pipelines;

/// <summary>
/// The spectrum of per-atom mean activation energies of one glass, or of the pooled glasses (the 2020 paper's
/// Fig. 1b): the labelled atoms' values, sorted.
/// </summary>
public sealed class ActivationSpectrum
{
    /// <summary>The name that pools every glass with events.</summary>
    public const string Pooled = "pooled";

    /// <summary>The glass (or <see cref="Pooled"/>).</summary>
    public string Glass { get; }

    /// <summary>The per-atom mean activation energies (eV), ascending.</summary>
    public IReadOnlyList<double> Values { get; }

    public ActivationSpectrum(string glass, IEnumerable<double> values)
    {
        Glass = glass;
        var sorted = values.Where(double.IsFinite).ToArray();
        Array.Sort(sorted);
        Values = sorted;
    }

    /// <summary>The q-quantile (0 to 1) by linear interpolation between order statistics (numpy's default).</summary>
    public double Quantile(double q) => Quantiles.Linear(Values, q);

    /// <summary>Counts in bins of <paramref name="width"/> eV starting at <paramref name="start"/> (the last bin holds everything above).</summary>
    public int[] Histogram(double start, double width, int bins)
    {
        var counts = new int[bins];
        foreach (double v in Values) counts[Math.Clamp((int)Math.Floor((v - start) / width), 0, bins - 1)]++;
        return counts;
    }
}
