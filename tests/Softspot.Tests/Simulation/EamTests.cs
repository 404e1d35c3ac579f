using System.Diagnostics;
using System.Globalization;
using Softspot.IO;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Simulation;

/// <summary>
/// The native EAM engine on its own terms: the interpolation, forces against finite differences of the energy and
/// against a brute-force evaluation, independence from the neighbour-list history and from how positions are
/// unwrapped, the local-region surface against the whole structure, and bad potential files.
/// </summary>
public class EamTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] CuZrTypes = ["Cu", "Zr"];

    // ---------- interpolation ----------

    [Fact]
    public void InterpolationReproducesCubicsInsideTheTableAndHoldsKnotValues()
    {
        static double Cubic(double x) => 0.3 - 1.2 * x + 0.7 * x * x - 0.05 * x * x * x;
        static double Slope(double x) => -1.2 + 1.4 * x - 0.15 * x * x;
        const double h = 0.25;
        var values = Enumerable.Range(0, 30).Select(k => Cubic(k * h)).ToArray();
        var f = new TabulatedFunction(values, h);
        for (int k = 0; k < values.Length; k++) Assert.Equal(values[k], f.Value(k * h), 12);
        // 4th-order slopes are exact for a cubic away from the two knots at each end, so the Hermite cubic is too
        for (double x = 3 * h; x <= 26 * h; x += 0.0371)
        {
            Assert.Equal(Cubic(x), f.Evaluate(x, out double d), 11);
            Assert.Equal(Slope(x), d, 10);
        }
        // near the ends the one-sided slopes are only first order: the interpolant is no longer exact there
        Assert.True(Math.Abs(f.Value(0.5 * h) - Cubic(0.5 * h)) > 1e-6);
    }

    [Fact]
    public void BeyondTheTableValuesHoldOrContinueLinearly()
    {
        var values = Enumerable.Range(0, 12).Select(k => Math.Sin(0.3 * k)).ToArray();
        const double h = 0.5;
        var held = new TabulatedFunction(values, h);
        var linear = new TabulatedFunction(values, h, extrapolateLinearly: true);
        double end = 11 * h;
        Assert.Equal(end, held.End);
        double lastSlope = (values[11] - values[10]) / h; // one-sided difference at the last knot
        foreach (double x in new[] { end + 0.1, end + 3.0 })
        {
            Assert.Equal(values[11], held.Evaluate(x, out double d1), 12);
            Assert.Equal(lastSlope, d1, 12);
            Assert.Equal(values[11] + lastSlope * (x - end), linear.Evaluate(x, out double d2), 12);
            Assert.Equal(lastSlope, d2, 12);
        }
        // below zero the first cubic is extrapolated (LAMMPS clamps the interval, not the fraction)
        Assert.True(double.IsFinite(linear.Value(-0.3)));
        Assert.NotEqual(values[0], linear.Value(-0.3));
    }

    // ---------- forces ----------

    [Fact]
    public void ForcesAreMinusTheNumericalGradient()
    {
        var s = EamReference.Perturbed(EamReference.Glass, 0.25, seed: 11);
        using var engine = new EamForceEngine(s, EamReference.CuZr);
        var x = EamReference.Flat(s);
        var f = new double[x.Length];
        engine.Compute(x, f);
        var scratch = new double[x.Length];
        const double step = 1e-5;
        double worst = 0;
        foreach (int atom in new[] { 0, 17, 123, 256, 499 })
            for (int c = 0; c < 3; c++)
            {
                int k = 3 * atom + c;
                double keep = x[k];
                x[k] = keep + step; double up = engine.Compute(x, scratch);
                x[k] = keep - step; double down = engine.Compute(x, scratch);
                x[k] = keep;
                double numeric = -(up - down) / (2 * step);
                worst = Math.Max(worst, Math.Abs(numeric - f[k]));
                Assert.True(Math.Abs(numeric - f[k]) <= 1e-6 * Math.Max(1, Math.Abs(f[k])),
                    $"atom {atom} component {c}: force {f[k]:R}, -dE/dx {numeric:R}");
            }
        output.WriteLine(string.Format(Inv, "worst |F + dE/dx| {0:G3} eV/A (max |F| {1:G3})", worst, f.Max(Math.Abs)));
    }

    /// <summary>Energy and forces equal a brute-force sum over all pairs and periodic images (no neighbour list).</summary>
    [Fact]
    public void EngineEqualsBruteForceSumOverImages()
    {
        foreach (var s in new[]
        {
            EamReference.Perturbed(EamReference.Deformed(EamReference.Glass, 1.0, xy: -3.0, xz: 2.0, yz: -1.5), 0.2, seed: 12),
            EamReference.Glass,
        })
        {
            var (energy, forces, _) = EamReference.BruteForce(s, EamReference.CuZr, CuZrTypes);
            using var engine = new EamForceEngine(s, EamReference.CuZr);
            var f = new double[3 * s.Count];
            double e = engine.Compute(EamReference.Flat(s), f);
            Assert.True(Math.Abs(e - energy) <= 1e-12 * Math.Abs(energy), $"energy {e:R} vs brute force {energy:R}");
            double fmax = forces.Max(Math.Abs);
            for (int k = 0; k < f.Length; k++)
                Assert.True(Math.Abs(f[k] - forces[k]) <= 1e-10 * fmax, $"component {k}: {f[k]:R} vs brute force {forces[k]:R}");
        }
    }

    /// <summary>
    /// A random walk that crosses cell faces (positions left unwrapped) and triggers list rebuilds: every step's
    /// energy and forces are bit-identical to those of a fresh engine (made for the same structure) evaluated
    /// directly at the step's positions.
    /// </summary>
    [Fact]
    public void ResultsDoNotDependOnTheNeighbourListHistory()
    {
        var s = EamReference.Deformed(EamReference.Glass, 1.0, xy: 1.5);
        using var engine = new EamForceEngine(s, EamReference.CuZr, skin: 0.4);
        var x = EamReference.Flat(s);
        var rng = new Random(13);
        var f = new double[x.Length];
        var fresh = new double[x.Length];
        for (int step = 0; step < 12; step++)
        {
            // a few atoms move a lot (crossing faces), the rest jitter
            for (int k = 0; k < x.Length; k++) x[k] += 0.03 * (rng.NextDouble() - 0.5);
            for (int a = 0; a < 5; a++) x[3 * (step * 7 + a) + a % 3] += 0.9 * (a % 2 == 0 ? 1 : -1);
            double e = engine.Compute(x, f);
            using var reference = new EamForceEngine(s, EamReference.CuZr, skin: 0.4);
            double eFresh = reference.Compute(x, fresh);
            Assert.Equal(eFresh, e);
            Assert.Equal(fresh, f);
        }
        Assert.True(engine.ListBuilds > 3, $"only {engine.ListBuilds} list builds: the walk should have forced rebuilds");
    }

    [Fact]
    public void UnwrappedPositionsGiveTheSameResult()
    {
        var s = EamReference.Perturbed(EamReference.Deformed(EamReference.Glass, 1.0, xz: 2.0), 0.2, seed: 14);
        using var engine = new EamForceEngine(s, EamReference.CuZr);
        var x = EamReference.Flat(s);
        var f = new double[x.Length];
        double e = engine.Compute(x, f);
        var cell = s.Cell;
        var rng = new Random(15);
        var y = (double[])x.Clone();
        for (int i = 0; i < s.Count; i += 3)
        {
            var shift = rng.Next(-3, 4) * cell.A + rng.Next(-3, 4) * cell.B + rng.Next(-3, 4) * cell.C;
            y[3 * i] += shift.X; y[3 * i + 1] += shift.Y; y[3 * i + 2] += shift.Z;
        }
        using var other = new EamForceEngine(s, EamReference.CuZr);
        var g = new double[x.Length];
        double e2 = other.Compute(y, g);
        Assert.True(Math.Abs(e - e2) <= 1e-12 * Math.Abs(e), $"{e:R} vs {e2:R}");
        double fmax = f.Max(Math.Abs);
        for (int k = 0; k < f.Length; k++) Assert.True(Math.Abs(f[k] - g[k]) <= 1e-10 * fmax);
    }

    // ---------- local surface ----------

    private static int[] Within(Snapshot s, Vec3 centre, double radius) =>
        Enumerable.Range(0, s.Count).Where(i => s.Cell.MinimumImage(s.Positions[i] - centre).Norm < radius).ToArray();

    private static double[] MobileCoordinates(double[] all, int[] mobile) =>
        mobile.SelectMany(i => new[] { all[3 * i], all[3 * i + 1], all[3 * i + 2] }).ToArray();

    private static void Scatter(double[] all, int[] mobile, double[] x)
    {
        for (int m = 0; m < mobile.Length; m++)
            for (int c = 0; c < 3; c++) all[3 * mobile[m] + c] = x[3 * m + c];
    }

    [Fact]
    public void LocalSurfaceAgreesWithTheWholeStructure()
    {
        var s = EamReference.Perturbed(EamReference.Deformed(EamReference.Glass.Replicate(2, 1, 1), 1.0, xy: 2.0), 0.1, seed: 16);
        using var engine = new EamForceEngine(s, EamReference.CuZr);
        var all = EamReference.Flat(s);
        var mobile = Within(s, s.Positions[42], 6.0);
        Assert.InRange(mobile.Length, 30, 120);
        var surface = new EamLocalSurface(engine, all, mobile);
        Assert.Equal(mobile, surface.Mobile.ToArray());

        var fAll = new double[all.Length];
        var x0 = MobileCoordinates(all, mobile);
        var fLocal = new double[x0.Length];
        double eBox0 = engine.Compute(all, fAll);
        double eLocal0 = surface.Compute(x0, fLocal);
        AssertMobileForces(fAll, fLocal, mobile);

        // a walk of the mobile atoms long enough to rebuild the local lists (and change the shell)
        var rng = new Random(17);
        var x = (double[])x0.Clone();
        double worstE = 0;
        for (int step = 0; step < 10; step++)
        {
            for (int k = 0; k < x.Length; k++) x[k] += 0.12 * (rng.NextDouble() - 0.5) + (k % 3 == 0 ? 0.1 : 0);
            Scatter(all, mobile, x);
            double eBox = engine.Compute(all, fAll);
            double eLocal = surface.Compute(x, fLocal);
            AssertMobileForces(fAll, fLocal, mobile);
            double dBox = eBox - eBox0, dLocal = eLocal - eLocal0;
            worstE = Math.Max(worstE, Math.Abs(dBox - dLocal));
            Assert.True(Math.Abs(dBox - dLocal) <= 1e-10 * Math.Max(1, Math.Abs(dBox)),
                $"step {step}: energy change {dLocal:R} locally, {dBox:R} for the whole structure");
        }
        Assert.True(surface.ListBuilds > 1, "the walk should have rebuilt the local lists");
        Assert.Equal(11, surface.Calls);
        output.WriteLine(string.Format(Inv, "{0} mobile, {1} involved of {2}; worst energy-difference mismatch {3:G3} eV; {4} local list builds",
            mobile.Length, surface.InvolvedAtoms, s.Count, worstE, surface.ListBuilds));
    }

    private static void AssertMobileForces(double[] fAll, double[] fLocal, int[] mobile)
    {
        double fmax = mobile.Max(i => Math.Max(Math.Abs(fAll[3 * i]), Math.Max(Math.Abs(fAll[3 * i + 1]), Math.Abs(fAll[3 * i + 2]))));
        for (int m = 0; m < mobile.Length; m++)
            for (int c = 0; c < 3; c++)
            {
                double expected = fAll[3 * mobile[m] + c], actual = fLocal[3 * m + c];
                Assert.True(Math.Abs(expected - actual) <= 1e-10 * fmax,
                    $"mobile atom {mobile[m]} component {c}: local {actual:R}, whole structure {expected:R}");
            }
    }

    /// <summary>
    /// The same event region in a 2x2x2 and a 4x4x4 replica of the glass (4,000 and 32,000 atoms): a local call
    /// involves the same atoms and gives the same forces, whatever the size of the structure.
    /// </summary>
    [Fact]
    public void LocalSurfaceCostDoesNotGrowWithTheStructure()
    {
        var involved = new List<int>();
        var forces = new List<double[]>();
        foreach (int n in new[] { 2, 4 })
        {
            var s = EamReference.Glass.Replicate(n, n, n);
            using var engine = new EamForceEngine(s, EamReference.CuZr);
            var all = EamReference.Flat(s);
            var centre = s.Positions[250];
            // the same atoms in both replicas, in the same order: by their offset from the centre
            var mobile = Within(s, centre, 6.0)
                .OrderBy(i => Math.Round(s.Cell.MinimumImage(s.Positions[i] - centre).X, 6))
                .ThenBy(i => Math.Round(s.Cell.MinimumImage(s.Positions[i] - centre).Y, 6)).ToArray();
            var surface = new EamLocalSurface(engine, all, mobile);
            var x = MobileCoordinates(all, mobile);
            for (int k = 0; k < x.Length; k += 3) x[k] += 0.05; // off the relaxed positions, so forces are not tiny
            var f = new double[x.Length];
            surface.Compute(x, f);
            involved.Add(surface.InvolvedAtoms);
            forces.Add(f);
            output.WriteLine($"{s.Count} atoms: {mobile.Length} mobile, {surface.InvolvedAtoms} involved");
        }
        Assert.Equal(involved[0], involved[1]);
        Assert.True(involved[1] < 1000, $"{involved[1]} atoms involved in a local call");
        double fmax = forces[0].Max(Math.Abs);
        for (int k = 0; k < forces[0].Length; k++) Assert.True(Math.Abs(forces[0][k] - forces[1][k]) <= 1e-10 * fmax);
    }

    [Fact]
    public void LocalSurfaceRejectsBadMobileSets()
    {
        var s = EamReference.Glass;
        using var engine = new EamForceEngine(s, EamReference.CuZr);
        var all = EamReference.Flat(s);
        Assert.Throws<ArgumentException>(() => new EamLocalSurface(engine, all, []));
        Assert.Throws<ArgumentException>(() => new EamLocalSurface(engine, all, [3, 4, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EamLocalSurface(engine, all, [500]));
        var surface = new EamLocalSurface(engine, all, [1, 2]);
        Assert.Throws<ArgumentException>(() => surface.Compute(new double[5], new double[6]));
    }

    // ---------- bad files ----------

    private static string CopyEdited(TempDir dir, string name, Func<string[], string[]> edit)
    {
        var lines = File.ReadAllLines(EamReference.Potential("CuZr_mm.eam.fs"));
        string path = dir.File(name);
        File.WriteAllLines(path, edit(lines));
        return path;
    }

    [Fact]
    public void TruncatedFileNamesFileAndLine()
    {
        using var dir = new TempDir();
        string path = CopyEdited(dir, "cut.eam.fs", l => l[..5000]);
        var e = Assert.Throws<InputFormatException>(() => SetflPotential.Read(path));
        Assert.Equal(InputProblem.Truncated, e.Kind);
        Assert.Equal(path, e.File);
        Assert.Equal(5001, e.Line);
        Assert.Contains($"{path}:5001:", e.Message);
        Assert.Contains("end of file", e.Message);
        Assert.Contains("Zr", e.Message); // what was being read: a table of Zr

        string header = CopyEdited(dir, "header.eam.fs", l => l[..4]);
        var h = Assert.Throws<InputFormatException>(() => SetflPotential.Read(header));
        Assert.Equal(InputProblem.Truncated, h.Kind);
        Assert.Equal(5, h.Line);
    }

    [Fact]
    public void NonNumberNamesFileAndLine()
    {
        using var dir = new TempDir();
        string path = CopyEdited(dir, "bad.eam.fs", l => l.Select((line, i) => i == 99 ? line.Replace("E", "Q") : line).ToArray());
        var e = Assert.Throws<InputFormatException>(() => SetflPotential.Read(path));
        Assert.Equal(InputProblem.NotANumber, e.Kind);
        Assert.Equal(100, e.Line);
        Assert.Contains($"{path}:100:", e.Message);
        Assert.Contains("embedding function F(rho) of Cu", e.Message);
    }

    [Fact]
    public void MalformedHeadersAreNamed()
    {
        using var dir = new TempDir();
        string count = CopyEdited(dir, "count.eam.fs", l => l.Select((line, i) => i == 3 ? "3 Cu Zr" : line).ToArray());
        var c = Assert.Throws<InputFormatException>(() => SetflPotential.Read(count));
        Assert.Equal(4, c.Line);
        Assert.Equal(InputProblem.ColumnCount, c.Kind);

        // one embedding value fewer than the tables hold leaves a value over on the last line of the block
        string extra = CopyEdited(dir, "extra.eam.fs", l => l.Select((line, i) => i == 4 ? line.Replace("10000   3.0", "9999   3.0") : line).ToArray());
        var x = Assert.Throws<InputFormatException>(() => SetflPotential.Read(extra));
        Assert.Equal(extra, x.File);
        Assert.True(x.Line > 5);

        Assert.Equal(InputProblem.Unsupported, Assert.Throws<InputFormatException>(() => SetflPotential.Read(dir.File("potential.txt"))).Kind);
    }

    [Fact]
    public void ElementsMissingFromThePotentialAreNamed()
    {
        var p = EamReference.CuZr;
        var e = Assert.Throws<InputFormatException>(() => p.MapTypes(["Cu", "Ni"]));
        Assert.Equal(InputProblem.UnknownElement, e.Kind);
        Assert.Contains("'Ni'", e.Message);
        Assert.Contains("Cu, Zr", e.Message);
        Assert.Contains("CuZr_mm.eam.fs", e.Message);
        var nickel = EamReference.Relabelled(EamReference.Glass, "Cu,Ni");
        Assert.Throws<InputFormatException>(() => new EamForceEngine(nickel, p));
        Assert.Throws<MissingElementsException>(() => new EamForceEngine(nickel.With(null), p));
        Assert.Equal(new[] { 1, 0 }, p.MapTypes(["Zr", "Cu"]));
    }

    [Fact]
    public void ReadsTheHeaderOfAShippedFile()
    {
        var p = EamReference.CuZr;
        Assert.Equal(SetflFormat.FinnisSinclair, p.Format);
        Assert.Equal("eam/fs", p.Style);
        Assert.Equal(new[] { "Cu", "Zr" }, p.Elements.Select(e => e.Symbol));
        Assert.Equal(29, p.Elements[0].AtomicNumber);
        Assert.Equal(91.224, p.Elements[1].Mass);
        Assert.Equal("hcp", p.Elements[1].LatticeType);
        Assert.Equal(10000, p.DensityKnots);
        Assert.Equal(7.6, p.Cutoff);
        Assert.Equal(7.6e-4, p.DistanceSpacing);
        Assert.Equal(3, p.Comments.Count);
    }

    // ---------- timing (reported, not asserted) ----------

    [Fact]
    public void ReportsTimings()
    {
        foreach (var (na, nb, nc) in new[] { (2, 2, 1), (2, 2, 2) })
        {
            var s = EamReference.Glass.Replicate(na, nb, nc);
            using var engine = new EamForceEngine(s, EamReference.CuZr);
            var x = EamReference.Flat(s);
            var f = new double[x.Length];
            var clock = Stopwatch.StartNew();
            engine.Compute(x, f);
            double first = clock.Elapsed.TotalMilliseconds;
            for (int r = 0; r < 3; r++) engine.Compute(x, f);
            int reps = 20;
            clock.Restart();
            for (int r = 0; r < reps; r++) engine.Compute(x, f);
            double perCall = clock.Elapsed.TotalMilliseconds / reps;

            var mobile = Within(s, s.Positions[0], 6.0);
            var surface = new EamLocalSurface(engine, x, mobile);
            var xm = MobileCoordinates(x, mobile);
            var fm = new double[xm.Length];
            for (int r = 0; r < 20; r++) surface.Compute(xm, fm);
            clock.Restart();
            for (int r = 0; r < 200; r++) surface.Compute(xm, fm);
            double local = clock.Elapsed.TotalMilliseconds / 200;
            output.WriteLine(string.Format(Inv, "{0} atoms: whole structure {1:F2} ms per call (first call with list build {2:F1} ms); local surface ({3} mobile, {4} involved) {5:F3} ms per call",
                s.Count, perCall, first, mobile.Length, surface.InvolvedAtoms, local));
        }
    }
}
