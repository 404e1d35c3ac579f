using Softspot.Descriptors.Geometry;

namespace Softspot.Descriptors;

/// <summary>
/// The convex hull of every atom's Voronoi neighbour shell (descriptor-spec.md B.9), shared by the interstice and
/// packing descriptors. Triangles index the atom's row of the Voronoi <see cref="NeighbourTable"/> (0 = its first
/// neighbour); an atom with fewer than 4 neighbours, or a flat shell, has none.
/// </summary>
/// <remarks>
/// Hulls are built when asked for and not stored (a frame's hulls would take about 370 bytes per atom). Each thread
/// keeps the last hull it built (one per thread and process, whichever shells built it), so the descriptors of one
/// atom, which <see cref="FeatureSet"/> computes one after the other on one thread, share a single build.
/// </remarks>
public sealed class NeighbourShells(NeighbourTable table)
{
    /// <summary>Identifies these shells in a thread's last hull (without keeping them, and their table, alive).</summary>
    private readonly object _key = new();

    private static readonly ThreadLocal<LastHull> Last = new(() => new LastHull());

    /// <summary>The last hull a thread built: whose (shells instance and atom) it is.</summary>
    private sealed class LastHull
    {
        public object? Owner;
        public int Atom;
        public readonly ConvexHull Hull = new();
    }

    /// <summary>The triangles of an atom's shell; valid until the thread's next call.</summary>
    public ReadOnlySpan<(int A, int B, int C)> Of(int atom)
    {
        var last = Last.Value!;
        if (last.Owner != _key || last.Atom != atom)
        {
            last.Owner = null; // not valid while it is rebuilt
            last.Hull.Build(table.Vectors.AsSpan(table.Start(atom), table.Count(atom)));
            last.Owner = _key; last.Atom = atom;
        }
        return last.Hull.TriangleSpan;
    }
}
