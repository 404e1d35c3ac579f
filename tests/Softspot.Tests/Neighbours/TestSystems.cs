using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Neighbours;

/// <summary>
/// Structures shared by the neighbour and Voronoi tests: the shipped glass, seeded random boxes (orthogonal,
/// triclinic, non-periodic) and perfect crystals. Every generator is deterministic (fixed seeds).
/// </summary>
public static class TestSystems
{
    private static readonly Lazy<Snapshot> GlassLazy = new(() =>
        StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Cu,Zr")));

    /// <summary>The shipped 500-atom Cu64Zr36 glass (periodic orthogonal box, types 1 = Cu, 2 = Zr).</summary>
    public static Snapshot Glass => GlassLazy.Value;

    /// <summary>
    /// The glass replicated 2x2x2 (4000 atoms) with every coordinate moved by a seeded uniform random amount in
    /// [-amplitude, amplitude] and wrapped back into the box (so images are not exact copies).
    /// </summary>
    public static Snapshot PerturbedReplica(int seed = 20240611, double amplitude = 0.01)
    {
        var big = Glass.Replicate(2, 2, 2);
        var cell = big.Cell;
        var rng = new Random(seed);
        var pos = new Vec3[big.Count];
        for (int i = 0; i < big.Count; i++)
        {
            var p = big.Positions[i] + new Vec3(
                amplitude * (2 * rng.NextDouble() - 1), amplitude * (2 * rng.NextDouble() - 1), amplitude * (2 * rng.NextDouble() - 1));
            pos[i] = new Vec3(
                WrapOrthogonal(p.X, cell.Origin.X, cell.Lx), WrapOrthogonal(p.Y, cell.Origin.Y, cell.Ly), WrapOrthogonal(p.Z, cell.Origin.Z, cell.Lz));
        }
        return new Snapshot(cell, big.Ids, big.Types, pos) { Elements = big.Elements };
    }

    /// <summary>x mapped into [lo, lo + length) (independently of Softspot's own wrapping).</summary>
    public static double WrapOrthogonal(double x, double lo, double length)
    {
        double w = x - length * Math.Floor((x - lo) / length);
        if (w >= lo + length) w -= length;
        if (w < lo) w = lo;
        return w;
    }

    /// <summary>A strongly tilted periodic triclinic cell (tilts close to the LAMMPS limits).</summary>
    public static Cell TiltedCell(bool pa = true, bool pb = true, bool pc = true) =>
        new(new Vec3(1.5, -2.25, 0.75), 18.0, 16.5, 17.0, xy: 8.6, xz: -8.2, yz: 7.9, pa, pb, pc);

    /// <summary>
    /// n uniformly random atoms in a cell (types 1 and 2). <paramref name="inCell"/> gets the positions inside the
    /// cell (fractional coordinates in [0, 1)); the snapshot's positions are moved by random whole cell vectors along
    /// periodic directions when <paramref name="unwrap"/> is set, so that Softspot has to wrap them.
    /// </summary>
    public static Snapshot RandomAtoms(Cell cell, int n, int seed, out Vec3[] inCell, bool unwrap = false, double minSeparation = 0)
    {
        var rng = new Random(seed);
        inCell = new Vec3[n];
        var pos = new Vec3[n];
        var ids = new long[n];
        var types = new int[n];
        for (int i = 0; i < n; i++)
        {
            Vec3 p;
            int attempts = 0;
            while (true)
            {
                var s = new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
                p = cell.Origin + s.X * cell.A + s.Y * cell.B + s.Z * cell.C;
                if (minSeparation <= 0 || FarEnough(cell, inCell, i, p, minSeparation)) break;
                if (++attempts > 10000) throw new InvalidOperationException("cannot place the random atoms");
            }
            inCell[i] = p;
            var shifted = p;
            if (unwrap)
                for (int d = 0; d < 3; d++)
                    if (cell.Periodic[d]) shifted += rng.Next(-2, 3) * cell.Vector(d);
            pos[i] = shifted;
            ids[i] = 1000 + 3 * i; // not 1..N and not index + 1
            types[i] = 1 + rng.Next(2);
        }
        return new Snapshot(cell, ids, types, pos) { Elements = ElementMap.Parse("Cu,Zr") };
    }

    private static bool FarEnough(Cell cell, Vec3[] placed, int count, Vec3 p, double min)
    {
        for (int j = 0; j < count; j++)
            foreach (var shift in ImageShifts(cell, 1))
                if ((placed[j] + shift - p).Norm2 < min * min) return false;
        return true;
    }

    /// <summary>All lattice shifts n_a A + n_b B + n_c C with |n_d| &lt;= range along periodic directions (0 otherwise).</summary>
    public static List<Vec3> ImageShifts(Cell cell, int range)
    {
        var list = new List<Vec3>();
        int ra = cell.Periodic[0] ? range : 0, rb = cell.Periodic[1] ? range : 0, rc = cell.Periodic[2] ? range : 0;
        for (int a = -ra; a <= ra; a++)
        for (int b = -rb; b <= rb; b++)
        for (int c = -rc; c <= rc; c++)
            list.Add(a * cell.A + b * cell.B + c * cell.C);
        return list;
    }

    /// <summary>The basis of a cubic crystal in units of the lattice constant.</summary>
    public static Vec3[] CubicBasis(string lattice) => lattice switch
    {
        "sc" => [new(0, 0, 0)],
        "bcc" => [new(0, 0, 0), new(0.5, 0.5, 0.5)],
        "fcc" => [new(0, 0, 0), new(0.5, 0.5, 0), new(0.5, 0, 0.5), new(0, 0.5, 0.5)],
        _ => throw new ArgumentOutOfRangeException(nameof(lattice)),
    };

    /// <summary>
    /// A perfect cubic crystal (conventional cubic cells n x n x n, lattice constant a) in a periodic orthogonal
    /// cell at <paramref name="origin"/>; the lattice itself has a site at <paramref name="latticeOffset"/>.
    /// Basis atom b gets type b + 1 when <paramref name="typePerBasis"/>, else type 1.
    /// </summary>
    public static Snapshot CubicCrystal(string lattice, double a, int n, Vec3 origin = default, Vec3 latticeOffset = default, bool typePerBasis = false)
    {
        var cell = new Cell(origin, n * a, n * a, n * a);
        return LatticeInCell(cell, lattice, a, latticeOffset, typePerBasis);
    }

    /// <summary>
    /// Every site of a cubic lattice (constant a, one site at latticeOffset) inside a periodic cell whose edge
    /// vectors are lattice vectors. Positions are computed from integer multiples of a/2 plus the offset, and the
    /// count is checked against cell volume / volume per site.
    /// </summary>
    public static Snapshot LatticeInCell(Cell cell, string lattice, double a, Vec3 latticeOffset = default, bool typePerBasis = false)
    {
        var basis = CubicBasis(lattice);
        var pos = new List<Vec3>(); var types = new List<int>();
        var hi = cell.LammpsBoundingBox();
        double span = Math.Max(Math.Max(hi.xhiB - hi.xloB, hi.yhiB - hi.yloB), hi.zhiB - hi.zloB);
        int m = (int)Math.Ceiling(span / a) + 3;
        var centre = cell.Origin + 0.5 * (cell.A + cell.B + cell.C);
        int ci = (int)Math.Round((centre.X - latticeOffset.X) / a), cj = (int)Math.Round((centre.Y - latticeOffset.Y) / a), ck = (int)Math.Round((centre.Z - latticeOffset.Z) / a);
        const double eps = 1e-9;
        for (int i = ci - m; i <= ci + m; i++)
        for (int j = cj - m; j <= cj + m; j++)
        for (int k = ck - m; k <= ck + m; k++)
            for (int b = 0; b < basis.Length; b++)
            {
                var p = latticeOffset + new Vec3((i + basis[b].X) * a, (j + basis[b].Y) * a, (k + basis[b].Z) * a);
                var s = cell.ToFractional(p);
                if (s.X < -eps || s.Y < -eps || s.Z < -eps || s.X >= 1 - eps || s.Y >= 1 - eps || s.Z >= 1 - eps) continue;
                pos.Add(p); types.Add(typePerBasis ? b + 1 : 1);
            }
        double expected = cell.Volume / (a * a * a / basis.Length);
        if (Math.Abs(pos.Count - expected) > 1e-6)
            throw new InvalidOperationException($"{lattice}: {pos.Count} sites in the cell, expected {expected}: the cell vectors are not lattice vectors");
        var ids = Enumerable.Range(1, pos.Count).Select(i => (long)i).ToArray();
        return new Snapshot(cell, ids, types.ToArray(), pos.ToArray());
    }

    /// <summary>Two tessellations are identical, bit for bit.</summary>
    public static void AssertIdentical(Softspot.Voronoi.VoronoiTessellation one, Softspot.Voronoi.VoronoiTessellation two)
    {
        Assert.Equal(one.Volume, two.Volume);
        Assert.Equal(one.FaceOffsets, two.FaceOffsets);
        Assert.Equal(one.Neighbour, two.Neighbour);
        Assert.Equal(one.NeighbourVector, two.NeighbourVector);
        Assert.Equal(one.Area, two.Area);
        Assert.Equal(one.Edges, two.Edges);
        Assert.Equal(one.PyramidVolume, two.PyramidVolume);
    }
}
