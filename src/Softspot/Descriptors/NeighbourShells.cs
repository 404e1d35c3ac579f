using Softspot.Descriptors.Geometry;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// The convex hull of every atom's Voronoi neighbour shell (descriptor-spec.md B.9), built once per frame and
/// shared by the interstice and packing descriptors. Triangles index the atom's row of the Voronoi
/// <see cref="NeighbourTable"/> (0 = its first neighbour); an atom with fewer than 4 neighbours, or a flat shell,
/// has none.
/// </summary>
public sealed class NeighbourShells
{
    public int[] Offsets { get; }
    public (int A, int B, int C)[] Triangles { get; }

    public NeighbourShells(NeighbourTable table)
    {
        int n = table.Offsets.Length - 1;
        var chunks = Parallelism.MapChunks(n, 512, (start, end) =>
        {
            var hull = new ConvexHull();
            var counts = new int[end - start];
            var tris = new List<(int, int, int)>((end - start) * 28);
            for (int i = start; i < end; i++)
            {
                var shell = table.Vectors.AsSpan(table.Start(i), table.Count(i));
                hull.Build(shell);
                tris.AddRange(hull.Triangles);
                counts[i - start] = hull.Triangles.Count;
            }
            return (counts, tris);
        });
        Offsets = new int[n + 1];
        int at = 0;
        foreach (var (counts, _) in chunks) foreach (int c in counts) { Offsets[at + 1] = Offsets[at] + c; at++; }
        Triangles = chunks.SelectMany(c => c.tris).ToArray();
    }

    public ReadOnlySpan<(int A, int B, int C)> Of(int atom) => Triangles.AsSpan(Offsets[atom], Offsets[atom + 1] - Offsets[atom]);
}
