using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// What the Behler–Parrinello radial and angular symmetry functions (descriptor-spec.md B.13) share: a fixed number
/// of atom types (the columns must be known before a frame is bound), an inclusive distance cutoff with no cutoff
/// function, σ_AA = 2·R_miracle(reference element), 3-decimal invariant-culture column names, and per-thread
/// scratch space so that the per-atom kernels do not allocate.
/// </summary>
/// <remarks>
/// Neighbours are the atoms j ≠ i with minimum-image distance r_ij ≤ <see cref="Cutoff"/> (inclusive, as in the
/// reference). The frame's neighbour lists are strict (d &lt; cutoff), so the descriptors ask for the list at the
/// next double above the cutoff and keep the entries whose stored distance is ≤ the cutoff.
/// </remarks>
public abstract class SymmetryFunctions : Descriptor
{
    /// <summary>Lanes of the SIMD vectors the kernels use.</summary>
    private protected static readonly int Lanes = Vector<double>.Count;

    /// <summary>Atom types 1..TypeCount get columns; a frame with a larger type cannot be bound.</summary>
    public int TypeCount { get; }

    /// <summary>Neighbours are the atoms at distance ≤ this (A). There is no cutoff function.</summary>
    public double Cutoff { get; }

    private protected SymmetryFunctions(int typeCount, double cutoff)
    {
        if (typeCount < 1) throw new ArgumentOutOfRangeException(nameof(typeCount), "there must be at least one atom type");
        if (!(cutoff > 0) || double.IsInfinity(cutoff)) throw new ArgumentOutOfRangeException(nameof(cutoff), "the cutoff must be positive and finite");
        TypeCount = typeCount; Cutoff = cutoff;
    }

    /// <summary>σ_AA = 2·R_miracle of the reference element (amlearn's <c>default_from_system</c>).</summary>
    public static double Sigma(Element reference)
    {
        if (double.IsNaN(reference.MiracleRadius) || !(reference.MiracleRadius > 0))
            throw new ArgumentException($"{reference.Symbol} has no Miracle radius; give the reference radius explicitly");
        return SigmaFromRadius(reference.MiracleRadius);
    }

    /// <summary>σ_AA = 2·radius, in the reference's order of operations.</summary>
    private protected static double SigmaFromRadius(double referenceRadius)
    {
        if (!(referenceRadius > 0) || double.IsInfinity(referenceRadius))
            throw new ArgumentOutOfRangeException(nameof(referenceRadius), "the reference radius must be positive and finite");
        return referenceRadius * 2;
    }

    /// <summary>The reference element: the one given, else the element of type 1.</summary>
    private protected static Element ReferenceOf(ElementMap elements, Element? reference) => reference ?? elements[1]!;

    /// <summary>The default cutoff 2.5·σ_AA.</summary>
    private protected static double DefaultCutoff(double sigma) => 2.5 * sigma;

    /// <summary>A number as in the reference's column names (Python "{:.3f}").</summary>
    private protected static string F3(double x) => x.ToString("F3", CultureInfo.InvariantCulture);

    private protected static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>Checks the frame's types fit the columns and returns its neighbour list covering the inclusive cutoff.</summary>
    private protected NeighbourList BindNeighbours(FrameContext frame)
    {
        var types = frame.Snapshot.Types;
        for (int i = 0; i < types.Length; i++)
            if (types[i] < 1 || types[i] > TypeCount)
                throw new ArgumentException(
                    $"atom {frame.Snapshot.Ids[i]} has type {types[i]}, but these symmetry functions were set up for types 1..{TypeCount}");
        // the list is strict (d < cutoff): one ulp more covers d == Cutoff, and Within() trims back to d <= Cutoff
        return frame.WithinCutoff(Math.BitIncrement(Cutoff));
    }

    /// <summary>The number of an atom's neighbours at distance ≤ the cutoff (lists are sorted by distance).</summary>
    private protected int Within(NeighbourList list, int atom)
    {
        int start = list.Offsets[atom], end = list.Offsets[atom + 1];
        while (end > start && list.Distances[end - 1] > Cutoff) end--;
        return end - start;
    }

    private protected static int RoundUpToLanes(int n) => (n + Lanes - 1) / Lanes * Lanes;

    /// <summary>Per-thread scratch arrays, grown on demand and reused for every atom the thread computes.</summary>
    private protected sealed class Scratch
    {
        private static readonly ThreadLocal<Scratch> PerThread = new(() => new Scratch());
        public static Scratch Current => PerThread.Value!;

        public double[] Radial = [];    // radial: per-type sums, padded to whole vectors
        public double[] X = [], Y = [], Z = [], InvR = [], Gauss = [], Weight = [], Angle = [];
        public int[] Segment = [], Fill = [];

        public static T[] Ensure<T>(ref T[] array, int length)
        {
            if (array.Length < length) array = new T[Math.Max(length, 2 * array.Length)];
            return array;
        }
    }
}

/// <summary>
/// Behler–Parrinello radial symmetry functions (descriptor-spec.md B.13):
/// G_{t,n}(i) = Σ_{j of type t, r_ij ≤ r_cut} exp(−(r_ij − nΔr)²/(2Δr²)), n = 0 … n_r − 1, the Gaussian width equal
/// to the grid spacing. Columns <c>{t}_{nΔr:F3}</c>, type-major (all n of type 1, then type 2, …).
/// </summary>
public sealed class RadialSymmetryFunctions : SymmetryFunctions
{
    private readonly FeatureColumn[] _columns;

    /// <summary>Grid spacing and Gaussian width Δr (A).</summary>
    public double DeltaR { get; }

    /// <summary>Number of centres n_r per type.</summary>
    public int CentreCount { get; }

    public override IReadOnlyList<FeatureColumn> Columns => _columns;

    public RadialSymmetryFunctions(int typeCount, double deltaR, int centreCount, double cutoff) : base(typeCount, cutoff)
    {
        if (!(deltaR > 0) || double.IsInfinity(deltaR)) throw new ArgumentOutOfRangeException(nameof(deltaR), "Δr must be positive and finite");
        if (centreCount < 1) throw new ArgumentOutOfRangeException(nameof(centreCount), "there must be at least one centre");
        DeltaR = deltaR; CentreCount = centreCount;
        _columns = new FeatureColumn[typeCount * centreCount];
        for (int t = 1; t <= typeCount; t++)
            for (int n = 0; n < centreCount; n++)
            {
                double centre = Centre(n);
                _columns[(t - 1) * centreCount + n] = new FeatureColumn($"{t}_{F3(centre)}",
                    $"BP radial: sum over type-{t} neighbours within {G(cutoff)} A of exp(-(r - {G(centre)})^2 / (2*{G(deltaR)}^2))");
            }
    }

    /// <summary>
    /// amlearn's <c>default_from_system</c>: σ = 2·R_miracle(reference, default the element of type 1),
    /// Δr = deltaR·σ, r_cut = 2.5σ (Cu: σ = 2.52, Δr = 0.252, r_cut = 6.3).
    /// </summary>
    public static RadialSymmetryFunctions FromSystem(ElementMap elements, Element? reference = null, double deltaR = 0.1, int centreCount = 50) =>
        Create(elements.TypeCount, Sigma(ReferenceOf(elements, reference)), deltaR, centreCount);

    /// <summary>As <see cref="FromSystem(ElementMap, Element?, double, int)"/> from a type count and the reference atom's radius.</summary>
    public static RadialSymmetryFunctions FromSystem(int typeCount, double referenceRadius, double deltaR = 0.1, int centreCount = 50) =>
        Create(typeCount, SigmaFromRadius(referenceRadius), deltaR, centreCount);

    private static RadialSymmetryFunctions Create(int typeCount, double sigma, double deltaR, int centreCount) =>
        new(typeCount, sigma * deltaR, centreCount, DefaultCutoff(sigma));

    private double Centre(int n) => n * DeltaR;

    public override AtomKernel Bind(FrameContext frame)
    {
        var list = BindNeighbours(frame);
        var types = frame.Snapshot.Types;
        int nr = CentreCount, padded = RoundUpToLanes(nr), vectors = padded / Lanes, width = TypeCount * padded;
        var centres = new double[padded];
        for (int n = 0; n < padded; n++) centres[n] = Centre(n); // the padding centres are computed and dropped
        var scale = new Vector<double>(-1 / (2 * DeltaR * DeltaR));

        return (atom, values) =>
        {
            var acc = Scratch.Ensure(ref Scratch.Current.Radial, width).AsSpan(0, width);
            acc.Clear();
            var accV = MemoryMarshal.Cast<double, Vector<double>>(acc);
            var centreV = MemoryMarshal.Cast<double, Vector<double>>(centres.AsSpan());
            int start = list.Offsets[atom], end = start + Within(list, atom);
            for (int k = start; k < end; k++)
            {
                var row = accV.Slice((types[list.Index[k]] - 1) * vectors, vectors);
                var r = new Vector<double>(list.Distances[k]);
                for (int c = 0; c < vectors; c++)
                {
                    var x = r - centreV[c];
                    row[c] += Vector.Exp(x * x * scale);
                }
            }
            for (int t = 0; t < TypeCount; t++) acc.Slice(t * padded, nr).CopyTo(values.Slice(t * nr, nr));
        };
    }
}

/// <summary>
/// Behler–Parrinello angular symmetry functions as amlearn defines them (descriptor-spec.md B.13): for each
/// parameter set p = (ξ, λ, ζ) and type pair t1 ≤ t2,
/// G(i) = Σ_pairs exp(−(r_ij² + r_ik² + r_jk²)/ξ²)·(1 + λ cos θ_jik)^ζ over the pairs j &lt; k when t1 = t2 and all
/// (j of t1, k of t2) otherwise, j and k within the cutoff of i (r_jk not cut), with no cutoff function and no
/// 2^{1−ζ} factor. Columns <c>{t1}_{t2}_{ξ:F3}_{λ:F3}_{ζ:F3}</c>, pair-major: every parameter set of (1,1), then
/// (1,2), …, (2,2), … (combinations with replacement).
/// </summary>
/// <remarks>
/// r_jk is the side of the triangle i, j, k (|r_k − r_j| for the images of j and k that neighbour i), so values do not
/// depend on the cell size; <see cref="AmlearnMinimumImage"/> reproduces amlearn in cells narrower than 4·r_cut.
/// λ must lie in [−1, 1] (Behler's λ = ±1) and ζ ≥ 0, so that 1 + λ cos θ ≥ 0 (cos θ is clamped to [−1, 1]).
/// Cost O(M²) per atom for M neighbours, with no limit on M: the Gaussian factorises,
/// exp(−(a+b+c)/ξ²) = e_a·e_b·e_c, so only the r_jk factor needs an exponential per pair, one per distinct ξ (7 for
/// the paper's 22 sets); cos θ comes from dot products, an integer ζ from repeated squaring, any other ζ from
/// exp(ζ·ln(1 + λ cos θ)).
/// </remarks>
public sealed class AngularSymmetryFunctions : SymmetryFunctions
{
    /// <summary>One parameter set: ξ (A) &gt; 0, λ in [−1, 1], ζ ≥ 0.</summary>
    public readonly record struct ParameterSet(double Xi, double Lambda, double Zeta);

    /// <summary>
    /// The 22 (ξ in units of σ_AA, λ, ζ) sets of amlearn's scripts/featurize_bp_symmfunc.py (descriptor-spec.md B.13).
    /// </summary>
    public static IReadOnlyList<ParameterSet> PaperParameters { get; } =
    [
        new(14.633, -1, 1), new(14.633, 1, 1), new(14.638, -1, 2), new(14.638, 1, 2),
        new(2.554, -1, 1), new(2.554, 1, 1), new(2.554, -1, 2), new(2.554, 1, 2),
        new(1.648, 1, 1), new(1.648, 1, 2),
        new(1.204, 1, 1), new(1.204, 1, 2), new(1.204, 1, 4), new(1.204, 1, 16),
        new(0.933, 1, 1), new(0.933, 1, 2), new(0.933, 1, 4), new(0.933, 1, 16),
        new(0.695, 1, 1), new(0.695, 1, 2), new(0.695, 1, 4), new(0.695, 1, 16),
    ];

    private readonly FeatureColumn[] _columns;
    private readonly ParameterSet[] _parameters;

    public IReadOnlyList<ParameterSet> Parameters => _parameters;
    public override IReadOnlyList<FeatureColumn> Columns => _columns;

    /// <summary>Number of type pairs t1 ≤ t2.</summary>
    public int PairCount => TypeCount * (TypeCount + 1) / 2;

    /// <summary>
    /// amlearn compatibility: r_jk is the minimum-image distance between j and k (amlearn recomputes it from the
    /// wrapped coordinates) instead of the distance between the images of j and k that neighbour i. The two differ
    /// only when a periodic cell width is below 4·r_cut (|r_k − r_j| can reach 2·r_cut); the reference's 500-atom
    /// glass (L = 20.1 A, r_cut = 6.3 A) is such a cell. The minimum image is amlearn's single reduction of each
    /// fractional component (exact in orthogonal cells; amlearn supports no others).
    /// </summary>
    public bool AmlearnMinimumImage { get; }

    public AngularSymmetryFunctions(int typeCount, IEnumerable<ParameterSet> parameters, double cutoff, bool amlearnMinimumImage = false)
        : base(typeCount, cutoff)
    {
        AmlearnMinimumImage = amlearnMinimumImage;
        _parameters = parameters.ToArray();
        if (_parameters.Length == 0) throw new ArgumentException("at least one parameter set is needed", nameof(parameters));
        foreach (var p in _parameters)
        {
            if (!(p.Xi > 0) || double.IsInfinity(p.Xi)) throw new ArgumentOutOfRangeException(nameof(parameters), $"ξ = {p.Xi} must be positive and finite");
            if (!(Math.Abs(p.Lambda) <= 1)) throw new ArgumentOutOfRangeException(nameof(parameters), $"λ = {p.Lambda} must lie in [-1, 1] (so that 1 + λ cos θ >= 0)");
            if (!(p.Zeta >= 0) || double.IsInfinity(p.Zeta)) throw new ArgumentOutOfRangeException(nameof(parameters), $"ζ = {p.Zeta} must be non-negative and finite");
        }
        var cols = new List<FeatureColumn>(PairCount * _parameters.Length);
        for (int t1 = 1; t1 <= typeCount; t1++)
            for (int t2 = t1; t2 <= typeCount; t2++)
                foreach (var p in _parameters)
                    cols.Add(new FeatureColumn($"{t1}_{t2}_{F3(p.Xi)}_{F3(p.Lambda)}_{F3(p.Zeta)}",
                        $"BP angular: sum over pairs of a type-{t1} and a type-{t2} neighbour within {G(cutoff)} A of " +
                        $"exp(-(r_ij^2+r_ik^2+r_jk^2)/{G(p.Xi)}^2) * (1 + {G(p.Lambda)} cos theta_jik)^{G(p.Zeta)}"));
        _columns = cols.ToArray();
    }

    /// <summary>
    /// amlearn's <c>default_from_system</c>: σ = 2·R_miracle(reference, default the element of type 1), ξ = ξ_σ·σ for
    /// each set (default <see cref="PaperParameters"/>), r_cut = 2.5σ.
    /// </summary>
    public static AngularSymmetryFunctions FromSystem(ElementMap elements, Element? reference = null,
        IEnumerable<ParameterSet>? parametersInSigma = null, bool amlearnMinimumImage = false) =>
        Create(elements.TypeCount, Sigma(ReferenceOf(elements, reference)), parametersInSigma, amlearnMinimumImage);

    /// <summary>As <see cref="FromSystem(ElementMap, Element?, IEnumerable{ParameterSet}?, bool)"/> from a type count and the reference atom's radius.</summary>
    public static AngularSymmetryFunctions FromSystem(int typeCount, double referenceRadius,
        IEnumerable<ParameterSet>? parametersInSigma = null, bool amlearnMinimumImage = false) =>
        Create(typeCount, SigmaFromRadius(referenceRadius), parametersInSigma, amlearnMinimumImage);

    private static AngularSymmetryFunctions Create(int typeCount, double sigma, IEnumerable<ParameterSet>? parametersInSigma, bool amlearnMinimumImage) =>
        new(typeCount, (parametersInSigma ?? PaperParameters).Select(p => p with { Xi = p.Xi * sigma }), DefaultCutoff(sigma), amlearnMinimumImage);

    public override AtomKernel Bind(FrameContext frame) =>
        new Kernel(this, BindNeighbours(frame), frame.Snapshot, AmlearnMinimumImage || frame.Settings.AmlearnTripletMinimumImage).Compute;

    /// <summary>
    /// The per-atom computation, with the parameters reduced to distinct ξ and distinct (λ, ζ). Per atom: the
    /// neighbours are grouped by type (structure of arrays) with e_j = exp(−r_ij²/ξ²) per distinct ξ; then for each
    /// type pair the pairs are streamed row by row (fixed j, a contiguous run of k, Lanes pairs at a time) into
    /// per-pair weights W_ξ = e_j e_k exp(−r_jk²/ξ²) and angular factors A_λζ = (1 + λ cos θ)^ζ, a chunk of pairs
    /// at a time, and each column is the dot product of its W and A.
    /// </summary>
    private sealed class Kernel
    {
        /// <summary>Pairs per chunk (at least one row): the chunk's W and A stay in cache.</summary>
        private const int ChunkPairs = 512;

        private readonly AngularSymmetryFunctions _d;
        private readonly NeighbourList _list;
        private readonly int[] _types;
        private readonly int _typeCount, _parameterCount;
        private readonly double[] _negInvXi2;          // −1/ξ² per distinct ξ
        private readonly double[] _lambda;             // per distinct (λ, ζ)
        private readonly double[] _zeta;
        private readonly int[] _integerZeta;           // ζ as an int, or −1 when not an integer
        private readonly int[] _xiOf, _angleOf;        // per parameter set: its distinct ξ and (λ, ζ)
        private readonly Quad[] _quads;                // the parameter sets in fours sharing a ξ
        private readonly int[] _pairBlock;             // [t1 * T + t2] (0-based, t1 ≤ t2): first column of the pair
        private readonly bool _wrap;                   // r_jk by minimum image (amlearn compatibility, small cells only)
        private readonly bool[] _periodic;
        private readonly double _lx, _ly, _lz, _xy, _xz, _yz;

        public Kernel(AngularSymmetryFunctions d, NeighbourList list, Snapshot snapshot, bool amlearnMinimumImage)
        {
            _d = d; _list = list; _types = snapshot.Types; _typeCount = d.TypeCount;
            var cell = snapshot.Cell;
            _periodic = [cell.Periodic[0], cell.Periodic[1], cell.Periodic[2]];
            // |r_k − r_j| <= 2 r_cut: its minimum image can only differ when 2 r_cut exceeds half a periodic width
            _wrap = amlearnMinimumImage && Enumerable.Range(0, 3).Any(a => cell.Periodic[a] && 4 * d.Cutoff >= cell.PerpendicularWidth(a));
            _lx = cell.Lx; _ly = cell.Ly; _lz = cell.Lz; _xy = cell.Xy; _xz = cell.Xz; _yz = cell.Yz;
            var ps = d._parameters;
            _parameterCount = ps.Length;
            var xis = ps.Select(p => p.Xi).Distinct().ToArray();
            var angles = ps.Select(p => (p.Lambda, p.Zeta)).Distinct().ToArray();
            _negInvXi2 = xis.Select(x => -1 / (x * x)).ToArray();
            _lambda = angles.Select(a => a.Lambda).ToArray();
            _zeta = angles.Select(a => a.Zeta).ToArray();
            _integerZeta = angles.Select(a => a.Zeta == Math.Floor(a.Zeta) && a.Zeta <= int.MaxValue ? (int)a.Zeta : -1).ToArray();
            _xiOf = ps.Select(p => Array.IndexOf(xis, p.Xi)).ToArray();
            _angleOf = ps.Select(p => Array.IndexOf(angles, (p.Lambda, p.Zeta))).ToArray();
            _quads = Quads(_xiOf, _angleOf);
            int t = d.TypeCount;
            _pairBlock = new int[t * t];
            for (int t1 = 0, b = 0; t1 < t; t1++)
                for (int t2 = t1; t2 < t; t2++, b++) _pairBlock[t1 * t + t2] = b * _parameterCount;
        }

        public void Compute(int atom, Span<double> values)
        {
            values.Clear();
            int start = _list.Offsets[atom], m = _d.Within(_list, atom);
            if (m < 2) return;
            int nt = _typeCount, nxi = _negInvXi2.Length, nang = _lambda.Length;
            var ws = Scratch.Current;
            int stride = RoundUpToLanes(m) + Lanes; // a row's last vector may read up to Lanes − 1 past m: zeros
            var x = Scratch.Ensure(ref ws.X, stride); var y = Scratch.Ensure(ref ws.Y, stride);
            var z = Scratch.Ensure(ref ws.Z, stride); var invR = Scratch.Ensure(ref ws.InvR, stride);
            var gauss = Scratch.Ensure(ref ws.Gauss, nxi * stride);
            var segment = Scratch.Ensure(ref ws.Segment, nt + 1);
            var fill = Scratch.Ensure(ref ws.Fill, nt);

            // neighbours grouped by type (stable counting sort): type t (0-based) at [segment[t], segment[t + 1])
            Array.Clear(segment, 0, nt + 1);
            for (int k = start; k < start + m; k++) segment[_types[_list.Index[k]]]++;
            for (int t = 0; t < nt; t++) { segment[t + 1] += segment[t]; fill[t] = segment[t]; }
            var r2 = gauss.AsSpan(0, stride); // r_ij², then e_j for the first ξ in place
            for (int k = start; k < start + m; k++)
            {
                int at = fill[_types[_list.Index[k]] - 1]++;
                var v = _list.Vectors[k];
                double r = _list.Distances[k];
                x[at] = v.X; y[at] = v.Y; z[at] = v.Z; invR[at] = 1 / r; r2[at] = r * r;
            }
            for (int p = m; p < stride; p++) { x[p] = 0; y[p] = 0; z[p] = 0; invR[p] = 0; }

            // e_j = exp(−r_ij²/ξ²) per distinct ξ, zero in the padding
            var gaussV = MemoryMarshal.Cast<double, Vector<double>>(gauss.AsSpan(0, nxi * stride));
            int rowVectors = stride / Lanes;
            for (int xi = nxi - 1; xi >= 0; xi--) // the last first: row 0 holds r² until then
            {
                var s = new Vector<double>(_negInvXi2[xi]);
                var row = gaussV.Slice(xi * rowVectors, rowVectors);
                for (int c = 0; c < rowVectors; c++) row[c] = Vector.Exp(gaussV[c] * s);
                gauss.AsSpan(xi * stride + m, stride - m).Clear();
            }

            int capacity = Math.Max(ChunkPairs, RoundUpToLanes(m)), chunkStride = capacity + Lanes;
            var weight = Scratch.Ensure(ref ws.Weight, nxi * chunkStride);
            var angle = Scratch.Ensure(ref ws.Angle, nang * chunkStride);
            var pairs = new Chunk(weight, angle, chunkStride);
            for (int t1 = 0; t1 < nt; t1++)
                for (int t2 = t1; t2 < nt; t2++)
                {
                    var output = values.Slice(_pairBlock[t1 * nt + t2], _parameterCount);
                    int filled = 0;
                    for (int j = segment[t1]; j < segment[t1 + 1]; j++)
                    {
                        int k0 = t2 == t1 ? j + 1 : segment[t2], k1 = segment[t2 + 1];
                        if (k0 >= k1) continue;
                        if (filled + (k1 - k0) > capacity) { Flush(pairs, filled, output); filled = 0; }
                        Row(j, k0, k1, filled, stride, x, y, z, invR, gauss, pairs);
                        filled += k1 - k0;
                    }
                    Flush(pairs, filled, output);
                }
        }

        /// <summary>Per-pair weights W (rows of distinct ξ) and angular factors A (rows of distinct (λ, ζ)).</summary>
        private readonly record struct Chunk(double[] Weight, double[] Angle, int Stride);

        /// <summary>
        /// Writes W and A of the pairs (j, k), k0 ≤ k &lt; k1, at chunk positions from <paramref name="at"/>. The last
        /// vector spills up to Lanes − 1 values past the row: the next row overwrites them, <see cref="Flush"/>
        /// clears them.
        /// </summary>
        private void Row(int j, int k0, int k1, int at, int stride, double[] x, double[] y, double[] z, double[] invR,
            double[] gauss, Chunk chunk)
        {
            var xj = new Vector<double>(x[j]); var yj = new Vector<double>(y[j]); var zj = new Vector<double>(z[j]);
            var invRj = new Vector<double>(invR[j]);
            var one = Vector<double>.One;
            for (int k = k0, o = at; k < k1; k += Lanes, o += Lanes)
            {
                var xk = Load(x, k); var yk = Load(y, k); var zk = Load(z, k);
                var dx = xk - xj; var dy = yk - yj; var dz = zk - zj;
                if (_wrap) MinimumImage(ref dx, ref dy, ref dz);
                var rjk2 = dx * dx + dy * dy + dz * dz;
                var cos = Vector.Min(one, Vector.Max(-one, (xj * xk + yj * yk + zj * zk) * invRj * Load(invR, k)));
                for (int xi = 0; xi < _negInvXi2.Length; xi++)
                {
                    var ejk = new Vector<double>(gauss[xi * stride + j]) * Load(gauss, xi * stride + k);
                    Store(ejk * Vector.Exp(rjk2 * new Vector<double>(_negInvXi2[xi])), chunk.Weight, xi * chunk.Stride + o);
                }
                for (int a = 0; a < _lambda.Length; a++)
                {
                    var b = one + new Vector<double>(_lambda[a]) * cos; // in [0, 2] as |λ| <= 1
                    Store(_integerZeta[a] >= 0 ? Power(b, _integerZeta[a]) : Vector.Exp(new Vector<double>(_zeta[a]) * Vector.Log(b)),
                        chunk.Angle, a * chunk.Stride + o);
                }
            }
        }

        /// <summary>
        /// Adds Σ_pairs W_ξ·A_λζ over the chunk's first <paramref name="n"/> pairs to each column, four columns of one
        /// ξ at a time (one pass over W_ξ, four independent sums).
        /// </summary>
        private void Flush(Chunk chunk, int n, Span<double> output)
        {
            if (n == 0) return;
            int vectors = (n + Lanes - 1) / Lanes, tail = vectors * Lanes - n;
            for (int xi = 0; xi < _negInvXi2.Length; xi++) chunk.Weight.AsSpan(xi * chunk.Stride + n, tail).Clear();
            for (int a = 0; a < _lambda.Length; a++) chunk.Angle.AsSpan(a * chunk.Stride + n, tail).Clear();
            var w = MemoryMarshal.Cast<double, Vector<double>>(chunk.Weight.AsSpan());
            var f = MemoryMarshal.Cast<double, Vector<double>>(chunk.Angle.AsSpan());
            int rowVectors = chunk.Stride / Lanes;
            foreach (var q in _quads)
            {
                var wq = w.Slice(q.Xi * rowVectors, vectors);
                var f0 = f.Slice(q.A0 * rowVectors, vectors); var f1 = f.Slice(q.A1 * rowVectors, vectors);
                var f2 = f.Slice(q.A2 * rowVectors, vectors); var f3 = f.Slice(q.A3 * rowVectors, vectors);
                Vector<double> s0 = default, s1 = default, s2 = default, s3 = default;
                for (int v = 0; v < wq.Length; v++)
                {
                    var wv = wq[v];
                    s0 += wv * f0[v]; s1 += wv * f1[v]; s2 += wv * f2[v]; s3 += wv * f3[v];
                }
                output[q.P0] += Vector.Sum(s0);
                if (q.P1 >= 0) output[q.P1] += Vector.Sum(s1);
                if (q.P2 >= 0) output[q.P2] += Vector.Sum(s2);
                if (q.P3 >= 0) output[q.P3] += Vector.Sum(s3);
            }
        }

        /// <summary>Up to four columns sharing a ξ: their angular rows and column indices (P &lt; 0: unused, A repeats A0).</summary>
        private readonly record struct Quad(int Xi, int A0, int A1, int A2, int A3, int P0, int P1, int P2, int P3);

        private static Quad[] Quads(int[] xiOf, int[] angleOf)
        {
            var quads = new List<Quad>();
            foreach (var group in Enumerable.Range(0, xiOf.Length).GroupBy(p => xiOf[p]))
                foreach (var chunk in group.Chunk(4))
                {
                    int P(int k) => k < chunk.Length ? chunk[k] : -1;
                    int A(int k) => angleOf[k < chunk.Length ? chunk[k] : chunk[0]];
                    quads.Add(new Quad(group.Key, A(0), A(1), A(2), A(3), P(0), P(1), P(2), P(3)));
                }
            return quads.ToArray();
        }

        /// <summary>
        /// amlearn's minimum image: each periodic fractional component reduced once, the cell vectors subtracted
        /// (in an orthogonal cell d_x − n·L_x, as amlearn computes it).
        /// </summary>
        private void MinimumImage(ref Vector<double> dx, ref Vector<double> dy, ref Vector<double> dz)
        {
            var sz = dz / new Vector<double>(_lz);
            var sy = (dy - new Vector<double>(_yz) * sz) / new Vector<double>(_ly);
            var sx = (dx - new Vector<double>(_xy) * sy - new Vector<double>(_xz) * sz) / new Vector<double>(_lx);
            var nx = _periodic[0] ? Vector.Round(sx) : Vector<double>.Zero;
            var ny = _periodic[1] ? Vector.Round(sy) : Vector<double>.Zero;
            var nz = _periodic[2] ? Vector.Round(sz) : Vector<double>.Zero;
            dx -= nx * new Vector<double>(_lx) + ny * new Vector<double>(_xy) + nz * new Vector<double>(_xz);
            dy -= ny * new Vector<double>(_ly) + nz * new Vector<double>(_yz);
            dz -= nz * new Vector<double>(_lz);
        }

        // Unchecked vector access: every index is within the padded scratch sizes set in Compute.
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static Vector<double> Load(double[] a, int at)
        {
            Debug.Assert(at >= 0 && at + Lanes <= a.Length);
            return Vector.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)at);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static void Store(Vector<double> v, double[] a, int at)
        {
            Debug.Assert(at >= 0 && at + Lanes <= a.Length);
            v.StoreUnsafe(ref MemoryMarshal.GetArrayDataReference(a), (nuint)at);
        }

        /// <summary>b^n by repeated squaring (b^0 = 1).</summary>
        private static Vector<double> Power(Vector<double> b, int n)
        {
            var r = Vector<double>.One;
            while (true)
            {
                if ((n & 1) != 0) r *= b;
                n >>= 1;
                if (n == 0) return r;
                b *= b;
            }
        }
    }
}
