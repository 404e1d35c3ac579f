using System.Globalization;
using System.Text;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Tests.Support;
using Softspot.Voronoi;
using Xunit.Abstractions;

namespace Softspot.Tests.Voronoi;

/// <summary>
/// Softspot's tessellation against the voro++ 0.4.6 command-line utility (the reference implementation of the
/// cell-clipping algorithm), per atom: volume, the multiset of neighbour ids (walls -1..-6), and per face the area
/// and edge count. voro++ prints 6 significant digits, so numbers agree to half a unit in the 6th digit.
/// </summary>
public class VoroPlusPlusComparisonTests(ITestOutputHelper output)
{
    [Fact]
    public void PlainPeriodicGlassMatchesVoroPlusPlus()
    {
        var s = TestSystems.Glass;
        var ours = VoronoiTessellator.Compute(s);
        using var dir = new TempDir();
        var theirs = VoroPlusPlus.Run(s, periodic: true, radiusByType: null, dir);
        AssertSameCells(s, ours, theirs, radical: null);
    }

    [Fact]
    public void RadicalPeriodicGlassMatchesVoroPlusPlus()
    {
        var s = TestSystems.Glass;
        var radii = Radii.ByType(s);
        Assert.Equal(1.26, radii[1]);
        Assert.Equal(1.58, radii[2]);
        var ours = VoronoiTessellator.Compute(s, new VoronoiOptions { RadiusByType = radii });
        using var dir = new TempDir();
        var theirs = VoroPlusPlus.Run(s, periodic: true, radiusByType: radii, dir);
        AssertSameCells(s, ours, theirs, radical: radii);
        // the radical tessellation really differs from the plain one (Zr cells grow, Cu cells shrink)
        var plain = VoronoiTessellator.Compute(s);
        double zrPlain = 0, zrRadical = 0;
        for (int i = 0; i < s.Count; i++)
            if (s.Types[i] == 2) { zrPlain += plain.Volume[i]; zrRadical += ours.Volume[i]; }
        Assert.True(zrRadical > zrPlain * 1.05, $"Zr volume radical {zrRadical} vs plain {zrPlain}");
    }

    [Fact]
    public void WalledGlassMatchesVoroPlusPlus()
    {
        var g = TestSystems.Glass;
        var cell = new Cell(g.Cell.Origin, g.Cell.Lx, g.Cell.Ly, g.Cell.Lz, 0, 0, 0, false, false, false);
        var s = new Snapshot(cell, g.Ids, g.Types, g.Positions) { Elements = g.Elements };
        var ours = VoronoiTessellator.Compute(s);
        using var dir = new TempDir();
        var theirs = VoroPlusPlus.Run(s, periodic: false, radiusByType: null, dir);
        AssertSameCells(s, ours, theirs, radical: null);

        // the walls are really there, with voro++'s numbering: -1/-2 lower/upper x, -3/-4 y, -5/-6 z
        var wallFaces = new int[7];
        for (int i = 0; i < s.Count; i++)
            for (int f = ours.FaceOffsets[i]; f < ours.FaceOffsets[i + 1]; f++)
            {
                int w = ours.Neighbour[f];
                if (w >= 0) continue;
                Assert.InRange(w, -6, -1);
                wallFaces[-w]++;
                int axis = (-w - 1) / 2; bool upper = (-w - 1) % 2 == 1;
                double wallCoord = upper ? cell.Origin[axis] + (axis == 0 ? cell.Lx : axis == 1 ? cell.Ly : cell.Lz) : cell.Origin[axis];
                double gap = wallCoord - s.Positions[i][axis];
                // NeighbourVector of a wall face is the mirror image of the atom in the wall
                var v = ours.NeighbourVector[f];
                Assert.True(Math.Abs(v[axis] - 2 * gap) < 1e-9 && Math.Abs(v[(axis + 1) % 3]) < 1e-9 && Math.Abs(v[(axis + 2) % 3]) < 1e-9,
                    $"atom {s.Ids[i]} wall {w}: vector {v}, expected {2 * gap} along {"xyz"[axis]}");
            }
        for (int w = 1; w <= 6; w++) Assert.True(wallFaces[w] > 10, $"only {wallFaces[w]} faces on wall -{w}");
        double total = ours.Volume.Sum();
        Assert.True(Math.Abs(total - cell.Volume) <= 1e-10 * cell.Volume, $"sum of volumes {total:R} vs box {cell.Volume:R}");
    }

    [Fact]
    public void PerturbedReplicatedGlassMatchesVoroPlusPlus()
    {
        var s = TestSystems.PerturbedReplica();
        Assert.Equal(4000, s.Count);
        var ours = VoronoiTessellator.Compute(s);
        using var dir = new TempDir();
        var theirs = VoroPlusPlus.Run(s, periodic: true, radiusByType: null, dir);
        AssertSameCells(s, ours, theirs, radical: null);
        // the images are not copies: volumes of image atoms differ
        int differing = 0;
        for (int i = 0; i < 500; i++) if (Math.Abs(ours.Volume[i] - ours.Volume[i + 500]) > 1e-6) differing++;
        Assert.True(differing > 400, $"only {differing} of 500 image pairs have different volumes");
    }

    /// <summary>
    /// Compares every atom: volume and face areas to voro++'s printed precision, identical neighbour-id multisets,
    /// identical edge counts per face. Reports every difference (with both sides' face areas) before failing.
    /// </summary>
    private void AssertSameCells(Snapshot s, VoronoiTessellation ours, Dictionary<long, VoroCell> theirs, double[]? radical)
    {
        var inv = CultureInfo.InvariantCulture;
        Assert.Equal(s.Count, theirs.Count);
        var problems = new List<string>();
        int faces = 0;
        double worstVolume = 0, worstArea = 0, smallestArea = double.PositiveInfinity;
        for (int i = 0; i < s.Count; i++)
        {
            long id = s.Ids[i];
            if (!theirs.TryGetValue(id, out var c)) { problems.Add($"atom {id}: no voro++ cell"); continue; }
            if (!VoroPlusPlus.AgreesWithPrinted(ours.Volume[i], c.Volume))
                problems.Add(string.Format(inv, "atom {0}: volume {1:R}, voro++ {2}", id, ours.Volume[i], c.Volume));
            worstVolume = Math.Max(worstVolume, Math.Abs(ours.Volume[i] - c.Volume) / c.Volume);

            var ourFaces = new List<(long Id, double Area, int Edges)>();
            for (int f = ours.FaceOffsets[i]; f < ours.FaceOffsets[i + 1]; f++)
            {
                int j = ours.Neighbour[f];
                ourFaces.Add((j >= 0 ? s.Ids[j] : j, ours.Area[f], ours.Edges[f]));
            }
            var ourIds = ourFaces.Select(x => x.Id).OrderBy(x => x).ToArray();
            var theirIds = c.Neighbours.OrderBy(x => x).ToArray();
            if (!ourIds.SequenceEqual(theirIds))
            {
                var onlyOurs = ourFaces.Where(x => !c.Neighbours.Contains(x.Id)).Select(x => string.Format(inv, "{0} (area {1:G6}, {2} edges)", x.Id, x.Area, x.Edges));
                var onlyTheirs = Enumerable.Range(0, c.Neighbours.Length).Where(k => !ourFaces.Any(x => x.Id == c.Neighbours[k]))
                    .Select(k => string.Format(inv, "{0} (area {1:G6}, {2} edges)", c.Neighbours[k], c.Areas[k], c.Edges[k]));
                problems.Add($"atom {id}: neighbour ids differ; only ours: [{string.Join(", ", onlyOurs)}]; only voro++: [{string.Join(", ", onlyTheirs)}]" +
                    (ourIds.Distinct().Count() != ourIds.Length ? " (repeated ids in ours)" : ""));
                continue;
            }
            // neighbour ids are unique per cell in these boxes: compare face by face
            Assert.Equal(ourIds.Length, ourIds.Distinct().Count());
            for (int k = 0; k < c.Neighbours.Length; k++)
            {
                var mine = ourFaces.Single(x => x.Id == c.Neighbours[k]);
                faces++;
                if (!VoroPlusPlus.AgreesWithPrinted(mine.Area, c.Areas[k], 1e-11))
                    problems.Add(string.Format(inv, "atom {0} face with {1}: area {2:R}, voro++ {3}", id, c.Neighbours[k], mine.Area, c.Areas[k]));
                if (mine.Edges != c.Edges[k])
                    problems.Add(string.Format(inv, "atom {0} face with {1} (area {2:G6}): {3} edges, voro++ {4}", id, c.Neighbours[k], mine.Area, mine.Edges, c.Edges[k]));
                worstArea = Math.Max(worstArea, Math.Abs(mine.Area - c.Areas[k]) / Math.Max(c.Areas[k], 1e-300));
                smallestArea = Math.Min(smallestArea, mine.Area);
            }
        }
        output.WriteLine(string.Format(inv, "{0} atoms, {1} faces compared{2}; worst relative volume difference {3:G3}, worst relative area difference {4:G3}, smallest face {5:G3} A^2",
            s.Count, faces, radical is null ? "" : " (radical)", worstVolume, worstArea, smallestArea));
        if (problems.Count > 0)
        {
            var msg = new StringBuilder($"{problems.Count} differences from voro++:\n");
            foreach (var p in problems.Take(40)) msg.AppendLine(p);
            output.WriteLine(msg.ToString());
            Assert.Fail(msg.ToString());
        }
    }
}
