namespace Softspot.Simulation;

/// <summary>
/// A potential-energy surface of a whole periodic configuration: energy (eV) and forces (eV/A) for given positions.
/// Positions and forces are flat arrays of 3N numbers (x0, y0, z0, x1, ...) in the order of the structure the engine
/// was made for; the cell is the structure's and does not change. Positions need not be wrapped into the cell.
/// </summary>
public interface IForceEngine : IDisposable
{
    /// <summary>Number of atoms.</summary>
    int Count { get; }

    /// <summary>A short name for logs and provenance ("native eam/fs", "lammps eam/fs").</summary>
    string Name { get; }

    /// <summary>Total potential energy (eV); writes the force on every atom (eV/A) into <paramref name="forces"/>.</summary>
    double Compute(ReadOnlySpan<double> positions, Span<double> forces);
}

/// <summary>
/// The surface ART explores: the energy as a function of the coordinates of the mobile atoms only (3M numbers in the
/// order of <see cref="Mobile"/>), every other atom frozen where it was when the surface was made. The energy may be
/// offset by a constant (only differences are used); forces are exact for the mobile atoms.
/// </summary>
public interface IPotentialSurface
{
    /// <summary>Indices (into the structure) of the atoms that move.</summary>
    IReadOnlyList<int> Mobile { get; }

    /// <summary>Energy (eV, up to a constant) and forces on the mobile atoms for mobile coordinates <paramref name="x"/>.</summary>
    double Compute(ReadOnlySpan<double> x, Span<double> forces);

    /// <summary>Number of force evaluations so far.</summary>
    long Calls { get; }
}
