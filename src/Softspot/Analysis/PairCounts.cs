using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Analysis;

/// <summary>
/// How many atoms of a target set lie at each distance from the atoms of a centre set, in bins of
/// <see cref="BinWidth"/> from 0 to <see cref="RMax"/> (a pair at distance d falls in bin floor(d / BinWidth); an
/// atom is never its own neighbour), averaged over the centres. Periodic cells use minimum-image distances, so
/// <see cref="RMax"/> may not exceed half the cell's smallest periodic width.
/// </summary>
public sealed class PairCounts
{
    /// <summary>Bin width (A).</summary>
    public double BinWidth { get; }
    /// <summary>The largest distance counted (A, exclusive); a whole number of bins.</summary>
    public double RMax { get; }
    /// <summary>The number of centre atoms.</summary>
    public int Centres { get; }
    /// <summary>The number of target atoms.</summary>
    public int Targets { get; }
    /// <summary>Mean number of target atoms per centre in each bin [k * BinWidth, (k + 1) * BinWidth).</summary>
    public double[] PerCentre { get; }

    private PairCounts(double binWidth, double rMax, int centres, int targets, double[] perCentre)
    {
        BinWidth = binWidth; RMax = rMax; Centres = centres; Targets = targets; PerCentre = perCentre;
    }

    /// <summary>The lower edge of each bin (A).</summary>
    public double[] Lower => [.. Enumerable.Range(0, PerCentre.Length).Select(k => k * BinWidth)];

    /// <summary>
    /// Counts the target atoms (indices into <paramref name="s"/>) around each centre atom, on
    /// <paramref name="threads"/> threads (default: every core); exact integer counts, so the result does not depend
    /// on the thread count. <paramref name="rMax"/> is rounded down to a whole number of bins.
    /// </summary>
    /// <exception cref="CutoffTooLargeException"><paramref name="rMax"/> exceeds half the smallest periodic width.</exception>
    public static PairCounts Of(Snapshot s, IReadOnlyList<int> centres, IReadOnlyList<int> targets, double rMax, double binWidth, int? threads = null)
    {
        if (!(binWidth > 0)) throw new ArgumentOutOfRangeException(nameof(binWidth), "the bin width must be positive");
        int bins = (int)Math.Floor(rMax / binWidth + 1e-9);
        if (bins < 1) throw new ArgumentOutOfRangeException(nameof(rMax), "the range must hold at least one bin");
        rMax = bins * binWidth;
        s.Cell.EnsureCutoffFits(rMax, "the pair-distance range");
        int t = Parallelism.Resolve(threads);
        var positions = targets.Select(i => s.Positions[i]).ToArray();
        var selfOf = new Dictionary<int, int>(targets.Count);
        for (int k = 0; k < targets.Count; k++) selfOf[targets[k]] = k;
        var grid = new CellGrid(s.Cell, positions, Math.Max(rMax / 3, 0.8 * Math.Cbrt(s.Cell.Volume / Math.Max(1, targets.Count))));
        var parts = Parallelism.MapChunks(centres.Count, 256, t, (start, end) =>
        {
            var counts = new long[bins];
            var buffer = new CandidateBuffer();
            for (int c = start; c < end; c++)
            {
                int i = centres[c];
                buffer.Clear();
                // the centre itself, if a target, is found at distance 0 (its other images lie beyond 2 rMax): not a pair
                int self = selfOf.GetValueOrDefault(i, -1);
                grid.Gather(s.Cell.Wrap(s.Positions[i]), rMax, -1, buffer);
                for (int k = 0; k < buffer.Count; k++)
                    if (buffer.Index[k] != self) counts[Math.Min(bins - 1, (int)(Math.Sqrt(buffer.D2[k]) / binWidth))]++;
            }
            return counts;
        });
        var total = new long[bins];
        foreach (var part in parts) for (int b = 0; b < bins; b++) total[b] += part[b];
        double n = Math.Max(1, centres.Count);
        return new PairCounts(binWidth, rMax, centres.Count, targets.Count, [.. total.Select(c => c / n)]);
    }

    /// <summary>
    /// The radial distribution function around the centres when the targets are every atom: the mean count in each
    /// shell over the count an ideal gas of the cell's number density N / V would put there,
    /// g(r) = n(r) / (rho 4/3 pi (r_hi^3 - r_lo^3)); with centre and target sets both every atom, the usual g(r).
    /// </summary>
    public double[] Rdf(double volume)
    {
        double rho = Targets / volume;
        return [.. PerCentre.Select((n, k) => n / (rho * 4.0 / 3 * Math.PI * (Math.Pow((k + 1) * BinWidth, 3) - Math.Pow(k * BinWidth, 3))))];
    }

    /// <summary>The cumulative mean count within each bin's upper edge, M(r) = mean over centres of #{targets at distance &lt; r}.</summary>
    public double[] Cumulative()
    {
        var m = new double[PerCentre.Length];
        double sum = 0;
        for (int k = 0; k < m.Length; k++) m[k] = sum += PerCentre[k];
        return m;
    }
}
