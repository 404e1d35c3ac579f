using System.Runtime.InteropServices;
using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>The faces of a whole tessellation, one array per field (the layout of <see cref="VoronoiTessellation"/>).</summary>
internal sealed class FaceArrays(int count)
{
    public readonly int[] Neighbour = new int[count], Edges = new int[count];
    public readonly Vec3[] Vector = new Vec3[count];
    public readonly double[] Area = new double[count], Pyramid = new double[count];
}

/// <summary>
/// One worker's faces, appended cell by cell: the neighbour (or wall) label, the vector to the neighbour's image, the
/// area, the edge count and the pyramid volume of each.
/// </summary>
internal sealed class FaceBuffer(int capacity)
{
    private readonly List<int> _neighbour = new(capacity), _edges = new(capacity);
    private readonly List<Vec3> _vector = new(capacity);
    private readonly List<double> _area = new(capacity), _pyramid = new(capacity);
    // one cell's faces while a filter reorders them
    private int[] _n = [], _e = [];
    private Vec3[] _v = [];
    private double[] _a = [], _p = [];

    public int Count => _neighbour.Count;

    public void Add(int neighbour, Vec3 vector, double area, int edges, double pyramid)
    {
        _neighbour.Add(neighbour); _vector.Add(vector); _area.Add(area); _edges.Add(edges); _pyramid.Add(pyramid);
    }

    /// <summary>Drops the faces from <paramref name="count"/> on (a cell being rebuilt).</summary>
    public void Truncate(int count)
    {
        int extra = Count - count;
        if (extra <= 0) return;
        _neighbour.RemoveRange(count, extra); _vector.RemoveRange(count, extra); _area.RemoveRange(count, extra);
        _edges.RemoveRange(count, extra); _pyramid.RemoveRange(count, extra);
    }

    /// <summary>The faces from <paramref name="first"/> on (the cell just built), as a filter sees them.</summary>
    public CellFaces Cell(int first) =>
        new(CollectionsMarshal.AsSpan(_neighbour)[first..], CollectionsMarshal.AsSpan(_vector)[first..], CollectionsMarshal.AsSpan(_area)[first..]);

    /// <summary>
    /// Keeps, of the faces from <paramref name="first"/> on, those listed in <paramref name="kept"/> (distinct indices
    /// counted from <paramref name="first"/>), in that order.
    /// </summary>
    public void Keep(int first, List<int> kept)
    {
        int n = Count - first;
        if (_n.Length < n)
        {
            int size = Math.Max(n, 2 * _n.Length);
            _n = new int[size]; _e = new int[size]; _v = new Vec3[size]; _a = new double[size]; _p = new double[size];
        }
        CollectionsMarshal.AsSpan(_neighbour).Slice(first, n).CopyTo(_n); CollectionsMarshal.AsSpan(_vector).Slice(first, n).CopyTo(_v);
        CollectionsMarshal.AsSpan(_area).Slice(first, n).CopyTo(_a); CollectionsMarshal.AsSpan(_edges).Slice(first, n).CopyTo(_e);
        CollectionsMarshal.AsSpan(_pyramid).Slice(first, n).CopyTo(_p);
        Truncate(first);
        foreach (int k in kept) Add(_n[k], _v[k], _a[k], _e[k], _p[k]);
    }

    /// <summary>Copies <paramref name="count"/> faces from <paramref name="from"/> into the arrays at <paramref name="to"/>.</summary>
    public void CopyTo(int from, int count, FaceArrays target, int to)
    {
        _neighbour.CopyTo(from, target.Neighbour, to, count); _vector.CopyTo(from, target.Vector, to, count);
        _area.CopyTo(from, target.Area, to, count); _edges.CopyTo(from, target.Edges, to, count);
        _pyramid.CopyTo(from, target.Pyramid, to, count);
    }
}
