using System.Globalization;
using Softspot.Simulation.Elastic;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Simulation;

/// <summary>
/// Per-atom stresses of the native EAM engine against LAMMPS' <c>compute stress/atom NULL virial</c> (and the cell
/// stress against its pressure tensor), and the relaxation of an affinely sheared glass against LAMMPS'
/// <c>change_box ... remap</c> + <c>minimize</c> (CG) on the shipped 500-atom Cu-Zr glass.
/// </summary>
public class EamStressTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] CuZrTypes = ["Cu", "Zr"];

    /// <summary>LAMMPS' energy, per-atom stresses (6N, structure order, bar A^3), -(pxx ... pyz) (bar) and positions after the given commands.</summary>
    private sealed record LammpsState(double Energy, double[] Stresses, double[] CellStress, Vec3[] Positions, Cell Cell, string Minimization);

    private static LammpsState Lammps(Snapshot s, string potential, string commands)
    {
        var run = EamReference.LammpsRun(s, potential, "eam/fs", CuZrTypes, commands + "\ncompute s all stress/atom NULL virial",
            "pe pxx pyy pzz pxy pxz pyz xy xz yz", "x y z c_s[1] c_s[2] c_s[3] c_s[4] c_s[5] c_s[6]");
        var thermo = run.Thermo;
        var log = run.Log;
        var stresses = new double[6 * s.Count];
        var positions = new Vec3[s.Count];
        for (int i = 0; i < s.Count; i++)
        {
            var v = run.Atoms[i];
            positions[i] = new Vec3(v[0], v[1], v[2]);
            for (int c = 0; c < 6; c++) stresses[6 * i + c] = v[3 + c];
        }
        var c0 = s.Cell;
        var cell = new Cell(c0.Origin, c0.Lx, c0.Ly, c0.Lz, thermo[7], thermo[8], thermo[9]);
        // how a minimisation ended: LAMMPS' stopping criterion, iterations and final forces
        string minimization = string.Join("; ", log.Select((l, k) => (l.Trim(), k))
            .Where(t => t.Item1.StartsWith("Stopping criterion", StringComparison.Ordinal) || t.Item1.StartsWith("fnorm ", StringComparison.Ordinal)
                || t.Item1.StartsWith("Iterations,", StringComparison.Ordinal) || (t.k > 0 && log[t.k - 1].Contains("Force two-norm", StringComparison.Ordinal)))
            .Select(t => t.Item1));
        return new LammpsState(thermo[0], stresses, thermo[1..7].Select(p => -p).ToArray(), positions, cell, minimization);
    }

    /// <summary>The largest per-atom stress difference over the largest per-atom stress magnitude (both over all components).</summary>
    private static (double Relative, double Largest) StressDifference(double[] expected, double[] actual)
    {
        double largest = expected.Max(Math.Abs), worst = 0;
        for (int k = 0; k < expected.Length; k++) worst = Math.Max(worst, Math.Abs(expected[k] - actual[k]));
        return (worst / largest, largest);
    }

    private void CheckStresses(Snapshot s, string label)
    {
        string path = EamReference.Potential("CuZr_mm.eam.fs");
        var lammps = Lammps(s, path, s.Cell.IsTriclinic ? "" : "change_box all triclinic");
        using var engine = new EamForceEngine(s, SetflPotential.Read(path), CuZrTypes);
        var x = EamReference.Flat(s);
        var stresses = engine.Stresses(x);
        var (rel, largest) = StressDifference(lammps.Stresses, stresses);
        var cell = EamForceEngine.CellStress(stresses, s.Cell);
        double cellWorst = Enumerable.Range(0, 6).Max(c => Math.Abs(cell[c] - lammps.CellStress[c]));
        double cellScale = lammps.CellStress.Max(Math.Abs);
        output.WriteLine(FormattableString.Invariant(
            $"{label}: largest |stress/atom| {largest:G4} bar A^3, worst difference {rel:G3} relative; cell stress {cell}, LAMMPS -p ({string.Join(", ", lammps.CellStress.Select(p => p.ToString("G10", Inv)))}), worst {cellWorst / cellScale:G3} relative"));
        Assert.True(rel <= 1e-6, $"{label}: per-atom stresses differ by {rel:G3} of the largest");
        Assert.True(cellWorst <= 1e-6 * cellScale, $"{label}: cell stresses differ by {cellWorst:G3} bar");
    }

    [Fact]
    public void AtomStressesMatchLammps()
    {
        CheckStresses(EamReference.Glass, "glass");
        var sheared = EamReference.Deformed(EamReference.Glass, 1.0, xy: 2.5, xz: -1.5, yz: 1.0);
        CheckStresses(EamReference.Perturbed(sheared, 0.2, seed: 3), "triclinic perturbed glass");
    }

    /// <summary>
    /// The affine shear equals LAMMPS' change_box ... remap (<see cref="AffineShear.ChangeBoxCommand"/>) on a
    /// triclinic cell with all three tilts (xy then also changes xz): same tilts, and energies and atom stresses of
    /// the sheared structure (no relaxation) as LAMMPS computes them after the command, with gamma = 0.05 so that a
    /// wrong mapping would show.
    /// </summary>
    [Fact]
    public void AffineShearIsLammpsChangeBoxRemap()
    {
        string path = EamReference.Potential("CuZr_mm.eam.fs");
        var potential = SetflPotential.Read(path);
        var s = EamReference.Perturbed(EamReference.Deformed(EamReference.Glass, 1.0, xy: 2.5, xz: -1.5, yz: 1.0), 0.05, seed: 9);
        foreach (var plane in Enum.GetValues<ShearPlane>())
        {
            var lammps = Lammps(s, path, AffineShear.ChangeBoxCommand(s.Cell, plane, 0.05));
            var sheared = AffineShear.Apply(s, plane, 0.05);
            Assert.Equal(lammps.Cell.Xy, sheared.Cell.Xy, 12);
            Assert.Equal(lammps.Cell.Xz, sheared.Cell.Xz, 12);
            Assert.Equal(lammps.Cell.Yz, sheared.Cell.Yz, 12);
            using var engine = new EamForceEngine(sheared, potential, CuZrTypes);
            var x = EamReference.Flat(sheared);
            double e = engine.Compute(x, new double[x.Length]);
            var (rel, _) = StressDifference(lammps.Stresses, engine.Stresses(x));
            output.WriteLine(FormattableString.Invariant($"{plane}: {AffineShear.ChangeBoxCommand(s.Cell, plane, 0.05)}: energy {e:R} vs {lammps.Energy:R}, atom stresses {rel:G3}"));
            Assert.True(Math.Abs(e - lammps.Energy) <= 1e-10 * Math.Abs(e), $"{plane}: energy {e:R}, LAMMPS {lammps.Energy:R}");
            Assert.True(rel <= 1e-9, $"{plane}: atom stresses differ by {rel:G3} of the largest");
        }
    }

    /// <summary>
    /// Independent of LAMMPS: the cell's shear stress is the derivative of the energy under affine shear over the volume,
    /// sigma_ab V = dE/dgamma_ab at fixed fractional coordinates (central differences of +-1e-5 on the perturbed
    /// triclinic glass, whose stresses are large).
    /// </summary>
    [Fact]
    public void CellShearStressIsTheEnergyDerivativeUnderAffineShear()
    {
        var potential = SetflPotential.Read(EamReference.Potential("CuZr_mm.eam.fs"));
        var s = EamReference.Perturbed(EamReference.Deformed(EamReference.Glass, 1.0, xy: 2.5, xz: -1.5, yz: 1.0), 0.2, seed: 3);
        using var engine = new EamForceEngine(s, potential, CuZrTypes);
        var cell = engine.CellStress(EamReference.Flat(s));
        double Energy(ShearPlane plane, double gamma)
        {
            var t = AffineShear.Apply(s, plane, gamma);
            using var e = new EamForceEngine(t, potential, CuZrTypes);
            return e.Compute(EamReference.Flat(t), new double[3 * t.Count]);
        }
        const double h = 1e-5;
        foreach (var plane in Enum.GetValues<ShearPlane>())
        {
            double derivative = (Energy(plane, h) - Energy(plane, -h)) / (2 * h);
            double expected = cell.Shear(plane) * s.Cell.Volume / EamForceEngine.BarPerEvPerCubicAngstrom;
            output.WriteLine(FormattableString.Invariant($"{plane}: dE/dgamma {derivative:R} eV, sigma V {expected:R} eV"));
            Assert.True(Math.Abs(derivative - expected) <= 1e-6 * Math.Abs(expected), $"{plane}: dE/dgamma {derivative:R}, sigma V {expected:R}");
        }
    }

    /// <summary>
    /// gamma = 1e-3 on each shear plane, then minimisation in both codes (LAMMPS: CG, <c>minimize 0 1e-10 100000
    /// 1000000</c>, which stops at a largest force component of about 1e-11 eV/A; native: FIRE to the default 1e-8
    /// eV/A, then on to 1e-10). The relaxed energies agree to about 1e-14 relative (asserted: 1e-8). The per-atom
    /// stresses differ only because the minimisers stop at different points: with the native run at 1e-8 eV/A the
    /// worst difference was 0.8-1.4e-7 of the largest atom stress (positions 0.7-1.2e-7 A apart), falling to
    /// 3-8e-10 at 1e-10 eV/A; so it scales with the residual force (about 10-15 x the largest residual force in eV/A),
    /// and the asserted 1e-6 and 1e-8 leave a margin of about 7 and 10. For scale, the strain itself changes the atom
    /// stresses by some 7,000 bar A^3 rms (1.4e-3 of the largest): 1e-6 of the largest is below 1e-3 of that change.
    /// </summary>
    [Theory]
    [InlineData(ShearPlane.Xy)]
    [InlineData(ShearPlane.Xz)]
    [InlineData(ShearPlane.Yz)]
    public void ShearedGlassRelaxesAsInLammps(ShearPlane plane)
    {
        const double gamma = 1e-3;
        string path = EamReference.Potential("CuZr_mm.eam.fs");
        var glass = EamReference.Glass;
        var lammps = Lammps(glass, path, $"""
            change_box all triclinic
            {AffineShear.ChangeBoxCommand(glass.Cell, plane, gamma)}
            min_style cg
            minimize 0 1e-10 100000 1000000
            print "fnorm $(fnorm:%.6g) fmax $(fmax:%.6g)"
            """);
        var sheared = AffineShear.Apply(glass, plane, gamma);
        Assert.Equal(sheared.Cell.Xy, lammps.Cell.Xy, 12);
        Assert.Equal(sheared.Cell.Xz, lammps.Cell.Xz, 12);
        Assert.Equal(sheared.Cell.Yz, lammps.Cell.Yz, 12);
        var potential = SetflPotential.Read(path);
        using var engine = new EamForceEngine(sheared, potential, CuZrTypes);
        var x = EamReference.Flat(sheared);
        var relaxed = Relaxation.Minimize(engine, x);
        Assert.True(relaxed.Converged, $"not converged: {relaxed}");
        var stresses = engine.Stresses(x);

        double de = Math.Abs(relaxed.Energy - lammps.Energy) / Math.Abs(lammps.Energy);
        var (rel, largest) = StressDifference(lammps.Stresses, stresses);
        double apart = 0;
        for (int i = 0; i < glass.Count; i++)
            apart = Math.Max(apart, sheared.Cell.MinimumImage(new Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]) - lammps.Positions[i]).Norm);
        var cell = EamForceEngine.CellStress(stresses, sheared.Cell);
        double cellWorst = Enumerable.Range(0, 6).Max(c => Math.Abs(cell[c] - lammps.CellStress[c])) / lammps.CellStress.Max(Math.Abs);
        // for scale: how much the strain changed the atom stresses
        using var before = new EamForceEngine(glass, potential, CuZrTypes);
        var unstrained = before.Stresses(EamReference.Flat(glass));
        double rmsChange = Math.Sqrt(stresses.Select((v, k) => (v - unstrained[k]) * (v - unstrained[k])).Average());

        var tighter = Relaxation.Minimize(engine, x, 1e-10);
        var (relTight, _) = StressDifference(lammps.Stresses, engine.Stresses(x));
        output.WriteLine(string.Create(Inv,
            $"{plane}: LAMMPS {lammps.Minimization}; E {lammps.Energy:R}. Native FIRE {relaxed.Steps} steps to {relaxed.MaxForce:G3} eV/A: E {relaxed.Energy:R} (rel {de:G3}), ")
            + string.Create(Inv, $"atom stresses {rel:G3} of the largest ({largest:G4} bar A^3; strain-induced change rms {rmsChange:G4}), positions {apart:G3} A apart, cell stress {cellWorst:G3}; ")
            + string.Create(Inv, $"{tighter.Steps} more steps to {tighter.MaxForce:G3} eV/A: atom stresses {relTight:G3}. Cell shear stress {cell.Shear(plane):G8} bar"));
        Assert.True(de <= 1e-8, $"relaxed energies differ by {de:G3} relative");
        Assert.True(rel <= 1e-6, $"atom stresses differ by {rel:G3} of the largest");
        Assert.True(apart <= 1e-6, $"relaxed positions are {apart:G3} A apart");
        Assert.True(cellWorst <= 1e-6, $"cell stresses differ by {cellWorst:G3} of the largest");
        Assert.True(tighter.Converged, $"not converged: {tighter}");
        Assert.True(relTight <= 1e-8, $"relaxed to 1e-10 eV/A, atom stresses still differ by {relTight:G3} of the largest");
    }
}
