using System.Globalization;
using Softspot.Numerics;
using Softspot.Simulation;
using Softspot.Simulation.Art;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Simulation.Potentials;
using Softspot.Tests.Support;

namespace Softspot.Tests.Simulation;

/// <summary>
/// ART nouveau on the shipped Cu64Zr36 glass (native EAM, atoms within 6 A of the initiating atom mobile): every
/// saddle reported has a force below the tolerance and exactly one negative eigenvalue of a finite-difference Hessian
/// diagonalised by numpy; LAMMPS gives the same barrier on the same configuration; the final state is a minimum.
/// </summary>
public class ArtGlassTests
{
    private static readonly ArtSettings Settings = new();
    private const double MobileRadius = 6.0;

    private sealed record Found(long Seed, int[] Mobile, double[] Minimum, IReadOnlyList<int> Initial, ArtOutcome Outcome);

    /// <summary>The first two converged searches around atom 15 (at most 16 tried).</summary>
    private static readonly Lazy<(EamForceEngine Engine, List<Found> Saddles, int Tried)> Searches = new(() =>
    {
        var glass = EamReference.Glass;
        var engine = new EamForceEngine(glass, SetflPotential.Read(EamReference.Potential("CuZr_mm.eam.fs")), ["Cu", "Zr"]);
        var x = EamReference.Flat(glass);
        int centre = glass.IndexById()[15];
        var found = new List<Found>();
        int tried = 0;
        for (long seed = 1; seed <= 16 && found.Count < 2; seed++, tried++)
        {
            var mobile = Within(glass, x, centre, MobileRadius);
            var surface = new EamLocalSurface(engine, x, mobile);
            var x0 = FlatCoordinates.Gather(x, mobile);
            var f = new double[x0.Length];
            double e0 = surface.Compute(x0, f);
            var initial = Enumerable.Range(0, mobile.Length).Where(k => Distance(glass, x, mobile[k], centre) <= Settings.InitialRadius).ToList();
            var o = new ArtSearch(surface, Settings).Run(x0, e0, initial, new SplitMix64(seed, 15));
            if (o.Converged) found.Add(new Found(seed, mobile, x0, initial, o));
        }
        return (engine, found, tried);
    });

    private static int[] Within(Structures.Snapshot s, double[] x, int centre, double r) =>
        Enumerable.Range(0, s.Count).Where(i => Distance(s, x, i, centre) <= r).ToArray();

    private static double Distance(Structures.Snapshot s, double[] x, int i, int j) =>
        s.Cell.MinimumImage(new Structures.Vec3(x[3 * i] - x[3 * j], x[3 * i + 1] - x[3 * j + 1], x[3 * i + 2] - x[3 * j + 2])).Norm;

    private static double[] Scatter(double[] x, int[] mobile, double[] local)
    {
        var full = x.ToArray();
        FlatCoordinates.Scatter(local, mobile, full);
        return full;
    }

    /// <summary>Eigenvalues (ascending) of the central-difference Hessian of the local surface, by numpy.</summary>
    private static double[] HessianEigenvalues(IPotentialSurface surface, double[] at)
    {
        int n = at.Length;
        const double h = 1e-4;
        var rows = new string[n];
        var fp = new double[n]; var fm = new double[n];
        for (int j = 0; j < n; j++)
        {
            var xp = at.ToArray(); xp[j] += h; surface.Compute(xp, fp);
            var xm = at.ToArray(); xm[j] -= h; surface.Compute(xm, fm);
            rows[j] = string.Join(' ', Enumerable.Range(0, n).Select(i => (-(fp[i] - fm[i]) / (2 * h)).ToString("R", CultureInfo.InvariantCulture)));
        }
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("hessian.txt"), rows);
        string script = "import numpy as np\nh = np.loadtxt('hessian.txt')\nprint('%.17g' % np.abs(h - h.T).max())\nfor v in np.linalg.eigvalsh((h + h.T) / 2): print('%.17g' % v)\n";
        File.WriteAllText(dir.File("eig.py"), script);
        var lines = ExternalTool.Run("/usr/bin/python3", ["eig.py"], dir.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // tabulated EAM is only C1 at the table knots: finite differences across a knot make the Hessian slightly asymmetric
        Assert.True(double.Parse(lines[0], CultureInfo.InvariantCulture) < 1e-2, $"Hessian asymmetry {lines[0]}");
        return lines.Skip(1).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToArray();
    }

    [Fact]
    public void SearchesFindSaddles()
    {
        var (_, saddles, tried) = Searches.Value;
        Assert.True(saddles.Count == 2, $"only {saddles.Count} converged saddles in {tried} searches");
    }

    [Fact]
    public void SaddlesHaveSmallForceAndExactlyOneNegativeEigenvalue()
    {
        var (engine, saddles, _) = Searches.Value;
        Assert.NotEmpty(saddles);
        var x = EamReference.Flat(EamReference.Glass);
        foreach (var s in saddles)
        {
            var surface = new EamLocalSurface(engine, x, s.Mobile);
            var f = new double[s.Outcome.Saddle.Length];
            surface.Compute(s.Outcome.Saddle, f);
            double force = Math.Sqrt(f.Sum(v => v * v));
            Assert.True(force < Settings.SaddleForce, $"seed {s.Seed}: total force {force} at the saddle");
            var eig = HessianEigenvalues(surface, s.Outcome.Saddle);
            Assert.True(eig[0] < -Settings.MinimumCurvature, $"seed {s.Seed}: lowest eigenvalue {eig[0]}");
            Assert.True(eig[1] > -Settings.SecondEigenvalueTolerance, $"seed {s.Seed}: second eigenvalue {eig[1]} (a higher-order saddle)");
            // the Lanczos estimate agrees with the full diagonalisation to 5 %: the two use different finite-difference
            // steps (0.002 A along the mode, 1e-4 A per coordinate), and tabulated EAM's curvature jumps at table knots
            Assert.Equal(eig[0], s.Outcome.Eigenvalue, 0.05 * Math.Abs(eig[0]));
        }
    }

    [Fact]
    public void LammpsReproducesTheBarrierAndTheFinalStateIsAMinimum()
    {
        var (engine, saddles, _) = Searches.Value;
        Assert.NotEmpty(saddles);
        var glass = EamReference.Glass;
        var x = EamReference.Flat(glass);
        var potential = PotentialSpec.Resolve("CuZr_mm.eam.fs", ["Cu", "Zr"]);
        using var lammps = new LammpsForceEngine(glass, potential);
        var f = new double[x.Length];
        double e0 = lammps.Compute(x, f);
        foreach (var s in saddles)
        {
            double eSaddle = lammps.Compute(Scatter(x, s.Mobile, s.Outcome.Saddle), f);
            Assert.Equal(s.Outcome.Eact, eSaddle - e0, 1e-7);
            double eFinal = lammps.Compute(Scatter(x, s.Mobile, s.Outcome.Final), f);
            Assert.Equal(s.Outcome.Efinal, eFinal - e0, 1e-7);
            // at the final state no mobile atom feels more than the minimisation tolerance, and the Hessian is positive
            double worst = s.Mobile.Max(i => Math.Sqrt(f[3 * i] * f[3 * i] + f[3 * i + 1] * f[3 * i + 1] + f[3 * i + 2] * f[3 * i + 2]));
            Assert.True(worst <= Settings.MinimizeForce * 1.0001, $"seed {s.Seed}: force {worst} on a mobile atom in the final state");
            var eig = HessianEigenvalues(new EamLocalSurface(engine, x, s.Mobile), s.Outcome.Final);
            Assert.True(eig[0] > 0, $"seed {s.Seed}: lowest eigenvalue {eig[0]} in the final state");
            Assert.True(s.Outcome.FinalDisplacement.Max() > Settings.ConnectTolerance, "the final state differs from the initial one");
        }
    }

    [Fact]
    public void TheLammpsEngineRetracesTheSameSearch()
    {
        // the same search on the same mobile atoms, with every force from LAMMPS (whole box, frozen atoms fixed):
        // the engines agree to 1e-14, so the search takes the same steps to the same saddle
        var (_, saddles, _) = Searches.Value;
        Assert.NotEmpty(saddles);
        var s = saddles[0];
        var glass = EamReference.Glass;
        var x = EamReference.Flat(glass);
        using var lammps = new LammpsForceEngine(glass, PotentialSpec.Resolve("CuZr_mm.eam.fs", ["Cu", "Zr"]));
        var surface = new WholeBoxSurface(lammps, x, s.Mobile);
        var f = new double[s.Minimum.Length];
        double e0 = surface.Compute(s.Minimum, f);
        var o = new ArtSearch(surface, Settings).Run(s.Minimum, e0, s.Initial, new SplitMix64(s.Seed, 15));
        Assert.True(o.Converged, o.Status);
        Assert.Equal(s.Outcome.Eact, o.Eact, 1e-6);
        Assert.Equal(s.Outcome.Efinal, o.Efinal, 1e-6);
    }
}
