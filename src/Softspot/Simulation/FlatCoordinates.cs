using Softspot.Structures;

namespace Softspot.Simulation;

/// <summary>
/// Coordinates as the force engines take them: flat arrays of 3N numbers (x0, y0, z0, x1, ...), and the coordinates
/// of a subset of atoms (the mobile ones) gathered from or scattered into the whole structure's array.
/// </summary>
public static class FlatCoordinates
{
    public static double[] Flatten(IReadOnlyList<Vec3> positions)
    {
        var x = new double[3 * positions.Count];
        for (int i = 0; i < positions.Count; i++) { x[3 * i] = positions[i].X; x[3 * i + 1] = positions[i].Y; x[3 * i + 2] = positions[i].Z; }
        return x;
    }

    /// <summary>part[3k + c] = all[3 atoms[k] + c].</summary>
    public static void Gather(ReadOnlySpan<double> all, IReadOnlyList<int> atoms, Span<double> part)
    {
        for (int k = 0; k < atoms.Count; k++)
        {
            int i = atoms[k];
            part[3 * k] = all[3 * i]; part[3 * k + 1] = all[3 * i + 1]; part[3 * k + 2] = all[3 * i + 2];
        }
    }

    /// <summary>A new array with the coordinates of <paramref name="atoms"/>.</summary>
    public static double[] Gather(ReadOnlySpan<double> all, IReadOnlyList<int> atoms)
    {
        var part = new double[3 * atoms.Count];
        Gather(all, atoms, part);
        return part;
    }

    /// <summary>all[3 atoms[k] + c] = part[3k + c].</summary>
    public static void Scatter(ReadOnlySpan<double> part, IReadOnlyList<int> atoms, Span<double> all)
    {
        for (int k = 0; k < atoms.Count; k++)
        {
            int i = atoms[k];
            all[3 * i] = part[3 * k]; all[3 * i + 1] = part[3 * k + 1]; all[3 * i + 2] = part[3 * k + 2];
        }
    }
}
