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

    /// <summary>A list with the given row boundaries and its rows still to fill (<see cref="SetRow"/>).</summary>
    internal static NeighbourList WithRows(int[] offsets)
    {
        int total = offsets[^1];
        return new NeighbourList(offsets, new int[total], new Vec3[total], new double[total]);
    }

    /// <summary>Fills an atom's row with the first <see cref="Count"/>(atom) candidates of a sorted buffer.</summary>
    internal void SetRow(int atom, CandidateBuffer b)
    {
        int at = Offsets[atom], take = Count(atom);
        for (int k = 0; k < take; k++, at++)
        {
            Index[at] = b.Index[k]; Vectors[at] = new Vec3(b.Dx[k], b.Dy[k], b.Dz[k]); Distances[at] = Math.Sqrt(b.D2[k]);
        }
    }
}
