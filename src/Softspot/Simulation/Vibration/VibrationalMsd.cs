using Softspot.Simulation.Elastic;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;

namespace Softspot.Simulation.Vibration;

/// <summary>
/// The vibrational mean-square displacement (MSD, A^2) of every atom of a structure at a low temperature, under a
/// tabulated EAM potential evaluated by the native engine (<see cref="EamForceEngine"/>). The structure is first
/// minimised (FIRE, <see cref="VibrationSettings.ForceTolerance"/>); then either
/// <list type="bullet">
/// <item><see cref="MsdMethod.Md"/>: Langevin MD (<see cref="LangevinDynamics"/>) from the minimum with velocities at
/// T, <see cref="VibrationSettings.Equilibration"/> ps unsampled, then every step of
/// <see cref="VibrationSettings.Duration"/> ps sampled; MSD_i = &lt;|x_i(t) - x_i^min|^2&gt;, the mean squared
/// distance from the atom's position at the minimum (the same as LAMMPS' <c>compute displace/atom</c> defined at the
/// minimum, its squared displacement averaged with <c>fix ave/atom</c>). The minimum, not the time-averaged
/// position, is the reference because a finite run's variance about its own mean is biased low by the slow modes
/// (by a few % over 10 ps for 500 atoms); at 10 K the thermal shift of the mean position is negligible. The run is refused
/// (<see cref="SoftspotException"/>) when an atom's mean position over any tenth of the sampling is farther than
/// <see cref="HopDistance"/> from the minimum: it has hopped to another basin (for good or back and forth), and its
/// MSD would measure the hop, not the vibration.</item>
/// <item><see cref="MsdMethod.Harmonic"/>: MSD_i = k_B T tr[(H^+)_ii], the classical harmonic value, with H the
/// Hessian at the minimum (<see cref="HarmonicMsd"/>).</item>
/// </list>
/// The two agree at low T up to anharmonicity and MD sampling noise (the MD keeps the mass-weighted centre of mass
/// fixed, the pseudo-inverse the plain one: a difference of order 1/N). Deterministic for a seed, whatever the thread
/// count (the MD is serial; the Hessian's columns and the inverse's diagonal are computed independently).
/// </summary>
public static class VibrationalMsd
{
    /// <summary>
    /// Largest allowed distance (A) between an atom's mean position over a block of the sampling and its position at
    /// the minimum: farther, it has left the minimum's basin (a hop, or a two-level system flipping back and forth).
    /// At 10 K the block means of a vibrating atom stay within a few hundredths of an angstrom.
    /// </summary>
    public const double HopDistance = 0.2;

    /// <summary>The sampling is cut into this many blocks for the hop check.</summary>
    public const int HopBlocks = 10;

    /// <summary>The MSD of every atom (A^2, structure order) and the minimised positions it vibrates about.</summary>
    /// <param name="structure">the atoms, with their elements named (types mapped to the potential's elements).</param>
    /// <param name="potential">the potential.</param>
    /// <param name="settings">the recipe.</param>
    /// <param name="threads">threads of the harmonic estimate.</param>
    public static double[] Compute(Snapshot structure, SetflPotential potential, VibrationSettings settings, int threads = 1)
    {
        settings.Validate();
        var elements = structure.RequireElements();
        if (structure.Count < 2) throw new SoftspotException($"{structure.Source ?? "structure"}: the vibrational MSD needs at least two atoms");
        var symbols = elements.ElementsByType.Select(e => e.Symbol).ToArray();
        using var engine = new EamForceEngine(structure, potential, symbols);
        var x = FlatCoordinates.Flatten(structure.Positions);
        var relaxed = Relaxation.Minimize(engine, x, settings.ForceTolerance);
        if (!relaxed.Converged)
            throw new SoftspotException($"{structure.Source ?? "structure"}: the minimisation before the vibrational MSD did not reach {settings.ForceTolerance:G3} eV/A (largest force {relaxed.MaxForce:G3} eV/A after {relaxed.Steps} steps)");
        return settings.Method == MsdMethod.Harmonic
            ? HarmonicMsd.Compute(structure, potential, symbols, x, settings.Temperature, threads)
            : Dynamics(engine, x, Masses(structure, potential, symbols), settings, structure);
    }

    /// <summary>The mass (g/mol, from the potential file) of each atom.</summary>
    internal static double[] Masses(Snapshot structure, SetflPotential potential, IReadOnlyList<string> symbols)
    {
        var map = potential.MapTypes(symbols);
        return [.. structure.Types.Select(t => potential.Elements[map[t - 1]].Mass)];
    }

    private static double[] Dynamics(IForceEngine engine, double[] minimum, double[] masses, VibrationSettings settings, Snapshot structure)
    {
        int n = engine.Count;
        var md = new LangevinDynamics(engine, minimum, masses, settings.Temperature, settings.Timestep, settings.Damping, settings.Seed);
        for (int s = 0; s < settings.EquilibrationSteps; s++) md.Step();
        int samples = settings.SampleSteps, blocks = Math.Min(HopBlocks, samples);
        // squared displacements from the minimum over the whole run; displacements summed per block (the hop check)
        var squares = new double[3 * n]; var block = new double[3 * n];
        var farthest = new double[n];
        int blockStart = 0, b = 0;
        for (int s = 0; s < samples; s++)
        {
            md.Step();
            var p = md.Positions;
            for (int k = 0; k < p.Length; k++)
            {
                double d = p[k] - minimum[k];
                block[k] += d; squares[k] += d * d;
            }
            if (s + 1 == (long)samples * (b + 1) / blocks)
            {
                double count = s + 1 - blockStart;
                for (int i = 0; i < n; i++)
                {
                    double x = block[3 * i] / count, y = block[3 * i + 1] / count, z = block[3 * i + 2] / count;
                    farthest[i] = Math.Max(farthest[i], Math.Sqrt(x * x + y * y + z * z));
                }
                Array.Clear(block);
                blockStart = s + 1; b++;
            }
        }
        var msd = new double[n];
        int hops = 0, worst = 0;
        for (int i = 0; i < n; i++)
        {
            msd[i] = (squares[3 * i] + squares[3 * i + 1] + squares[3 * i + 2]) / samples;
            if (farthest[i] > HopDistance) hops++;
            if (farthest[i] > farthest[worst]) worst = i;
        }
        if (hops > 0)
            throw new SoftspotException($"{structure.Source ?? "structure"}: {hops} atom(s) left their energy minimum during the {settings.Temperature:G4} K MD (atom {structure.Ids[worst]}'s mean position over a tenth of the sampling was {farthest[worst]:F2} A from it): lower --flex-temperature, change --flex-seed or use --flex-method harmonic");
        return msd;
    }
}
