using System.Globalization;
using System.Text;
using Softspot.IO;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Simulation;

/// <summary>
/// Helpers for the EAM tests: structures derived from the shipped glass (perturbed, sheared, rescaled, relabelled),
/// LAMMPS reference energies and forces (Debian lmp), a synthetic setfl file exercising the interpolation's edge
/// cases, and a brute-force evaluation straight from the potential's tables.
/// </summary>
internal static class EamReference
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>A potential shipped with Debian's lammps-data (installed with lammps).</summary>
    public static string Potential(string name)
    {
        string path = Path.Combine("/usr/share/lammps/potentials", name);
        if (!File.Exists(path)) throw new InvalidOperationException($"{path} is missing: apt-get install lammps (.ci/run does this)");
        return path;
    }

    public static Snapshot Glass { get; } = StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Cu,Zr"));

    private static readonly Lazy<SetflPotential> CuZrPotential = new(() => SetflPotential.Read(Potential("CuZr_mm.eam.fs")));

    /// <summary>CuZr_mm.eam.fs, read once for every test.</summary>
    public static SetflPotential CuZr => CuZrPotential.Value;

    public static double[] Flat(Snapshot s) => Softspot.Simulation.FlatCoordinates.Flatten(s.Positions);

    public static Snapshot WithPositions(Snapshot s, Vec3[] positions, Cell? cell = null, ElementMap? elements = null) =>
        new(cell ?? s.Cell, s.Ids, s.Types, positions) { Elements = elements ?? s.Elements, Source = s.Source };

    /// <summary>Every atom displaced uniformly at random within ±amplitude per component (so forces are large).</summary>
    public static Snapshot Perturbed(Snapshot s, double amplitude, int seed)
    {
        var rng = new Random(seed);
        var p = s.Positions.Select(r => r + new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * (2 * amplitude)).ToArray();
        return WithPositions(s, p);
    }

    /// <summary>The structure affinely deformed into a cell with new edge lengths and tilts (fractional coordinates kept).</summary>
    public static Snapshot Deformed(Snapshot s, double scale, double xy = 0, double xz = 0, double yz = 0)
    {
        var c = s.Cell;
        var cell = new Cell(c.Origin, c.Lx * scale, c.Ly * scale, c.Lz * scale, xy, xz, yz);
        var p = s.Positions.Select(r => cell.ToCartesian(c.ToFractional(r))).ToArray();
        return WithPositions(s, p, cell);
    }

    public static Snapshot Relabelled(Snapshot s, string elements) => s.With(ElementMap.Parse(elements));

    /// <summary>LAMMPS' energy, forces (structure order, 3N) and per-atom energies for a structure and potential.</summary>
    public sealed record Result(double Energy, double[] Forces, double[] AtomEnergies)
    {
        public double MaxForce => Forces.Max(Math.Abs);
    }

    public static Result Lammps(Snapshot s, string potential, string style, IReadOnlyList<string> elementsByType)
    {
        var run = LammpsRun(s, potential, style, elementsByType, "compute pe all pe/atom", "pe", "fx fy fz c_pe");
        var forces = new double[3 * s.Count];
        var pe = new double[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            var v = run.Atoms[i];
            forces[3 * i] = v[0]; forces[3 * i + 1] = v[1]; forces[3 * i + 2] = v[2];
            pe[i] = v[3];
        }
        return new Result(run.Thermo[0], forces, pe);
    }

    /// <summary>What a LAMMPS run printed: the last thermo row (after the step), each atom's dumped values (structure order, after the id) and the log.</summary>
    public sealed record LammpsOutput(double[] Thermo, double[][] Atoms, string[] Log);

    /// <summary>
    /// Runs LAMMPS on a structure with an EAM potential: <paramref name="commands"/> after the set-up, then <c>run 0</c>
    /// printing the thermo <paramref name="thermo"/> columns and dumping the atom <paramref name="columns"/>, all at full precision.
    /// </summary>
    public static LammpsOutput LammpsRun(Snapshot s, string potential, string style, IReadOnlyList<string> elementsByType, string commands, string thermo, string columns)
    {
        using var dir = new TempDir();
        WriteData(s, dir.File("s.data"), elementsByType.Count);
        string script = $"""
            units metal
            atom_style atomic
            atom_modify map array
            boundary p p p
            read_data s.data
            pair_style {style}
            pair_coeff * * {potential} {string.Join(' ', elementsByType)}
            neighbor 1.0 bin
            neigh_modify every 1 delay 0 check yes
            {commands}
            thermo_style custom step {thermo}
            thermo_modify format float %.17g
            reset_timestep 0
            dump d all custom 1 out.dump id {columns}
            dump_modify d format float %.17g sort id
            run 0
            """;
        ExternalTool.RunLammps(dir.Path, script);
        var log = File.ReadAllLines(dir.File("log.lammps"));
        int header = Array.FindLastIndex(log, l => l.Trim().StartsWith("Step", StringComparison.Ordinal));
        Assert.True(header >= 0, "no thermo output in the LAMMPS log");
        static double[] Numbers(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, Inv)).ToArray();
        var index = s.IndexById();
        var atoms = new double[s.Count][];
        var lines = File.ReadAllLines(dir.File("out.dump"));
        int start = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal)) + 1;
        Assert.Equal(s.Count, lines.Length - start);
        for (int l = start; l < lines.Length; l++)
        {
            var v = Numbers(lines[l]);
            atoms[index[(long)v[0]]] = v[1..];
        }
        return new LammpsOutput(Numbers(log[header + 1])[1..], atoms, log);
    }

    /// <summary>A LAMMPS data file (atomic style, full precision, tilts when triclinic).</summary>
    public static void WriteData(Snapshot s, string path, int types)
    {
        var c = s.Cell;
        var o = c.Origin;
        var b = new StringBuilder();
        b.Append(Inv, $"EAM test structure\n\n{s.Count} atoms\n{types} atom types\n\n");
        b.Append(Inv, $"{o.X:R} {o.X + c.Lx:R} xlo xhi\n{o.Y:R} {o.Y + c.Ly:R} ylo yhi\n{o.Z:R} {o.Z + c.Lz:R} zlo zhi\n");
        if (c.IsTriclinic) b.Append(Inv, $"{c.Xy:R} {c.Xz:R} {c.Yz:R} xy xz yz\n");
        b.Append("\nMasses\n\n");
        for (int t = 1; t <= types; t++) b.Append(Inv, $"{t} 50.0\n");
        b.Append("\nAtoms # atomic\n\n");
        for (int i = 0; i < s.Count; i++)
            b.Append(Inv, $"{s.Ids[i]} {s.Types[i]} {s.Positions[i].X:R} {s.Positions[i].Y:R} {s.Positions[i].Z:R}\n");
        File.WriteAllText(path, b.ToString());
    }

    /// <summary>The engine's energy, forces and per-atom energies.</summary>
    public static Result Native(EamForceEngine engine, Snapshot s)
    {
        var f = new double[3 * s.Count];
        var pe = new double[s.Count];
        double e = engine.Compute(Flat(s), f, pe);
        return new Result(e, f, pe);
    }

    /// <summary>
    /// Asserts energies agree to <paramref name="tol"/> relative, forces to tol times the largest force component
    /// and per-atom energies to tol relative to the largest; returns a one-line summary.
    /// </summary>
    public static string AssertClose(Result expected, Result actual, double tol)
    {
        double de = Math.Abs(expected.Energy - actual.Energy);
        Assert.True(de <= tol * Math.Abs(expected.Energy), $"energy {actual.Energy:R}, expected {expected.Energy:R} (difference {de:G3})");
        double fmax = expected.MaxForce;
        Assert.True(fmax > 0);
        double worstF = 0; int worstAt = -1;
        for (int k = 0; k < expected.Forces.Length; k++)
        {
            double d = Math.Abs(expected.Forces[k] - actual.Forces[k]);
            if (!(d <= worstF)) { worstF = d; worstAt = k; }
        }
        Assert.True(worstF <= tol * fmax,
            $"force component {worstAt % 3} of atom {worstAt / 3}: {actual.Forces[worstAt]:R}, expected {expected.Forces[worstAt]:R} (max |f| {fmax:G4})");
        double emax = expected.AtomEnergies.Max(Math.Abs), worstE = 0;
        for (int i = 0; i < expected.AtomEnergies.Length; i++)
        {
            double d = Math.Abs(expected.AtomEnergies[i] - actual.AtomEnergies[i]);
            Assert.True(d <= tol * emax, $"energy of atom {i}: {actual.AtomEnergies[i]:R}, expected {expected.AtomEnergies[i]:R}");
            worstE = Math.Max(worstE, d);
        }
        return string.Format(Inv, "E {0:R} (LAMMPS {1:R}, rel {2:G3}); max |f| {3:G4}, worst |df| {4:G3}; worst |d pe/atom| {5:G3}",
            actual.Energy, expected.Energy, de / Math.Abs(expected.Energy), fmax, worstF, worstE);
    }

    /// <summary>
    /// Energy and forces straight from the potential's tables: all pairs by brute force over periodic images
    /// (any cell size), no neighbour list. Also each atom's density.
    /// </summary>
    public static (double Energy, double[] Forces, double[] Density) BruteForce(Snapshot s, SetflPotential p, IReadOnlyList<string> elementsByType)
    {
        var map = p.MapTypes(elementsByType);
        int n = s.Count;
        var el = s.Types.Select(t => map[t - 1]).ToArray();
        var cell = s.Cell;
        int range = (int)Math.Ceiling(p.Cutoff / cell.MinPeriodicWidth) + 1;
        var shifts = new List<Vec3>();
        for (int a = -range; a <= range; a++)
            for (int b = -range; b <= range; b++)
                for (int c = -range; c <= range; c++)
                    shifts.Add(a * cell.A + b * cell.B + c * cell.C);
        // all (i, j, image) within the cutoff
        var pairs = new List<(int I, int J, Vec3 D, double R)>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                foreach (var sh in shifts)
                {
                    var d = s.Positions[j] + sh - s.Positions[i];
                    double r = d.Norm;
                    if (r > 0 && r < p.Cutoff && (i != j || sh != Vec3.Zero)) pairs.Add((i, j, d, r));
                }
        var rho = new double[n];
        foreach (var (i, j, _, r) in pairs) rho[i] += p.Density(el[j], el[i]).Value(r);
        var fp = new double[n];
        double energy = 0;
        for (int i = 0; i < n; i++) energy += p.Embedding(el[i]).Evaluate(rho[i], out fp[i]);
        var f = new double[3 * n];
        foreach (var (i, j, d, r) in pairs)
        {
            double z = p.ScaledPair(el[i], el[j]).Evaluate(r, out double dz);
            double phi = z / r, dphi = (dz - phi) / r;
            energy += 0.5 * phi;
            p.Density(el[j], el[i]).Evaluate(r, out double dIn);
            p.Density(el[i], el[j]).Evaluate(r, out double dOut);
            // this ordered pair carries half of phi; its density terms are rho_i's (from j) and rho_j's (from i)
            double w = (fp[i] * dIn + fp[j] * dOut + dphi) / r;
            // each unordered pair appears twice, so take half
            f[3 * i] += 0.5 * w * d.X; f[3 * i + 1] += 0.5 * w * d.Y; f[3 * i + 2] += 0.5 * w * d.Z;
            f[3 * j] -= 0.5 * w * d.X; f[3 * j + 1] -= 0.5 * w * d.Y; f[3 * j + 2] -= 0.5 * w * d.Z;
        }
        return (energy, f, rho);
    }

    /// <summary>
    /// A small synthetic eam/fs file (elements Cu and Zr) whose tables are short enough to probe LAMMPS'
    /// interpolation at its edges: densities of a packed glass run past the embedding table (linear extrapolation),
    /// the distance tables end before the cutoff (values held at the last knot), the density functions are
    /// asymmetric (rho_{Cu->Zr} != rho_{Zr->Cu}, which fixes the eam/fs block convention), and the numbers wrap
    /// lines irregularly. <paramref name="rhoMax"/> is the last embedding knot.
    /// </summary>
    public static string SyntheticFs(string path, double rhoMax, bool alloy = false)
    {
        const int nrho = 41, nr = 57;
        const double dr = 0.1, cutoff = 5.75; // last knot at 5.6 < cutoff
        double drho = rhoMax / (nrho - 1);
        string[] symbols = ["Cu", "Zr"];
        // density an atom of element `source` gives a host of element `host`
        double Rho(int source, int host, double r) =>
            (alloy ? 1.0 + 0.5 * source : 1.0 + 0.4 * source + 0.25 * host + 0.3 * source * host) * Math.Pow(Math.Max(0, cutoff - r), 2) * Math.Exp(-0.3 * r);
        double Embed(int a, double rho) => -(1.5 + 0.5 * a) * Math.Sqrt(rho) + 0.002 * (1 + a) * rho * rho;
        double RPhi(int a, int b, double r) => r * (0.6 + 0.2 * (a + b)) * Math.Pow(Math.Max(0, cutoff - r), 3) * Math.Pow(2.4 / r, 6) * 0.05;
        var w = new StringBuilder();
        w.Append("synthetic eam/fs for the Softspot tests\nshort tables, asymmetric densities\nnumbers wrap irregularly\n");
        w.Append("2 Cu Zr\n");
        w.Append(Inv, $"{nrho} {drho:R} {nr} {dr:R} {cutoff:R}\n");
        int column = 0, width = 3;
        void Values(Func<int, double> f, int count)
        {
            for (int k = 0; k < count; k++)
            {
                w.Append(f(k).ToString("R", Inv));
                if (++column == width) { w.Append('\n'); column = 0; width = width % 7 + 1; }
                else w.Append(k % 2 == 0 ? " " : "\t ");
            }
            if (column != 0) { w.Append('\n'); column = 0; }
        }
        for (int a = 0; a < 2; a++)
        {
            w.Append(Inv, $"{(a == 0 ? 29 : 40)} {(a == 0 ? 63.546 : 91.224):R} {(a == 0 ? 3.6 : 3.2):R} {(a == 0 ? "fcc" : "hcp")}\n");
            Values(k => Embed(a, k * drho), nrho);
            if (alloy) Values(k => Rho(a, 0, k * dr), nr);
            else for (int host = 0; host < 2; host++) Values(k => Rho(a, host, k * dr), nr);
        }
        for (int a = 0; a < 2; a++)
            for (int b = 0; b <= a; b++)
                Values(k => k == 0 ? 0 : RPhi(a, b, k * dr), nr);
        File.WriteAllText(path, w.ToString());
        return path;
    }
}
