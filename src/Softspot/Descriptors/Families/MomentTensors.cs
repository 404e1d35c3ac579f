using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// The contraction tree of a moment tensor potential in MLIP's convention (Shapeev, Multiscale Model. Simul. 14, 1153,
/// 2016; Novikov et al., Mach. Learn.: Sci. Technol. 2, 025002, 2021). Moments are numbered 0 … MomentCount − 1:
/// <list type="bullet">
/// <item>basic moment m (<see cref="Basic"/>, <c>alpha_index_basic</c> {μ, a, b, c}) is one Cartesian component of
/// the moment tensor M_{μ,ν}, ν = a + b + c: Σ_j f_μ(r_ij) (x_ij/r_ij)^a (y_ij/r_ij)^b (z_ij/r_ij)^c;</item>
/// <item>every <see cref="Products"/> entry (<c>alpha_index_times</c> {i, j, k, t}) adds k·moment_i·moment_j to moment t,
/// in order: the components of the contractions of moment tensors;</item>
/// <item>the scalar basis functions B_1 … B_n (<see cref="Scalars"/>, <c>alpha_moment_mapping</c>) are the listed
/// moments, in MLIP's order.</item>
/// </list>
/// </summary>
public sealed class MomentTensorBasis
{
    /// <summary>A basic moment: radial function μ, powers a, b, c of the unit bond vector's components.</summary>
    public readonly record struct BasicMoment(int Mu, int A, int B, int C)
    {
        /// <summary>ν = a + b + c, the rank of the moment tensor it is a component of.</summary>
        public int Rank => A + B + C;
    }

    /// <summary>moment[Target] += Multiplicity · moment[Left] · moment[Right].</summary>
    public readonly record struct Product(int Left, int Right, int Multiplicity, int Target);

    private readonly BasicMoment[] _basic;
    private readonly Product[] _products;
    private readonly int[] _scalars, _levels;

    /// <summary>Bonds are evaluated in blocks of this many (a multiple of every SIMD width), their monomials side by side.</summary>
    internal const int Block = 16;

    // the monomials x^a y^b z^c of the unit bond vector, a + b + c <= MaxRank: monomial q > 0 is monomial
    // _monoParent[q] times component _monoAxis[q]; basic moment m is f_{_basicMu[m]} times monomial _basicMono[m]
    private readonly int[] _monoParent, _monoAxis, _basicMu, _basicMono;
    // the products as arrays, in runs of consecutive products with one target (_runStart[k] .. _runStart[k+1] - 1)
    private readonly int[] _left, _right, _runTarget, _runStart;
    private readonly double[] _multiplicity;

    /// <summary>The number of distinct monomials of the basic moments' components (165 for rank 8).</summary>
    internal int MonomialCount => _monoParent.Length;

    /// <summary>The number of moments (basic ones first, then the contraction components).</summary>
    public int MomentCount { get; }

    /// <summary>The basic moments, numbered 0 … Basic.Count − 1.</summary>
    public IReadOnlyList<BasicMoment> Basic => _basic;

    /// <summary>The products, applied in order.</summary>
    public IReadOnlyList<Product> Products => _products;

    /// <summary>The moment of each scalar basis function B_1 … B_n.</summary>
    public IReadOnlyList<int> Scalars => _scalars;

    /// <summary>Radial functions used: the largest μ + 1.</summary>
    public int RadialFunctionCount { get; }

    /// <summary>The largest rank ν of a basic moment.</summary>
    public int MaxRank { get; }

    /// <summary>
    /// The level of each moment: 2 + 4μ + ν for a basic moment, the sum of its factors' levels for a contraction (the
    /// largest, should the products disagree). MLIP's level-L basis holds scalars of level ≤ L only (one contraction
    /// of each kind, not every one).
    /// </summary>
    public IReadOnlyList<int> Levels => _levels;

    /// <summary>A tree from MLIP's tables.</summary>
    /// <exception cref="ArgumentException">An index is out of range, or a product writes a basic moment.</exception>
    public MomentTensorBasis(int momentCount, IEnumerable<BasicMoment> basic, IEnumerable<Product> products, IEnumerable<int> scalars)
    {
        _basic = [.. basic]; _products = [.. products]; _scalars = [.. scalars];
        MomentCount = momentCount;
        if (_basic.Length == 0 || _basic.Length > momentCount)
            throw new ArgumentException($"{_basic.Length} basic moments for {momentCount} moments");
        foreach (var b in _basic)
            if (b.Mu < 0 || b.A < 0 || b.B < 0 || b.C < 0) throw new ArgumentException($"basic moment {b} has a negative index");
        foreach (var p in _products)
        {
            if (p.Left < 0 || p.Left >= momentCount || p.Right < 0 || p.Right >= momentCount || p.Target >= momentCount)
                throw new ArgumentException($"product {p} names a moment outside 0..{momentCount - 1}");
            if (p.Target < _basic.Length) throw new ArgumentException($"product {p} writes a basic moment");
        }
        foreach (int s in _scalars)
            if (s < 0 || s >= momentCount) throw new ArgumentException($"scalar moment {s} is outside 0..{momentCount - 1}");
        RadialFunctionCount = _basic.Max(b => b.Mu) + 1;
        MaxRank = _basic.Max(b => b.Rank);
        _levels = new int[momentCount];
        for (int m = 0; m < _basic.Length; m++) _levels[m] = 2 + 4 * _basic[m].Mu + _basic[m].Rank;
        foreach (var p in _products) _levels[p.Target] = Math.Max(_levels[p.Target], _levels[p.Left] + _levels[p.Right]);

        (_monoParent, _monoAxis) = Monomials(MaxRank, out var index);
        _basicMu = [.. _basic.Select(b => b.Mu)];
        _basicMono = [.. _basic.Select(b => index[(b.A, b.B, b.C)])];
        _left = [.. _products.Select(p => p.Left)];
        _right = [.. _products.Select(p => p.Right)];
        _multiplicity = [.. _products.Select(p => (double)p.Multiplicity)];
        var runs = new List<int>();
        for (int k = 0; k < _products.Length; k++)
        {
            if (_products[k].Left == _products[k].Target || _products[k].Right == _products[k].Target)
                throw new ArgumentException($"product {_products[k]} reads its own target");
            if (k == 0 || _products[k].Target != _products[k - 1].Target) runs.Add(k);
        }
        _runStart = [.. runs, _products.Length];
        _runTarget = [.. runs.Select(k => _products[k].Target)];
    }

    /// <summary>Every (a, b, c) with a + b + c ≤ rank, by degree, each from one of lower degree times one component.</summary>
    private static (int[] Parent, int[] Axis) Monomials(int rank, out Dictionary<(int, int, int), int> index)
    {
        index = new() { [(0, 0, 0)] = 0 };
        var parent = new List<int> { -1 }; var axis = new List<int> { -1 };
        for (int degree = 1; degree <= rank; degree++)
            for (int a = degree; a >= 0; a--)
                for (int b = degree - a; b >= 0; b--)
                {
                    int c = degree - a - b;
                    var (from, along) = a > 0 ? ((a - 1, b, c), 0) : b > 0 ? ((a, b - 1, c), 1) : ((a, b, c - 1), 2);
                    index[(a, b, c)] = parent.Count;
                    parent.Add(index[from]); axis.Add(along);
                }
        return ([.. parent], [.. axis]);
    }

    private static readonly Lazy<MomentTensorBasis> Level20Tree = new(() =>
    {
        const string name = "Softspot.Descriptors.MomentTensorLevel20.mtp";
        using var stream = typeof(MomentTensorBasis).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"the embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return MtpFile.Parse(reader.ReadToEnd().Split('\n'), "level-20 template").Basis;
    });

    /// <summary>
    /// MLIP's level-20 basis (288 scalar moments, 1352 moments, radial functions μ = 0 … 4): the tables of the
    /// untrained level-20 template as MLIP writes it, embedded from motep's test data (github.com/imw-md/motep,
    /// MIT licence, copyright 2026 imw-md/motep).
    /// </summary>
    public static MomentTensorBasis Level20 => Level20Tree.Value;

    /// <summary>
    /// Adds a block of <see cref="Block"/> bonds to the basic moments: <paramref name="radial"/> holds f_μ of bond j at
    /// μ·Block + j, <paramref name="unit"/> the unit vector's components at axis·Block + j (padding bonds: f = 0);
    /// <paramref name="monomials"/> (MonomialCount·Block) is scratch.
    /// </summary>
    internal void AddBlock(Span<double> moments, ReadOnlySpan<double> radial, ReadOnlySpan<double> unit, Span<double> monomials)
    {
        var f = MemoryMarshal.Cast<double, Vector<double>>(radial);
        var u = MemoryMarshal.Cast<double, Vector<double>>(unit);
        var mono = MemoryMarshal.Cast<double, Vector<double>>(monomials);
        int v = Block / Vector<double>.Count;
        for (int k = 0; k < v; k++) mono[k] = Vector<double>.One;
        for (int q = 1; q < _monoParent.Length; q++)
        {
            var from = mono.Slice(_monoParent[q] * v, v); var along = u.Slice(_monoAxis[q] * v, v); var to = mono.Slice(q * v, v);
            for (int k = 0; k < v; k++) to[k] = from[k] * along[k];
        }
        for (int m = 0; m < _basicMu.Length; m++)
        {
            var fm = f.Slice(_basicMu[m] * v, v); var pm = mono.Slice(_basicMono[m] * v, v);
            var acc = Vector<double>.Zero;
            for (int k = 0; k < v; k++) acc += fm[k] * pm[k];
            moments[m] += Vector.Sum(acc);
        }
    }

    /// <summary>Applies the products and copies the scalar moments out (moments beyond the basic ones must start at 0).</summary>
    internal void Finish(Span<double> moments, Span<double> scalars)
    {
        if (moments.Length < MomentCount) throw new ArgumentException("too few moments", nameof(moments));
        // unchecked reads: every index was checked against MomentCount in the constructor
        ref double m = ref MemoryMarshal.GetReference(moments);
        ref int left = ref MemoryMarshal.GetArrayDataReference(_left), right = ref MemoryMarshal.GetArrayDataReference(_right);
        ref double k = ref MemoryMarshal.GetArrayDataReference(_multiplicity);
        for (int run = 0; run < _runTarget.Length; run++)
        {
            double sum = 0;
            for (int p = _runStart[run], end = _runStart[run + 1]; p < end; p++)
                sum += Unsafe.Add(ref k, p) * Unsafe.Add(ref m, Unsafe.Add(ref left, p)) * Unsafe.Add(ref m, Unsafe.Add(ref right, p));
            moments[_runTarget[run]] += sum;
        }
        for (int a = 0; a < _scalars.Length; a++) scalars[a] = moments[_scalars[a]];
    }
}

/// <summary>
/// MLIP's radial functions (<c>RBChebyshev</c>): for a central atom of species c_i and a neighbour of species c_j at
/// distance r &lt; R_cut, f_μ(r) = s · Σ_k c[c_i, c_j, μ, k] · Q_k(r), with Q_k(r) = T_k(ξ)·(R_cut − r)², T_k the
/// Chebyshev polynomials (Q_0 = (R_cut − r)², Q_1 = ξ·Q_0, Q_k = 2ξ·Q_{k−1} − Q_{k−2}), ξ = (2r − R_min − R_cut) /
/// (R_cut − R_min), s the scaling. Below R_min the polynomials are extrapolated (|ξ| &gt; 1), as in MLIP.
/// </summary>
public sealed class MtpRadialFunctions
{
    private readonly double[] _c;

    /// <summary>R_min (A), where ξ = −1.</summary>
    public double MinDistance { get; }

    /// <summary>R_cut (A): f_μ = 0 from here on; only neighbours closer than this count.</summary>
    public double Cutoff { get; }

    /// <summary>Chebyshev polynomials Q_0 … Q_{size−1}.</summary>
    public int BasisSize { get; }

    /// <summary>Species: atom types 1..SpeciesCount, or every atom alike when 1.</summary>
    public int SpeciesCount { get; }

    /// <summary>Radial functions μ = 0 … FunctionCount − 1 per species pair.</summary>
    public int FunctionCount { get; }

    /// <summary>The factor s of every basis value.</summary>
    public double Scaling { get; }

    /// <summary>
    /// Radial functions from coefficients c[(c_i·S + c_j)·K + μ)·R + k] (S species, K functions, R basis size: the
    /// order of a .mtp file's <c>radial_coeffs</c>).
    /// </summary>
    /// <exception cref="SoftspotException">The distances or sizes are not valid, or the coefficients are not S²·K·R finite numbers.</exception>
    public MtpRadialFunctions(double minDistance, double cutoff, int basisSize, int speciesCount, int functionCount, double[] coefficients, double scaling = 1)
    {
        if (!(minDistance >= 0) || !(cutoff > minDistance) || !double.IsFinite(cutoff))
            throw new SoftspotException($"MTP radial functions need 0 <= R_min < R_cut, finite: R_min = {minDistance}, R_cut = {cutoff}");
        if (basisSize < 2) throw new SoftspotException($"the MTP radial basis needs at least 2 polynomials, not {basisSize}");
        if (speciesCount < 1 || functionCount < 1) throw new SoftspotException("MTP radial functions need at least one species and one function");
        if (!double.IsFinite(scaling)) throw new SoftspotException($"MTP radial scaling {scaling} is not finite");
        if (coefficients.Length != speciesCount * speciesCount * functionCount * basisSize)
            throw new SoftspotException($"MTP radial functions: {speciesCount}^2 x {functionCount} x {basisSize} coefficients expected, found {coefficients.Length}");
        if (coefficients.Any(x => !double.IsFinite(x))) throw new SoftspotException("MTP radial coefficients must be finite");
        MinDistance = minDistance; Cutoff = cutoff; BasisSize = basisSize; SpeciesCount = speciesCount; FunctionCount = functionCount;
        Scaling = scaling; _c = [.. coefficients];
    }

    /// <summary>
    /// One species, f_μ = Q_μ (μ = 0 … functionCount − 1): the identity coefficients, each radial function one
    /// Chebyshev polynomial times (R_cut − r)², s = 1.
    /// </summary>
    public static MtpRadialFunctions Identity(double minDistance, double cutoff, int basisSize, int functionCount)
    {
        if (functionCount > basisSize) throw new SoftspotException($"{functionCount} identity radial functions need a basis of at least that size, not {basisSize}");
        var c = new double[functionCount * basisSize];
        for (int mu = 0; mu < functionCount; mu++) c[mu * basisSize + mu] = 1;
        return new MtpRadialFunctions(minDistance, cutoff, basisSize, 1, functionCount, c);
    }

    /// <summary>The coefficient c[central, neighbour, μ, k].</summary>
    public double Coefficient(int central, int neighbour, int mu, int k) => _c[((central * SpeciesCount + neighbour) * FunctionCount + mu) * BasisSize + k];

    /// <summary>
    /// f_0(r) … f_{K−1}(r) into <paramref name="f"/> for the species pair c_i·S + c_j, with <paramref name="basis"/>
    /// (length ≥ BasisSize) as scratch.
    /// </summary>
    public void Evaluate(double r, int pair, Span<double> basis, Span<double> f)
    {
        double ksi = (2 * r - (MinDistance + Cutoff)) / (Cutoff - MinDistance), d = r - Cutoff;
        basis[0] = Scaling * (d * d);
        basis[1] = ksi * basis[0];
        for (int k = 2; k < BasisSize; k++) basis[k] = 2 * ksi * basis[k - 1] - basis[k - 2];
        var c = _c.AsSpan(pair * FunctionCount * BasisSize, FunctionCount * BasisSize);
        for (int mu = 0; mu < FunctionCount; mu++)
        {
            double sum = 0;
            var row = c.Slice(mu * BasisSize, BasisSize);
            for (int k = 0; k < row.Length; k++) sum += row[k] * basis[k];
            f[mu] = sum;
        }
    }
}

/// <summary>
/// Moment tensor descriptors: the scalar basis functions B_1 … B_n of a moment tensor potential (MLIP's
/// <see cref="MomentTensorBasis"/> and <see cref="MtpRadialFunctions"/>) for every atom, over its neighbours closer
/// than R_cut (the frame's shared list). Columns <c>mtp_B001</c> … in MLIP's order of <c>alpha_moment_mapping</c>. With
/// a fitted potential's radial functions, its site energy is species_coeffs[c_i] + Σ_α ξ_α B_α.
/// </summary>
/// <remarks>
/// Cost per atom: one radial evaluation and one pass over the basic moments per neighbour, then the products
/// (6349 for level 20), independent of the number of atoms.
/// </remarks>
public sealed class MomentTensorDescriptors : Descriptor
{
    /// <summary>Columns are this prefix and the 1-based index of B, zero-padded to 3 digits (mtp_B001 … mtp_B288).</summary>
    public const string ColumnPrefix = "mtp_B";

    private readonly FeatureColumn[] _columns;

    /// <summary>The contraction tree.</summary>
    public MomentTensorBasis Basis { get; }

    /// <summary>The radial functions.</summary>
    public MtpRadialFunctions Radial { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<FeatureColumn> Columns => _columns;

    /// <summary>Descriptors of a basis with radial functions (which must cover its μ).</summary>
    /// <exception cref="SoftspotException">The radial functions are fewer than the basis uses.</exception>
    public MomentTensorDescriptors(MomentTensorBasis basis, MtpRadialFunctions radial)
    {
        if (radial.FunctionCount < basis.RadialFunctionCount)
            throw new SoftspotException($"the MTP basis uses {basis.RadialFunctionCount} radial functions but only {radial.FunctionCount} are given");
        Basis = basis; Radial = radial;
        int n = basis.Scalars.Count, digits = Math.Max(3, n.ToString(CultureInfo.InvariantCulture).Length);
        string species = radial.SpeciesCount == 1 ? "all neighbours alike" : "radial functions by species pair";
        _columns = new FeatureColumn[n];
        for (int a = 0; a < n; a++)
            _columns[a] = new FeatureColumn(ColumnPrefix + (a + 1).ToString("D" + digits, CultureInfo.InvariantCulture),
                FormattableString.Invariant($"MTP scalar basis function {a + 1} of {n} (MLIP order; level {basis.Levels[basis.Scalars[a]]}) ") +
                FormattableString.Invariant($"over neighbours closer than {radial.Cutoff} A, Chebyshev radial basis R_min {radial.MinDistance} A ({species})"));
    }

    /// <summary>The <c>mtp</c> preset: <see cref="MomentTensorBasis.Level20"/> with <see cref="PresetRadial"/>.</summary>
    /// <exception cref="SoftspotException">Not 0 ≤ R_min &lt; R_cut.</exception>
    public static MomentTensorDescriptors Level20(double minDistance, double cutoff)
    {
        if (!(minDistance >= 0 && cutoff > minDistance && double.IsFinite(cutoff)))
            throw new SoftspotException(FormattableString.Invariant(
                $"the mtp preset needs 0 <= R_min < R_cut (--mtp-rmin, --mtp-rcut), not R_min = {minDistance} A, R_cut = {cutoff} A"));
        return new(MomentTensorBasis.Level20, PresetRadial(minDistance, cutoff));
    }

    /// <summary>
    /// The preset's radial functions: a Chebyshev basis of size 8 and the identity coefficients for μ = 0 … 4
    /// (f_μ = T_μ(ξ)·(R_cut − r)²), one set for every species pair.
    /// </summary>
    public static MtpRadialFunctions PresetRadial(double minDistance, double cutoff) => MtpRadialFunctions.Identity(minDistance, cutoff, 8, 5);

    /// <summary>
    /// B_1 … B_n of one neighbourhood: the bond vectors from the central atom and the neighbours' species (0-based;
    /// ignored, and may be empty, with one species). Bonds at R_cut or beyond are skipped.
    /// </summary>
    public void Evaluate(int centralSpecies, ReadOnlySpan<Vec3> bonds, ReadOnlySpan<int> neighbourSpecies, Span<double> values)
    {
        var s = Scratch.For(this);
        s.Moments.AsSpan().Clear();
        for (int k = 0; k < bonds.Length; k++)
            s.Add(Pair(centralSpecies, neighbourSpecies.IsEmpty ? 0 : neighbourSpecies[k]), bonds[k], bonds[k].Norm);
        s.Flush();
        Basis.Finish(s.Moments, values);
    }

    private int Pair(int central, int neighbour) => Radial.SpeciesCount == 1 ? 0 : central * Radial.SpeciesCount + neighbour;

    /// <inheritdoc/>
    public override AtomKernel Bind(FrameContext frame)
    {
        var types = frame.Snapshot.Types;
        int speciesCount = Radial.SpeciesCount;
        var species = new int[types.Length];
        if (speciesCount > 1)
            for (int i = 0; i < types.Length; i++)
            {
                if (types[i] < 1 || types[i] > speciesCount)
                    throw new SoftspotException($"atom {frame.Snapshot.Ids[i]} has type {types[i]}, but the MTP radial functions cover types 1..{speciesCount}");
                species[i] = types[i] - 1;
            }
        NeighbourList list = frame.WithinCutoff(Radial.Cutoff);
        return (atom, values) =>
        {
            var s = Scratch.For(this);
            s.Moments.AsSpan().Clear();
            int ci = species[atom];
            for (int k = list.Offsets[atom]; k < list.Offsets[atom + 1]; k++)
                s.Add(Pair(ci, species[list.Index[k]]), list.Vectors[k], list.Distances[k]);
            s.Flush();
            Basis.Finish(s.Moments, values);
        };
    }

    /// <summary>
    /// Per-thread scratch space sized for one descriptor (made anew when a thread moves to another): the moments, and
    /// the block of bonds being gathered (radial values and unit vectors, <see cref="MomentTensorBasis.Block"/> at a time).
    /// </summary>
    private sealed class Scratch
    {
        private const int B = MomentTensorBasis.Block;
        private static readonly ThreadLocal<Scratch?> PerThread = new();

        private readonly MomentTensorDescriptors _owner;
        public readonly double[] Moments;
        private readonly double[] _basis, _f, _radial, _unit, _monomials;
        private int _count;

        private Scratch(MomentTensorDescriptors owner)
        {
            _owner = owner;
            Moments = new double[owner.Basis.MomentCount];
            _basis = new double[owner.Radial.BasisSize];
            _f = new double[owner.Radial.FunctionCount];
            _radial = new double[owner.Radial.FunctionCount * B];
            _unit = new double[3 * B];
            _monomials = new double[owner.Basis.MonomialCount * B];
        }

        public static Scratch For(MomentTensorDescriptors owner)
        {
            var s = PerThread.Value;
            if (s is null || !ReferenceEquals(s._owner, owner)) PerThread.Value = s = new Scratch(owner);
            s._count = 0;
            return s;
        }

        /// <summary>Adds a bond of length r (skipped unless r &lt; R_cut); a full block goes into the moments.</summary>
        public void Add(int pair, Vec3 v, double r)
        {
            var radial = _owner.Radial;
            if (!(r < radial.Cutoff)) return;
            radial.Evaluate(r, pair, _basis, _f);
            for (int mu = 0; mu < _f.Length; mu++) _radial[mu * B + _count] = _f[mu];
            double inv = 1 / r;
            _unit[_count] = v.X * inv; _unit[B + _count] = v.Y * inv; _unit[2 * B + _count] = v.Z * inv;
            if (++_count == B) Flush();
        }

        /// <summary>Adds the bonds gathered so far (the rest of the block padded with f = 0) to the moments.</summary>
        public void Flush()
        {
            if (_count == 0) return;
            for (int j = _count; j < B; j++)
            {
                for (int mu = 0; mu < _f.Length; mu++) _radial[mu * B + j] = 0;
                _unit[j] = _unit[B + j] = _unit[2 * B + j] = 0;
            }
            _owner.Basis.AddBlock(Moments, _radial, _unit, _monomials);
            _count = 0;
        }
    }
}
