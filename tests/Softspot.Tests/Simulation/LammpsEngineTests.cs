using System.Diagnostics;
using System.Globalization;
using System.Text;
using Softspot.Simulation;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Simulation;

/// <summary>
/// <see cref="LammpsForceEngine"/> (LAMMPS library in a worker process) against independent <c>lmp</c> runs on the
/// shipped 500-atom Cu64Zr36 glass with Mendelev's CuZr_mm.eam.fs, in its cubic box and in a triclinic copy.
/// </summary>
public class LammpsEngineTests(ITestOutputHelper output)
{
    /// <summary>Relative tolerance of energies and forces against the reference (forces relative to max(|f|, 1 eV/A)).</summary>
    private const double Tolerance = 1e-10;

    private static PotentialSpec CuZr => PotentialSpec.Resolve("CuZr_mm.eam.fs", ["Cu", "Zr"]);

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.12)]
    [InlineData(0.7)] // beyond LAMMPS's default tilt limit of half a box length ("box tilt large")
    public void EnergyAndForcesMatchLmp(double shear)
    {
        var glass = shear != 0 ? Sheared(ReferenceTable.Glass(), shear) : ReferenceTable.Glass();
        using var engine = new LammpsForceEngine(glass, CuZr);
        Assert.Equal(glass.Count, engine.Count);
        Assert.Equal("lammps eam/fs", engine.Name);
        Assert.Equal(20210929, engine.LammpsVersion);

        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        double e = engine.Compute(x, f);
        AssertMatches(Reference(glass.Cell, glass.Types, x), e, f, "as read");

        Jiggle(x, 0.1, seed: 1);
        e = engine.Compute(x, f);
        AssertMatches(Reference(glass.Cell, glass.Types, x), e, f, "atoms displaced by up to 0.1 A");
        Assert.True(f.Max(Math.Abs) > 0.5, "the displaced glass should have sizeable forces"); // guards the tolerance's force scale
        Assert.Equal(2, engine.Calls);
    }

    [Fact]
    public void ManySmallMovesGiveTheForcesOfAFreshEngine()
    {
        var glass = Sheared(ReferenceTable.Glass());
        using var engine = new LammpsForceEngine(glass, CuZr);
        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        for (int step = 0; step < 25; step++) // a random walk: atoms cross faces and neighbour lists get rebuilt
        {
            Jiggle(x, 0.08, seed: 100 + step);
            engine.Compute(x, f);
        }
        double e = engine.Compute(x, f);
        var (eFresh, fFresh) = Fresh(glass, x);
        AssertMatches((eFresh, fFresh), e, f, "after 25 random-walk steps vs a fresh engine");
        AssertMatches(Reference(glass.Cell, glass.Types, x), e, f, "after 25 random-walk steps vs lmp");
    }

    [Fact]
    public void UnwrappedPositionsFarOutsideTheBoxGiveTheSameForces()
    {
        var glass = Sheared(ReferenceTable.Glass());
        var cell = glass.Cell;
        using var engine = new LammpsForceEngine(glass, CuZr);
        var x = FlatCoordinates.Flatten(glass.Positions);
        Jiggle(x, 0.05, seed: 7);
        var f = new double[x.Length];
        double e = engine.Compute(x, f);

        // every atom moved by its own whole number of cell vectors (up to 3 periods): the same configuration
        var random = new Random(11);
        var far = (double[])x.Clone();
        for (int i = 0; i < glass.Count; i++)
        {
            var shift = random.Next(-3, 4) * cell.A + random.Next(-3, 4) * cell.B + random.Next(-3, 4) * cell.C;
            far[3 * i] += shift.X; far[3 * i + 1] += shift.Y; far[3 * i + 2] += shift.Z;
        }
        var fFar = new double[x.Length];
        double eFar = engine.Compute(far, fFar);
        AssertMatches((e, f), eFar, fFar, "atoms shifted by whole periods");

        // the whole glass translated by 2.3 box lengths: energy and forces do not change
        var moved = (double[])x.Clone();
        var t = 2.3 * cell.A - 1.7 * cell.B + 1.4 * cell.C;
        for (int i = 0; i < glass.Count; i++) { moved[3 * i] += t.X; moved[3 * i + 1] += t.Y; moved[3 * i + 2] += t.Z; }
        double eMoved = engine.Compute(moved, fFar);
        AssertMatches((e, f), eMoved, fFar, "glass translated by 2.3 box lengths", relative: 1e-9);
        AssertMatches(Fresh(glass, moved), eMoved, fFar, "translated glass vs a fresh engine");

        // and back: the first configuration again
        double eBack = engine.Compute(x, fFar);
        AssertMatches((e, f), eBack, fFar, "back to the start");
    }

    [Fact]
    public void MinimizeLowersTheEnergyAndKeepsAtomsUnwrapped()
    {
        var glass = ReferenceTable.Glass();
        using var engine = new LammpsForceEngine(glass, CuZr);
        var x = FlatCoordinates.Flatten(glass.Positions);
        Jiggle(x, 0.1, seed: 3);
        var start = (double[])x.Clone();
        var f = new double[x.Length];
        double e0 = engine.Compute(x, f);
        double e1 = engine.Minimize(x, forceTolerance: 1e-4);
        Assert.True(e1 < e0 - 1, $"minimisation from {e0} eV ended at {e1} eV");
        double moved = 0;
        for (int k = 0; k < x.Length; k++) moved = Math.Max(moved, Math.Abs(x[k] - start[k]));
        Assert.True(moved < 1.0, $"an atom moved {moved} A along an axis: positions were not returned near their start");
        double e2 = engine.Compute(x, f);
        Assert.Equal(e1, e2, 1e-9 * Math.Abs(e1));
        Assert.True(f.Max(Math.Abs) < 1e-4 * 1.01, $"largest force after minimisation {f.Max(Math.Abs)} eV/A");
    }

    [Fact]
    public void CommandsThatShearTheBoxUpdateTheCell()
    {
        var glass = ReferenceTable.Glass();
        using var engine = new LammpsForceEngine(glass, CuZr);
        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        engine.Run(["change_box all triclinic", "change_box all xy delta 1.5 remap units box"], x);
        Assert.Equal(1.5, engine.Cell.Xy, 12);
        Assert.Equal(glass.Cell.Lx, engine.Cell.Lx, 12);

        // forces in the sheared box, for positions given one period away along the new (tilted) b vector
        Jiggle(x, 0.05, seed: 9);
        var far = (double[])x.Clone();
        var b = engine.Cell.B;
        for (int i = 0; i < glass.Count; i += 2) { far[3 * i] += b.X; far[3 * i + 1] += b.Y; }
        double e = engine.Compute(far, f);
        AssertMatches(Reference(engine.Cell, glass.Types, x), e, f, "after change_box xy delta 1.5");
    }

    [Fact]
    public void InstallationIsFound()
    {
        Assert.True(LammpsInstallation.LibraryAvailable);
        Assert.Equal("/usr/share/lammps/potentials/CuZr_mm.eam.fs", LammpsInstallation.ResolvePotential("CuZr_mm.eam.fs"));
        Assert.Throws<FileNotFoundException>(() => LammpsInstallation.ResolvePotential("NoSuch.eam.fs"));
        Assert.True(File.Exists(LammpsInstallation.LmpExecutable()));
        Assert.Contains("29 Sep 2021", LammpsInstallation.Version());
    }

    [Fact]
    public void MissingPotentialFileIsAClearError()
    {
        var potential = new PotentialSpec("/nonexistent/CuZr_missing.eam.fs", "eam/fs", ["Cu", "Zr"]);
        var e = Assert.Throws<LammpsException>(() => new LammpsForceEngine(ReferenceTable.Glass(), potential));
        output.WriteLine(e.Message);
        Assert.Contains("ERROR", e.Message);
        Assert.Contains("CuZr_missing.eam.fs", e.Message);
        Assert.Contains("setting up", e.Message);
    }

    [Fact]
    public void UnknownElementIsAClearError()
    {
        var potential = new PotentialSpec(LammpsInstallation.ResolvePotential("CuZr_mm.eam.fs"), "eam/fs", ["Cu", "Fe"]);
        var e = Assert.Throws<LammpsException>(() => new LammpsForceEngine(ReferenceTable.Glass(), potential));
        output.WriteLine(e.Message);
        Assert.Contains("ERROR", e.Message);
        Assert.Contains("Fe", e.Message);
    }

    [Fact]
    public void BogusCommandKillsOnlyTheWorker()
    {
        var glass = ReferenceTable.Glass();
        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        using (var engine = new LammpsForceEngine(glass, CuZr))
        {
            var e = Assert.Throws<LammpsException>(() => engine.Run(["bogus_command 1 2 3"], x));
            output.WriteLine(e.Message);
            Assert.Contains("ERROR", e.Message);
            Assert.Contains("bogus_command", e.Message);
            var again = Assert.Throws<LammpsException>(() => engine.Compute(x, f));
            Assert.Contains("stopped earlier", again.Message);
            Assert.Contains("bogus_command", again.Message);
        }
        using var fresh = new LammpsForceEngine(glass, CuZr); // this process is fine and can start another
        Assert.True(double.IsFinite(fresh.Compute(x, f)));
    }

    [Fact]
    public void ErrorDuringAForceCallIsAClearError()
    {
        // a fix that ends the run with a LAMMPS error at the first step: setup (run 0) passes, the first force call fails
        var glass = ReferenceTable.Glass();
        using var engine = new LammpsForceEngine(glass, CuZr, ["variable one equal 1", "fix stop all halt 1 v_one > 0 error hard"]);
        var x = FlatCoordinates.Flatten(glass.Positions);
        var e = Assert.Throws<LammpsException>(() => engine.Compute(x, new double[x.Length]));
        output.WriteLine(e.Message);
        Assert.Contains("ERROR", e.Message);
        Assert.Contains("computing forces", e.Message);
        Assert.Contains("halt", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NonFinitePositionIsRejectedAndTheWorkerCarriesOn()
    {
        var glass = ReferenceTable.Glass();
        using var engine = new LammpsForceEngine(glass, CuZr);
        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        double e0 = engine.Compute(x, f);
        var bad = (double[])x.Clone();
        bad[3 * 41 + 1] = double.NaN;
        var e = Assert.Throws<LammpsException>(() => engine.Compute(bad, f));
        Assert.Contains("atom 42", e.Message);
        Assert.Equal(e0, engine.Compute(x, f));
        Assert.Throws<ArgumentException>(() => engine.Compute(x.AsSpan(3), f));
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(2, 2, 2)]
    public void TimePerForceCall(int na, int nb, int nc)
    {
        var glass = ReferenceTable.Glass().Replicate(na, nb, nc);
        long started = Stopwatch.GetTimestamp();
        using var engine = new LammpsForceEngine(glass, CuZr);
        var startup = Stopwatch.GetElapsedTime(started);
        var x = FlatCoordinates.Flatten(glass.Positions);
        var f = new double[x.Length];
        var random = new Random(5);
        const int calls = 40;
        for (int warm = 0; warm < 5; warm++) engine.Compute(x, f);
        var perCall = new List<double>();
        for (int c = 0; c < calls; c++)
        {
            // ART-like: a few atoms move by 0.01 A per call
            for (int k = 0; k < 30; k++) x[random.Next(x.Length)] += 0.01 * (2 * random.NextDouble() - 1);
            long t = Stopwatch.GetTimestamp();
            engine.Compute(x, f);
            perCall.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        var echo = Enumerable.Range(0, 20).Select(_ => engine.EchoRoundTrip(x).TotalMilliseconds).Order().ToList();
        perCall.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{glass.Count} atoms: force call median {perCall[calls / 2]:F2} ms (min {perCall[0]:F2}, max {perCall[^1]:F2}); " +
            $"message passing alone median {echo[10]:F3} ms; worker start and setup {startup.TotalMilliseconds:F0} ms"));
        Assert.Equal(calls + 5, engine.Calls);
    }

    // ---- helpers ----

    /// <summary>The glass sheared into a triclinic cell (xy = <paramref name="shear"/> ly, small xz and yz), atoms carried along affinely.</summary>
    private static Snapshot Sheared(Snapshot s, double shear = 0.12)
    {
        var c = s.Cell;
        var cell = new Cell(c.Origin, c.Lx, c.Ly, c.Lz, xy: shear * c.Ly, xz: -0.07 * c.Lz, yz: 0.05 * c.Lz);
        var positions = s.Positions.Select(p => cell.ToCartesian(c.ToFractional(p))).ToArray();
        return new Snapshot(cell, s.Ids, s.Types, positions) { Elements = s.Elements };
    }


    private static void Jiggle(double[] x, double amplitude, int seed)
    {
        var random = new Random(seed);
        for (int k = 0; k < x.Length; k++) x[k] += amplitude * (2 * random.NextDouble() - 1);
    }

    /// <summary>Energy and forces from a new engine made for positions <paramref name="x"/>.</summary>
    private static (double Energy, double[] Forces) Fresh(Snapshot glass, double[] x)
    {
        var positions = Enumerable.Range(0, glass.Count).Select(i => new Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2])).ToArray();
        using var engine = new LammpsForceEngine(new Snapshot(glass.Cell, glass.Ids, glass.Types, positions), CuZr);
        var f = new double[x.Length];
        return (engine.Compute(x, f), f);
    }

    /// <summary>
    /// Energy and forces from an independent <c>lmp</c> run: a data file with the positions wrapped into the cell,
    /// <c>run 0</c>, forces dumped with 17 significant digits.
    /// </summary>
    private static (double Energy, double[] Forces) Reference(Cell cell, int[] types, double[] x)
    {
        using var dir = new TempDir();
        var inv = CultureInfo.InvariantCulture;
        var data = new StringBuilder();
        data.Append("softspot test configuration\n\n");
        data.Append(inv, $"{types.Length} atoms\n2 atom types\n\n");
        var hi = cell.Hi;
        data.Append(inv, $"{cell.Origin.X:R} {hi.X:R} xlo xhi\n{cell.Origin.Y:R} {hi.Y:R} ylo yhi\n{cell.Origin.Z:R} {hi.Z:R} zlo zhi\n");
        if (cell.IsTriclinic) data.Append(inv, $"{cell.Xy:R} {cell.Xz:R} {cell.Yz:R} xy xz yz\n");
        data.Append("\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n");
        for (int i = 0; i < types.Length; i++)
        {
            var w = cell.Wrap(new Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]));
            data.Append(inv, $"{i + 1} {types[i]} {w.X:R} {w.Y:R} {w.Z:R}\n");
        }
        File.WriteAllText(dir.File("data.lmp"), data.ToString());
        ExternalTool.RunLammps(dir.Path, $"""
            units metal
            atom_style atomic
            boundary p p p
            {(Math.Abs(cell.Xy) > 0.5 * cell.Lx ? "box tilt large" : "")}
            read_data data.lmp
            pair_style eam/fs
            pair_coeff * * {LammpsInstallation.ResolvePotential("CuZr_mm.eam.fs")} Cu Zr
            neighbor 1.0 bin
            dump forces all custom 1 forces.dump id fx fy fz
            dump_modify forces format float %.17g sort id
            run 0
            print "$(pe:%.17g)" file pe.txt screen no
            """);
        double energy = double.Parse(File.ReadAllText(dir.File("pe.txt")).Trim(), inv);
        var lines = File.ReadAllLines(dir.File("forces.dump"));
        int start = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal)) + 1;
        var forces = new double[x.Length];
        Assert.Equal(types.Length, lines.Length - start);
        for (int i = 0; i < types.Length; i++)
        {
            var w = lines[start + i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(i + 1, int.Parse(w[0], inv));
            for (int d = 0; d < 3; d++) forces[3 * i + d] = double.Parse(w[1 + d], inv);
        }
        return (energy, forces);
    }

    private void AssertMatches((double Energy, double[] Forces) expected, double energy, double[] forces, string what, double relative = Tolerance)
    {
        double scale = Math.Max(1.0, expected.Forces.Max(Math.Abs));
        double worst = 0;
        int worstAt = 0;
        for (int k = 0; k < forces.Length; k++)
        {
            double d = Math.Abs(forces[k] - expected.Forces[k]);
            if (d > worst) { worst = d; worstAt = k; }
        }
        double eDiff = Math.Abs(energy - expected.Energy);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: E = {energy:R} eV (reference {expected.Energy:R}, diff {eDiff:E2}); largest force difference {worst:E2} eV/A"));
        Assert.True(eDiff <= relative * Math.Abs(expected.Energy),
            string.Create(CultureInfo.InvariantCulture, $"{what}: energy {energy:R} eV, expected {expected.Energy:R} eV"));
        Assert.True(worst <= relative * scale, string.Create(CultureInfo.InvariantCulture,
            $"{what}: force component {worstAt % 3} of atom {worstAt / 3 + 1} is {forces[worstAt]:R}, expected {expected.Forces[worstAt]:R}"));
    }
}
