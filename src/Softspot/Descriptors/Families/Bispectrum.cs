using System.Globalization;
using System.Numerics;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// The SNAP bispectrum B_{j₁,j₂,j} of each atom (Thompson et al., J. Comput. Phys. 285, 316, 2015), with the
/// conventions of LAMMPS <c>compute sna/atom</c> as of 2019–2020 (one B vector per atom, neighbours of every
/// element summed with their weights; no <c>chem</c>, <c>bnormflag</c> or inner switching).
/// </summary>
/// <remarks>
/// <para>A neighbour j of atom i counts when r_ij &lt; R_ij = rcutfac·(R_{t_i} + R_{t_j}) (strict, as LAMMPS). It maps
/// to the 3-sphere by θ₀ = rfac0·π·(r − rmin0)/(R_ij − rmin0); the density expansion is
/// u^j = δ_{m,m'} + Σ_neighbours f_c(r)·w_{t_j}·U^j(θ₀, θ, φ), with the central atom's unit self weight, the switching
/// function f_c(r) = ½(cos(π(r − rmin0)/(R_ij − rmin0)) + 1) (1 when r ≤ rmin0; 1 everywhere when switching is off),
/// and U^j from the Cayley–Klein recursion (<see cref="BispectrumBasis.AddU"/>).</para>
/// <para>Columns <c>sna_{2j₁}_{2j₂}_{2j}</c> in LAMMPS order (j₁ outer, then j₂ ≤ j₁, then j ≥ j₁ step 1): for
/// 2j_max = 6 these are LAMMPS's 30 components. With <see cref="SubtractIsolated"/> (LAMMPS's <c>bzeroflag</c>)
/// each B_{j₁,j₂,j} has the value of an atom with no neighbours, 2j + 1, subtracted.</para>
/// <para>Cost: linear in atoms; per atom, one U recursion per neighbour (O(j_max³), on half of each block, one
/// neighbour per SIMD lane), the other half of the summed expansion by symmetry, and one contraction (fixed
/// Clebsch–Gordan product tables, built once). Neighbours come from the frame's shared list at the largest pair
/// cutoff.</para>
/// </remarks>
public sealed class Bispectrum : Descriptor
{
    /// <summary>The band limit of the 2020 paper's 30 components.</summary>
    public const int PaperTwoJMax = 6;

    /// <summary>LAMMPS's rfac0 of its SNAP examples.</summary>
    public const double DefaultRFac0 = 0.99363;

    /// <summary>Default cutoff radius R_i of an element: this multiple of its Miracle radius (see <see cref="FromSystem"/>).</summary>
    public const double DefaultRadiusPerMiracleRadius = 2.2;

    private readonly BispectrumBasis _basis;
    private readonly FeatureColumn[] _columns;
    private readonly double[] _radius, _weight;

    public override IReadOnlyList<FeatureColumn> Columns => _columns;

    /// <summary>The band limit 2j_max.</summary>
    public int TwoJMax => _basis.TwoJMax;

    /// <summary>Cutoff radius R_t of each type t (index = type; index 0 unused).</summary>
    public IReadOnlyList<double> RadiusByType => _radius;

    /// <summary>Neighbour weight w_t of each type t (index = type; index 0 unused).</summary>
    public IReadOnlyList<double> WeightByType => _weight;

    /// <summary>A pair's cutoff is rcutfac·(R_i + R_j).</summary>
    public double RCutFac { get; }

    /// <summary>θ₀ = rfac0·π at the cutoff (0 &lt; rfac0 ≤ 1).</summary>
    public double RFac0 { get; }

    /// <summary>Distance mapped to θ₀ = 0 (A).</summary>
    public double RMin0 { get; }

    /// <summary>Whether the cosine switching function f_c is applied (LAMMPS <c>switchflag</c>).</summary>
    public bool Switching { get; }

    /// <summary>Whether the bispectrum of an isolated atom is subtracted (LAMMPS <c>bzeroflag</c>).</summary>
    public bool SubtractIsolated { get; }

    /// <summary>
    /// A bispectrum for the types 1 … radiusByType.Length − 1 (index 0 of the arrays is unused).
    /// </summary>
    public Bispectrum(double[] radiusByType, double[] weightByType, double rcutFac = 1.0, double rfac0 = DefaultRFac0,
        double rmin0 = 0, bool switching = true, bool subtractIsolated = true, int twoJMax = PaperTwoJMax)
    {
        if (radiusByType.Length < 2 || weightByType.Length != radiusByType.Length)
            throw new ArgumentException("give a radius and a weight for every type 1 … n (index 0 unused)");
        for (int t = 1; t < radiusByType.Length; t++)
        {
            if (!(radiusByType[t] > 0) || double.IsInfinity(radiusByType[t])) throw new SoftspotException($"bispectrum: the cutoff radius of type {t} must be positive and finite, not {radiusByType[t]}");
            if (!double.IsFinite(weightByType[t])) throw new SoftspotException($"bispectrum: the weight of type {t} must be finite, not {weightByType[t]}");
        }
        if (!(rcutFac > 0) || double.IsInfinity(rcutFac)) throw new SoftspotException($"bispectrum: rcutfac must be positive and finite, not {rcutFac}");
        if (!(rfac0 > 0 && rfac0 <= 1)) throw new SoftspotException($"bispectrum: rfac0 must lie in (0, 1], not {rfac0}");
        if (!(rmin0 >= 0) || double.IsInfinity(rmin0)) throw new SoftspotException($"bispectrum: rmin0 must be non-negative and finite, not {rmin0}");
        _radius = (double[])radiusByType.Clone(); _weight = (double[])weightByType.Clone();
        RCutFac = rcutFac; RFac0 = rfac0; RMin0 = rmin0; Switching = switching; SubtractIsolated = subtractIsolated;
        for (int a = 1; a < _radius.Length; a++)
            for (int b = 1; b < _radius.Length; b++)
                if (!(PairCutoff(a, b) > rmin0))
                    throw new SoftspotException($"bispectrum: the cutoff of types {a}-{b}, {PairCutoff(a, b)} A, must exceed rmin0 = {rmin0} A");
        _basis = new BispectrumBasis(twoJMax);
        string Half(int twice) => (twice % 2 == 0 ? (twice / 2).ToString(CultureInfo.InvariantCulture) : $"{twice}/2");
        string ByType(double[] v) => string.Join(',', Enumerable.Range(1, v.Length - 1).Select(t => $"{t}={G(v[t])}"));
        string parameters = $"twojmax {twoJMax}, R by type {ByType(_radius)}, w by type {ByType(_weight)}, rcutfac {G(rcutFac)}, rfac0 {G(rfac0)}, " +
            $"rmin0 {G(rmin0)}, switchflag {(switching ? 1 : 0)}, bzeroflag {(subtractIsolated ? 1 : 0)}";
        _columns = _basis.Triples.Select(t => new FeatureColumn($"sna_{t.J1}_{t.J2}_{t.J}",
            $"SNAP bispectrum B(j1={Half(t.J1)}, j2={Half(t.J2)}, j={Half(t.J)}) as LAMMPS compute sna/atom ({parameters})"))
            .ToArray();
    }

    private static string G(double x) => x.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>The cutoff rcutfac·(R_a + R_b) of a pair of types (A).</summary>
    public double PairCutoff(int typeA, int typeB) => RCutFac * (_radius[typeA] + _radius[typeB]);

    /// <summary>
    /// The bispectrum of a system's elements with the settings' SNAP parameters: R_i from
    /// <see cref="FeaturizeSettings.SnaRadii"/>, else <see cref="DefaultRadiusPerMiracleRadius"/> × the element's Miracle
    /// radius (a pair's cutoff then reaches 2.2 contact distances r_i + r_j, the end of the second neighbour shell);
    /// w_i from <see cref="FeaturizeSettings.SnaWeights"/>, else 1 for every element.
    /// </summary>
    /// <exception cref="SoftspotException">A value does not parse, names no element or type of the system, or an element has no default radius.</exception>
    public static Bispectrum FromSystem(ElementMap elements, FeaturizeSettings settings)
    {
        var radius = PerType(elements, settings.SnaRadii, "--sna-radii", positive: true,
            e => double.IsNaN(e.MiracleRadius) ? throw new SoftspotException($"bispectrum: {e.Symbol} has no Miracle radius; give its cutoff radius with --sna-radii {e.Symbol}=R")
                : DefaultRadiusPerMiracleRadius * e.MiracleRadius);
        var weight = PerType(elements, settings.SnaWeights, "--sna-weights", positive: false, _ => 1.0);
        return new Bispectrum(radius, weight, settings.SnaRCutFac, settings.SnaRFac0, settings.SnaRMin0, settings.SnaSwitch, settings.SnaSubtractIsolated);
    }

    /// <summary>A value per type (index = type) from "Cu=2.5,Zr=2.9" (element) or "1=2.5" (type) overrides, else the default of the element.</summary>
    internal static double[] PerType(ElementMap elements, string? spec, string option, bool positive, Func<Element, double> fallback)
    {
        var byType = new Dictionary<int, double>();
        var byElement = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(spec))
            foreach (var part in spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = part.Split('=', StringSplitOptions.TrimEntries);
                if (kv.Length != 2 || !double.TryParse(kv[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v) || (positive ? !(v > 0) : !(v >= 0)))
                    throw new SoftspotException($"{option} {spec}: '{part}' is not ELEMENT=VALUE with a {(positive ? "positive" : "non-negative")} number");
                if (int.TryParse(kv[0], NumberStyles.None, CultureInfo.InvariantCulture, out int t))
                {
                    if (t < 1 || t > elements.TypeCount) throw new SoftspotException($"{option} {spec}: there is no atom type {t} (types 1 … {elements.TypeCount})");
                    byType[t] = v;
                }
                else if (Elements.Find(kv[0]) is { } e)
                {
                    if (!elements.ElementsByType.Any(x => x.Symbol == e.Symbol)) throw new SoftspotException($"{option} {spec}: {e.Symbol} is not one of the elements {elements}");
                    byElement[e.Symbol] = v;
                }
                else throw new SoftspotException($"{option} {spec}: '{kv[0]}' is neither an element nor an atom type");
            }
        var values = new double[elements.TypeCount + 1];
        values[0] = double.NaN;
        for (int t = 1; t <= elements.TypeCount; t++)
        {
            var e = elements[t]!;
            values[t] = byType.TryGetValue(t, out double v) ? v : byElement.TryGetValue(e.Symbol, out v) ? v : fallback(e);
        }
        return values;
    }

    public override AtomKernel Bind(FrameContext frame)
    {
        var types = frame.Snapshot.Types;
        int typeCount = _radius.Length - 1;
        for (int i = 0; i < types.Length; i++)
            if (types[i] < 1 || types[i] > typeCount)
                throw new SoftspotException($"atom {frame.Snapshot.Ids[i]} has type {types[i]}, but the bispectrum was set up for types 1 … {typeCount}");
        double maxCutoff = 0;
        var cutoff = new double[(typeCount + 1) * (typeCount + 1)];
        for (int a = 1; a <= typeCount; a++)
            for (int b = 1; b <= typeCount; b++)
                maxCutoff = Math.Max(maxCutoff, cutoff[a * (typeCount + 1) + b] = PairCutoff(a, b));
        var list = frame.WithinCutoff(maxCutoff); // strict d < cutoff, as LAMMPS's pair cutoffs
        var basis = _basis;
        int size = basis.USize, stride = typeCount + 1;
        var isolated = basis.Triples.Select(t => SubtractIsolated ? t.J + 1.0 : 0.0).ToArray();
        var scratch = new ThreadLocal<Scratch>(() => new Scratch(size));
        double rfac0 = RFac0, rmin0 = RMin0;
        bool switching = Switching;
        var weight = _weight;
        int lanes = Vector<double>.Count;

        return (atom, values) =>
        {
            var s = scratch.Value!;
            // the neighbours within their pair cutoffs: Cayley–Klein parameters and weights, padded to whole vectors
            int from = list.Offsets[atom], to = list.Offsets[atom + 1];
            s.Reserve(to - from + lanes);
            int ti = types[atom] * stride, m = 0;
            for (int k = from; k < to; k++)
            {
                double r = list.Distances[k];
                int tj = types[list.Index[k]];
                double rcut = cutoff[ti + tj];
                if (!(r < rcut)) continue;
                double f = !switching || r <= rmin0 ? 1 : 0.5 * (Math.Cos((r - rmin0) * Math.PI / (rcut - rmin0)) + 1);
                var v = list.Vectors[k];
                double theta0 = (r - rmin0) * rfac0 * Math.PI / (rcut - rmin0);
                double z0 = r / Math.Tan(theta0);
                double r0inv = 1 / Math.Sqrt(r * r + z0 * z0);
                s.Ar[m] = r0inv * z0; s.Ai[m] = -r0inv * v.Z; s.Br[m] = r0inv * v.Y; s.Bi[m] = -r0inv * v.X; s.W[m] = f * weight[tj];
                m++;
            }
            for (; m % lanes != 0; m++) { s.Ar[m] = 1; s.Ai[m] = 0; s.Br[m] = 0; s.Bi[m] = 0; s.W[m] = 0; }

            var reV = s.ReV.AsSpan(); var imV = s.ImV.AsSpan();
            reV.Clear(); imV.Clear();
            for (int c = 0; c < m; c += lanes)
                basis.AddU(new Vector<double>(s.Ar, c), new Vector<double>(s.Ai, c), new Vector<double>(s.Br, c), new Vector<double>(s.Bi, c),
                    new Vector<double>(s.W, c), s.Ur, s.Ui, reV, imV);
            var re = s.Re.AsSpan(); var im = s.Im.AsSpan();
            for (int k = 0; k < size; k++) { re[k] = Vector.Sum(reV[k]); im[k] = Vector.Sum(imV[k]); }
            for (int j = 0; j <= basis.TwoJMax; j++)
                for (int mm = 0; mm <= j; mm++) re[basis.Index(j, mm, mm)] += 1; // the central atom, unit weight
            basis.CompleteHalves(re, im);
            basis.Contract(re, im, values);
            for (int t = 0; t < isolated.Length; t++) values[t] -= isolated[t];
        };
    }

    /// <summary>One thread's working arrays: the neighbours' parameters (grown on demand) and the expansions.</summary>
    private sealed class Scratch(int size)
    {
        public double[] Ar = [], Ai = [], Br = [], Bi = [], W = [];
        public readonly Vector<double>[] ReV = new Vector<double>[size], ImV = new Vector<double>[size], Ur = new Vector<double>[size], Ui = new Vector<double>[size];
        public readonly double[] Re = new double[size], Im = new double[size];

        public void Reserve(int n)
        {
            if (Ar.Length >= n) return;
            n = Math.Max(n, 2 * Ar.Length);
            Ar = new double[n]; Ai = new double[n]; Br = new double[n]; Bi = new double[n]; W = new double[n];
        }
    }
}
