using System.Runtime.CompilerServices;
using Softspot.Structures;

namespace Softspot.Neighbours;

/// <summary>
/// Atoms binned on a grid aligned with the cell vectors (fractional coordinates), so that all atoms within a
/// radius of a point are found by visiting O(1) bins. Works in orthogonal and triclinic cells, periodic or not
/// per direction, and for any radius: periodic images are enumerated as often as the radius requires (a radius
/// larger than the cell sees several images of the same atom, each with its own displacement).
/// </summary>
public sealed class CellGrid
{
    private readonly Cell _cell;
    private readonly int[] _n = new int[3];
    private readonly double[] _lo = new double[3];     // fractional coordinate of the grid's lower edge
    private readonly double[] _span = new double[3];   // fractional extent of the grid
    private readonly double[] _width = new double[3];  // perpendicular width of the cell per unit fraction
    private readonly bool[] _periodic;
    private readonly int[] _binStart;                   // CSR over bins
    // atoms in bin order (wrapped Cartesian positions and original indices)
    private readonly double[] _x, _y, _z;
    private readonly int[] _atom;

    public int Count { get; }
    public Cell Cell => _cell;
    /// <summary>Wrapped Cartesian position of each atom (by original index).</summary>
    public Vec3[] Wrapped { get; }

    /// <param name="cell">The simulation cell: its vectors and which directions are periodic.</param>
    /// <param name="positions">Cartesian positions of the atoms (A), in any image; they are wrapped into the cell.</param>
    /// <param name="binSize">target bin width in A (perpendicular); a few atoms per bin is efficient.</param>
    public CellGrid(Cell cell, IReadOnlyList<Vec3> positions, double binSize)
    {
        if (!(binSize > 0)) throw new ArgumentOutOfRangeException(nameof(binSize));
        _cell = cell;
        _periodic = cell.Periodic;
        Count = positions.Count;
        var frac = new Vec3[Count];
        Wrapped = new Vec3[Count];
        for (int i = 0; i < Count; i++)
        {
            var s = cell.ToFractional(positions[i]);
            s = new Vec3(Cell.WrapUnit(s.X, _periodic[0]), Cell.WrapUnit(s.Y, _periodic[1]), Cell.WrapUnit(s.Z, _periodic[2]));
            frac[i] = s;
            Wrapped[i] = cell.ToCartesian(s);
        }
        for (int d = 0; d < 3; d++)
        {
            _width[d] = cell.PerpendicularWidth(d);
            if (_periodic[d]) { _lo[d] = 0; _span[d] = 1; }
            else
            {
                double min = 0, max = 1;
                foreach (var s in frac) { min = Math.Min(min, s[d]); max = Math.Max(max, s[d]); }
                _lo[d] = min; _span[d] = max - min;
            }
            long nb = (long)Math.Floor(_span[d] * _width[d] / binSize);
            _n[d] = (int)Math.Clamp(nb, 1, 1024);
        }
        // keep the total number of bins proportional to the atoms
        while ((long)_n[0] * _n[1] * _n[2] > Math.Max(8L * Count, 64))
        {
            int d = _n[0] >= _n[1] && _n[0] >= _n[2] ? 0 : _n[1] >= _n[2] ? 1 : 2;
            _n[d] = Math.Max(1, _n[d] / 2);
        }
        int nbins = _n[0] * _n[1] * _n[2];
        var bin = new int[Count];
        _binStart = new int[nbins + 1];
        for (int i = 0; i < Count; i++)
        {
            bin[i] = BinIndex(BinCoord(frac[i].X, 0), BinCoord(frac[i].Y, 1), BinCoord(frac[i].Z, 2));
            _binStart[bin[i] + 1]++;
        }
        for (int b = 0; b < nbins; b++) _binStart[b + 1] += _binStart[b];
        var fill = _binStart[..^1].ToArray();
        _x = new double[Count]; _y = new double[Count]; _z = new double[Count]; _atom = new int[Count];
        for (int i = 0; i < Count; i++)
        {
            int k = fill[bin[i]]++;
            _atom[k] = i; _x[k] = Wrapped[i].X; _y[k] = Wrapped[i].Y; _z[k] = Wrapped[i].Z;
        }
    }

    private int BinCoord(double s, int d) => Math.Clamp((int)Math.Floor((s - _lo[d]) / _span[d] * _n[d]), 0, _n[d] - 1);
    private int BinIndex(int a, int b, int c) => (c * _n[1] + b) * _n[0] + a;

    /// <summary>Atom indices in bin order (neighbouring atoms are close in this order: good for cache locality).</summary>
    public int[] SpatialOrder() => (int[])_atom.Clone();

    /// <summary>
    /// Every atom image j within distance &lt; radius of point p (excluding atom <paramref name="self"/>'s own
    /// unshifted position): appends index, displacement p→j and squared distance to the buffer.
    /// </summary>
    public void Gather(Vec3 p, double radius, int self, CandidateBuffer buffer, double minRadius = 0)
    {
        double r2 = radius * radius, min2 = minRadius * minRadius;
        var s = _cell.ToFractional(p);
        Span<int> from = stackalloc int[3], to = stackalloc int[3];
        for (int d = 0; d < 3; d++)
        {
            double reach = radius / _width[d];
            double scale = _n[d] / _span[d];
            from[d] = (int)Math.Floor((s[d] - reach - _lo[d]) * scale);
            to[d] = (int)Math.Floor((s[d] + reach - _lo[d]) * scale);
            if (!_periodic[d]) { from[d] = Math.Max(from[d], 0); to[d] = Math.Min(to[d], _n[d] - 1); }
        }
        var A = _cell.A; var B = _cell.B; var C = _cell.C;
        int n0 = _n[0];
        for (int c = from[2]; c <= to[2]; c++)
        {
            int ic = FloorDiv(c, _n[2]); int bc = c - ic * _n[2];
            for (int b = from[1]; b <= to[1]; b++)
            {
                int ib = FloorDiv(b, _n[1]); int bb = b - ib * _n[1];
                int row = (bc * _n[1] + bb) * n0;
                // bins along a are contiguous in the binned arrays: scan them in runs of one image each
                for (int a = from[0]; a <= to[0];)
                {
                    int ia = FloorDiv(a, n0); int ba = a - ia * n0;
                    int runEnd = Math.Min(to[0] - a, n0 - 1 - ba); // bins ba .. ba + runEnd in this image
                    bool unshifted = ia == 0 && ib == 0 && ic == 0;
                    double sx = ia * A.X + ib * B.X + ic * C.X - p.X;
                    double sy = ib * B.Y + ic * C.Y - p.Y;
                    double sz = ic * C.Z - p.Z;
                    int k0 = _binStart[row + ba], k1 = _binStart[row + ba + runEnd + 1];
                    ScanRun(k0, k1, sx, sy, sz, r2, min2, unshifted ? self : -1, buffer);
                    a += runEnd + 1;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void ScanRun(int k0, int k1, double sx, double sy, double sz, double r2, double min2, int self, CandidateBuffer buffer)
    {
        var xs = _x; var ys = _y; var zs = _z; var atoms = _atom;
        for (int k = k0; k < k1; k++)
        {
            double dx = xs[k] + sx, dy = ys[k] + sy, dz = zs[k] + sz;
            double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 >= r2 || d2 < min2) continue;
            int j = atoms[k];
            if (j == self) continue;
            buffer.Add(j, dx, dy, dz, d2);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FloorDiv(int a, int n) => a >= 0 ? a / n : -((-a + n - 1) / n);
}

/// <summary>A growable structure-of-arrays buffer of neighbour candidates, reused across atoms by one thread.</summary>
public sealed class CandidateBuffer
{
    public int[] Index = new int[64];
    public double[] Dx = new double[64], Dy = new double[64], Dz = new double[64], D2 = new double[64];
    public int Count;

    public void Clear() => Count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int j, double dx, double dy, double dz, double d2)
    {
        if (Count == Index.Length) Grow();
        Index[Count] = j; Dx[Count] = dx; Dy[Count] = dy; Dz[Count] = dz; D2[Count] = d2; Count++;
    }

    private void Grow()
    {
        int n = Index.Length * 2;
        Array.Resize(ref Index, n); Array.Resize(ref Dx, n); Array.Resize(ref Dy, n); Array.Resize(ref Dz, n); Array.Resize(ref D2, n);
    }

    /// <summary>
    /// Sorts the candidates from <paramref name="start"/> by squared distance only (ties keep their gather order,
    /// which is deterministic): a permutation of packed keys, cheaper than moving five arrays.
    /// </summary>
    public void SortByDistanceFast(int start = 0)
    {
        int n = Count - start;
        if (n < 2) return;
        if (_keys.Length < Count) _keys = new (double, int)[Index.Length];
        var keys = _keys;
        for (int i = start; i < Count; i++) keys[i] = (D2[i], i);
        for (int i = start + 1; i < Count; i++)
        {
            var key = keys[i];
            int j = i;
            while (j > start && keys[j - 1].D2 > key.D2) { keys[j] = keys[j - 1]; j--; }
            keys[j] = key;
        }
        if (_tmpI.Length < Index.Length) { _tmpI = new int[Index.Length]; _tmpX = new double[Index.Length]; _tmpY = new double[Index.Length]; _tmpZ = new double[Index.Length]; }
        for (int i = start; i < Count; i++)
        {
            int k = keys[i].K;
            _tmpI[i] = Index[k]; _tmpX[i] = Dx[k]; _tmpY[i] = Dy[k]; _tmpZ[i] = Dz[k];
        }
        for (int i = start; i < Count; i++)
        {
            Index[i] = _tmpI[i]; Dx[i] = _tmpX[i]; Dy[i] = _tmpY[i]; Dz[i] = _tmpZ[i]; D2[i] = keys[i].D2;
        }
    }

    private (double D2, int K)[] _keys = new (double, int)[64];
    private int[] _tmpI = new int[64];
    private double[] _tmpX = new double[64], _tmpY = new double[64], _tmpZ = new double[64];

    /// <summary>Sorts the candidates from <paramref name="start"/> by squared distance, ties by atom index then displacement.</summary>
    public void SortByDistance(int start = 0)
    {
        int n = Count - start;
        if (n < 2) return;
        SortByDistanceFast(start);
        // then order runs of equal distances (rare outside crystals) by index and displacement
        for (int i = start + 1; i < Count; i++)
            if (D2[i] == D2[i - 1]) { SortTies(start); return; }
    }

    private void SortTies(int start)
    {
        // insertion sort: candidate lists are short (tens)
        for (int i = start + 1; i < Count; i++)
        {
            int j = i;
            var (ix, dx, dy, dz, d2) = (Index[i], Dx[i], Dy[i], Dz[i], D2[i]);
            while (j > start && Before(d2, ix, dx, dy, dz, j - 1)) { Move(j - 1, j); j--; }
            Index[j] = ix; Dx[j] = dx; Dy[j] = dy; Dz[j] = dz; D2[j] = d2;
        }
    }

    private bool Before(double d2, int ix, double dx, double dy, double dz, int k)
    {
        if (d2 != D2[k]) return d2 < D2[k];
        if (ix != Index[k]) return ix < Index[k];
        if (dx != Dx[k]) return dx < Dx[k];
        if (dy != Dy[k]) return dy < Dy[k];
        return dz < Dz[k];
    }

    private void Move(int from, int to)
    {
        Index[to] = Index[from]; Dx[to] = Dx[from]; Dy[to] = Dy[from]; Dz[to] = Dz[from]; D2[to] = D2[from];
    }
}
