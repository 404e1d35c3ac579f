using System.Globalization;
using System.Text;
using Softspot.Descriptors;
using Softspot.Simulation.Elastic;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Simulation;

/// <summary>
/// The local shear modulus of the shipped 500-atom Cu-Zr glass under CuZr_mm.eam.fs (default settings: gamma = 1e-4,
/// relaxations to 1e-10 eV/A), computed once for the tests; and the same recipe run by LAMMPS (on first use).
/// </summary>
public sealed class LocalShearFixture
{
    /// <summary>The potential file.</summary>
    public string PotentialPath { get; } = EamReference.Potential("CuZr_mm.eam.fs");

    /// <summary>The native result.</summary>
    public LocalShearModulus Native { get; }

    private readonly Lazy<LammpsShear> _lammps;

    /// <summary>LAMMPS' run of the recipe (<see cref="LammpsShear.Run"/>).</summary>
    public LammpsShear Lammps => _lammps.Value;

    public LocalShearFixture()
    {
        Native = LocalShearModulus.Compute(EamReference.Glass, SetflPotential.Read(PotentialPath), new LocalShearSettings { Threads = 2 });
        _lammps = new(() => LammpsShear.Run(EamReference.Glass, PotentialPath, LocalShearSettings.DefaultStrain));
    }
}

/// <summary>
/// The recipe run by LAMMPS in one process: <c>minimize</c> (CG) the glass, dump its Voronoi volumes
/// (<c>compute voronoi/atom</c>) and stresses (<c>compute stress/atom NULL virial</c>), write it out; then for each
/// plane and sign read it back, <c>change_box ... remap</c>, dump the stresses, <c>minimize</c>, dump them again.
/// Stresses are the plane's shear component, structure order, bar A^3.
/// </summary>
public sealed record LammpsShear(double ReferenceEnergy, double[] Volumes, Dictionary<(ShearPlane, int), (double[] Affine, double[] Relaxed, double Energy)> Sheared, string Minimizations)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static LammpsShear Run(Snapshot s, string potential, double gamma)
    {
        using var dir = new TempDir();
        EamReference.WriteData(s, dir.File("s.data"), 2);
        string Setup(string data) => $"""
            clear
            units metal
            atom_style atomic
            atom_modify map array
            boundary p p p
            read_data {data}
            change_box all triclinic
            pair_style eam/fs
            pair_coeff * * {potential} Cu Zr
            neighbor 1.0 bin
            neigh_modify every 1 delay 0 check yes
            compute s all stress/atom NULL virial
            thermo_style custom step pe pxy pxz pyz
            thermo_modify format float %.17g
            min_style cg

            """;
        const string Minimize = "minimize 0 1e-10 100000 1000000\n";
        static string Dump(string file, string columns) =>
            $"dump d all custom 1 {file} id {columns}\ndump_modify d format float %.17g sort id\nrun 0\nundump d\n";
        var script = new StringBuilder(Setup("s.data"));
        script.Append("compute v all voronoi/atom\n").Append(Minimize).Append(Dump("ref.dump", "c_v[1] c_s[4] c_s[5] c_s[6]"));
        script.Append("print \"RESULT ref $(pe:%.17g)\"\nwrite_data ref.data\n");
        foreach (var plane in Enum.GetValues<ShearPlane>())
            foreach (int sign in (int[])[-1, 1])
            {
                string tag = $"{plane}{(sign < 0 ? "m" : "p")}";
                script.Append(Setup("ref.data")).Append(AffineShear.ChangeBoxCommand(s.Cell, plane, sign * gamma)).Append('\n');
                script.Append(Dump($"aff{tag}.dump", $"c_s[{4 + (int)plane}]"));
                script.Append(Minimize).Append(Dump($"rel{tag}.dump", $"c_s[{4 + (int)plane}]"));
                script.Append($"print \"RESULT {tag} $(pe:%.17g)\"\n");
            }
        ExternalTool.RunLammps(dir.Path, script.ToString());
        var log = File.ReadAllLines(dir.File("log.lammps"));
        double Result(string tag) => double.Parse(log.Single(l => l.StartsWith($"RESULT {tag} ", StringComparison.Ordinal)).Split(' ')[2], Inv);
        var index = s.IndexById();
        double[][] Columns(string file)
        {
            var lines = File.ReadAllLines(dir.File(file));
            int start = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal)) + 1;
            Assert.Equal(s.Count, lines.Length - start);
            int width = lines[start].Split(' ', StringSplitOptions.RemoveEmptyEntries).Length - 1;
            var columns = Enumerable.Range(0, width).Select(_ => new double[s.Count]).ToArray();
            for (int l = start; l < lines.Length; l++)
            {
                var v = lines[l].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(t => double.Parse(t, Inv)).ToArray();
                for (int c = 0; c < width; c++) columns[c][index[(long)v[0]]] = v[c + 1];
            }
            return columns;
        }
        var sheared = new Dictionary<(ShearPlane, int), (double[], double[], double)>();
        foreach (var plane in Enum.GetValues<ShearPlane>())
            foreach (int sign in (int[])[-1, 1])
            {
                string tag = $"{plane}{(sign < 0 ? "m" : "p")}";
                sheared[(plane, sign)] = (Columns($"aff{tag}.dump")[0], Columns($"rel{tag}.dump")[0], Result(tag));
            }
        string minimizations = string.Join("; ", log.Where(l => l.TrimStart().StartsWith("Iterations,", StringComparison.Ordinal)
            || l.TrimStart().StartsWith("Stopping criterion", StringComparison.Ordinal)).Select(l => l.Trim()));
        return new LammpsShear(Result("ref"), Columns("ref.dump")[0], sheared, minimizations);
    }
}

/// <summary>
/// Checks of <see cref="LocalShearModulus"/> and the <c>shear-modulus</c> preset: the volume-weighted mean of the atom
/// moduli is the cell's modulus, itself the curvature of the energy (relaxed and affine); -gamma mirrors +gamma; the
/// per-atom stresses, moduli, Voronoi volumes and energies agree with LAMMPS running the same recipe.
/// </summary>
public class LocalShearModulusTests(LocalShearFixture fixture, ITestOutputHelper output) : IClassFixture<LocalShearFixture>
{
    private static readonly string[] CuZrTypes = ["Cu", "Zr"];
    private static readonly ShearPlane[] Planes = [ShearPlane.Xy, ShearPlane.Xz, ShearPlane.Yz];

    private static double Rms(double[] v) => Math.Sqrt(v.Average(x => x * x));

    /// <summary>
    /// (a) sum_i G_i V_i / V equals the cell's d sigma_ab / d gamma, and both equal the curvature of the energy
    /// d^2E/dgamma^2 / V of the same relaxed (or affine) configurations, an independent route: dE/dgamma = V sigma_ab.
    /// </summary>
    [Fact]
    public void VolumeWeightedMeanIsTheGlassModulusAndTheEnergyCurvature()
    {
        var m = fixture.Native;
        double v = m.Glass.Cell.Volume, gamma = m.Strain;
        double volumeSum = m.Volumes.Sum();
        output.WriteLine($"Voronoi volumes sum to {volumeSum:R} A^3, cell {v:R}");
        Assert.True(Math.Abs(volumeSum - v) <= 1e-9 * v, $"Voronoi volumes sum to {volumeSum}, cell volume {v}");
        var potential = SetflPotential.Read(fixture.PotentialPath);
        double Energy(Snapshot s)
        {
            using var e = new EamForceEngine(s, potential, CuZrTypes);
            return e.Compute(EamReference.Flat(s), new double[3 * s.Count]);
        }
        double e0 = m.Reference.Energy;
        Assert.Equal(e0, Energy(m.Glass), 1e-9);
        foreach (var plane in Planes)
        {
            var relaxed = m.Relaxed(plane);
            var affine = m.Affine(plane);
            double weighted = relaxed.Select((g, i) => g * m.Volumes[i]).Sum() / v;
            double cell = m.CellModulus(plane);
            var r = m.Response(plane);
            double curvature = (r.Plus.Energy + r.Minus.Energy - 2 * e0) / (gamma * gamma * v) * EamForceEngine.BarPerEvPerCubicAngstrom * LocalShearModulus.GpaPerBar;
            double affineWeighted = affine.Select((g, i) => g * m.Volumes[i]).Sum() / v;
            double affineCurvature = (Energy(AffineShear.Apply(m.Glass, plane, gamma)) + Energy(AffineShear.Apply(m.Glass, plane, -gamma)) - 2 * e0)
                / (gamma * gamma * v) * EamForceEngine.BarPerEvPerCubicAngstrom * LocalShearModulus.GpaPerBar;
            output.WriteLine(FormattableString.Invariant(
                $"{plane}: relaxed sum G_i V_i / V {weighted:R} GPa, cell d sigma / d gamma {cell:R}, energy curvature {curvature:R} (rel {Math.Abs(curvature - cell) / cell:G3}); affine {affineWeighted:R} vs energy curvature {affineCurvature:R} (rel {Math.Abs(affineCurvature - affineWeighted) / affineWeighted:G3})"));
            Assert.True(Math.Abs(weighted - cell) <= 1e-10 * Math.Abs(cell), $"{plane}: volume-weighted mean {weighted} GPa, cell modulus {cell} GPa");
            Assert.True(Math.Abs(curvature - cell) <= 1e-3 * Math.Abs(cell), $"{plane}: cell modulus {cell} GPa, energy curvature {curvature} GPa");
            Assert.True(Math.Abs(affineCurvature - affineWeighted) <= 1e-3 * Math.Abs(affineWeighted), $"{plane}: affine modulus {affineWeighted} GPa, energy curvature {affineCurvature} GPa");
            // the relaxation softens: the affine modulus is an upper bound
            Assert.True(cell < affineWeighted, $"{plane}: relaxed {cell} GPa is not below affine {affineWeighted} GPa");
        }
    }

    /// <summary>
    /// (b) the linear regime: the one-sided derivatives [s(+gamma) - s(0)] / gamma and [s(0) - s(-gamma)] / gamma of every
    /// atom (over its volume, GPa) agree. At gamma = 1e-4 on this glass they differ by rms 0.5-1.0 GPa (1.5-2.8 % of the
    /// 32-37 GPa spread (std) of the atom moduli; tolerance 5 %), 1.8-3.5 GPa for the 1 % most different atoms (tolerance
    /// 15 %), at worst 9.6 GPa (26 %, yz; tolerance 50 %), and for the cell by 0.08-0.23 % (tolerance 0.5 %). Two
    /// likely causes of the per-atom floor, not separated here: atoms near soft spots respond non-linearly, and the
    /// potential's tables have knots every 7.6e-4 A with C1 cubic interpolation (second derivatives jump at knots) while
    /// a strain of 1e-4 moves pair distances by up to ~3e-4 A (LAMMPS computes the same stresses: test c).
    /// </summary>
    [Fact]
    public void MinusGammaMirrorsPlusGamma()
    {
        var m = fixture.Native;
        double gamma = m.Strain;
        var checks = new List<Action>();
        foreach (var plane in Planes)
        {
            var r = m.Response(plane);
            int c = 3 + (int)plane;
            var forward = new double[m.Volumes.Length];
            var backward = new double[m.Volumes.Length];
            for (int i = 0; i < forward.Length; i++)
            {
                double s0 = m.ReferenceStresses[6 * i + c];
                forward[i] = (r.RelaxedPlus[i] - s0) / (gamma * m.Volumes[i]) * LocalShearModulus.GpaPerBar;
                backward[i] = (s0 - r.RelaxedMinus[i]) / (gamma * m.Volumes[i]) * LocalShearModulus.GpaPerBar;
            }
            var g = m.Relaxed(plane);
            double spread = Rms(g.Select(x => x - g.Average()).ToArray());
            double worst = forward.Zip(backward, (a, b) => Math.Abs(a - b)).Max();
            double rms = Rms(forward.Zip(backward, (a, b) => a - b).ToArray());
            var sorted = forward.Zip(backward, (a, b) => Math.Abs(a - b)).OrderDescending().ToArray();
            double p99 = sorted[sorted.Length / 100];
            output.WriteLine(FormattableString.Invariant($"{plane}: largest differences {string.Join(", ", sorted.Take(8).Select(x => x.ToString("G3")))}; 99th percentile {p99:G3}"));
            double cellForward = forward.Select((x, i) => x * m.Volumes[i]).Sum() / m.Glass.Cell.Volume;
            double cellBackward = backward.Select((x, i) => x * m.Volumes[i]).Sum() / m.Glass.Cell.Volume;
            output.WriteLine(FormattableString.Invariant(
                $"{plane}: atom moduli spread (std) {spread:G4} GPa; one-sided derivatives differ by rms {rms:G3} GPa, worst {worst:G3} GPa ({worst / spread:G3} of the spread); cell {cellForward:G8} vs {cellBackward:G8} GPa"));
            checks.Add(() =>
            {
                Assert.True(rms <= 0.05 * spread, $"{plane}: one-sided atom moduli differ by rms {rms} GPa (spread {spread} GPa)");
                Assert.True(p99 <= 0.15 * spread, $"{plane}: one-sided atom moduli differ by {p99} GPa or more for 1 % of the atoms (spread {spread} GPa)");
                Assert.True(worst <= 0.5 * spread, $"{plane}: one-sided atom moduli differ by up to {worst} GPa (spread {spread} GPa)");
                Assert.True(Math.Abs(cellForward - cellBackward) <= 0.005 * Math.Abs(cellForward), $"{plane}: cell one-sided moduli {cellForward} vs {cellBackward} GPa");
            });
        }
        foreach (var check in checks) check();
    }

    /// <summary>
    /// (c) LAMMPS running the same recipe (CG minimisations to 1e-10 eV/A, change_box ... remap, compute stress/atom NULL
    /// virial, compute voronoi/atom): the same Voronoi volumes (1e-8 relative; measured 1.3e-10), affine and relaxed atom
    /// shear stresses (2e-8 of their rms; measured 3.5e-9), atom moduli (1e-3 GPa; measured 1e-4 GPa, the two
    /// minimisers' residual differences over 2 gamma V_i) and relaxed energies (1e-8 relative; measured 2e-14). The
    /// modulus tolerance, against moduli of rms 49 GPa, fails on a sign, a factor 2 or a unit.
    /// </summary>
    [Fact]
    public void MatchesLammpsRunningTheSameRecipe()
    {
        var m = fixture.Native;
        var l = fixture.Lammps;
        output.WriteLine($"LAMMPS: {l.Minimizations}");
        output.WriteLine(FormattableString.Invariant($"native: glass FIRE {m.Reference.Steps} steps to {m.Reference.MaxForce:G3} eV/A; sheared {string.Join(", ", m.Planes.SelectMany(p => new[] { p.Minus, p.Plus }).Select(r => $"{r.Steps} to {r.MaxForce:G3}"))}"));
        double dv = m.Volumes.Zip(l.Volumes, (a, b) => Math.Abs(a - b) / b).Max();
        double de0 = Math.Abs(m.Reference.Energy - l.ReferenceEnergy) / Math.Abs(l.ReferenceEnergy);
        output.WriteLine(FormattableString.Invariant($"Voronoi volumes worst {dv:G3} relative; glass energy {m.Reference.Energy:R} vs {l.ReferenceEnergy:R} (rel {de0:G3})"));
        Assert.True(dv <= 1e-8, $"Voronoi volumes differ by {dv:G3} relative");
        Assert.True(de0 <= 1e-8, $"relaxed glass energies differ by {de0:G3} relative");
        double gamma = m.Strain;
        foreach (var plane in Planes)
        {
            var r = m.Response(plane);
            var minus = l.Sheared[(plane, -1)];
            var plus = l.Sheared[(plane, 1)];
            double scale = Math.Max(Rms(minus.Affine), Rms(plus.Affine));
            double affine = new[] { (r.AffineMinus, minus.Affine), (r.AffinePlus, plus.Affine) }.Max(p => p.Item1.Zip(p.Item2, (a, b) => Math.Abs(a - b)).Max());
            double relaxed = new[] { (r.RelaxedMinus, minus.Relaxed), (r.RelaxedPlus, plus.Relaxed) }.Max(p => p.Item1.Zip(p.Item2, (a, b) => Math.Abs(a - b)).Max());
            double ModulusDifference(double[] native, double[] lm, double[] lp) =>
                native.Select((g, i) => Math.Abs(g - (lp[i] - lm[i]) / (2 * gamma * l.Volumes[i]) * LocalShearModulus.GpaPerBar)).Max();
            double dAffine = ModulusDifference(m.Affine(plane), minus.Affine, plus.Affine);
            double dRelaxed = ModulusDifference(m.Relaxed(plane), minus.Relaxed, plus.Relaxed);
            double gScale = Rms(m.Relaxed(plane));
            double deM = Math.Abs(r.Minus.Energy - minus.Energy) / Math.Abs(minus.Energy), deP = Math.Abs(r.Plus.Energy - plus.Energy) / Math.Abs(plus.Energy);
            output.WriteLine(FormattableString.Invariant(
                $"{plane}: shear stress/atom (rms {scale:G4} bar A^3) worst difference affine {affine:G3}, relaxed {relaxed:G3} bar A^3; moduli (rms {gScale:G4} GPa) worst difference affine {dAffine:G3}, relaxed {dRelaxed:G3} GPa; relaxed energies rel {deM:G3}, {deP:G3}"));
            Assert.True(affine <= 2e-8 * scale, $"{plane}: affine atom stresses differ by {affine} bar A^3");
            Assert.True(relaxed <= 2e-8 * scale, $"{plane}: relaxed atom stresses differ by {relaxed} bar A^3");
            Assert.True(dAffine <= 1e-3, $"{plane}: affine moduli differ by {dAffine} GPa");
            Assert.True(dRelaxed <= 1e-3, $"{plane}: relaxed moduli differ by {dRelaxed} GPa");
            Assert.True(deM <= 1e-8 && deP <= 1e-8, $"{plane}: relaxed energies differ by {deM:G3}, {deP:G3} relative");
        }
    }

    /// <summary>
    /// The <c>shear-modulus</c> preset: its columns are the type's arrays (another thread count, same bits), G_coarse the
    /// volume-weighted mean over the atom and its neighbours within the cutoff (checked by brute force), then the element flag.
    /// </summary>
    [Fact]
    public void PresetColumnsAreTheModuli()
    {
        var m = fixture.Native;
        var settings = new FeaturizeSettings { Potential = PotentialFile.Open(fixture.PotentialPath), Threads = 1, ShearCoarseCutoff = 5.5 };
        var set = Presets.Find("shear-modulus").Build(EamReference.Glass.RequireElements(), settings);
        string[] expected = ["G_affine", "G_relaxed", "G_relaxed_xy", "G_relaxed_xz", "G_relaxed_yz", "G_affine_xy", "G_affine_xz", "G_affine_yz", "G_coarse", FeatureSet.ElementFlagColumn];
        Assert.Equal(expected, set.Columns.Select(c => c.Name));
        var table = set.Compute(new FrameContext(EamReference.Glass, settings));
        var relaxedMean = m.RelaxedMean();
        double[][] arrays = [m.AffineMean(), relaxedMean, m.Relaxed(ShearPlane.Xy), m.Relaxed(ShearPlane.Xz), m.Relaxed(ShearPlane.Yz),
            m.Affine(ShearPlane.Xy), m.Affine(ShearPlane.Xz), m.Affine(ShearPlane.Yz)];
        var glass = m.Glass;
        for (int i = 0; i < glass.Count; i++)
        {
            var row = table.Row(i);
            for (int c = 0; c < arrays.Length; c++) Assert.Equal(arrays[c][i], row[c]);
            // brute force coarse-graining: every atom within 5.5 A by minimum image, the atom itself included
            double gv = 0, vs = 0;
            for (int j = 0; j < glass.Count; j++)
                if (glass.Cell.MinimumImage(glass.Positions[j] - glass.Positions[i]).Norm < 5.5) { gv += relaxedMean[j] * m.Volumes[j]; vs += m.Volumes[j]; }
            Assert.Equal(gv / vs, row[8], 1e-10);
            Assert.Equal(glass.Types[i] - 1, row[9]);
        }
        // the mean of the three planes is the plane average
        Assert.Equal(relaxedMean[0], (arrays[2][0] + arrays[3][0] + arrays[4][0]) / 3, 1e-12);
    }

    [Fact]
    public void BadInputIsAOneLineError()
    {
        var noPotential = Assert.Throws<SoftspotException>(() => Presets.Find("shear-modulus").Build(EamReference.Glass.RequireElements())
            .Compute(new FrameContext(EamReference.Glass)));
        Assert.Contains("--potential", noPotential.Message);
        var potential = SetflPotential.Read(fixture.PotentialPath);
        Assert.Contains("shear strain", Assert.Throws<SoftspotException>(() => LocalShearModulus.Compute(EamReference.Glass, potential, new LocalShearSettings { Strain = 0 })).Message);
        Assert.Contains("force tolerance", Assert.Throws<SoftspotException>(() => LocalShearModulus.Compute(EamReference.Glass, potential, new LocalShearSettings { ForceTolerance = -1 })).Message);
        var tooFew = Assert.Throws<SoftspotException>(() => LocalShearModulus.Compute(EamReference.Glass, potential, new LocalShearSettings { MaxSteps = 3 }));
        Assert.Contains("did not reach the force tolerance", tooFew.Message);
        Assert.DoesNotContain('\n', tooFew.Message);
        var settings = new FeaturizeSettings { Potential = PotentialFile.Open(fixture.PotentialPath), ShearCoarseCutoff = 11 };
        Assert.ThrowsAny<SoftspotException>(() => Presets.Find("shear-modulus").Build(EamReference.Glass.RequireElements(), settings).Compute(new FrameContext(EamReference.Glass, settings)));
    }
}
