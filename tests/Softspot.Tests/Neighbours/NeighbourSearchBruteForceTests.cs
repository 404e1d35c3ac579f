using System.Globalization;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Tests.Neighbours;

/// <summary>
/// <see cref="NeighbourSearch"/> against an O(N^2) brute force over explicit periodic images (shifts -2..2 along
/// every periodic cell vector, i.e. 125 images, from positions inside the cell: more than enough, since a neighbour
/// closer than half a cell width differs from the in-cell displacement by at most one cell vector per direction).
/// </summary>
public class NeighbourSearchBruteForceTests
{
    private const double Tol = 1e-12;

    internal readonly record struct Image(int J, Vec3 V, double D);

    /// <summary>Every image of every atom (including the atom's own images) at distance &lt; radius, sorted by distance.</summary>
    internal static List<Image>[] BruteForce(Cell cell, Vec3[] inCell, double radius)
    {
        var shifts = TestSystems.ImageShifts(cell, 2).ToArray();
        int n = inCell.Length;
        double r2 = radius * radius;
        var lists = new List<Image>[n];
        Parallel.For(0, n, i =>
        {
            var list = new List<Image>();
            for (int j = 0; j < n; j++)
            {
                var dij = inCell[j] - inCell[i];
                foreach (var sh in shifts)
                {
                    var v = dij + sh;
                    double d2 = v.Norm2;
                    if (d2 >= r2 || (j == i && sh == Vec3.Zero)) continue;
                    list.Add(new Image(j, v, Math.Sqrt(d2)));
                }
            }
            list.Sort((x, y) => x.D.CompareTo(y.D));
            lists[i] = list;
        });
        return lists;
    }

    /// <summary>
    /// Same neighbour sets (each pair by the same image), distances and vectors to 1e-12, rows sorted by distance with
    /// ties by index. A pair within 1e-12 of the cutoff may be on either side (counted, and required to be rare).
    /// </summary>
    internal static void AssertSameAsBruteForce(Snapshot s, Vec3[] inCell, NeighbourList list, double cutoff)
    {
        var inv = CultureInfo.InvariantCulture;
        var brute = BruteForce(s.Cell, inCell, cutoff + 1e-9);
        Assert.Equal(s.Count, list.AtomCount);
        int borderline = 0, pairs = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var ids = list.NeighboursOf(i); var vecs = list.VectorsOf(i); var dists = list.DistancesOf(i);
            var expected = brute[i].Where(b => b.D < cutoff - Tol).ToList();
            var optional = brute[i].Where(b => b.D >= cutoff - Tol && b.D < cutoff + Tol).ToList();
            borderline += optional.Count;
            var matched = new bool[ids.Length];
            foreach (var b in expected.Concat(optional))
            {
                int k = -1;
                for (int m = 0; m < ids.Length; m++)
                    if (!matched[m] && ids[m] == b.J && (vecs[m] - b.V).Norm < 1e-9) { k = m; break; }
                if (k < 0)
                {
                    if (b.D < cutoff - Tol)
                        Assert.Fail(string.Format(inv, "atom {0}: neighbour {1} at {2:R} A (vector {3}) is missing", s.Ids[i], s.Ids[b.J], b.D, b.V));
                    continue;
                }
                matched[k] = true;
                pairs++;
                Assert.True(Math.Abs(dists[k] - b.D) <= Tol, string.Format(inv, "atom {0} neighbour {1}: distance {2:R}, brute force {3:R}", s.Ids[i], s.Ids[b.J], dists[k], b.D));
                Assert.True((vecs[k] - b.V).Norm <= Tol * 10, $"atom {s.Ids[i]} neighbour {s.Ids[b.J]}: vector {vecs[k]}, brute force {b.V}");
            }
            for (int m = 0; m < ids.Length; m++)
            {
                Assert.True(matched[m], string.Format(inv, "atom {0}: neighbour {1} at {2:R} A (vector {3}) is not within the cutoff (or listed twice)", s.Ids[i], s.Ids[ids[m]], dists[m], vecs[m]));
                Assert.True(Math.Abs(vecs[m].Norm - dists[m]) <= Tol, $"atom {s.Ids[i]}: distance is not the norm of the vector");
                if (m > 0)
                    Assert.True(dists[m] > dists[m - 1] || (dists[m] == dists[m - 1] && ids[m] >= ids[m - 1]),
                        $"atom {s.Ids[i]}: row not sorted by distance then index at position {m}");
            }
        }
        Assert.True(borderline <= 2, $"{borderline} pairs within 1e-12 of the cutoff: choose another cutoff");
        Assert.True(pairs > 10 * s.Count, $"only {pairs} pairs: the test is too weak");
    }

    /// <summary>
    /// The k nearest: sorted distances equal the brute force's first k (ties allowed); every listed entry is a real
    /// image at that distance; the neighbour set is the brute force's when the k-th and (k+1)-th distances differ.
    /// </summary>
    internal static void AssertNearestAsBruteForce(Snapshot s, Vec3[] inCell, NeighbourList list, int k, double radius)
    {
        var inv = CultureInfo.InvariantCulture;
        var brute = BruteForce(s.Cell, inCell, radius);
        for (int i = 0; i < s.Count; i++)
        {
            Assert.Equal(k, list.Count(i));
            Assert.True(brute[i].Count > k, $"atom {s.Ids[i]}: brute-force radius too small");
            var ids = list.NeighboursOf(i); var vecs = list.VectorsOf(i); var dists = list.DistancesOf(i);
            for (int m = 0; m < k; m++)
            {
                Assert.True(Math.Abs(dists[m] - brute[i][m].D) <= Tol,
                    string.Format(inv, "atom {0}: {1}-th nearest distance {2:R}, brute force {3:R}", s.Ids[i], m + 1, dists[m], brute[i][m].D));
                int j = ids[m]; var v = vecs[m];
                Assert.True(brute[i].Any(b => b.J == j && (b.V - v).Norm < 1e-9), $"atom {s.Ids[i]}: entry {s.Ids[j]} {v} is not an image of that atom");
                Assert.True(Math.Abs(v.Norm - dists[m]) <= Tol);
            }
            bool tie = brute[i][k].D - brute[i][k - 1].D <= Tol;
            if (!tie)
            {
                var ours = new List<(int, Vec3)>();
                for (int m = 0; m < k; m++) ours.Add((ids[m], vecs[m]));
                foreach (var b in brute[i].Take(k))
                    Assert.True(ours.Any(o => o.Item1 == b.J && (o.Item2 - b.V).Norm < 1e-9), $"atom {s.Ids[i]}: nearest neighbour {s.Ids[b.J]} {b.V} missing");
            }
        }
    }

    private static Vec3[] GlassPositions() => TestSystems.Glass.Positions.ToArray();

    [Theory]
    [InlineData(4.0)]
    [InlineData(5.0)]
    public void GlassWithinCutoffMatchesBruteForce(double cutoff)
    {
        var s = TestSystems.Glass;
        // the shipped positions are inside the box, so they serve as the brute force's in-cell positions
        foreach (var p in s.Positions)
            for (int d = 0; d < 3; d++) Assert.InRange(p[d], s.Cell.Origin[d], s.Cell.Hi[d]);
        AssertSameAsBruteForce(s, GlassPositions(), NeighbourSearch.WithinCutoff(s, cutoff), cutoff);
    }

    [Fact]
    public void GlassNearestTwelveMatchesBruteForce()
    {
        var s = TestSystems.Glass;
        AssertNearestAsBruteForce(s, GlassPositions(), NeighbourSearch.Nearest(s, 12), 12, 6.0);
    }

    [Theory]
    [InlineData(3.7)]
    [InlineData(5.0)]
    [InlineData(6.6)] // close to half the smallest perpendicular width (6.71 A), far below half the box lengths
    public void TiltedRandomBoxWithinCutoffMatchesBruteForce(double cutoff)
    {
        var cell = TestSystems.TiltedCell();
        Assert.InRange(cell.MinPeriodicWidth, 13.3, 13.5);
        var s = TestSystems.RandomAtoms(cell, 300, seed: 7, out var inCell, unwrap: true);
        AssertSameAsBruteForce(s, inCell, NeighbourSearch.WithinCutoff(s, cutoff), cutoff);
    }

    [Fact]
    public void TiltedRandomBoxNearestMatchesBruteForce()
    {
        var s = TestSystems.RandomAtoms(TestSystems.TiltedCell(), 300, seed: 11, out var inCell, unwrap: true);
        AssertNearestAsBruteForce(s, inCell, NeighbourSearch.Nearest(s, 12), 12, 6.7);
    }

    [Fact]
    public void MixedPeriodicityTiltedBoxMatchesBruteForce()
    {
        // periodic along a and b only; c is open
        var cell = TestSystems.TiltedCell(pa: true, pb: true, pc: false);
        var s = TestSystems.RandomAtoms(cell, 300, seed: 13, out var inCell, unwrap: true);
        AssertSameAsBruteForce(s, inCell, NeighbourSearch.WithinCutoff(s, 5.0), 5.0);
        AssertNearestAsBruteForce(s, inCell, NeighbourSearch.Nearest(s, 12), 12, 6.7);
    }

    [Fact]
    public void NonPeriodicBoxMatchesBruteForce()
    {
        var cell = new Cell(new Vec3(-3, 2, 5), 17, 15, 19, 0, 0, 0, false, false, false);
        var s0 = TestSystems.RandomAtoms(cell, 300, seed: 17, out var inCell);
        // a few atoms outside the nominal box (as in a shrink-wrapped or hand-made file): kept where they are
        var pos = inCell.ToArray();
        pos[0] = new Vec3(-4.3, 9.0, 12.0);
        pos[1] = new Vec3(15.2, 16.9, 23.5);
        pos[2] = new Vec3(5.0, 1.2, 4.1);
        pos[3] = new Vec3(-3.5, 1.9, 13.0);
        var s = new Snapshot(cell, s0.Ids, s0.Types, pos);
        // no periodic images at all, even for cutoffs larger than the box
        foreach (double cutoff in new[] { 4.0, 5.0, 30.0 })
            AssertSameAsBruteForce(s, pos, NeighbourSearch.WithinCutoff(s, cutoff), cutoff);
        AssertNearestAsBruteForce(s, pos, NeighbourSearch.Nearest(s, 12), 12, 100);
    }

    [Fact]
    public void CutoffBeyondHalfTheCellWidthIsRejected()
    {
        var g = TestSystems.Glass;
        double half = g.Cell.Lx / 2; // 10.066 A
        Assert.Throws<CutoffTooLargeException>(() => NeighbourSearch.WithinCutoff(g, half + 0.01));
        Assert.Equal(g.Count, NeighbourSearch.WithinCutoff(g, half - 0.01).AtomCount);

        // a tilted cell is narrower than its edge lengths: 6.8 A is below half of every edge but above half the
        // smallest perpendicular width (6.71 A)
        var cell = TestSystems.TiltedCell();
        var s = TestSystems.RandomAtoms(cell, 300, seed: 7, out _);
        Assert.True(6.8 < Math.Min(cell.Lx, Math.Min(cell.Ly, cell.Lz)) / 2);
        Assert.Throws<CutoffTooLargeException>(() => NeighbourSearch.WithinCutoff(s, 6.8));

        // only periodic directions count: a slab 8 A thick along an open c takes a 5 A cutoff, not when c is periodic
        var slab = new Cell(Vec3.Zero, 20, 20, 8, 0, 0, 0, true, true, false);
        var open = TestSystems.RandomAtoms(slab, 200, seed: 5, out var slabInCell);
        AssertSameAsBruteForce(open, slabInCell, NeighbourSearch.WithinCutoff(open, 5.0), 5.0);
        var periodicSlab = new Snapshot(new Cell(Vec3.Zero, 20, 20, 8), open.Ids, open.Types, open.Positions);
        Assert.Throws<CutoffTooLargeException>(() => NeighbourSearch.WithinCutoff(periodicSlab, 5.0));
        var closed = TestSystems.RandomAtoms(TestSystems.TiltedCell(false, false, false), 300, seed: 7, out _);
        Assert.Equal(300, NeighbourSearch.WithinCutoff(closed, 40).AtomCount);
    }

    /// <summary>
    /// Nearest documents CutoffTooLargeException when the k-th neighbour lies beyond half the cell width (as
    /// WithinCutoff throws it for a cutoff), so a caller can catch that type.
    /// </summary>
    [Fact]
    public void NearestBeyondHalfTheCellWidthThrowsCutoffTooLarge()
    {
        // 4 atoms in a 4 A periodic box: the 12th neighbour is ~3.7 A away, beyond half the width (2 A)
        var tiny = TestSystems.RandomAtoms(new Cell(Vec3.Zero, 4, 4, 4), 4, seed: 3, out _);
        var e = Assert.Throws<CutoffTooLargeException>(() => NeighbourSearch.Nearest(tiny, 12));
        Assert.Contains("12-th neighbour", e.Message);
    }
}
