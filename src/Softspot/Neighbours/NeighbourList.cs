using Softspot.Structures;

namespace Softspot.Neighbours;

/// <summary>
/// Per-atom neighbour lists in compressed rows (CSR): the neighbours of atom i are entries
/// Offsets[i] .. Offsets[i+1]-1, sorted by distance (ties by index). Each entry holds the neighbour's index, the
/// displacement from atom i to the neighbour's nearest (or enumerated) image, and the distance.
/// </summary>
public sealed class NeighbourList
{
    public int[] Offsets { get; }
    public int[] Index { get; }
    public Vec3[] Vectors { get; }
    public double[] Distances { get; }

    public NeighbourList(int[] offsets, int[] index, Vec3[] vectors, double[] distances)
    {
        Offsets = offsets; Index = index; Vectors = vectors; Distances = distances;
    }

    public int AtomCount => Offsets.Length - 1;
    public int Count(int atom) => Offsets[atom + 1] - Offsets[atom];
    public ReadOnlySpan<int> NeighboursOf(int atom) => Index.AsSpan(Offsets[atom], Count(atom));
    public ReadOnlySpan<Vec3> VectorsOf(int atom) => Vectors.AsSpan(Offsets[atom], Count(atom));
    public ReadOnlySpan<double> DistancesOf(int atom) => Distances.AsSpan(Offsets[atom], Count(atom));

    /// <summary>Joins per-chunk rows (in atom order) into one list.</summary>
    internal static NeighbourList Concat(IReadOnlyList<Rows> chunks, int atoms)
    {
        var offsets = new int[atoms + 1];
        int total = 0, atom = 0;
        foreach (var c in chunks)
        {
            for (int k = 0; k < c.Counts.Count; k++) { offsets[atom + 1] = offsets[atom] + c.Counts[k]; atom++; }
            total += c.Index.Count;
        }
        var index = new int[total]; var vectors = new Vec3[total]; var dist = new double[total];
        int at = 0;
        foreach (var c in chunks)
        {
            c.Index.CopyTo(index, at); c.Vectors.CopyTo(vectors, at); c.Distances.CopyTo(dist, at);
            at += c.Index.Count;
        }
        return new NeighbourList(offsets, index, vectors, dist);
    }

    internal sealed class Rows
    {
        public readonly List<int> Counts = [];
        public readonly List<int> Index = [];
        public readonly List<Vec3> Vectors = [];
        public readonly List<double> Distances = [];

        public void AddRow(CandidateBuffer b, int take)
        {
            for (int k = 0; k < take; k++)
            {
                Index.Add(b.Index[k]); Vectors.Add(new Vec3(b.Dx[k], b.Dy[k], b.Dz[k])); Distances.Add(Math.Sqrt(b.D2[k]));
            }
            Counts.Add(take);
        }
    }
}
