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
        var filter = FaceFilter.AmlearnRunningMean(smallFaceFraction);
        int n = t.AtomCount;
        double cut2 = cutoff * cutoff;
        var chunks = Parallelism.MapChunks(n, 1024, (start, end) =>
        {
            var faces = new List<int>((end - start) * 16);
            var counts = new int[end - start];
            var scratch = new List<int>(64);
            for (int i = start; i < end; i++)
            {
                scratch.Clear();
                filter.Select(t, i, scratch);
                int before = faces.Count;
                foreach (int f in scratch)
                    if (t.Neighbour[f] >= 0 && t.NeighbourVector[f].Norm2 < cut2) faces.Add(f);
                counts[i - start] = faces.Count - before;
            }
            return (faces, counts);
        });
        var offsets = new int[n + 1];
        int atom = 0;
        foreach (var (_, counts) in chunks) foreach (int c in counts) { offsets[atom + 1] = offsets[atom] + c; atom++; }
        int total = offsets[n];
        var index = new int[total]; var vectors = new Vec3[total]; var distances = new double[total];
        var areas = new double[total]; var edges = new int[total]; var pyramids = new double[total];
        int k = 0;
        foreach (var (faces, _) in chunks)
            foreach (int f in faces)
            {
                index[k] = t.Neighbour[f]; vectors[k] = t.NeighbourVector[f]; distances[k] = vectors[k].Norm;
                areas[k] = t.Area[f]; edges[k] = t.Edges[f]; pyramids[k] = t.PyramidVolume[f];
                k++;
            }
        return new NeighbourTable(NeighbourKind.Voronoi, offsets, index, vectors, distances, areas, edges, pyramids);
    }

    public static NeighbourTable FromList(NeighbourList list) =>
        new(NeighbourKind.Distance, list.Offsets, list.Index, list.Vectors, list.Distances, null, null, null);
}
