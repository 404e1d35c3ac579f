using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;
using Softspot.Descriptors;
using Softspot.Descriptors.Geometry;
using Softspot.Neighbours;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// Bond-orientational order (descriptor-spec.md B.12): amlearn's reference tables (atan azimuth), the textbook
/// table, ideal clusters, rotation invariance, edge cases, and the spherical-harmonic and 3j building blocks.
/// </summary>
public class BondOrientationalOrderTests
{
    private static readonly int[] Degrees = [4, 6, 8, 10];

    private static readonly Lazy<Snapshot> GlassLazy = new(ReferenceTable.Glass);

    private static IEnumerable<string> Names(string prefix, NeighbourKind kind) =>
        Degrees.Select(l => $"{prefix}_{l}_{Descriptor.Suffix(kind)}");

    private static FeatureTable Boop(Snapshot s, NeighbourKind kind, FeaturizeSettings? settings = null) =>
        new FeatureSet([new BondOrientationalOrder(kind)]).Compute(s, settings);

    [Fact]
    public void ColumnsAreNamedAndOrderedAsAmlearn()
    {
        var expected = ReferenceTable.Load("sro_BOOP_voro.csv").Columns;
        Assert.Equal(expected, new BondOrientationalOrder(NeighbourKind.Voronoi).Columns.Select(c => c.Name));
        var dist = new BondOrientationalOrder(NeighbourKind.Distance).Columns;
        Assert.Equal(ReferenceTable.Load("sro_BOOP_dist.csv").Columns, dist.Select(c => c.Name));
        Assert.All(dist, c => Assert.False(string.IsNullOrWhiteSpace(c.Definition)));
    }

    // ---------------------------------------------------------------- reference glass

    [Theory]
    [InlineData(NeighbourKind.Voronoi, "sro_BOOP_voro.csv")]
    [InlineData(NeighbourKind.Distance, "sro_BOOP_dist.csv")]
    public void AmlearnAzimuthMatchesAmlearnOnTheGlass(NeighbourKind kind, string file)
    {
        var glass = GlassLazy.Value;
        var table = Boop(glass, kind, new FeaturizeSettings { AmlearnAzimuth = true });
        var reference = ReferenceTable.Load(file);
        // README tolerances: amlearn's pi = 3.1415926 and float32 prefactors / log-factorials limit the agreement
        reference.AssertMatches(glass, table, rel: 1e-6, abs: 0, Names("q", kind).Concat(Names("Coarse_grained_q", kind)));
        reference.AssertMatches(glass, table, rel: 1e-4, abs: 1e-6, Names("w", kind).Concat(Names("Coarse_grained_w", kind)));
    }

    [Fact]
    public void DefaultIsTextbookSteinhardtOnTheGlass()
    {
        var glass = GlassLazy.Value;
        var table = Boop(glass, NeighbourKind.Voronoi);
        var reference = ReferenceTable.Load("textbook_steinhardt_voro.csv");
        // The CSV has 12 significant digits, i.e. a relative rounding of up to 5e-12: the largest deviations seen are
        // 5.0e-12 relative for q and 6.7e-12 relative (5e-14 absolute) for ŵ, whose cancelling 3j sum adds ~1e-15
        // absolute. rel 1e-11 (+ 1e-15 absolute for ŵ) is the honest bound.
        reference.AssertMatches(glass, table, rel: 1e-11, abs: 0, Names("q", NeighbourKind.Voronoi).Concat(Names("Coarse_grained_q", NeighbourKind.Voronoi)));
        reference.AssertMatches(glass, table, rel: 1e-11, abs: 1e-15, Names("w", NeighbourKind.Voronoi).Concat(Names("Coarse_grained_w", NeighbourKind.Voronoi)));

        // and it is really a different quantity from amlearn's (the azimuth quirk is not negligible)
        var amlearn = ReferenceTable.Load("sro_BOOP_voro.csv");
        var q6 = table.Column("q_6_voro");
        var byId = glass.IndexById();
        double meanDiff = amlearn.Rows.Average(r => Math.Abs(q6[byId[r.Key]] - r.Value[amlearn.IndexOf("q_6_voro")]));
        Assert.InRange(meanDiff, 0.05, 0.1); // spec: mean |q6 amlearn - q6 textbook| = 0.075
    }

    // ---------------------------------------------------------------- ideal clusters

    private const double Bond = 2.5;

    private static Vec3[] Fcc() =>
    [
        .. from a in new[] { -1, 1 } from b in new[] { -1, 1 }
           from v in new[] { new Vec3(a, b, 0), new Vec3(a, 0, b), new Vec3(0, a, b) }
           select v * (Bond / Math.Sqrt(2)),
    ];

    private static Vec3[] Bcc8() =>
        [.. from a in new[] { -1, 1 } from b in new[] { -1, 1 } from c in new[] { -1, 1 } select new Vec3(a, b, c) * (Bond / Math.Sqrt(3))];

    /// <summary>Icosahedron with its 2-fold axes on x, y and z: (0, ±1, ±φ) and cyclic permutations.</summary>
    private static Vec3[] Icosahedron()
    {
        double phi = (1 + Math.Sqrt(5)) / 2, scale = Bond / Math.Sqrt(1 + phi * phi);
        return
        [
            .. from a in new[] { -1.0, 1.0 } from b in new[] { -phi, phi }
               from v in new[] { new Vec3(0, a, b), new Vec3(a, b, 0), new Vec3(b, 0, a) }
               select v * scale,
        ];
    }

    private static Vec3 Rotate(Vec3 v, Vec3 axis, double angle)
    {
        var k = axis / axis.Norm;
        double c = Math.Cos(angle), s = Math.Sin(angle);
        return v * c + k.Cross(v) * s + k * (k.Dot(v) * (1 - c));
    }

    private static Vec3[] RotatedIcosahedron() => [.. Icosahedron().Select(v => Rotate(v, new Vec3(1, 2, 3), 0.3))];

    private static Vec3[] Octahedron() =>
        [new(Bond, 0, 0), new(-Bond, 0, 0), new(0, Bond, 0), new(0, -Bond, 0), new(0, 0, Bond), new(0, 0, -Bond)];

    /// <summary>A centre atom at the origin plus a shell, alone in a large non-periodic box.</summary>
    private static Snapshot Cluster(IReadOnlyList<Vec3> shell)
    {
        var pos = new[] { Vec3.Zero }.Concat(shell).ToArray();
        int n = pos.Length;
        var cell = Cell.Orthogonal(new Vec3(-10, -10, -10), new Vec3(10, 10, 10), periodic: false);
        return new Snapshot(cell, [.. Enumerable.Range(1, n).Select(i => (long)i)], Enumerable.Repeat(1, n).ToArray(), pos)
        {
            Elements = ElementMap.Parse("Cu"),
        };
    }

    /// <summary>q_l and ŵ_l of the centre atom of a cluster (distance neighbours within 3 A: exactly the shell).</summary>
    private static (double[] Q, double[] W) Centre(IReadOnlyList<Vec3> shell, bool amlearn)
    {
        var table = Boop(Cluster(shell), NeighbourKind.Distance, new FeaturizeSettings { DistanceCutoff = 3.0, AmlearnAzimuth = amlearn });
        return ([.. Names("q", NeighbourKind.Distance).Select(c => table[0, table.IndexOf(c)])],
                [.. Names("w", NeighbourKind.Distance).Select(c => table[0, table.IndexOf(c)])]);
    }

    private sealed record IdealRow(string Cluster, string Method, double[] Q, double[] W);

    private static List<IdealRow> IdealClusters()
    {
        var rows = new List<IdealRow>();
        var line = new Regex(@"^(\w+): (.+?)\s+q4\.\.q10=\[(.*?)\] w4\.\.w10=\[(.*?)\]\s*$");
        foreach (var text in File.ReadLines(Paths.Reference(Path.Combine("amlearn-cuzr500", "boop_ideal_clusters.txt"))))
        {
            var m = line.Match(text);
            if (!m.Success) continue;
            static double[] Parse(string list) =>
                [.. list.Split(',', StringSplitOptions.TrimEntries).Select(v => v == "nan" ? double.NaN : double.Parse(v, CultureInfo.InvariantCulture))];
            rows.Add(new IdealRow(m.Groups[1].Value, m.Groups[2].Value.Trim(), Parse(m.Groups[3].Value), Parse(m.Groups[4].Value)));
        }
        return rows;
    }

    private static Vec3[] Shell(string name) => name switch
    {
        "fcc" => Fcc(), "bcc8" => Bcc8(), "ico" => Icosahedron(), "ico_rot" => RotatedIcosahedron(),
        _ => throw new ArgumentException($"unknown cluster {name} in boop_ideal_clusters.txt"),
    };

    [Theory]
    [InlineData("spec, atan azimuth", true)]
    [InlineData("standard (atan2)", false)]
    public void IdealClustersMatchTheReferenceFile(string method, bool amlearn)
    {
        var rows = IdealClusters().Where(r => r.Method == method).ToList();
        Assert.Equal(new[] { "fcc", "bcc8", "ico", "ico_rot" }, rows.Select(r => r.Cluster));
        foreach (var row in rows)
        {
            var (q, w) = Centre(Shell(row.Cluster), amlearn);
            for (int d = 0; d < 4; d++)
            {
                string what = $"{row.Cluster} ({method}) l = {Degrees[d]}";
                Assert.True(Math.Abs(q[d] - row.Q[d]) <= 1e-6, $"{what}: q = {q[d]:R}, file {row.Q[d]}");
                if (row.Q[d] == 0)
                {
                    // ŵ_l is 0/0 there; the file's value is rounding noise. Softspot defines it as 0.
                    Assert.True(q[d] < 1e-12, $"{what}: q = {q[d]:R} should vanish");
                    Assert.Equal(0.0, w[d]);
                }
                else Assert.True(Math.Abs(w[d] - row.W[d]) <= 1e-6, $"{what}: w = {w[d]:R}, file {row.W[d]}");
            }
        }
    }

    [Fact]
    public void TextbookIsRotationInvariantAndAmlearnIsNot()
    {
        var (q0, w0) = Centre(Icosahedron(), amlearn: false);
        var (q1, w1) = Centre(RotatedIcosahedron(), amlearn: false);
        Assert.Equal(0.663325, q1[1], 6);
        for (int d = 0; d < 4; d++)
        {
            Assert.Equal(q0[d], q1[d], 1e-12);
            if (q0[d] > 1e-6) Assert.Equal(w0[d], w1[d], 1e-12);
        }
        // a random rotation of a random shell
        var rng = new Random(7);
        var shell = Enumerable.Range(0, 13).Select(_ => new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5))
            .Select(v => v * (Bond / v.Norm)).ToArray();
        var (qa, wa) = Centre(shell, amlearn: false);
        var (qb, wb) = Centre([.. shell.Select(v => Rotate(v, new Vec3(-0.4, 0.9, 0.2), 2.1))], amlearn: false);
        for (int d = 0; d < 4; d++) { Assert.Equal(qa[d], qb[d], 1e-12); Assert.Equal(wa[d], wb[d], 1e-11); }

        var (qAm, _) = Centre(RotatedIcosahedron(), amlearn: true);
        Assert.Equal(0.538684, qAm[1], 6);
    }

    [Fact]
    public void NeighboursOnTheZAxisAreExact()
    {
        // simple-cubic shell (Steinhardt, Nelson & Ronchetti 1983): q4 = sqrt(7/12), q6 = sqrt(1/8), ŵ4 = 0.159317, ŵ6 = 0.013161
        var (q, w) = Centre(Octahedron(), amlearn: false);
        Assert.Equal(Math.Sqrt(7.0 / 12), q[0], 1e-14);
        Assert.Equal(Math.Sqrt(1.0 / 8), q[1], 1e-14);
        Assert.Equal(0.159317, w[0], 1e-6);
        Assert.Equal(0.013161, w[1], 1e-6);
        var (qa, wa) = Centre(Octahedron(), amlearn: true);
        Assert.All(qa.Concat(wa), v => Assert.True(double.IsFinite(v)));
        Assert.All(Centre([new Vec3(0, 0, 2), new Vec3(0, 0, -2.2)], amlearn: true).Q, v => Assert.True(double.IsFinite(v) && v > 0));
    }

    [Fact]
    public void AnAtomWithoutNeighboursGivesZerosNotNaN()
    {
        // atom 1 has one neighbour (atom 2); atom 3 is alone
        var s = Cluster([new Vec3(0, 0, 2.5), new Vec3(7, 7, 7)]);
        var table = Boop(s, NeighbourKind.Distance, new FeaturizeSettings { DistanceCutoff = 3.0 });
        Assert.All(table.Row(2).ToArray(), v => Assert.Equal(0.0, v));
        Assert.All(table.Values, v => Assert.False(double.IsNaN(v)));
        // a single bond along z: only Q_l0 is non-zero, so q_l = 1 and ŵ_l = (l l l; 0 0 0)
        for (int d = 0; d < 4; d++)
        {
            int l = Degrees[d];
            Assert.Equal(1.0, table[0, d], 1e-14);
            Assert.Equal(Wigner3j.Symbol(l, l, l, 0, 0, 0), table[0, 4 + d], 1e-14);
        }
    }

    /// <summary>
    /// The spec's formulas transcribed literally (slow): r = centre − neighbour, θ = arccos(r_z/|r|), azimuth
    /// atan(r_y/r_x) (amlearn) or atan2 of the centre→neighbour vector (textbook), and ŵ_l as the full sum over
    /// every m1 + m2 + m3 = 0.
    /// </summary>
    private static (double[] Q, double[] W) SpecFormulas(IReadOnlyList<Vec3> shell, bool amlearn)
    {
        double[] q = new double[4], w = new double[4];
        for (int d = 0; d < 4; d++)
        {
            int l = Degrees[d];
            var qlm = new Complex[2 * l + 1];
            foreach (var v in shell)
            {
                // r = x_i - x_j as amlearn computes it: a zero component is +0.0, so atan(r_y / +0) = ±π/2 by the sign of r_y
                var r = Vec3.Zero - v;
                for (int m = -l; m <= l; m++)
                    qlm[m + l] += amlearn
                        ? ReferenceY(l, m, Math.Cos(Math.Acos(r.Z / r.Norm)), Math.Atan(r.Y / r.X))
                        : ReferenceY(l, m, v);
            }
            for (int m = 0; m <= 2 * l; m++) qlm[m] /= shell.Count;
            double norm = qlm.Sum(c => c.Magnitude * c.Magnitude);
            Complex third = 0;
            for (int m1 = -l; m1 <= l; m1++)
            for (int m2 = -l; m2 <= l; m2++)
            {
                int m3 = -m1 - m2;
                if (Math.Abs(m3) <= l) third += Wigner3j.Symbol(l, l, l, m1, m2, m3) * qlm[m1 + l] * qlm[m2 + l] * qlm[m3 + l];
            }
            q[d] = Math.Sqrt(4 * Math.PI / (2 * l + 1) * norm);
            w[d] = third.Real / Math.Pow(norm, 1.5);
        }
        return (q, w);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void IrregularShellsFollowTheSpecFormulas(bool amlearn)
    {
        // irregular shells with neighbours on both sides of x = 0 and some exactly on it (where amlearn's atan(r_y / r_x)
        // decides by the sign of r_y, and the direction convention centre − neighbour matters)
        var rng = new Random(amlearn ? 3 : 4);
        for (int trial = 0; trial < 5; trial++)
        {
            var shell = new List<Vec3>();
            for (int j = 0; j < 9 + trial; j++)
            {
                var v = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5);
                if (j % 4 == 1) v = v with { X = 0 };
                shell.Add(v * (Bond / v.Norm));
            }
            var (q, w) = Centre(shell, amlearn);
            var (qs, ws) = SpecFormulas(shell, amlearn);
            for (int d = 0; d < 4; d++)
            {
                Assert.Equal(qs[d], q[d], 1e-13);
                Assert.Equal(ws[d], w[d], 1e-13);
            }
        }
    }

    // ---------------------------------------------------------------- threads

    [Fact]
    public void ResultsDoNotDependOnTheNumberOfThreads()
    {
        var s = GlassLazy.Value.Replicate(2, 2, 2); // 4000 atoms: several chunks in Bind and in FeatureSet
        var settings = new FeaturizeSettings { AmlearnAzimuth = false };
        FeatureTable Run(int threads) => Boop(s, NeighbourKind.Distance, settings with { Threads = threads });
        var one = Run(1);
        var two = Run(2);
        Assert.Equal(one.Values, two.Values);
        Assert.DoesNotContain(one.Values, double.IsNaN);
    }

    // ---------------------------------------------------------------- building blocks

    /// <summary>Y_lm from the explicit Legendre polynomial (Rodrigues coefficients, m-th derivative), an independent check.</summary>
    private static Complex ReferenceY(int l, int m, Vec3 v) => ReferenceY(l, m, v.Z / v.Norm, Math.Atan2(v.Y, v.X));

    private static Complex ReferenceY(int l, int m, double x, double phi)
    {
        int am = Math.Abs(m);
        // P_l(x) = 2^-l sum_k (-1)^k C(l,k) C(2l-2k,l) x^(l-2k); differentiate am times
        double deriv = 0;
        for (int k = 0; 2 * k <= l; k++)
        {
            int power = l - 2 * k;
            if (power < am) continue;
            double coef = (k % 2 == 0 ? 1 : -1) * Binomial(l, k) * Binomial(2 * l - 2 * k, l) / Math.Pow(2, l);
            deriv += coef * Wigner3j.Factorial(power) / Wigner3j.Factorial(power - am) * Math.Pow(x, power - am);
        }
        double plm = (am % 2 == 0 ? 1 : -1) * Math.Pow(1 - x * x, am / 2.0) * deriv; // Condon–Shortley phase
        double norm = Math.Sqrt((2 * l + 1) / (4 * Math.PI) * Wigner3j.Factorial(l - am) / Wigner3j.Factorial(l + am));
        var y = norm * plm * Complex.FromPolarCoordinates(1, am * phi);
        return m >= 0 ? y : (am % 2 == 0 ? 1 : -1) * Complex.Conjugate(y);
    }

    private static double Binomial(int n, int k) => Wigner3j.Factorial(n) / (Wigner3j.Factorial(k) * Wigner3j.Factorial(n - k));

    [Fact]
    public void SphericalHarmonicsMatchTheExplicitFormula()
    {
        var sh = new SphericalHarmonics(10);
        var rng = new Random(11);
        for (int trial = 0; trial < 50; trial++)
        {
            var v = new Vec3(rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1, rng.NextDouble() * 2 - 1) * 3.7;
            for (int l = 0; l <= 10; l++)
            {
                double sum = 0;
                for (int m = -l; m <= l; m++)
                {
                    var y = sh.Y(l, m, v.X, v.Y, v.Z);
                    var expected = ReferenceY(l, m, v);
                    Assert.True(Complex.Abs(y - expected) <= 1e-12, $"Y_{l},{m}{v}: {y} vs {expected}");
                    sum += y.Magnitude * y.Magnitude;
                }
                Assert.Equal((2 * l + 1) / (4 * Math.PI), sum, 1e-13); // addition theorem
            }
        }
        // closed forms: Y_2,1 = -sqrt(15/8pi) sin cos e^(i phi); Y_6,6 = (1/64) sqrt(3003/pi) sin^6 e^(6 i phi)
        var u = new Vec3(0.3, -0.5, 0.8);
        double ct = u.Z / u.Norm, st = Math.Sqrt(1 - ct * ct), ph = Math.Atan2(u.Y, u.X);
        Assert.True(Complex.Abs(sh.Y(2, 1, u.X, u.Y, u.Z) - -Math.Sqrt(15 / (8 * Math.PI)) * st * ct * Complex.FromPolarCoordinates(1, ph)) < 1e-14);
        Assert.True(Complex.Abs(sh.Y(6, 6, u.X, u.Y, u.Z) - Math.Sqrt(3003 / Math.PI) / 64 * Math.Pow(st, 6) * Complex.FromPolarCoordinates(1, 6 * ph)) < 1e-14);
    }

    [Fact]
    public void SphericalHarmonicsOnTheZAxisAreExact()
    {
        var sh = new SphericalHarmonics(10);
        for (int l = 0; l <= 10; l++)
        for (int m = -l; m <= l; m++)
        {
            double y0 = m == 0 ? Math.Sqrt((2 * l + 1) / (4 * Math.PI)) : 0;
            var y = sh.Y(l, m, 0, 0, 2);
            Assert.Equal(0.0, y.Imaginary);
            if (m == 0) Assert.Equal(y0, y.Real, 1e-15);
            else Assert.Equal(0.0, y.Real); // exactly: u = sin θ e^{iφ} = 0, no angle involved
            Assert.Equal(y0 * (l % 2 == 0 ? 1 : -1), sh.Y(l, m, 0, 0, -0.5).Real, 1e-14);
        }
        Assert.Throws<ArgumentException>(() => sh.Y(2, 0, 0, 0, 0));
    }

    [Fact]
    public void Wigner3jSatisfiesOrthogonalityAndClosedForms()
    {
        for (int l = 0; l <= 10; l++)
        {
            for (int m3 = -l; m3 <= l; m3++)
            {
                double sum = 0;
                for (int m1 = -l; m1 <= l; m1++)
                for (int m2 = -l; m2 <= l; m2++)
                {
                    double s = Wigner3j.Symbol(l, l, l, m1, m2, m3);
                    if (m1 + m2 + m3 != 0) Assert.Equal(0.0, s);
                    sum += s * s;
                }
                Assert.Equal(1.0 / (2 * l + 1), sum, 1e-14);
            }
            if (l % 2 == 0)
            {
                // (l l l; 0 0 0) = (-1)^g sqrt(l!^3 / (3l+1)!) g! / ((g-l)!)^3, g = 3l/2
                int g = 3 * l / 2;
                double expected = (g % 2 == 0 ? 1 : -1) * Math.Sqrt(Math.Pow(Wigner3j.Factorial(l), 3) / Wigner3j.Factorial(3 * l + 1))
                                  * Wigner3j.Factorial(g) / Math.Pow(Wigner3j.Factorial(g - l), 3);
                Assert.Equal(expected, Wigner3j.Symbol(l, l, l, 0, 0, 0), 1e-15);
            }
            else Assert.Equal(0.0, Wigner3j.Symbol(l, l, l, 0, 0, 0), 1e-15);
        }
        Assert.Equal(-Math.Sqrt(2.0 / 35), Wigner3j.Symbol(2, 2, 2, 0, 0, 0), 1e-15);
        Assert.Equal(0.0, Wigner3j.Symbol(1, 1, 3, 0, 0, 0)); // no triangle
    }
}
