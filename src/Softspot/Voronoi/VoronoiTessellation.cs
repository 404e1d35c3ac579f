using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>
/// The Voronoi (or radical) cell of every atom: its volume and its faces in compressed rows. Face f of atom i
/// (FaceOffsets[i] &lt;= f &lt; FaceOffsets[i+1]) is shared with atom Neighbour[f], whose image lies at
/// NeighbourVector[f] from atom i; it has an area, a number of edges and a pyramid volume (the cone from atom i
/// to the face). Faces on a wall of a non-periodic box have a negative Neighbour: -1/-2 the lower/upper a wall,
/// -3/-4 for b, -5/-6 for c (the voro++ convention), and NeighbourVector is the mirror image of the atom.
/// </summary>
public sealed class VoronoiTessellation
{
    public double[] Volume { get; }
    public int[] FaceOffsets { get; }
    public int[] Neighbour { get; }
    public Vec3[] NeighbourVector { get; }
    public double[] Area { get; }
    public int[] Edges { get; }
    public double[] PyramidVolume { get; }

    public VoronoiTessellation(double[] volume, int[] faceOffsets, int[] neighbour, Vec3[] neighbourVector, double[] area, int[] edges, double[] pyramidVolume)
    {
        Volume = volume; FaceOffsets = faceOffsets; Neighbour = neighbour; NeighbourVector = neighbourVector;
        Area = area; Edges = edges; PyramidVolume = pyramidVolume;
    }

    public int AtomCount => Volume.Length;
    public int FaceCount(int atom) => FaceOffsets[atom + 1] - FaceOffsets[atom];
    public Range Faces(int atom) => new(FaceOffsets[atom], FaceOffsets[atom + 1]);
    public double Distance(int face) => NeighbourVector[face].Norm;

    /// <summary>Coordination number: faces shared with atoms (walls excluded).</summary>
    public int Coordination(int atom)
    {
        int n = 0;
        for (int f = FaceOffsets[atom]; f < FaceOffsets[atom + 1]; f++) if (Neighbour[f] >= 0) n++;
        return n;
    }

    /// <summary>
    /// Voronoi index counts n_e for e = minEdges..maxEdges over faces shared with atoms; faces with more edges than
    /// maxEdges go into the last bucket, faces with fewer than minEdges are not counted (descriptor-spec.md B.3).
    /// </summary>
    public int[] VoronoiIndex(int atom, int minEdges = 3, int maxEdges = 7)
    {
        var counts = new int[maxEdges - minEdges + 1];
        for (int f = FaceOffsets[atom]; f < FaceOffsets[atom + 1]; f++)
        {
            if (Neighbour[f] < 0) continue;
            int e = Edges[f];
            if (e < minEdges) continue;
            counts[Math.Min(e, maxEdges) - minEdges]++;
        }
        return counts;
    }

    /// <summary>A tessellation with only the faces a filter keeps (cell volumes are unchanged).</summary>
    public VoronoiTessellation Filter(FaceFilter filter)
    {
        int n = AtomCount;
        var offsets = new int[n + 1];
        var keep = new List<int>(Neighbour.Length);
        var scratch = new List<int>();
        for (int i = 0; i < n; i++)
        {
            scratch.Clear();
            filter.Select(this, i, scratch);
            keep.AddRange(scratch);
            offsets[i + 1] = keep.Count;
        }
        return new VoronoiTessellation(Volume, offsets,
            keep.Select(f => Neighbour[f]).ToArray(), keep.Select(f => NeighbourVector[f]).ToArray(),
            keep.Select(f => Area[f]).ToArray(), keep.Select(f => Edges[f]).ToArray(), keep.Select(f => PyramidVolume[f]).ToArray());
    }
}
