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

    /// <summary>The faces the Voronoi neighbours keep: the small-face filter, then atoms closer than the cutoff (no walls).</summary>
    public static FaceFilter VoronoiFilter(double smallFaceFraction, double cutoff) =>
        FaceFilter.AmlearnRunningMean(smallFaceFraction).AtomsCloserThan(cutoff);

    /// <summary>
    /// Voronoi neighbours: the small-face filter, then faces with atoms closer than the cutoff (walls dropped). The
    /// cells are filtered as they are built, so the frame's unfiltered faces are never held at once. Tessellates on
    /// <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static NeighbourTable FromVoronoi(Snapshot s, double smallFaceFraction, double cutoff, int? threads = null) =>
        FromFiltered(VoronoiTessellator.Compute(s, new VoronoiOptions { Filter = VoronoiFilter(smallFaceFraction, cutoff), Threads = Parallelism.Resolve(threads) }));

    /// <summary>Voronoi neighbours from a tessellation filtered already (<see cref="VoronoiFilter"/>): its arrays, shared.</summary>
    public static NeighbourTable FromFiltered(VoronoiTessellation t)
    {
        var distances = new double[t.Neighbour.Length];
        for (int k = 0; k < distances.Length; k++) distances[k] = t.NeighbourVector[k].Norm;
        return new NeighbourTable(NeighbourKind.Voronoi, t.FaceOffsets, t.Neighbour, t.NeighbourVector, distances, t.Area, t.Edges, t.PyramidVolume);
    }

    /// <summary>Voronoi neighbours from an unfiltered tessellation: the small-face filter, then atoms closer than the cutoff.</summary>
    public static NeighbourTable FromVoronoi(VoronoiTessellation t, double smallFaceFraction, double cutoff) =>
        FromFiltered(t.Filter(VoronoiFilter(smallFaceFraction, cutoff)));

    public static NeighbourTable FromList(NeighbourList list) =>
        new(NeighbourKind.Distance, list.Offsets, list.Index, list.Vectors, list.Distances, null, null, null);
}
