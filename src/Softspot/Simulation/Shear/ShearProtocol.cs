using System.Globalization;
using System.Text;
using Softspot.Simulation.Glass;

namespace Softspot.Simulation.Shear;

/// <summary>
/// Athermal quasi-static simple shear (xy): the glass is first relaxed in its cell, then the cell is tilted by
/// <see cref="Step"/> x Ly at a time (atoms remapped affinely) and the energy minimised after every step (CG, force
/// tolerance <see cref="ForceTolerance"/> eV/A), until <see cref="MaxStrain"/>. The shear stress -pxy is recorded after
/// every step; structures are written at the requested strains (rounded to whole steps).
/// </summary>
public sealed record ShearProtocol(PotentialSpec Potential, double MaxStrain, double Step, IReadOnlyList<double> Snapshots)
{
    public double ForceTolerance { get; init; } = 1e-6;

    public int Steps => (int)Math.Round(MaxStrain / Step);

    /// <summary>The strain step at which each snapshot is written.</summary>
    public IReadOnlyList<int> SnapshotSteps => Snapshots.Select(s => (int)Math.Round(s / Step)).ToList();

    /// <summary>
    /// The strains a run can reach exactly: --max-strain and every snapshot a whole number of --step (a strain between
    /// two steps is refused rather than rounded, so that a snapshot is never labelled with a strain it was not taken
    /// at), snapshots in (0, --max-strain] and on different steps. Checked before the glass is read.
    /// </summary>
    public static void CheckStrains(double maxStrain, double step, IReadOnlyList<double> snapshots)
    {
        var ic = CultureInfo.InvariantCulture;
        if (!(step > 0 && step <= 0.01)) throw new SoftspotException(string.Create(ic, $"--step {step}: must lie in (0, 0.01]"));
        if (!(maxStrain > 0 && maxStrain <= 2)) throw new SoftspotException(string.Create(ic, $"--max-strain {maxStrain}: must lie in (0, 2]"));
        if (!IsWholeSteps(maxStrain, step))
            throw new SoftspotException(string.Create(ic, $"--max-strain {maxStrain} is not a whole number of --step {step} (the nearest are {Math.Floor(maxStrain / step) * step:G6} and {Math.Ceiling(maxStrain / step) * step:G6})"));
        if (snapshots.Count == 0) throw new SoftspotException("--snapshots: give at least one strain");
        foreach (var s in snapshots)
        {
            if (!(s > 0) || s > maxStrain * (1 + 1e-9)) throw new SoftspotException(string.Create(ic, $"--snapshots: strain {s} is not in (0, --max-strain {maxStrain}]"));
            if (!IsWholeSteps(s, step)) throw new SoftspotException(string.Create(ic, $"--snapshots: strain {s} is not a whole number of --step {step}"));
        }
        if (snapshots.Select(s => (long)Math.Round(s / step)).Distinct().Count() != snapshots.Count) throw new SoftspotException("--snapshots: a strain is given twice");
    }

    /// <summary>
    /// The snapshot strains every <paramref name="every"/> up to <paramref name="maxStrain"/> (e.g. 0.00125 up to 0.1:
    /// 80 snapshots, the 2019 paper's spacing). <paramref name="every"/> must be a whole number of
    /// <paramref name="step"/>; each strain is then a whole number of steps, written with 10 significant digits.
    /// </summary>
    public static IReadOnlyList<double> EveryStrain(double every, double maxStrain, double step)
    {
        var ic = CultureInfo.InvariantCulture;
        if (!(every > 0)) throw new SoftspotException(string.Create(ic, $"--snapshot-every {every}: must be positive"));
        if (!(step > 0)) throw new SoftspotException(string.Create(ic, $"--step {step}: must be positive"));
        if (!IsWholeSteps(every, step))
            throw new SoftspotException(string.Create(ic, $"--snapshot-every {every} is not a whole number of --step {step} (the nearest are {Math.Max(1, Math.Floor(every / step)) * step:G6} and {Math.Ceiling(every / step) * step:G6})"));
        if (every > maxStrain * (1 + 1e-9)) throw new SoftspotException(string.Create(ic, $"--snapshot-every {every} is beyond --max-strain {maxStrain}: no snapshot"));
        long stepsPer = (long)Math.Round(every / step), total = (long)Math.Floor(maxStrain / step + 1e-6);
        var strains = new List<double>();
        for (long k = stepsPer; k <= total; k += stepsPer)
            strains.Add(double.Parse((k * step).ToString("G10", ic), ic));
        return strains;
    }

    private static bool IsWholeSteps(double strain, double step)
    {
        double k = Math.Round(strain / step);
        return k >= 1 && Math.Abs(k * step - strain) <= 1e-9 * Math.Max(strain, step);
    }

    public void Validate()
    {
        CheckStrains(MaxStrain, Step, Snapshots);
        if (!(Step > 0 && Step <= 0.01)) throw new ArgumentException("--step must lie in (0, 0.01]");
        if (!(MaxStrain > 0 && MaxStrain <= 2)) throw new ArgumentException("--max-strain must lie in (0, 2]");
        if (Steps > 100_000) throw new ArgumentException($"{Steps} strain steps are too many");
        foreach (var s in Snapshots)
            if (!(s > 0) || s > MaxStrain + Step / 2) throw new ArgumentException($"--snapshots: strain {s} is not in (0, --max-strain]");
        if (SnapshotSteps.Distinct().Count() != Snapshots.Count) throw new ArgumentException("--snapshots: two strains fall on the same step");
    }

    /// <summary>
    /// The input script: reads <paramref name="data"/>, writes the relaxed reference as frame_0.dump and each snapshot
    /// as frame_STEP.dump, and the curve (step, strain, shear stress in GPa, energy in eV) to <paramref name="curve"/>.
    /// </summary>
    public string Script(string data, string curve)
    {
        var ic = CultureInfo.InvariantCulture;
        var s = new StringBuilder();
        s.Append(ic, $"# Softspot athermal quasi-static simple shear: {Steps} steps of {Step:G6} up to {MaxStrain:G6}\n");
        s.Append("units           metal\natom_style      atomic\nboundary        p p p\n");
        s.Append(ic, $"read_data       {data}\n");
        s.Append(Potential.Commands);
        s.Append("change_box      all triclinic\nneighbor        1.0 bin\nneigh_modify    every 1 delay 0 check yes\n");
        s.Append("thermo_style    custom step pe pxy\nthermo          1000000\n");
        s.Append("min_style       cg\nmin_modify      dmax 0.1 line quadratic\n");
        s.Append(ic, $"minimize        0 {ForceTolerance:R} 10000 100000\n");
        // print right after each minimisation, while the pressure compute is current
        s.Append("variable        tau equal -pxy/10000\n");
        s.Append(ic, $"print           \"step,strain,shear_stress_gpa,energy_ev\" file {curve} screen no\n");
        s.Append(ic, $"print           \"0,0,$(v_tau:%.10g),$(pe:%.10f)\" append {curve} screen no\n");
        s.Append("reset_timestep  0\n");
        const string dump = "id type x y z modify sort id format float %.15g";
        s.Append(ic, $"write_dump      all custom frame_0.dump {dump}\n");
        s.Append(ic, $"variable        i loop {Steps}\nlabel           loop\n");
        s.Append(ic, $"change_box      all xy delta $({Step:R}*ly) remap units box\n");
        s.Append(ic, $"minimize        0 {ForceTolerance:R} 10000 100000\n");
        s.Append(ic, $"print           \"$i,$(v_i*{Step:R}:%.10g),$(v_tau:%.10g),$(pe:%.10f)\" append {curve} screen no\n");
        s.Append("reset_timestep  $i\n");
        string condition = string.Join(" || ", SnapshotSteps.Select(k => $"$i == {k}"));
        s.Append(ic, $"if \"{condition}\" then \"write_dump all custom frame_$i.dump {dump}\"\n");
        s.Append("next            i\njump            SELF loop\n");
        return s.ToString();
    }
}
