using Softspot.Simulation.Potentials;

namespace Softspot.Simulation.Forces;

/// <summary>
/// A potential's tables laid out for fast pair evaluation: for every ordered pair of elements (a, b) one table
/// holding, interval by interval, the cubic coefficients (<see cref="TabulatedFunction.Coefficients"/>) of
/// rho_{b->a} (the density a b-neighbour gives an a-atom), rho_{a->b} and r*phi_ab side by side, so that one lookup
/// touches one contiguous stretch of memory. Evaluations are bit-identical to <see cref="TabulatedFunction"/>'s.
/// <para>
/// All tables share one array (<see cref="Fused"/>) on the pinned heap, with every interval starting on a 64-byte
/// boundary: a lookup touches exactly three cache lines, whose fixed address the pair loops prefetch ahead of use
/// (the tables of a fine-grained potential, several MB, do not fit the per-core caches).
/// </para>
/// </summary>
internal sealed class EamTables
{
    /// <summary>Numbers per interval: three functions, each padded to 8 (one cache line).</summary>
    public const int Stride = 24;
    /// <summary>Offsets of the three functions within an interval.</summary>
    public const int DensityIn = 0, DensityOut = 8, ScaledPair = 16;
    private const int LineDoubles = 8;

    public int ElementCount { get; }
    public double CutoffSquared { get; }
    public int DistanceKnots { get; }
    public double InverseDistanceSpacing { get; }
    public TabulatedFunction[] Embedding { get; }
    /// <summary>Every pair table, pinned and cache-line aligned (see <see cref="PairOffset"/>).</summary>
    public double[] Fused { get; }
    /// <summary>[a * ElementCount + b]: where in <see cref="Fused"/> the table of an a-atom with a b-neighbour starts.</summary>
    public int[] PairOffset { get; }

    private EamTables(SetflPotential p)
    {
        int n = p.Elements.Count;
        ElementCount = n;
        CutoffSquared = p.Cutoff * p.Cutoff;
        DistanceKnots = p.DistanceKnots;
        InverseDistanceSpacing = p.ScaledPair(0, 0).InverseSpacing;
        Embedding = Enumerable.Range(0, n).Select(p.Embedding).ToArray();
        int intervals = DistanceKnots - 1;
        long length = (long)Stride * intervals;
        if (n * n * length + LineDoubles > Array.MaxLength) throw new ArgumentException($"the tables of {p.Source} are too large");
        Fused = GC.AllocateArray<double>((int)(n * n * length) + LineDoubles, pinned: true);
        int start = LineStart(Fused);
        PairOffset = new int[n * n];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < n; b++)
            {
                int at = PairOffset[a * n + b] = start + (int)((a * n + b) * length);
                double[][] parts = [p.Density(b, a).Coefficients, p.Density(a, b).Coefficients, p.ScaledPair(a, b).Coefficients];
                for (int k = 0; k < intervals; k++)
                    for (int f = 0; f < 3; f++)
                        Array.Copy(parts[f], TabulatedFunction.Stride * k, Fused, at + Stride * k + LineDoubles * f, TabulatedFunction.Stride);
            }
    }

    /// <summary>The first index of a pinned array whose element lies on a 64-byte boundary.</summary>
    private static unsafe int LineStart(double[] pinned)
    {
        fixed (double* p = pinned)
            return (int)((64 - (long)p % 64) % 64 / sizeof(double));
    }

    /// <summary>The density rho_{source->host}(r) (the same arithmetic as the pair loops).</summary>
    public double Density(int source, int host, double r)
    {
        int at = Stride * TabulatedFunction.Locate(r, InverseDistanceSpacing, DistanceKnots, out double t);
        return TabulatedFunction.Interpolate(Fused, PairOffset[host * ElementCount + source] + at + DensityIn, t, out _);
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SetflPotential, EamTables> Cache = new();

    /// <summary>The tables of a potential (built once per potential object and shared).</summary>
    public static EamTables For(SetflPotential p) => Cache.GetValue(p, q => new EamTables(q));
}
