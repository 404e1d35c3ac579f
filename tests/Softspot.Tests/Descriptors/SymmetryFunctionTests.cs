using Softspot.Descriptors;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// Behler–Parrinello radial and angular symmetry functions (descriptor-spec.md B.13): amlearn's reference tables,
/// a three-atom case worked by hand, the inclusive cutoff, and a brute-force evaluation of the definition on a
/// dense three-type triclinic system (well over amlearn's 60 neighbours per type).
/// </summary>
public class SymmetryFunctionTests
{
    // The CSVs hold 12 significant digits, so a correct value is within 5e-12 relative of the printed one (the
    // README's rel 1e-9 / abs 1e-10 is looser than needed). Both tables agree to 4.99e-12 at worst; 1e-11 leaves
    // room for summation order only. No absolute slack: the smallest reference values (6e-150 radial, 7e-7 angular)
    // are checked relatively too. (descriptor-spec.md C.4's "5e-8 for BP angular" is an absolute difference: the
    // angular columns reach 1e4, and 5e-8 there is 5e-12 relative.)
    private const double CsvRel = 1e-11;

    private static readonly Lazy<Snapshot> Glass = new(ReferenceTable.Glass);

    [Fact]
    public void RadialMatchesAmlearnForEveryAtomOfTheGlass()
    {
        var glass = Glass.Value;
        var d = RadialSymmetryFunctions.FromSystem(glass.Elements!);
        var reference = ReferenceTable.Load("bp_radial.csv");
        Assert.Equal(reference.Columns, d.Columns.Select(c => c.Name));
        reference.AssertMatches(glass, new FeatureSet([d]).Compute(glass), CsvRel, 0);
    }

    [Fact]
    public void AngularMatchesAmlearnForEveryAtomOfTheGlass()
    {
        var glass = Glass.Value;
        var d = AngularSymmetryFunctions.FromSystem(glass.Elements!, amlearnMinimumImage: true);
        var reference = ReferenceTable.Load("bp_angular.csv");
        Assert.Equal(reference.Columns, d.Columns.Select(c => c.Name));
        reference.AssertMatches(glass, new FeatureSet([d]).Compute(glass), CsvRel, 0);
    }

    [Fact]
    public void TheCompatibilitySettingReproducesAmlearnThroughTheAngularPreset()
    {
        var glass = Glass.Value;
        var settings = new FeaturizeSettings { AmlearnTripletMinimumImage = true };
        var table = Presets.Find("angular-sf").Build(glass.Elements!).Compute(glass, settings);
        ReferenceTable.Load("bp_angular.csv").AssertMatches(glass, table, CsvRel, 0);
        // and without it the triangle's own third side differs in this small cell (up to about 1 %)
        var standard = Presets.Find("angular-sf").Build(glass.Elements!).Compute(glass);
        Assert.Throws<Xunit.Sdk.TrueException>(() => ReferenceTable.Load("bp_angular.csv").AssertMatches(glass, standard, 1e-3, 0));
    }

    [Fact]
    public void FromSystemUsesTheCopperMiracleDiameter()
    {
        var elements = ElementMap.Parse("Cu,Zr");
        var radial = RadialSymmetryFunctions.FromSystem(elements);
        Assert.Equal(0.252, radial.DeltaR, 1e-15);
        Assert.Equal(6.3, radial.Cutoff, 1e-14);
        Assert.Equal(50, radial.CentreCount);
        Assert.Equal(2, radial.TypeCount);

        var angular = AngularSymmetryFunctions.FromSystem(elements);
        Assert.Equal(6.3, angular.Cutoff, 1e-14);
        Assert.Equal(22, angular.Parameters.Count);
        Assert.Equal(66, angular.Columns.Count);
        Assert.Equal(14.633 * 2.52, angular.Parameters[0].Xi, 1e-13);
        Assert.Equal(0.695 * 2.52, angular.Parameters[^1].Xi, 1e-13);

        // the same from a type count and a radius; the reference element can be another one
        Assert.Equal(radial.Columns, RadialSymmetryFunctions.FromSystem(2, 1.26).Columns);
        Assert.Equal(angular.Columns, AngularSymmetryFunctions.FromSystem(2, 1.26).Columns);
        var zr = RadialSymmetryFunctions.FromSystem(elements, Elements.Find("Zr"));
        Assert.Equal(0.316, zr.DeltaR, 1e-15);
        Assert.Equal(7.9, zr.Cutoff, 1e-14);
    }

    /// <summary>
    /// Three atoms across the x boundary of a periodic 30 A box: A (type 1) at (1,1,1), B (type 1) at (29,1,1),
    /// C (type 2) at (1,4,1). AB = 2 (through the boundary), AC = 3, BC = √13; the angle at A is 90°,
    /// cos θ_B = 2/√13, cos θ_C = 3/√13; every triplet has r_ij² + r_ik² + r_jk² = 4 + 9 + 13 = 26.
    /// </summary>
    private static Snapshot Triangle() => new(new Cell(Vec3.Zero, 30, 30, 30), [1, 2, 3], [1, 1, 2],
        [new Vec3(1, 1, 1), new Vec3(29, 1, 1), new Vec3(1, 4, 1)]) { Elements = ElementMap.Parse("Cu,Zr") }; // (a frame needs radii)

    [Fact]
    public void RadialOfThreeAtomsByHand()
    {
        var s = Triangle();
        var d = new RadialSymmetryFunctions(typeCount: 2, deltaR: 0.5, centreCount: 9, cutoff: 4);
        Assert.Equal("1_0.000", d.Columns[0].Name);
        Assert.Equal("2_4.000", d.Columns[^1].Name);
        var t = new FeatureSet([d]).Compute(s);
        double G(double r, int n) => Math.Exp(-(r - 0.5 * n) * (r - 0.5 * n) / (2 * 0.25));
        double sqrt13 = Math.Sqrt(13);
        for (int n = 0; n < 9; n++)
        {
            string c = (0.5 * n).ToString("F3", System.Globalization.CultureInfo.InvariantCulture);
            AssertClose(G(2, n), t[0, t.IndexOf("1_" + c)]);        // A: B (type 1) at 2
            AssertClose(G(3, n), t[0, t.IndexOf("2_" + c)]);        //    C (type 2) at 3
            AssertClose(G(2, n), t[1, t.IndexOf("1_" + c)]);        // B: A at 2
            AssertClose(G(sqrt13, n), t[1, t.IndexOf("2_" + c)]);   //    C at √13
            AssertClose(G(3, n) + G(sqrt13, n), t[2, t.IndexOf("1_" + c)]); // C: A and B
            Assert.Equal(0, t[2, t.IndexOf("2_" + c)]);
        }
    }

    [Fact]
    public void AngularOfThreeAtomsByHand()
    {
        var s = Triangle();
        AngularSymmetryFunctions.ParameterSet[] ps = [new(3, 1, 1), new(5, -1, 2), new(4, 1, 16), new(3.5, 1, 2.5), new(6, -0.5, 0)];
        var d = new AngularSymmetryFunctions(2, ps, cutoff: 4);
        Assert.Equal(["1_1_3.000_1.000_1.000", "1_1_5.000_-1.000_2.000", "1_1_4.000_1.000_16.000", "1_1_3.500_1.000_2.500", "1_1_6.000_-0.500_0.000"],
            d.Columns.Take(5).Select(c => c.Name));
        Assert.Equal(15, d.Columns.Count); // pairs (1,1), (1,2), (2,2)
        var t = new FeatureSet([d]).Compute(s);
        double sqrt13 = Math.Sqrt(13);
        foreach (var p in ps)
        {
            string suffix = $"_{F3(p.Xi)}_{F3(p.Lambda)}_{F3(p.Zeta)}";
            double G(double cos) => Math.Exp(-26 / (p.Xi * p.Xi)) * Math.Pow(1 + p.Lambda * cos, p.Zeta);
            // A: j = B (type 1), k = C (type 2), 90°
            AssertClose(G(0), t[0, t.IndexOf("1_2" + suffix)]);
            Assert.Equal(0, t[0, t.IndexOf("1_1" + suffix)]);
            Assert.Equal(0, t[0, t.IndexOf("2_2" + suffix)]);
            // B: j = A (type 1), k = C (type 2)
            AssertClose(G(2 / sqrt13), t[1, t.IndexOf("1_2" + suffix)]);
            Assert.Equal(0, t[1, t.IndexOf("1_1" + suffix)]);
            // C: j = A, k = B, both type 1: the pair counted once
            AssertClose(G(3 / sqrt13), t[2, t.IndexOf("1_1" + suffix)]);
            Assert.Equal(0, t[2, t.IndexOf("1_2" + suffix)]);
            Assert.Equal(0, t[2, t.IndexOf("2_2" + suffix)]);
        }
    }

    [Fact]
    public void CutoffIsInclusive()
    {
        // A's neighbour C is exactly 3 A away (an exact double): counted at r_cut = 3, not just below
        var s = Triangle();
        var at = new RadialSymmetryFunctions(2, 0.5, 9, cutoff: 3);
        var below = new RadialSymmetryFunctions(2, 0.5, 9, cutoff: Math.BitDecrement(3.0));
        var tAt = new FeatureSet([at]).Compute(s);
        var tBelow = new FeatureSet([below]).Compute(s);
        AssertClose(1, tAt[0, tAt.IndexOf("2_3.000")]);
        Assert.Equal(0, tBelow[0, tBelow.IndexOf("2_3.000")]);

        AngularSymmetryFunctions.ParameterSet[] ps = [new(3, 1, 1)];
        var aAt = new FeatureSet([new AngularSymmetryFunctions(2, ps, 3)]).Compute(s);
        var aBelow = new FeatureSet([new AngularSymmetryFunctions(2, ps, Math.BitDecrement(3.0))]).Compute(s);
        AssertClose(Math.Exp(-26 / 9.0), aAt[0, aAt.IndexOf("1_2_3.000_1.000_1.000")]);
        Assert.Equal(0, aBelow[0, aBelow.IndexOf("1_2_3.000_1.000_1.000")]);
    }

    /// <summary>
    /// amlearn measures r_jk by the minimum image of j and k, which is not the triangle's third side when a cell width
    /// is below 4·r_cut (the 500-atom glass: L = 20.1, r_cut = 6.3). By default the side of the triangle is used, so
    /// the glass and its 2x2x2 replica (L = 40.3, where both definitions agree) give the same values.
    /// </summary>
    [Fact]
    public void AngularDefaultUsesTheTriangleSideAndDoesNotDependOnTheCellSize()
    {
        var glass = Glass.Value;
        var replica = glass.Replicate(2, 2, 2);
        var standard = AngularSymmetryFunctions.FromSystem(glass.Elements!);
        var amlearn = AngularSymmetryFunctions.FromSystem(glass.Elements!, amlearnMinimumImage: true);
        var small = new FeatureSet([standard]).Compute(glass);
        var smallAmlearn = new FeatureSet([amlearn]).Compute(glass);
        // the replica's first 500 atoms are the glass's atoms in the same order: only those are computed
        var frame = new FrameContext(replica);
        var largeKernel = standard.Bind(frame);
        var largeAmlearnKernel = amlearn.Bind(frame);
        var large = new double[small.ColumnCount];
        var largeAmlearn = new double[small.ColumnCount];
        double worst = 0, differs = 0;
        for (int i = 0; i < glass.Count; i++)
        {
            largeKernel(i, large);
            largeAmlearnKernel(i, largeAmlearn);
            Assert.Equal(large, largeAmlearn); // the flag changes nothing in a wide cell
            for (int c = 0; c < small.ColumnCount; c++)
            {
                worst = Math.Max(worst, Math.Abs(small[i, c] - large[c]) / Math.Abs(large[c]));
                differs = Math.Max(differs, Math.Abs(smallAmlearn[i, c] - large[c]) / Math.Abs(large[c]));
            }
        }
        Assert.True(worst < 1e-12, $"the standard definition depends on the cell size: {worst:E3}");
        Assert.True(differs > 1e-3, $"amlearn's minimum image should matter in the 20 A cell: {differs:E3}");
    }

    /// <summary>
    /// 450 random atoms of three types in a tilted 14 A cell with r_cut 6.5: about 210 neighbours, 70 of each type
    /// (amlearn's buffer holds 60), rows of every length; compared with the definition evaluated directly.
    /// </summary>
    [Fact]
    public void BothMatchTheDefinitionEvaluatedDirectlyOnADenseThreeTypeCell()
    {
        var cell = new Cell(new Vec3(-1, 2, 0.5), 14, 14, 14, xy: 2.5, xz: -1.5, yz: 1);
        var rng = new Random(7);
        int n = 450;
        var pos = new Vec3[n]; var types = new int[n]; var ids = new long[n];
        for (int i = 0; i < n; i++)
        {
            pos[i] = cell.ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()));
            types[i] = 1 + i % 3; ids[i] = i + 1;
        }
        var s = new Snapshot(cell, ids, types, pos) { Elements = ElementMap.Parse("Cu,Zr,Ni") };
        double rc = 6.5;
        var radial = new RadialSymmetryFunctions(3, 0.3, 23, rc);
        AngularSymmetryFunctions.ParameterSet[] ps = [new(9, -1, 1), new(4, 1, 2), new(4, 1, 16), new(2.5, 1, 4), new(6, 1, 1.5), new(9, 1, 1)];
        var angular = new AngularSymmetryFunctions(3, ps, rc);
        var frame = new FrameContext(s);
        var radialKernel = radial.Bind(frame);
        var angularKernel = angular.Bind(frame);
        var rv = new double[radial.Columns.Count];
        var av = new double[angular.Columns.Count];
        int most = 0;
        foreach (int i in new[] { 0, 1, 2, 100, 227, 449 })
        {
            // neighbours by brute force: every other atom's minimum image within r_cut
            var nb = new List<(int Type, Vec3 V, double R)>();
            for (int j = 0; j < n; j++)
            {
                if (j == i) continue;
                var v = cell.MinimumImage(pos[j] - pos[i]);
                if (v.Norm <= rc) nb.Add((types[j], v, v.Norm));
            }
            most = Math.Max(most, Enumerable.Range(1, 3).Max(t => nb.Count(x => x.Type == t)));

            radialKernel(i, rv);
            for (int t = 1; t <= 3; t++)
                for (int c = 0; c < 23; c++)
                {
                    double expected = nb.Where(x => x.Type == t).Sum(x => Math.Exp(-Math.Pow(x.R - c * 0.3, 2) / (2 * 0.3 * 0.3)));
                    AssertClose(expected, rv[radial.Columns.Select(x => x.Name).ToList().IndexOf($"{t}_{F3(c * 0.3)}")], 1e-12);
                }

            angularKernel(i, av);
            int col = 0;
            for (int t1 = 1; t1 <= 3; t1++)
                for (int t2 = t1; t2 <= 3; t2++)
                    foreach (var p in ps)
                    {
                        double expected = 0;
                        for (int a = 0; a < nb.Count; a++)
                            for (int b = 0; b < nb.Count; b++)
                            {
                                bool pair = t1 == t2 ? nb[a].Type == t1 && nb[b].Type == t1 && a < b : nb[a].Type == t1 && nb[b].Type == t2;
                                if (!pair) continue;
                                var (vj, vk) = (nb[a].V, nb[b].V);
                                double cos = vj.Dot(vk) / (nb[a].R * nb[b].R);
                                expected += Math.Exp(-(vj.Norm2 + vk.Norm2 + (vk - vj).Norm2) / (p.Xi * p.Xi)) * Math.Pow(1 + p.Lambda * cos, p.Zeta);
                            }
                        Assert.Equal($"{t1}_{t2}_{F3(p.Xi)}_{F3(p.Lambda)}_{F3(p.Zeta)}", angular.Columns[col].Name);
                        AssertClose(expected, av[col++], 1e-11);
                    }
        }
        Assert.True(most > 60, $"only {most} neighbours of one type: the test should exceed amlearn's buffer of 60");
    }

    [Fact]
    public void BadSetupsAreRejected()
    {
        // a frame with a type beyond the columns
        var glass = Glass.Value;
        var radial = RadialSymmetryFunctions.FromSystem(1, 1.26);
        var angular = AngularSymmetryFunctions.FromSystem(1, 1.26);
        Assert.Throws<ArgumentException>(() => radial.Bind(new FrameContext(glass)));
        Assert.Throws<ArgumentException>(() => angular.Bind(new FrameContext(glass)));
        // 1 + λ cos θ could go negative
        Assert.Throws<ArgumentOutOfRangeException>(() => new AngularSymmetryFunctions(2, [new(3, 1.5, 1)], 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AngularSymmetryFunctions(2, [new(3, 1, -1)], 6));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RadialSymmetryFunctions(2, 0, 50, 6));
    }

    private static string F3(double x) => x.ToString("F3", System.Globalization.CultureInfo.InvariantCulture);

    private static void AssertClose(double expected, double actual, double rel = 1e-13) =>
        Assert.True(Math.Abs(actual - expected) <= rel * Math.Abs(expected), $"expected {expected:R}, got {actual:R}");
}
