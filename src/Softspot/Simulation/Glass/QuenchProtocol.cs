using System.Globalization;
using System.Text;

namespace Softspot.Simulation.Glass;

/// <summary>
/// Melt-quench at zero pressure, as in ../shared/reference/datagen.md: atoms placed at random in a cubic box,
/// overlaps removed with a soft pair potential, then with the real potential: melt (NPT at <see cref="MeltTemperature"/>
/// for <see cref="MeltPicoseconds"/>), quench linearly to <see cref="FinalTemperature"/> at <see cref="Rate"/> K/s,
/// hold, relax the box to zero pressure by energy minimisation and finally minimise to the inherent structure
/// (forces below 1e-10 eV/A or no further progress). With an <see cref="Anneal"/> stage the quench stops at the
/// anneal temperature, holds there (NPT, optionally with Monte Carlo identity swaps) and then goes on at the same rate.
/// </summary>
public sealed record QuenchProtocol(Composition Composition, PotentialSpec Potential, int Atoms, double Rate, long Seed)
{
    public double MeltTemperature { get; init; } = 2000;
    public double MeltPicoseconds { get; init; } = 40;
    public double FinalTemperature { get; init; } = 50;
    public double HoldPicoseconds { get; init; } = 10;
    public double TimestepFemtoseconds { get; init; } = 2;
    /// <summary>Starting volume per atom (A^3); default: <see cref="Composition.LiquidVolumePerAtom"/>.</summary>
    public double? VolumePerAtom { get; init; }
    /// <summary>An isothermal stage on the way down (null: a plain linear quench).</summary>
    public AnnealStage? Anneal { get; init; }

    public long MeltSteps => Steps(MeltPicoseconds);
    public long QuenchSteps => Steps((MeltTemperature - FinalTemperature) / Rate * 1e12);
    public long AnnealSteps => Anneal is { } a ? Steps(a.Picoseconds) : 0;
    public long HoldSteps => Steps(HoldPicoseconds);
    public long TotalSteps => MeltSteps + QuenchSteps + AnnealSteps + HoldSteps;

    private long Steps(double picoseconds) => (long)Math.Round(picoseconds / (TimestepFemtoseconds * 1e-3));

    /// <summary>The LAMMPS seeds (positive, below 9e8) for the random placement of each element and the velocities.</summary>
    public int SubSeed(int k) => (int)(1 + (ulong)(Seed * 2654435761L + k * 40503L + 12345) % 899_999_999UL);

    public void Validate()
    {
        if (Atoms < 2) throw new ArgumentException("--atoms must be at least 2");
        if (!(Rate > 0)) throw new ArgumentException("--rate must be positive (K/s)");
        if (!(MeltTemperature > FinalTemperature && FinalTemperature > 0)) throw new ArgumentException("the melt temperature must exceed the final temperature, which must be positive");
        if (Potential.Elements.Count != Composition.Parts.Count) throw new ArgumentException("the potential needs one element per component of the composition");
        if (QuenchSteps > 50_000_000) throw new ArgumentException($"a quench at {Rate:G3} K/s needs {QuenchSteps:N0} steps: too slow for this tool");
        if (Anneal is { } a)
        {
            if (!(a.Temperature > FinalTemperature && a.Temperature < MeltTemperature))
                throw new ArgumentException($"the anneal temperature ({a.Temperature:G6} K) must lie between the final ({FinalTemperature:G6} K) and the melt temperature ({MeltTemperature:G6} K)");
            if (!(a.Picoseconds > 0) || AnnealSteps > 50_000_000) throw new ArgumentException($"the anneal time must be positive and at most {50_000_000 * TimestepFemtoseconds * 1e-3:N0} ps");
            if (a.SwapEvery < 0 || a.SwapAttempts < 0 || (a.SwapEvery > 0) != (a.SwapAttempts > 0))
                throw new ArgumentException("swaps need both a positive interval (MD steps) and a positive number of attempts");
            if (a.SwapEvery > 0 && Composition.Parts.Count != 2)
                throw new ArgumentException($"identity swaps are implemented for binary alloys; {Composition} has {Composition.Parts.Count} elements");
        }
    }

    /// <summary>The input script; it writes <paramref name="dump"/> (id type x y z of the inherent structure).</summary>
    public string Script(string dump)
    {
        var ic = CultureInfo.InvariantCulture;
        int[] counts = Composition.Counts(Atoms);
        double l = Math.Cbrt((VolumePerAtom ?? Composition.LiquidVolumePerAtom) * Atoms);
        var s = new StringBuilder();
        s.Append(ic, $"# Softspot melt-quench: {Composition} ({Atoms} atoms), {Rate:G3} K/s, seed {Seed}\n");
        s.Append("units           metal\natom_style      atomic\nboundary        p p p\n");
        s.Append(ic, $"region          box block 0 {l:R} 0 {l:R} 0 {l:R}\n");
        s.Append(ic, $"create_box      {counts.Length} box\n");
        for (int k = 0; k < counts.Length; k++)
            s.Append(ic, $"create_atoms    {k + 1} random {counts[k]} {SubSeed(k)} box\n");
        for (int k = 0; k < counts.Length; k++)
            s.Append(ic, $"mass            {k + 1} {Composition.Parts[k].Element.Mass:R}\n");
        s.Append("# remove overlaps with a soft repulsion first\n");
        s.Append("pair_style      soft 2.0\npair_coeff      * * 20.0\n");
        s.Append("neighbor        2.0 bin\nneigh_modify    every 1 delay 0 check yes\n");
        s.Append("minimize        1e-6 1e-8 2000 20000\n");
        s.Append(Potential.Commands);
        s.Append("thermo          1000\nthermo_style    custom step temp pe press vol density\n");
        s.Append(ic, $"timestep        {TimestepFemtoseconds * 1e-3:R}\n");
        s.Append("minimize        1e-6 1e-8 1000 10000\nreset_timestep  0\n");
        s.Append(ic, $"velocity        all create {MeltTemperature:R} {SubSeed(counts.Length)} mom yes rot yes dist gaussian\n");
        s.Append(ic, $"fix             md all npt temp {MeltTemperature:R} {MeltTemperature:R} 0.1 iso 0 0 1.0\nrun             {MeltSteps}\nunfix           md\n");
        if (Anneal is { } a)
        {
            long down = Steps((MeltTemperature - a.Temperature) / Rate * 1e12);
            s.Append(ic, $"fix             md all npt temp {MeltTemperature:R} {a.Temperature:R} 0.1 iso 0 0 1.0\nrun             {down}\nunfix           md\n");
            s.Append(ic, $"# anneal at {a.Temperature:R} K for {a.Picoseconds:R} ps{(a.SwapEvery > 0 ? $", {a.SwapAttempts} Monte Carlo identity swaps every {a.SwapEvery} MD steps (fixed composition)" : "")}\n");
            s.Append(ic, $"fix             md all npt temp {a.Temperature:R} {a.Temperature:R} 0.1 iso 0 0 1.0\n");
            if (a.SwapEvery > 0)
            {
                s.Append(ic, $"fix             swap all atom/swap {a.SwapEvery} {a.SwapAttempts} {SubSeed(counts.Length + 1)} {a.Temperature:R} ke yes types 1 2\n");
                s.Append("thermo_style    custom step temp pe press vol density f_swap[1] f_swap[2]\n");
            }
            s.Append(ic, $"run             {AnnealSteps}\n");
            s.Append("variable        natoms equal atoms\nprint           \"annealed: pe $(pe/v_natoms:%.8f) eV/atom at $(temp:%.1f) K\"\nunfix           md\n");
            if (a.SwapEvery > 0)
                s.Append("print           \"swaps: $(f_swap[1]:%.0f) attempted, $(f_swap[2]:%.0f) accepted\"\nunfix           swap\nthermo_style    custom step temp pe press vol density\n");
            s.Append(ic, $"fix             md all npt temp {a.Temperature:R} {FinalTemperature:R} 0.1 iso 0 0 1.0\nrun             {QuenchSteps - down}\nunfix           md\n");
        }
        else
            s.Append(ic, $"fix             md all npt temp {MeltTemperature:R} {FinalTemperature:R} 0.1 iso 0 0 1.0\nrun             {QuenchSteps}\nunfix           md\n");
        s.Append(ic, $"fix             md all npt temp {FinalTemperature:R} {FinalTemperature:R} 0.1 iso 0 0 1.0\nrun             {HoldSteps}\nunfix           md\n");
        s.Append("# inherent structure: relax the box to zero pressure, then the atoms to a tight force tolerance\n");
        s.Append("min_modify      line quadratic\n");
        s.Append("fix             relax all box/relax iso 0.0 vmax 0.001\nminimize        0 1e-8 10000 100000\nunfix           relax\n");
        s.Append("minimize        0 1e-10 10000 100000\n");
        if (Anneal is null) s.Append("variable        natoms equal atoms\n");
        s.Append("print           \"inherent structure: pe $(pe/v_natoms:%.8f) eV/atom, $(vol/v_natoms:%.4f) A^3/atom, $(density:%.4f) g/cm3\"\n");
        s.Append(ic, $"write_dump      all custom {dump} id type x y z modify sort id format float %.15g\n");
        return s.ToString();
    }
}

/// <summary>
/// An isothermal stage of a quench (NPT at <paramref name="Temperature"/> K for <paramref name="Picoseconds"/> ps), with
/// <see cref="SwapAttempts"/> Monte Carlo exchanges of a random atom of type 1 with one of type 2 every
/// <see cref="SwapEvery"/> MD steps (LAMMPS <c>fix atom/swap</c>, Metropolis at the same temperature, velocities rescaled
/// to the new masses); no swaps when both are 0.
/// </summary>
public sealed record AnnealStage(double Temperature, double Picoseconds)
{
    public int SwapEvery { get; init; }
    public int SwapAttempts { get; init; }
}
