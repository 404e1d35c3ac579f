using System.Text.Json.Serialization;

namespace Softspot.Simulation.Vibration;

/// <summary>How the vibrational mean-square displacement of each atom is estimated.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MsdMethod>))]
public enum MsdMethod
{
    /// <summary>Molecular dynamics with a Langevin thermostat: the variance of each atom's position over the run.</summary>
    [JsonStringEnumMemberName("md")] Md,
    /// <summary>The harmonic approximation at the energy minimum: k_B T times the atom's diagonal block of the pseudo-inverse Hessian.</summary>
    [JsonStringEnumMemberName("harmonic")] Harmonic,
}

public static class MsdMethods
{
    /// <summary>The method a user names (harmonic, or md for anything else; callers accept only md and harmonic).</summary>
    public static MsdMethod Parse(string name) => name == "harmonic" ? MsdMethod.Harmonic : MsdMethod.Md;
}

/// <summary>
/// The recipe of the vibrational mean-square displacement (<see cref="VibrationalMsd"/>): every number that changes
/// the values, recorded with the feature settings. Defaults: 10 K (a fast-quenched Cu-Zr glass rearranges within
/// 20 ps at 50 K but not at 10 K), 2 ps of equilibration then 10 ps sampled every 2 fs step, Langevin damping 0.1 ps.
/// </summary>
public sealed record VibrationSettings
{
    /// <summary>Estimator: molecular dynamics (default) or the harmonic approximation.</summary>
    public MsdMethod Method { get; init; } = MsdMethod.Md;

    /// <summary>Temperature (K) of the thermostat, and of k_B T in the harmonic estimate.</summary>
    public double Temperature { get; init; } = 10;

    /// <summary>Sampled duration of the MD (ps), after the equilibration.</summary>
    public double Duration { get; init; } = 10;

    /// <summary>MD run before sampling starts (ps), from the minimised structure with velocities drawn at the temperature.</summary>
    public double Equilibration { get; init; } = 2;

    /// <summary>MD time step (ps).</summary>
    public double Timestep { get; init; } = 0.002;

    /// <summary>Damping time of the Langevin thermostat (ps; LAMMPS fix langevin's damp).</summary>
    public double Damping { get; init; } = 0.1;

    /// <summary>Seed of the initial velocities and of the thermostat's random forces.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Force tolerance (eV/A) of the minimisation that precedes the MD and the Hessian.</summary>
    public double ForceTolerance { get; init; } = 1e-6;

    /// <summary>Throws a <see cref="SoftspotException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Method)) throw new SoftspotException($"unknown MSD method {Method}");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new SoftspotException($"the flexibility-volume temperature must be positive, got {Temperature} K");
        if (!(Timestep > 0) || !double.IsFinite(Timestep)) throw new SoftspotException($"the MD time step must be positive, got {Timestep} ps");
        if (!(Duration >= Timestep) || !double.IsFinite(Duration)) throw new SoftspotException($"the MD duration must be at least one time step, got {Duration} ps");
        if (!(Equilibration >= 0) || !double.IsFinite(Equilibration)) throw new SoftspotException($"the MD equilibration cannot be negative, got {Equilibration} ps");
        if (!(Damping > 0) || !double.IsFinite(Damping)) throw new SoftspotException($"the Langevin damping time must be positive, got {Damping} ps");
        if (!(ForceTolerance > 0)) throw new SoftspotException($"the minimisation force tolerance must be positive, got {ForceTolerance} eV/A");
    }

    /// <summary>MD steps before sampling.</summary>
    [JsonIgnore] public int EquilibrationSteps => (int)Math.Round(Equilibration / Timestep);

    /// <summary>Sampled MD steps.</summary>
    [JsonIgnore] public int SampleSteps => Math.Max(1, (int)Math.Round(Duration / Timestep));
}
