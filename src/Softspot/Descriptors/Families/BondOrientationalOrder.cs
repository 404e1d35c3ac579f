using System.Numerics;
using Softspot.Descriptors.Geometry;
using Softspot.Neighbours;

namespace Softspot.Descriptors;

/// <summary>
/// Steinhardt bond-orientational order (descriptor-spec.md B.12) for l = 4, 6, 8, 10: q_l, the normalised ŵ_l,
/// and their Lechner–Dellago coarse-grained versions, over one kind of neighbours. 16 columns:
/// q_4..q_10, w_4..w_10, Coarse_grained_q_4..10, Coarse_grained_w_4..10, each suffixed _voro or _dist.
/// <list type="bullet">
/// <item>Q_lm(i) = (1/N_i) Σ_j Y_lm(r̂_ij) over the N_i neighbours; q_l = √(4π/(2l+1) Σ_m |Q_lm|²);
/// ŵ_l = Re Σ_{m1+m2+m3=0} (l l l; m1 m2 m3) Q_lm1 Q_lm2 Q_lm3 / (Σ_m |Q_lm|²)^{3/2}.</item>
/// <item>Coarse-grained: Q̄_lm(i) = (Q_lm(i) + Σ_j Q_lm(j)) / (N_i + 1) (the atom itself included), then the same
/// formulas on Q̄.</item>
/// <item>Azimuth: by default the textbook φ = atan2(y, x) (rotation invariant). With
/// <see cref="FeaturizeSettings.AmlearnAzimuth"/> the azimuth is amlearn's ψ = atan(r_y/r_x) of the vector
/// r = centre − neighbour, i.e. Y_lm(r̂) gets a factor (−1)^m for every neighbour whose displacement
/// centre→neighbour has x &gt; 0 (not rotation invariant; needed to match amlearn's tables). Reversing the vector
/// direction alone would only multiply every Q_lm by (−1)^m and change neither q nor ŵ, but together with the
/// atan azimuth it decides which half of the neighbours are flipped, so amlearn's direction is kept exactly
/// (including r_x = 0, which atan(±∞) = ±π/2 treats like atan2).</item>
/// <item>Everything is in double precision with exact constants (amlearn uses π = 3.1415926, float32 prefactors
/// and float32 log-factorials: expect ~1e-7 relative differences in q and ~1e-6 in ŵ).</item>
/// </list>
/// Edge cases (where amlearn gives NaN): an atom with no neighbours has Q_lm = 0, so all 16 of its values are 0
/// (and it adds Q = 0 to its neighbours' coarse-grained averages while counting in N + 1); ŵ_l is 0 when
/// Σ_m |Q_lm|² is zero up to rounding (≤ 1e-24, i.e. q_l ≲ 1e-12, where ŵ_l = 0/0 would only be rounding noise,
/// e.g. ŵ_4 of an icosahedron); a neighbour on the z axis is exact (the harmonics are evaluated from the vector,
/// not from angles). A neighbour at zero distance has no direction and is an error.
/// </summary>
public sealed class BondOrientationalOrder : Descriptor
{
    private static readonly int[] Degrees = [4, 6, 8, 10];
    private const int MaxL = 10;
    /// <summary>Offset of degree d's m = 0..l entries in a packed per-atom block of 32 complex numbers.</summary>
    private static readonly int[] BlockOffset = [0, 5, 12, 21];
    private const int BlockComplex = 32;
    private const int BlockDoubles = 2 * BlockComplex; // interleaved (re, im)
    /// <summary>Σ_m |Q_lm|² at or below this is treated as zero (ŵ_l = 0).</summary>
    private const double NegligibleNorm = 1e-24;

    private static readonly SphericalHarmonics Harmonics = new(MaxL);
    private static readonly Coupling[] Couplings = Degrees.Select(Coupling.Build).ToArray();

    public NeighbourKind Kind { get; }
    public override IReadOnlyList<FeatureColumn> Columns { get; }

    public BondOrientationalOrder(NeighbourKind kind)
    {
        Kind = kind;
        string sfx = Suffix(kind);
        string over = kind == NeighbourKind.Voronoi ? "Voronoi" : "distance";
        var cols = new List<FeatureColumn>(16);
        foreach (int l in Degrees)
            cols.Add(new($"q_{l}_{sfx}", $"Steinhardt q_{l} = sqrt(4pi/{2 * l + 1} sum_m |Q_{l}m|^2), Q_{l}m = mean of Y_{l}m over the {over} neighbours' bond directions"));
        foreach (int l in Degrees)
            cols.Add(new($"w_{l}_{sfx}", $"normalised Steinhardt w_{l}: Wigner-3j third-order invariant of Q_{l}m over (sum_m |Q_{l}m|^2)^(3/2) ({over} neighbours)"));
        foreach (int l in Degrees)
            cols.Add(new($"Coarse_grained_q_{l}_{sfx}", $"q_{l} of Q_{l}m averaged over the atom and its {over} neighbours (Lechner-Dellago)"));
        foreach (int l in Degrees)
            cols.Add(new($"Coarse_grained_w_{l}_{sfx}", $"normalised w_{l} of Q_{l}m averaged over the atom and its {over} neighbours (Lechner-Dellago)"));
        Columns = cols;
    }

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(Kind);
        bool amlearn = frame.Settings.AmlearnAzimuth;
        long[] ids = frame.Snapshot.Ids;
        int n = frame.AtomCount;
        var blocks = new double[checked(n * BlockDoubles)];
        Parallelism.MapChunks(n, 512, frame.Threads, (start, end) =>
        {
            for (int i = start; i < end; i++) LocalBlock(table, ids, i, amlearn, blocks.AsSpan(i * BlockDoubles, BlockDoubles));
            return 0;
        });

        return (atom, values) =>
        {
            var own = new ReadOnlySpan<double>(blocks, atom * BlockDoubles, BlockDoubles);
            Invariants(own, values[..4], values.Slice(4, 4));

            Span<double> bar = stackalloc double[BlockDoubles];
            own.CopyTo(bar);
            int[] index = table.Index;
            int s = table.Start(atom), e = table.End(atom);
            for (int k = s; k < e; k++) Add(bar, new ReadOnlySpan<double>(blocks, index[k] * BlockDoubles, BlockDoubles));
            double scale = 1.0 / (e - s + 1);
            for (int c = 0; c < BlockDoubles; c++) bar[c] *= scale;
            Invariants(bar, values.Slice(8, 4), values.Slice(12, 4));
        };
    }

    /// <summary>Q_lm(i) for l = 4..10 (even), m = 0..l, packed; zero for an atom without neighbours.</summary>
    private static void LocalBlock(NeighbourTable table, long[] ids, int atom, bool amlearn, Span<double> block)
    {
        int count = Harmonics.Count;
        Span<double> re = stackalloc double[count], im = stackalloc double[count];
        re.Clear(); im.Clear();
        int s = table.Start(atom), e = table.End(atom);
        var vectors = table.Vectors;
        for (int k = s; k < e; k++)
        {
            var v = vectors[k];
            if (v.X == 0 && v.Y == 0 && v.Z == 0)
                throw new InvalidOperationException($"atom {ids[atom]} and its neighbour {ids[table.Index[k]]} are at the same position: the bond has no direction");
            // amlearn's atan(r_y/r_x) with r = -v: the azimuth is shifted by pi (Y_lm times (-1)^m, i.e. Y_lm of the
            // vector rotated by pi about z) exactly when -v.X < 0.
            if (amlearn && v.X > 0) Harmonics.Accumulate(-v.X, -v.Y, v.Z, re, im);
            else Harmonics.Accumulate(v.X, v.Y, v.Z, re, im);
        }
        block.Clear();
        if (e == s) return;
        double inv = 1.0 / (e - s);
        for (int d = 0; d < Degrees.Length; d++)
        {
            int l = Degrees[d];
            for (int m = 0; m <= l; m++)
            {
                int src = SphericalHarmonics.Index(l, m), dst = 2 * (BlockOffset[d] + m);
                block[dst] = re[src] * inv;
                block[dst + 1] = im[src] * inv;
            }
        }
    }

    private static void Add(Span<double> sum, ReadOnlySpan<double> x)
    {
        int c = 0;
        if (Vector.IsHardwareAccelerated)
            for (; c + Vector<double>.Count <= sum.Length; c += Vector<double>.Count)
                (new Vector<double>(sum[c..]) + new Vector<double>(x[c..])).CopyTo(sum[c..]);
        for (; c < sum.Length; c++) sum[c] += x[c];
    }

    /// <summary>q_l and ŵ_l for l = 4, 6, 8, 10 from a packed block of Q_lm (m ≥ 0; Q_l,−m = (−1)^m conj Q_lm).</summary>
    private static void Invariants(ReadOnlySpan<double> block, Span<double> q, Span<double> w)
    {
        for (int d = 0; d < Degrees.Length; d++)
        {
            int l = Degrees[d];
            var qlm = block.Slice(2 * BlockOffset[d], 2 * (l + 1));
            double norm = qlm[0] * qlm[0] + qlm[1] * qlm[1];
            for (int m = 1; m <= l; m++) norm += 2 * (qlm[2 * m] * qlm[2 * m] + qlm[2 * m + 1] * qlm[2 * m + 1]);
            q[d] = Math.Sqrt(4 * Math.PI / (2 * l + 1) * norm);
            w[d] = norm > NegligibleNorm ? Couplings[d].Evaluate(qlm) / (norm * Math.Sqrt(norm)) : 0;
        }
    }

    /// <summary>
    /// The third-order invariant Re Σ_{m1+m2+m3=0} (l l l; m1 m2 m3) Q_m1 Q_m2 Q_m3 of one degree, reduced by
    /// symmetry to the terms W_abc Re(conj(Q_a) Q_b Q_c) with a = b + c, 0 ≤ b ≤ c: for even l the 3j symbol is
    /// symmetric under permutations and under m → −m, so each term stands for its permutations (×1, 3 or 6) and,
    /// when b &gt; 0, for the negated triple too (×2); Q_−a = (−1)^a conj(Q_a) gives the sign.
    /// </summary>
    private sealed class Coupling
    {
        private readonly int[] _a, _b, _c;
        private readonly double[] _weight;

        private Coupling(int[] a, int[] b, int[] c, double[] weight) { _a = a; _b = b; _c = c; _weight = weight; }

        public static Coupling Build(int l)
        {
            var a = new List<int>(); var b = new List<int>(); var c = new List<int>(); var weight = new List<double>();
            for (int mb = 0; 2 * mb <= l; mb++)
            for (int mc = mb; mb + mc <= l; mc++)
            {
                int ma = mb + mc;
                double symbol = Wigner3j.Symbol(l, l, l, -ma, mb, mc);
                if (symbol == 0) continue;
                int permutations = ma == 0 ? 1 : mb == mc ? 3 : 6;
                int conjugates = mb > 0 ? 2 : 1;
                int sign = (ma & 1) == 0 ? 1 : -1;
                a.Add(ma); b.Add(mb); c.Add(mc); weight.Add(sign * permutations * conjugates * symbol);
            }
            return new Coupling(a.ToArray(), b.ToArray(), c.ToArray(), weight.ToArray());
        }

        /// <summary>The invariant of one degree's Q_lm, m = 0..l, interleaved (re, im).</summary>
        public double Evaluate(ReadOnlySpan<double> qlm)
        {
            double sum = 0;
            for (int t = 0; t < _weight.Length; t++)
            {
                int a = 2 * _a[t], b = 2 * _b[t], c = 2 * _c[t];
                double br = qlm[b], bi = qlm[b + 1], cr = qlm[c], ci = qlm[c + 1];
                double bcr = br * cr - bi * ci, bci = br * ci + bi * cr;
                // Re(conj(Q_a) * (Q_b Q_c))
                sum += _weight[t] * (qlm[a] * bcr + qlm[a + 1] * bci);
            }
            return sum;
        }
    }
}
