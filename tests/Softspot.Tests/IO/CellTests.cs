using Softspot.Structures;
using static Softspot.Tests.IO.IoAssert;

namespace Softspot.Tests.IO;

public class CellTests
{
    public static TheoryData<double, double, double, double, double, double, bool, bool, bool> TiltedCells => new()
    {
        // lx ly lz xy xz yz, periodic a b c
        { 10, 10, 10, 0, 0, 0, true, true, true },
        { 10, 9, 8, 5, -5, 4.5, true, true, true },        // the largest tilts LAMMPS accepts without 'box tilt large'
        { 10, 9, 8, -5, 5, -4.5, true, true, true },
        { 12, 7, 9, 4.9, 5.9, -3.4, true, true, true },
        { 10, 9, 8, 5, -5, 4.5, true, true, false },        // slab
        { 10, 9, 8, -5, 5, -4.5, false, true, true },
        { 20, 6, 5, 9.5, -9.5, 2.9, true, true, true },     // long and thin, strongly tilted
        { 6, 6, 20, 2.9, -2.9, 2.9, true, false, true },
        // tilts beyond LAMMPS' limits ('box tilt large', or a general extended-XYZ lattice rotated into this frame)
        { 10, 9, 8, 7, -6, 5, true, true, true },
        { 10, 10, 10, 25, 0, 0, true, true, true },
        { 10, 9, 8, 14, -13, 12, true, true, true },
        { 10, 9, 8, 14, -13, 12, true, false, true },
    };

    /// <summary>The shortest image of d over the images i a + j b + k c, |i|, |j|, |k| &lt;= range (periodic directions only).</summary>
    private static Vec3 BruteForce(Cell c, Vec3 d, int range)
    {
        Vec3 best = d; double bestN2 = double.PositiveInfinity;
        int ra = c.Periodic[0] ? range : 0, rb = c.Periodic[1] ? range : 0, rc = c.Periodic[2] ? range : 0;
        for (int i = -ra; i <= ra; i++)
        for (int j = -rb; j <= rb; j++)
        for (int k = -rc; k <= rc; k++)
        {
            var v = d + i * c.A + j * c.B + k * c.C;
            if (v.Norm2 < bestN2) { bestN2 = v.Norm2; best = v; }
        }
        return best;
    }

    [Theory]
    [MemberData(nameof(TiltedCells))]
    public void MinimumImageIsTheShortestOfAllImages(double lx, double ly, double lz, double xy, double xz, double yz, bool pa, bool pb, bool pc)
    {
        var cell = new Cell(new Vec3(-1.25, 3.5, 0.75), lx, ly, lz, xy, xz, yz, pa, pb, pc);
        var rng = new Random(20240611);
        for (int n = 0; n < 4000; n++)
        {
            // displacements between two atoms of the cell (fractional difference in (-1, 1)), and some beyond
            double span = n % 4 == 0 ? 3.0 : 1.0;
            var f = new Vec3(span * (2 * rng.NextDouble() - 1), span * (2 * rng.NextDouble() - 1), span * (2 * rng.NextDouble() - 1));
            if (!pa) f = new Vec3(f.X / span, f.Y, f.Z);
            if (!pb) f = new Vec3(f.X, f.Y / span, f.Z);
            if (!pc) f = new Vec3(f.X, f.Y, f.Z / span);
            var d = cell.FractionalToDisplacement(f);
            var m = cell.MinimumImage(d);
            // the result is an image of d
            var k = cell.DisplacementToFractional(m - d);
            for (int a = 0; a < 3; a++)
            {
                Assert.True(Math.Abs(k[a] - Math.Round(k[a])) < 1e-9, $"not an image: {d} -> {m}");
                if (!cell.Periodic[a]) Assert.Equal(0, Math.Round(k[a]));
            }
            // no image is shorter: search 5 x 5 x 5 images around the result and around the input reduced to the
            // cell (9 x 9 x 9 for the cells beyond LAMMPS' tilt limits)
            int range = Math.Abs(xy) > lx / 2 || Math.Abs(xz) > lx / 2 || Math.Abs(yz) > ly / 2 ? 4 : 2;
            var reduced = cell.FractionalToDisplacement(new Vec3(pa ? f.X - Math.Round(f.X) : f.X, pb ? f.Y - Math.Round(f.Y) : f.Y, pc ? f.Z - Math.Round(f.Z) : f.Z));
            double best = Math.Min(BruteForce(cell, reduced, range).Norm, BruteForce(cell, m, range).Norm);
            Assert.True(m.Norm <= best * (1 + 1e-12) + 1e-12,
                FormattableString.Invariant($"cell {cell}: MinimumImage({d}) = {m} (|{m.Norm:R}|) but an image of length {best:R} exists"));
        }
    }

    [Fact]
    public void MinimumImageOfShortDisplacementsIsUnchanged()
    {
        var cell = new Cell(Vec3.Zero, 10, 9, 8, 5, -5, 4.5);
        var d = new Vec3(1.5, -2.0, 0.5);
        Assert.Equal(d, cell.MinimumImage(d));
        Assert.Equal(d, cell.MinimumImage(d + cell.A - cell.B + 2 * cell.C), new Vec3Comparer(1e-12));
    }

    private sealed class Vec3Comparer(double tol) : IEqualityComparer<Vec3>
    {
        public bool Equals(Vec3 a, Vec3 b) => (a - b).Norm <= tol;
        public int GetHashCode(Vec3 v) => 0;
    }

    [Theory]
    [MemberData(nameof(TiltedCells))]
    public void WrapPutsFractionalCoordinatesInTheUnitInterval(double lx, double ly, double lz, double xy, double xz, double yz, bool pa, bool pb, bool pc)
    {
        var cell = new Cell(new Vec3(0.0989590859269285, -7.25, 1e-3), lx, ly, lz, xy, xz, yz, pa, pb, pc);
        var rng = new Random(7);
        var points = new List<Vec3>();
        for (int n = 0; n < 3000; n++)
            points.Add(cell.ToCartesian(new Vec3(10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5, 10 * rng.NextDouble() - 5)));
        // points on and next to the faces and corners
        foreach (double s in new[] { 0.0, 1.0, -1.0, 2.0, 1e-17, -1e-17, 1 - 1e-16, 1 + 1e-16, 0.5 })
            points.Add(cell.ToCartesian(new Vec3(s, s, s)));
        points.Add(cell.Hi); points.Add(cell.Origin);
        points.Add(new Vec3(Math.BitDecrement(cell.Origin.X + cell.Lx), cell.Origin.Y, cell.Origin.Z));
        points.Add(new Vec3(Math.BitDecrement(cell.Origin.X), Math.BitDecrement(cell.Origin.Y), Math.BitDecrement(cell.Origin.Z)));
        foreach (var p in points)
        {
            var w = cell.Wrap(p);
            var f = cell.ToFractional(w);
            var f0 = cell.ToFractional(p);
            for (int d = 0; d < 3; d++)
            {
                if (cell.Periodic[d])
                    Assert.True(f[d] >= 0 && f[d] < 1, FormattableString.Invariant($"Wrap({p}) = {w}: fractional {"abc"[d]} = {f[d]:R}"));
                else
                    Close(f0[d], f[d], 1e-12, $"non-periodic {"abc"[d]} is kept");
            }
            // the wrapped point is an image of the original
            var k = cell.DisplacementToFractional(w - p);
            for (int d = 0; d < 3; d++) Assert.True(Math.Abs(k[d] - Math.Round(k[d])) < 1e-9);
            // wrapping twice changes nothing (beyond rounding)
            Close(w, cell.Wrap(w), 1e-13, "wrapped twice");
        }
        // a point inside stays where it is
        var inside = cell.ToCartesian(new Vec3(0.25, 0.5, 0.75));
        Close(inside, cell.Wrap(inside), 1e-14, "inside");
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(2.0, -1.5, 1.0)]
    [InlineData(-2.0, 1.5, -1.0)]
    [InlineData(3.5, 2.5, 4.0)]
    [InlineData(-3.5, -2.5, -4.0)]
    [InlineData(-1.0, 3.0, 0.5)]
    [InlineData(4.0, -6.0, -0.25)]
    public void LammpsBoundingBoxRoundTrips(double xy, double xz, double yz)
    {
        var cell = new Cell(new Vec3(0.098959085926928481, -5.5, 2.25), 20.132081828145534, 19.5, 18.25, xy, xz, yz, true, false, true);
        var (xloB, xhiB, yloB, yhiB, zloB, zhiB) = cell.LammpsBoundingBox();
        // the LAMMPS documentation (dump command, triclinic boxes)
        Close(cell.Origin.X + Math.Min(0, Math.Min(xy, Math.Min(xz, xy + xz))), xloB, 1e-15, "xlo_bound");
        Close(cell.Origin.X + cell.Lx + Math.Max(0, Math.Max(xy, Math.Max(xz, xy + xz))), xhiB, 1e-15, "xhi_bound");
        Close(cell.Origin.Y + Math.Min(0, yz), yloB, 1e-15, "ylo_bound");
        Close(cell.Origin.Y + cell.Ly + Math.Max(0, yz), yhiB, 1e-15, "yhi_bound");
        Assert.Equal((cell.Origin.Z, cell.Origin.Z + cell.Lz), (zloB, zhiB));
        // the bounding box holds every corner of the cell
        for (int i = 0; i < 8; i++)
        {
            var p = cell.ToCartesian(new Vec3(i & 1, (i >> 1) & 1, (i >> 2) & 1));
            Assert.InRange(p.X, xloB - 1e-12, xhiB + 1e-12);
            Assert.InRange(p.Y, yloB - 1e-12, yhiB + 1e-12);
        }
        var back = Cell.FromLammpsBoundingBox(xloB, xhiB, yloB, yhiB, zloB, zhiB, xy, xz, yz, true, false, true);
        Close(cell.Origin, back.Origin, 1e-15, "origin");
        Close(cell.Lx, back.Lx, 1e-15, "lx"); Close(cell.Ly, back.Ly, 1e-15, "ly"); Assert.Equal(cell.Lz, back.Lz);
        Assert.Equal((xy, xz, yz), (back.Xy, back.Xz, back.Yz));
        Assert.Equal([true, false, true], back.Periodic);
    }

    [Fact]
    public void PerpendicularWidthsAndCutoffs()
    {
        var cell = new Cell(Vec3.Zero, 10, 9, 8, 5, -5, 4.5);
        for (int d = 0; d < 3; d++)
        {
            // distance between the two faces: projection of the third edge on the unit normal of the other two
            Vec3 u = cell.Vector((d + 1) % 3), v = cell.Vector((d + 2) % 3), w = cell.Vector(d);
            var normal = u.Cross(v) / u.Cross(v).Norm;
            Close(Math.Abs(w.Dot(normal)), cell.PerpendicularWidth(d), 1e-14, $"width {d}");
        }
        Close(8, cell.PerpendicularWidth(2), 1e-15, "width c = lz");
        double min = Enumerable.Range(0, 3).Min(cell.PerpendicularWidth);
        Assert.True(min < 8); // tilting narrows the cell
        Assert.Equal(min, cell.MinPeriodicWidth);

        cell.EnsureCutoffFits(0.5 * min * (1 - 1e-12));
        var e = Assert.Throws<CutoffTooLargeException>(() => cell.EnsureCutoffFits(0.5 * min * (1 + 1e-12), "search radius"));
        Assert.Contains("search radius", e.Message);
        Assert.Throws<CutoffTooLargeException>(() => cell.EnsureCutoffFits(100));

        // only periodic directions count
        var slab = new Cell(Vec3.Zero, 20, 20, 3, 0, 0, 0, true, true, false);
        slab.EnsureCutoffFits(9.9);
        var ex = Assert.Throws<CutoffTooLargeException>(() => slab.EnsureCutoffFits(10.01));
        Assert.Contains("along a", ex.Message);
        var none = new Cell(Vec3.Zero, 1, 1, 1, 0, 0, 0, false, false, false);
        none.EnsureCutoffFits(1000);
        Assert.Equal(double.PositiveInfinity, none.MinPeriodicWidth);
    }

    [Fact]
    public void DegenerateCellsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Cell(Vec3.Zero, 0, 1, 1));
        Assert.Throws<ArgumentException>(() => new Cell(Vec3.Zero, 1, -1, 1));
        Assert.Throws<ArgumentException>(() => new Cell(Vec3.Zero, 1, 1, double.NaN));
        Assert.Throws<ArgumentException>(() => new Cell(Vec3.Zero, 1, 1, 1, double.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => Cell.Orthogonal(new Vec3(1, 1, 1), new Vec3(2, 1, 2)));
    }

    [Fact]
    public void FractionalCoordinatesRoundTrip()
    {
        var cell = new Cell(new Vec3(1, 2, 3), 10, 9, 8, 2, -1.5, 1);
        var s = new Vec3(0.3, -0.7, 1.9);
        var r = cell.ToCartesian(s);
        Close(new Vec3(1 + 3 - 1.4 - 2.85, 2 - 6.3 + 1.9, 3 + 15.2), r, 1e-15, "cartesian");
        Close(s, cell.ToFractional(r), 1e-15, "fractional");
        Assert.Equal(cell.ToFractional(r) , cell.DisplacementToFractional(r - cell.Origin));
        Close(10 * 9 * 8, cell.Volume, 0, "volume");
        Close(Math.Abs(cell.A.Dot(cell.B.Cross(cell.C))), cell.Volume, 1e-15, "volume = a . b x c");
    }
}
