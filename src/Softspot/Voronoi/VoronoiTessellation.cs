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
    /// <summary>The volume of each atom's cell (A^3), in the snapshot's atom order.</summary>
    public double[] Volume { get; }
    /// <summary>Atom i's faces are [FaceOffsets[i], FaceOffsets[i + 1]) of the face arrays (AtomCount + 1 entries).</summary>
    public int[] FaceOffsets { get; }
    /// <summary>The atom (index) across each face; negative for a wall of a non-periodic box, as voro++ numbers walls.</summary>
    public int[] Neighbour { get; }
    /// <summary>From the atom to the neighbour's image across each face (A).</summary>
    public Vec3[] NeighbourVector { get; }
    /// <summary>The area of each face (A^2).</summary>
    public double[] Area { get; }
    /// <summary>The edges of each face (those at least the edge threshold long).</summary>
    public int[] Edges { get; }
    /// <summary>The volume of the pyramid from the atom to each face (A^3); they sum to the cell volume.</summary>
    public double[] PyramidVolume { get; }

    /// <summary>A tessellation from its arrays (cells in atom order, faces grouped by atom).</summary>
    public VoronoiTessellation(double[] volume, int[] faceOffsets, int[] neighbour, Vec3[] neighbourVector, double[] area, int[] edges, double[] pyramidVolume)
    {
        Volume = volume; FaceOffsets = faceOffsets; Neighbour = neighbour; NeighbourVector = neighbourVector;
        Area = area; Edges = edges; PyramidVolume = pyramidVolume;
    }

    /// <summary>The number of atoms (cells).</summary>
    public int AtomCount => Volume.Length;
    /// <summary>The number of faces of an atom's cell.</summary>
    public int FaceCount(int atom) => FaceOffsets[atom + 1] - FaceOffsets[atom];
    /// <summary>The range of an atom's faces in the face arrays.</summary>
    public Range Faces(int atom) => new(FaceOffsets[atom], FaceOffsets[atom + 1]);
    /// <summary>The distance (A) to the neighbour across a face.</summary>
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
