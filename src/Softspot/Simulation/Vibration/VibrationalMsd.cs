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
/// <see cref="VibrationSettings.Duration"/> ps sampled; MSD_i = sum over x, y, z of the variance of the atom's
/// coordinate over the samples, i.e. the mean squared distance from its time-averaged position (the same as LAMMPS'
/// <c>compute displace/atom</c> averaged with <c>fix ave/atom</c>: &lt;|d|^2&gt; - |&lt;d&gt;|^2). The run is refused
/// (<see cref="SoftspotException"/>) when an atom's mean position over the second half of the sampling differs from
/// that over the first half by more than <see cref="HopDistance"/>: it has hopped to another basin, and its MSD would
/// measure the hop, not the vibration.</item>
/// <item><see cref="MsdMethod.Harmonic"/>: MSD_i = k_B T tr[(H^+)_ii], the classical harmonic value, with H the
/// Hessian at the minimum (<see cref="HarmonicMsd"/>).</item>
/// </list>
/// The two agree at low T up to anharmonicity and MD sampling noise (the MD keeps the mass-weighted centre of mass
/// fixed, the pseudo-inverse the plain one: a difference of order 1/N). Deterministic for a seed, whatever the thread
/// count (the MD is serial; the Hessian's columns and the inverse's diagonal are computed independently).
/// </summary>
public static class VibrationalMsd
{
    /// <summary>Largest allowed shift (A) of an atom's mean position between the two halves of the sampling.</summary>
    public const double HopDistance = 0.3;

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
        int samples = settings.SampleSteps, half = samples / 2;
        // displacements from the minimum: sums over each half, and of squares over the whole run
        var sum1 = new double[3 * n]; var sum2 = new double[3 * n]; var squares = new double[3 * n];
        for (int s = 0; s < samples; s++)
        {
            md.Step();
            var sum = s < half ? sum1 : sum2;
            var p = md.Positions;
            for (int k = 0; k < p.Length; k++)
            {
                double d = p[k] - minimum[k];
                sum[k] += d; squares[k] += d * d;
            }
        }
        var msd = new double[n];
        int hops = 0, worst = -1; double worstShift = 0;
        for (int i = 0; i < n; i++)
        {
            double m = 0, shift = 0;
            for (int c = 0; c < 3; c++)
            {
                int k = 3 * i + c;
                double mean = (sum1[k] + sum2[k]) / samples;
                m += squares[k] / samples - mean * mean;
                if (half > 0 && samples - half > 0)
                {
                    double dd = sum2[k] / (samples - half) - sum1[k] / half;
                    shift += dd * dd;
                }
            }
            msd[i] = Math.Max(0, m);
            shift = Math.Sqrt(shift);
            if (shift > HopDistance) hops++;
            if (shift > worstShift) { worstShift = shift; worst = i; }
        }
        if (hops > 0)
            throw new SoftspotException($"{structure.Source ?? "structure"}: {hops} atom(s) rearranged during the {settings.Temperature:G4} K MD (atom {structure.Ids[worst]}'s mean position moved {worstShift:F2} A between the halves of the sampling): lower --flex-temperature or use --flex-method harmonic");
        return msd;
    }
}
