using System.Text;
using System.Text.RegularExpressions;
using Softspot.Descriptors;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// The SOAP power spectrum (<c>soap</c> preset) against dscribe's numerically integrated coefficients
/// (../shared/reference/table1/soap-dscribe: scipy tplquad of the Gaussian density against dscribe's GTO basis and
/// real harmonics, epsabs 1e-6, epsrel 1e-4), an independent quadrature of the single-neighbour case at the preset's
/// own settings, the orthonormality of the basis, and rotation, translation and permutation invariance.
/// </summary>
public class SoapTests(ITestOutputHelper output)
{
    private static string Oracle(string name) => Paths.Reference(Path.Combine("table1", "soap-dscribe", name + ".npy"));

    /// <summary>
    /// dscribe's get_soap_gto_l_max_setup (testutils.py.txt): a jittered 3x3x3 grid of H atoms, the middle one at the
    /// origin. Written once with Debian's python3-numpy (1.24.2), which reproduces numpy's legacy RandomState(42):
    /// <code>
    /// /usr/bin/python3 -c "import numpy as np
    /// x, y, z = np.meshgrid(np.arange(-1, 2), np.arange(-1, 2), np.arange(-1, 2))
    /// p = np.column_stack((x.ravel(), y.ravel(), z.ravel())).astype(float)
    /// p += np.random.RandomState(42).random((27, 3)) - 0.5; p[13, :] = [0, 0, 0]
    /// print(',\n'.join('new(%r, %r, %r)' % tuple(q) for q in p))"
    /// </code>
    /// </summary>
    private static readonly Vec3[] JitteredGrid =
    [
        new(-1.1254598811526375, -0.5492856935900838, -0.7680060581885949),
        new(-0.9013415158029634, -1.3439813595575636, -0.34400547966379735),
        new(-1.4419163878318004, -0.6338238542250648, 1.1011150117432087),
        new(0.2080725777960455, -1.4794155057041976, -0.5300901478380057),
        new(0.33244264080042174, -1.2876608893217238, -0.3181750327928994),
        new(-0.3165954901465662, -1.1957577570404623, 1.024756431632238),
        new(0.9319450186421158, -1.208770859801958, -0.8881471052776205),
        new(0.6394938606520418, -1.2078553514647818, -0.1336381567063083),
        new(0.9560699842170359, -0.7148240386069864, 0.6996737821583597),
        new(-0.9857655615863884, 0.09241456886204247, -1.4535495872800022),
        new(-0.8924551480985616, -0.32947587631270847, -0.4349484070147205),
        new(-0.5511144627466668, 0.46563203307455936, 1.3083973481164612),
        new(-0.19538623082662931, -0.40232788599361613, -0.8157669734878431),
        new(0.0, 0.0, 0.0),
        new(-0.4656114788847816, 0.40932040207878206, 0.7587799816000169),
        new(1.162522284353982, -0.18828892391058905, -0.9799319788221892),
        new(1.0467102793432796, -0.31514554447447296, 0.46958462776455856),
        new(1.2751328233611146, 0.4394989415641891, 1.394827350427649),
        new(-0.9021000211889149, 1.4218742350231168, -1.4115074979480804),
        new(-1.3040171375808547, 0.5452272889105381, -0.17466966923673566),
        new(-1.1113227103105179, 0.7713490317738959, 1.3287375091519293),
        new(-0.14324667330641072, 0.7809345096873808, -0.9573039168417515),
        new(-0.35907577502523735, 1.3021969807540397, -0.4254493563202292),
        new(0.4868869366005173, 1.2722447692966574, 0.6987156815341724),
        new(0.5055221171236024, 1.3154614284548343, -0.7931426561523829),
        new(1.2290071680409873, 1.2712703466859456, -0.42595534826590964),
        new(0.8584657285442726, 0.6158690595251297, 1.3631034258755936)
    ];

    // ---------------------------------------------------------------- dscribe's oracles

    /// <summary>
    /// n_max 1, l_max 20, r_cut 2, sigma 0.1, one species, centre at the origin: every c_0lm up to l = 20 (441
    /// coefficients, in dscribe's m order -l..l) against the numerical integral, which has no cutoff (neither here).
    /// </summary>
    [Fact]
    public void CoefficientsMatchDscribesIntegrationUpToL20()
    {
        var reference = Npy.Read(Oracle("gto_coefficients_1_20_2.0_0.1"));
        Assert.Equal([1, 1, 1, 21, 41], reference.Shape);
        var expansion = new SoapExpansion(new GtoRadialBasis(1, 20, 2.0), 0.1);
        var c = expansion.Coefficients(JitteredGrid);
        double worst = CompareCoefficients(reference, centre: 0, species: 0, expansion, c, out double scale);
        output.WriteLine($"l_max 20: max |c - c_dscribe| = {worst:E2} (largest |c| {scale:E2})");
        Assert.True(worst < 2e-6, $"max |c - c_dscribe| = {worst:E2}");

        // and the power spectrum (one species, no crossover) to dscribe's own rtol 1 %, here 1e-4
        var soap = new Soap(ElementMap.Parse("H"), 2.0, 0.1, nMax: 1, lMax: 20);
        var p = new double[soap.Columns.Count];
        soap.PowerSpectrum(c, p);
        var expected = PowerSpectrumFromOracle(reference, 0, soap);
        for (int k = 0; k < p.Length; k++)
            Assert.True(Math.Abs(p[k] - expected[k]) <= 1e-4 * Math.Abs(expected[k]) + 1e-12, $"{soap.Columns[k].Name}: {p[k]} vs {expected[k]}");
    }

    /// <summary>
    /// The same system through the descriptor's own kernel (neighbour list, the centre atom in its own density, the
    /// cutoff r_cut + 3.72 sigma): the atom at the origin's power spectrum against dscribe's definition applied to the
    /// oracle's coefficients (dscribe's test allows 1 %).
    /// </summary>
    [Fact]
    public void TheKernelReproducesTheOraclePowerSpectrum()
    {
        var reference = Npy.Read(Oracle("gto_coefficients_1_20_2.0_0.1"));
        var cell = Cell.Orthogonal(new Vec3(-20, -20, -20), new Vec3(20, 20, 20), periodic: false);
        var grid = new Snapshot(cell, [.. Enumerable.Range(1, 27).Select(i => (long)i)], [.. Enumerable.Repeat(1, 27)], JitteredGrid) { Elements = ElementMap.Parse("H") };
        var soap = new Soap(grid.Elements, 2.0, 0.1, nMax: 1, lMax: 20);
        var table = new FeatureSet([soap]).Compute(grid);
        var expected = PowerSpectrumFromOracle(reference, 0, soap);
        var row = table.Row(13);
        double worst = 0;
        for (int k = 0; k < expected.Length; k++) worst = Math.Max(worst, Math.Abs(row[k] - expected[k]) / Math.Abs(expected[k]));
        output.WriteLine($"kernel vs oracle power spectrum, l = 0..20: max relative difference {worst:E2}");
        Assert.True(worst < 1e-3, $"max relative difference {worst:E2}");
    }

    /// <summary>
    /// dscribe's get_soap_default_setup with its three weighting functions (testutils.get_weights): H at the origin,
    /// C at (-0.3, 0.5, 0.4), three centres off the atoms, n_max 2, l_max 2, r_cut 2, sigma 0.55, species H then C:
    /// 180 coefficients per weighting, then the crossover power spectrum (every n, n' across species).
    /// </summary>
    [Theory]
    [InlineData("poly")]
    [InlineData("pow")]
    [InlineData("exp")]
    public void WeightedCoefficientsMatchDscribesIntegration(string function)
    {
        var reference = Npy.Read(Oracle($"gto_coefficients_2_2_2.0_0.55_{function}"));
        Assert.Equal([3, 2, 2, 3, 5], reference.Shape);
        Vec3[] atoms = [new(0, 0, 0), new(-0.3, 0.5, 0.4)];
        Vec3[] centres = [new(0, 0, 0), new(1.0 / 3, 1.0 / 3, 1.0 / 3), new(2.0 / 3, 2.0 / 3, 2.0 / 3)];
        Func<double, double> weight = function switch
        {
            "poly" => r => r > 2 ? 0 : 3 * Math.Pow(1 + 2 * Math.Pow(r / 2, 3) - 3 * Math.Pow(r / 2, 2), 4),
            "pow" => r => 3 / (4 + Math.Pow(r / 2, 5)),
            _ => r => 3 / (4 + Math.Exp(-r / 2)),
        };
        var expansion = new SoapExpansion(new GtoRadialBasis(2, 2, 2.0), 0.55);
        var soap = new Soap(ElementMap.Parse("C,H"), 2.0, 0.55, fullCrossSpecies: true, nMax: 2, lMax: 2);
        Assert.Equal(["H", "C"], soap.Species); // by atomic number, as dscribe sorts them
        double worstAll = 0;
        for (int i = 0; i < centres.Length; i++)
        {
            var both = new double[2 * expansion.Length];
            for (int s = 0; s < 2; s++)
            {
                var d = atoms[s] - centres[i];
                var c = expansion.Coefficients([d], [weight(d.Norm)]);
                c.CopyTo(both, s * expansion.Length);
                double worst = CompareCoefficients(reference, i, s, expansion, c, out _);
                worstAll = Math.Max(worstAll, worst);
            }
            var p = new double[soap.Columns.Count];
            soap.PowerSpectrum(both, p);
            var expected = PowerSpectrumFromOracle(reference, i, soap);
            for (int k = 0; k < p.Length; k++)
                Assert.True(Math.Abs(p[k] - expected[k]) <= 1e-3 * Math.Abs(expected[k]) + 1e-8, $"centre {i} {soap.Columns[k].Name}: {p[k]} vs {expected[k]}");
        }
        output.WriteLine($"{function}: max |c - c_dscribe| = {worstAll:E2}");
        Assert.True(worstAll < 2e-5, $"max |c - c_dscribe| = {worstAll:E2}");
    }

    /// <summary>Max |c - reference| over n, l, m of one centre and species; the reference's m axis holds -l..l then zeros.</summary>
    private static double CompareCoefficients(Npy.Array reference, int centre, int species, SoapExpansion expansion, double[] c, out double scale)
    {
        int nMax = reference.Shape[2], lMax = reference.Shape[3] - 1, mSlots = reference.Shape[4];
        Assert.Equal(expansion.NMax, nMax);
        Assert.Equal(expansion.LMax, lMax);
        double worst = 0; scale = 0;
        int lm = (lMax + 1) * (lMax + 1);
        for (int n = 0; n < nMax; n++)
            for (int l = 0; l <= lMax; l++)
                for (int m = -l; m <= l; m++)
                {
                    double expected = reference[(((centre * reference.Shape[1] + species) * nMax + n) * (lMax + 1) + l) * mSlots + (m + l)];
                    double actual = c[n * lm + l * l + l + m];
                    worst = Math.Max(worst, Math.Abs(actual - expected));
                    scale = Math.Max(scale, Math.Abs(expected));
                }
        return worst;
    }

    /// <summary>
    /// dscribe's definition applied to the oracle's coefficients, column by column of <paramref name="soap"/> (whose
    /// names give Z1, Z2, n, n', l): p = pi sqrt(8 / (2l + 1)) sum_m c^{Z1}_{nlm} c^{Z2}_{n'lm}.
    /// </summary>
    private static double[] PowerSpectrumFromOracle(Npy.Array reference, int centre, Soap soap)
    {
        int species = reference.Shape[1], nMax = reference.Shape[2], lMax = reference.Shape[3] - 1, mSlots = reference.Shape[4];
        double C(int s, int n, int l, int m) => reference[(((centre * species + s) * nMax + n) * (lMax + 1) + l) * mSlots + (m + l)];
        var result = new double[soap.Columns.Count];
        for (int k = 0; k < result.Length; k++)
        {
            var match = Regex.Match(soap.Columns[k].Name, @"^soap_(\w+?)_(\w+?)_n(\d+)_n(\d+)_l(\d+)$");
            Assert.True(match.Success, soap.Columns[k].Name);
            int a = soap.Species.ToList().IndexOf(match.Groups[1].Value), b = soap.Species.ToList().IndexOf(match.Groups[2].Value);
            int n = int.Parse(match.Groups[3].Value), n2 = int.Parse(match.Groups[4].Value), l = int.Parse(match.Groups[5].Value);
            double sum = 0;
            for (int m = -l; m <= l; m++) sum += C(a, n, l, m) * C(b, n2, l, m);
            result[k] = Math.PI * Math.Sqrt(8.0 / (2 * l + 1)) * sum;
        }
        return result;
    }

    // ---------------------------------------------------------------- the preset's own settings, independently

    /// <summary>
    /// The single-neighbour case at the preset's settings (n_max 6, l_max 8, r_cut 6, sigma 0.5), by a quadrature that
    /// shares nothing with the closed form but the basis: for a Gaussian on the z axis at distance d,
    /// c_nl0 = 2 pi int r^2 g_nl(r) int_{-1}^{1} Y_l0(t) exp(-(r^2 + d^2 - 2 r d t) / 2 sigma^2) dt dr and c_nlm = 0
    /// for m != 0; and for the same neighbour in any direction the power spectrum is pi sqrt(8/(2l+1)) c_nl0 c_n'l0.
    /// </summary>
    [Theory]
    [InlineData(0.0)]
    [InlineData(1.3)]
    [InlineData(2.6)]
    [InlineData(5.1)]
    [InlineData(7.5)]
    public void SingleNeighbourMatchesQuadrature(double d)
    {
        var basis = new GtoRadialBasis(Soap.PaperNMax, Soap.PaperLMax, 6.0);
        const double sigma = 0.5;
        var expansion = new SoapExpansion(basis, sigma);
        int lm = expansion.Harmonics.Count;
        var expected = AxialQuadrature(basis, sigma, d);
        var c = expansion.Coefficients([new Vec3(0, 0, d)]);
        double worst = 0, scale = 0;
        for (int n = 0; n < basis.NMax; n++)
            for (int l = 0; l <= basis.LMax; l++)
                for (int m = -l; m <= l; m++)
                {
                    double e = m == 0 ? expected[n, l] : 0;
                    worst = Math.Max(worst, Math.Abs(c[n * lm + l * l + l + m] - e));
                    scale = Math.Max(scale, Math.Abs(e));
                }
        output.WriteLine($"d = {d}: max |c - quadrature| = {worst:E2} (largest |c| {scale:E2})");
        Assert.True(worst <= 1e-7 * scale + 1e-10, $"max |c - quadrature| = {worst:E2}, largest {scale:E2}");

        // any direction: the same power spectrum
        var u = new Vec3(0.36, -0.48, 0.8); // unit
        var soap = new Soap(ElementMap.Parse("Cu"), 6.0, sigma);
        var p = new double[soap.Columns.Count];
        soap.PowerSpectrum(expansion.Coefficients([u * d]), p);
        int k = 0;
        for (int n = 0; n < basis.NMax; n++)
            for (int n2 = n; n2 < basis.NMax; n2++)
                for (int l = 0; l <= basis.LMax; l++, k++)
                {
                    Assert.Equal($"soap_Cu_Cu_n{n}_n{n2}_l{l}", soap.Columns[k].Name);
                    double e = Math.PI * Math.Sqrt(8.0 / (2 * l + 1)) * expected[n, l] * expected[n2, l];
                    Assert.True(Math.Abs(p[k] - e) <= 1e-6 * Math.Abs(e) + 1e-7 * scale * scale, $"{soap.Columns[k].Name}: {p[k]} vs {e}");
                }
    }

    /// <summary>c_nl0 of one unit Gaussian at (0, 0, d) by composite Simpson quadrature in r (0..12 A) and t = cos theta.</summary>
    private static double[,] AxialQuadrature(GtoRadialBasis basis, double sigma, double d)
    {
        int nMax = basis.NMax, lMax = basis.LMax;
        const int nr = 2400, nt = 6000; // the t integrand is as narrow as sigma^2 / (r d): Simpson's error ~1e-8 relative
        const double rMax = 12;
        var result = new double[nMax, lMax + 1];
        var angular = new double[lMax + 1];
        var legendre = new double[lMax + 1];
        for (int i = 0; i <= nr; i++)
        {
            double r = rMax * i / nr, wr = Simpson(i, nr) * rMax / nr / 3;
            if (r == 0) continue;
            Array.Clear(angular);
            for (int j = 0; j <= nt; j++)
            {
                double t = -1 + 2.0 * j / nt, wt = Simpson(j, nt) * (2.0 / nt) / 3;
                double g = Math.Exp(-(r * r + d * d - 2 * r * d * t) / (2 * sigma * sigma));
                legendre[0] = 1;
                if (lMax > 0) legendre[1] = t;
                for (int l = 2; l <= lMax; l++) legendre[l] = ((2 * l - 1) * t * legendre[l - 1] - (l - 1) * legendre[l - 2]) / l;
                for (int l = 0; l <= lMax; l++) angular[l] += wt * g * legendre[l];
            }
            for (int n = 0; n < nMax; n++)
                for (int l = 0; l <= lMax; l++)
                    result[n, l] += wr * r * r * basis.Value(n, l, r) * 2 * Math.PI * Math.Sqrt((2 * l + 1) / (4 * Math.PI)) * angular[l];
        }
        return result;
    }

    private static double Simpson(int i, int count) => i == 0 || i == count ? 1 : i % 2 == 1 ? 4 : 2;

    /// <summary>The preset's basis is orthonormal: int g_nl g_n'l r^2 dr = delta_nn' for every l (Simpson, 0..14 A).</summary>
    [Fact]
    public void RadialBasisIsOrthonormal()
    {
        var basis = new GtoRadialBasis(Soap.PaperNMax, Soap.PaperLMax, 6.0);
        const int steps = 20000;
        const double rMax = 14;
        double worst = 0;
        for (int l = 0; l <= basis.LMax; l++)
            for (int n = 0; n < basis.NMax; n++)
                for (int n2 = n; n2 < basis.NMax; n2++)
                {
                    double sum = 0;
                    for (int i = 0; i <= steps; i++)
                    {
                        double r = rMax * i / steps;
                        sum += Simpson(i, steps) * r * r * basis.Value(n, l, r) * basis.Value(n2, l, r);
                    }
                    sum *= rMax / steps / 3;
                    worst = Math.Max(worst, Math.Abs(sum - (n == n2 ? 1 : 0)));
                }
        output.WriteLine($"max |<g_nl|g_n'l> - delta| = {worst:E2}");
        Assert.True(worst < 1e-8, $"max |<g_nl|g_n'l> - delta| = {worst:E2}");
        // dscribe's decays: the primitive at a_k = 1 + k decays to 1e-3 there
        Assert.Equal(Math.Log(1000), basis.Alpha(0, 0), 1e-12);
        Assert.Equal(-Math.Log(1e-3 / Math.Pow(6, 8)) / 36, basis.Alpha(8, 5), 1e-12);
    }

    /// <summary>Closed forms of the real harmonics at l = 1, 2 (dscribe's signs and order m = -l..l).</summary>
    [Fact]
    public void RealHarmonicsHaveDscribesSignsAndOrder()
    {
        var h = new RealSolidHarmonics(2);
        var v = new double[9];
        double x = 0.3, y = -0.7, z = 0.5;
        h.Evaluate(x, y, z, v);
        double c1 = Math.Sqrt(3 / (4 * Math.PI)), c2 = Math.Sqrt(15 / (4 * Math.PI));
        double[] expected =
        [
            Math.Sqrt(1 / (4 * Math.PI)),
            c1 * y, c1 * z, c1 * x,
            c2 * x * y, c2 * y * z, Math.Sqrt(5 / (16 * Math.PI)) * (3 * z * z - (x * x + y * y + z * z)), c2 * x * z, c2 / 2 * (x * x - y * y),
        ];
        for (int i = 0; i < 9; i++) Assert.Equal(expected[i], v[i], 1e-14);
    }

    // ---------------------------------------------------------------- invariances and the preset

    /// <summary>
    /// Rotations: a 120-atom cluster cut from the glass (non-periodic), rotated about an arbitrary axis, gives every
    /// atom the same 568 values (to 1e-9 relative to the largest); a harmonic with the wrong normalisation would not.
    /// </summary>
    [Fact]
    public void RotationLeavesTheSpectrumUnchanged()
    {
        var cluster = Cluster(ReferenceTable.Glass(), 120);
        var rotated = Transform(cluster, p => Rotate(p, new Vec3(1, 2, -0.5), 0.83) + new Vec3(40, 40, 40));
        var preset = Presets.Find("soap").Build(cluster.Elements!);
        var a = preset.Compute(cluster);
        var b = preset.Compute(rotated);
        AssertSame(a, b, i => i, "rotated");
    }

    /// <summary>Translations (wrapped into the periodic cell) and a permutation of the atoms of the periodic glass.</summary>
    [Fact]
    public void TranslationAndPermutationLeaveTheSpectrumUnchanged()
    {
        var glass = ReferenceTable.Glass();
        var preset = Presets.Find("soap").Build(glass.Elements!);
        var a = preset.Compute(glass);
        var cell = glass.Cell;
        var shifted = new Snapshot(cell, glass.Ids, glass.Types, [.. glass.Positions.Select(p => Wrap(cell, p + new Vec3(3.7, -11.2, 5.05)))]) { Elements = glass.Elements };
        AssertSame(a, preset.Compute(shifted), i => i, "translated");
        int n = glass.Count;
        var order = Enumerable.Range(0, n).Select(i => (i * 7919) % n).ToArray(); // a permutation (7919 prime, n = 500)
        Assert.Equal(n, order.Distinct().Count());
        var permuted = new Snapshot(cell, [.. order.Select(i => glass.Ids[i])], [.. order.Select(i => glass.Types[i])], [.. order.Select(i => glass.Positions[i])]) { Elements = glass.Elements };
        AssertSame(a, preset.Compute(permuted), i => order[i], "permuted");
        Assert.True(a.Values.All(double.IsFinite));
    }

    /// <summary>The settings travel in the recipe (soap_cutoff, soap_sigma, soap_full): a featurizer made from the saved recipe, as predict makes it, recomputes the same values.</summary>
    [Fact]
    public void TheRecipeRecomputesTheSameValues()
    {
        var glass = ReferenceTable.Glass();
        var settings = new FeaturizeSettings { SoapCutoff = 5.5, SoapSigma = 0.45, SoapFull = true };
        var (features, recipe) = new Softspot.Featurizer("soap", settings).Compute(glass);
        Assert.Equal(703, features.ColumnCount);
        string path = Path.Combine(Path.GetTempPath(), $"soap-recipe-{Guid.NewGuid():N}.json");
        try
        {
            recipe.Save(path);
            string json = File.ReadAllText(path);
            Assert.Contains("\"soap_cutoff\": 5.5", json);
            Assert.Contains("\"soap_sigma\": 0.45", json);
            Assert.Contains("\"soap_full\": true", json);
            var again = Softspot.Featurizer.For(FeatureRecipe.Load(path)).Compute(glass).Features;
            Assert.Equal(features.Values, again.Values);
        }
        finally { File.Delete(path); }
    }

    /// <summary>One thread and two give the same values, bit for bit (each atom's kernel is independent of the others).</summary>
    [Fact]
    public void ThreadsDoNotChangeValues()
    {
        var glass = ReferenceTable.Glass();
        var preset = Presets.Find("soap").Build(glass.Elements!);
        Assert.Equal(preset.Compute(glass, new FeaturizeSettings { Threads = 1 }).Values, preset.Compute(glass, new FeaturizeSettings { Threads = 2 }).Values);
    }

    /// <summary>The counts: 567 (+ flag) as the 2020 paper counted, 702 with the full cross-species blocks, 189 for one species.</summary>
    [Fact]
    public void ColumnCountsAndNames()
    {
        var cuzr = ElementMap.Parse("Cu,Zr");
        var set = Presets.Find("soap").Build(cuzr);
        Assert.Equal(568, set.Columns.Count);
        Assert.Equal(FeatureSet.ElementFlagColumn, set.Columns[^1].Name);
        Assert.Equal(702 + 1, Presets.Find("soap").Build(cuzr, new FeaturizeSettings { SoapFull = true }).Columns.Count);
        Assert.Equal(189 + 1, Presets.Find("soap").Build(ElementMap.Parse("Cu")).Columns.Count);
        var names = set.Columns.Select(c => c.Name).ToList();
        Assert.Equal("soap_Cu_Cu_n0_n0_l0", names[0]);
        Assert.Equal("soap_Cu_Zr_n0_n1_l4", names[189 + 9 + 4]);
        Assert.Equal("soap_Zr_Zr_n5_n5_l8", names[566]);
        // species by atomic number whatever the type order
        Assert.Equal(names, Presets.Find("soap").Build(ElementMap.Parse("Zr,Cu")).Columns.Select(c => c.Name));
        Assert.DoesNotContain("soap_Cu_Zr_n1_n0_l0", names);
        Assert.Contains("soap_Cu_Zr_n1_n0_l0", Presets.Find("soap").Build(cuzr, new FeaturizeSettings { SoapFull = true }).Columns.Select(c => c.Name));
    }

    /// <summary>Cross-species values do not depend on the type order, and the truncated set is a subset of the full one.</summary>
    [Fact]
    public void SettingsChangeValuesAndTypeOrderDoesNot()
    {
        var glass = ReferenceTable.Glass();
        var full = Presets.Find("soap").Build(glass.Elements!, new FeaturizeSettings { SoapFull = true }).Compute(glass);
        var paper = Presets.Find("soap").Build(glass.Elements!).Compute(glass);
        foreach (var name in new[] { "soap_Cu_Zr_n2_n4_l6", "soap_Cu_Cu_n0_n0_l0", "soap_Zr_Zr_n1_n3_l2" })
            Assert.Equal(full.Column(name), paper.Column(name));
        var wider = Presets.Find("soap").Build(glass.Elements!, new FeaturizeSettings { SoapSigma = 0.6 }).Compute(glass);
        Assert.NotEqual(paper.Column("soap_Cu_Zr_n2_n4_l6"), wider.Column("soap_Cu_Zr_n2_n4_l6"));
        // swap the types: Zr is type 1, Cu type 2; columns and values stay (species by atomic number)
        var swapped = new Snapshot(glass.Cell, glass.Ids, [.. glass.Types.Select(t => 3 - t)], glass.Positions) { Elements = ElementMap.Parse("Zr,Cu") };
        var other = Presets.Find("soap").Build(swapped.Elements!).Compute(swapped);
        foreach (var name in new[] { "soap_Cu_Zr_n2_n4_l6", "soap_Cu_Cu_n0_n0_l0" })
            Assert.Equal(paper.Column(name), other.Column(name));
    }

    /// <summary>
    /// dscribe's neighbour cutoff (soap.py get_cutoff_padding, read as documentation; no oracle here covers it):
    /// atoms closer than r_cut + sigma sqrt(2 ln 1000) = 7.859 A (r_cut 6, sigma 0.5) count, with no cutoff function.
    /// </summary>
    [Fact]
    public void NeighboursCountToTheCutoffPlusPadding()
    {
        var soap = new Soap(ElementMap.Parse("Cu,Zr"), 6.0, 0.5);
        Assert.Equal(6 + 0.5 * Math.Sqrt(2 * Math.Log(1000)), soap.NeighbourCutoff, 1e-12);
        double[] Row(double d)
        {
            var cell = Cell.Orthogonal(new Vec3(-50, -50, -50), new Vec3(50, 50, 50), periodic: false);
            var pair = new Snapshot(cell, [1, 2], [1, 2], [new Vec3(0, 0, 0), new Vec3(0, 0, d)]) { Elements = ElementMap.Parse("Cu,Zr") };
            return new FeatureSet([soap]).Compute(pair).Row(0).ToArray();
        }
        var alone = Row(30);
        Assert.NotEqual(alone, Row(7.85));
        Assert.Equal(alone, Row(7.87));
        Assert.True(Row(7.85).Max(Math.Abs) > 0);
    }

    [Fact]
    public void BadParametersAreOneLineErrors()
    {
        var cuzr = ElementMap.Parse("Cu,Zr");
        Assert.Contains("sigma", Assert.Throws<SoftspotException>(() => Presets.Find("soap").Build(cuzr, new FeaturizeSettings { SoapSigma = 0 })).Message);
        Assert.Contains("cutoff", Assert.Throws<SoftspotException>(() => Presets.Find("soap").Build(cuzr, new FeaturizeSettings { SoapCutoff = 0.9 })).Message);
    }

    private static void AssertSame(FeatureTable a, FeatureTable b, Func<int, int> rowOfB, string what)
    {
        double scale = a.Values.Max(Math.Abs), worst = 0;
        for (int i = 0; i < b.Rows; i++)
        {
            var x = a.Row(rowOfB(i));
            var y = b.Row(i);
            for (int k = 0; k < x.Length; k++) worst = Math.Max(worst, Math.Abs(x[k] - y[k]));
        }
        Assert.True(worst <= 1e-9 * scale, $"{what}: max difference {worst:E2} (largest value {scale:E2})");
    }

    private static Snapshot Cluster(Snapshot glass, int count)
    {
        var centre = glass.Cell.Origin + new Vec3(glass.Cell.Lx / 2, glass.Cell.Ly / 2, glass.Cell.Lz / 2);
        var nearest = Enumerable.Range(0, glass.Count).OrderBy(i => (glass.Positions[i] - centre).Norm).Take(count).ToArray();
        var cell = Cell.Orthogonal(new Vec3(-100, -100, -100), new Vec3(100, 100, 100), periodic: false);
        return new Snapshot(cell, [.. nearest.Select(i => glass.Ids[i])], [.. nearest.Select(i => glass.Types[i])], [.. nearest.Select(i => glass.Positions[i] - centre)]) { Elements = glass.Elements };
    }

    private static Snapshot Transform(Snapshot s, Func<Vec3, Vec3> f) =>
        new(s.Cell, s.Ids, s.Types, [.. s.Positions.Select(f)]) { Elements = s.Elements };

    /// <summary>Rodrigues' rotation of p about axis by angle.</summary>
    private static Vec3 Rotate(Vec3 p, Vec3 axis, double angle)
    {
        var k = axis * (1 / axis.Norm);
        double c = Math.Cos(angle), s = Math.Sin(angle);
        var cross = new Vec3(k.Y * p.Z - k.Z * p.Y, k.Z * p.X - k.X * p.Z, k.X * p.Y - k.Y * p.X);
        double dot = k.X * p.X + k.Y * p.Y + k.Z * p.Z;
        return p * c + cross * s + k * (dot * (1 - c));
    }

    private static Vec3 Wrap(Cell cell, Vec3 p)
    {
        Assert.False(cell.IsTriclinic);
        var d = p - cell.Origin;
        return cell.Origin + new Vec3(d.X - cell.Lx * Math.Floor(d.X / cell.Lx), d.Y - cell.Ly * Math.Floor(d.Y / cell.Ly), d.Z - cell.Lz * Math.Floor(d.Z / cell.Lz));
    }

    /// <summary>A reader of numpy's .npy format (version 1-3, little-endian float64, C order).</summary>
    private static class Npy
    {
        public sealed record Array(int[] Shape, double[] Data)
        {
            public double this[int i] => Data[i];
        }

        public static Array Read(string path)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.True(bytes[0] == 0x93 && Encoding.ASCII.GetString(bytes, 1, 5) == "NUMPY", $"{path} is not a .npy file");
            int major = bytes[6];
            int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : BitConverter.ToInt32(bytes, 8);
            int start = (major == 1 ? 10 : 12);
            string header = Encoding.ASCII.GetString(bytes, start, headerLength);
            Assert.Contains("'descr': '<f8'", header);
            Assert.Contains("'fortran_order': False", header);
            var shape = Regex.Match(header, @"'shape': \(([^)]*)\)").Groups[1].Value
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
            int count = shape.Aggregate(1, (a, b) => a * b);
            var data = new double[count];
            Buffer.BlockCopy(bytes, start + headerLength, data, 0, count * 8);
            return new Array(shape, data);
        }
    }
}
