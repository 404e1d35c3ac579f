using Softspot.Neighbours;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Descriptors;

/// <summary>
/// The neighbours of every atom under one definition, in compressed rows: neighbour index, displacement from the
/// atom to the neighbour's image, distance, and for Voronoi neighbours the shared face's area, edge count and
/// pyramid volume. Voronoi neighbours are listed in neighbour-index order (the reference's order); distance
/// neighbours by distance.
/// </summary>
public sealed class NeighbourTable
{
    public NeighbourKind Kind { get; }
    public int[] Offsets { get; }
    public int[] Index { get; }
    public Vec3[] Vectors { get; }
    public double[] Distances { get; }
    /// <summary>Face areas (Voronoi only, else null).</summary>
    public double[]? Areas { get; }
    /// <summary>Face edge counts (Voronoi only, else null).</summary>
    public int[]? Edges { get; }
    /// <summary>Face pyramid volumes (Voronoi only, else null).</summary>
    public double[]? Pyramids { get; }

    private NeighbourTable(NeighbourKind kind, int[] offsets, int[] index, Vec3[] vectors, double[] distances,
        double[]? areas, int[]? edges, double[]? pyramids)
    {
        Kind = kind; Offsets = offsets; Index = index; Vectors = vectors; Distances = distances;
        Areas = areas; Edges = edges; Pyramids = pyramids;
    }

    public int Count(int atom) => Offsets[atom + 1] - Offsets[atom];
    public int Start(int atom) => Offsets[atom];
    public int End(int atom) => Offsets[atom + 1];

    /// <summary>Voronoi neighbours: the small-face filter, then faces with atoms closer than the cutoff (walls dropped).</summary>
    public static NeighbourTable FromVoronoi(VoronoiTessellation t, double smallFaceFraction, double cutoff)
    {
        var filtered = t.Filter(FaceFilter.AmlearnRunningMean(smallFaceFraction));
        int n = filtered.AtomCount;
        var offsets = new int[n + 1];
        var keep = new List<int>(filtered.Neighbour.Length);
        for (int i = 0; i < n; i++)
        {
            for (int f = filtered.FaceOffsets[i]; f < filtered.FaceOffsets[i + 1]; f++)
                if (filtered.Neighbour[f] >= 0 && filtered.NeighbourVector[f].Norm2 < cutoff * cutoff) keep.Add(f);
            offsets[i + 1] = keep.Count;
        }
        return new NeighbourTable(NeighbourKind.Voronoi, offsets,
            keep.Select(f => filtered.Neighbour[f]).ToArray(), keep.Select(f => filtered.NeighbourVector[f]).ToArray(),
            keep.Select(f => filtered.NeighbourVector[f].Norm).ToArray(), keep.Select(f => filtered.Area[f]).ToArray(),
            keep.Select(f => filtered.Edges[f]).ToArray(), keep.Select(f => filtered.PyramidVolume[f]).ToArray());
    }

    public static NeighbourTable FromList(NeighbourList list) =>
        new(NeighbourKind.Distance, list.Offsets, list.Index, list.Vectors, list.Distances, null, null, null);
}
