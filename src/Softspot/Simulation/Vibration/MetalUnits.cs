namespace Softspot.Simulation.Vibration;

/// <summary>LAMMPS "metal" units: masses in g/mol, distances in A, time in ps, energies in eV, temperature in K.</summary>
internal static class MetalUnits
{
    /// <summary>Boltzmann's constant (eV/K), LAMMPS' value.</summary>
    public const double Boltzmann = 8.617343e-5;

    /// <summary>Kinetic energy (eV) of a mass of 1 g/mol moving at 1 A/ps (LAMMPS' mvv2e); a = F / (m mvv2e).</summary>
    public const double MvvToEnergy = 1.0364269e-4;
}
