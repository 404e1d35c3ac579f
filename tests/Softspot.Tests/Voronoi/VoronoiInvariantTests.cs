using System.Globalization;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Voronoi;
using Xunit.Abstractions;

namespace Softspot.Tests.Voronoi;

/// <summary>
/// Geometric invariants of a tessellation, on the glass and on seeded random boxes (strongly tilted periodic,
/// partly periodic, walled): the cells tile the cell; each pyramid is area x height / 3 with the height of the
/// bisector (or power) plane and they sum to the cell volume; every face between two atoms is seen from both sides
/// with the same area and edge count and opposite vectors; neighbour vectors are real images; threads do not matter.
/// </summary>
public class VoronoiInvariantTests(ITestOutputHelper output)
{
    public static TheoryData<string> Systems => new() { "glass", "glass-radical", "tilted", "tilted-radical", "slab", "walled", "walled-tilted" };

    private static (Snapshot S, VoronoiOptions O) Build(string name)
    {
        switch (name)
        {
            case "glass": return (TestSystems.Glass, new VoronoiOptions());
            case "glass-radical": return (TestSystems.Glass, new VoronoiOptions { RadiusByType = Radii.ByType(TestSystems.Glass) });
            case "tilted": return (TestSystems.RandomAtoms(TestSystems.TiltedCell(), 300, seed: 31, out _, unwrap: true), new VoronoiOptions());
            case "tilted-radical": return (TestSystems.RandomAtoms(TestSystems.TiltedCell(), 300, seed: 37, out _, unwrap: true, minSeparation: 1.2), new VoronoiOptions { RadiusByType = [0, 1.26, 1.58] });
            case "slab": return (TestSystems.RandomAtoms(TestSystems.TiltedCell(true, true, false), 300, seed: 41, out _, unwrap: true), new VoronoiOptions());
            case "walled": return (TestSystems.RandomAtoms(new Cell(new Vec3(-3, 2, 5), 17, 15, 19, 0, 0, 0, false, false, false), 300, seed: 43, out _), new VoronoiOptions());
            case "walled-tilted": return (TestSystems.RandomAtoms(TestSystems.TiltedCell(false, false, false), 300, seed: 47, out _), new VoronoiOptions());
            default: throw new ArgumentOutOfRangeException(nameof(name));
        }
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void CellsTileTheBoxAndPyramidsAddUp(string system)
    {
        var inv = CultureInfo.InvariantCulture;
        var (s, o) = Build(system);
        var t = VoronoiTessellator.Compute(s, o);
        Assert.Equal(s.Count, t.AtomCount);
        double total = t.Volume.Sum();
        Assert.True(Math.Abs(total - s.Cell.Volume) <= 1e-10 * s.Cell.Volume, string.Format(inv, "{0}: sum of volumes {1:R}, cell {2:R}", system, total, s.Cell.Volume));
        int walls = 0;
        for (int i = 0; i < s.Count; i++)
        {
            Assert.True(t.Volume[i] > 0, $"atom {s.Ids[i]} has volume {t.Volume[i]}");
            double sum = 0;
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                sum += t.PyramidVolume[f];
                Assert.True(t.Area[f] > 0, $"atom {s.Ids[i]}: face with area {t.Area[f]}");
                Assert.True(t.Edges[f] >= 3);
                // the face lies on the bisector (power) plane: the pyramid is area * height / 3
                var v = t.NeighbourVector[f];
                double d = v.Norm, height = d / 2;
                int j = t.Neighbour[f];
                if (j < 0) walls++;
                else
                {
                    if (o.RadiusByType is { } r)
                        height = (d * d + r[s.Types[i]] * r[s.Types[i]] - r[s.Types[j]] * r[s.Types[j]]) / (2 * d);
                    // the neighbour vector is a real image of atom j
                    var miss = s.Cell.MinimumImage(s.Cell.Wrap(s.Positions[j]) - s.Cell.Wrap(s.Positions[i]) - v);
                    Assert.True(miss.Norm < 1e-9, $"atom {s.Ids[i]}: face vector {v} is not an image of atom {s.Ids[j]} (off by {miss})");
                }
                double pyramid = t.Area[f] * height / 3;
                Assert.True(Math.Abs(t.PyramidVolume[f] - pyramid) <= 1e-10 * Math.Abs(pyramid) + 1e-14,
                    string.Format(inv, "atom {0} face to {1}: pyramid {2:R}, area x height / 3 = {3:R}", s.Ids[i], j, t.PyramidVolume[f], pyramid));
            }
            Assert.True(Math.Abs(sum - t.Volume[i]) <= 1e-12 * t.Volume[i], string.Format(inv, "atom {0}: pyramids {1:R}, volume {2:R}", s.Ids[i], sum, t.Volume[i]));
        }
        if (!s.Cell.Periodic.All(p => p)) Assert.True(walls > 20, $"{system}: only {walls} wall faces");
        else Assert.Equal(0, walls);
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void EveryFaceIsSeenFromBothSides(string system)
    {
        var inv = CultureInfo.InvariantCulture;
        var (s, o) = Build(system);
        var t = VoronoiTessellator.Compute(s, o);
        var problems = new List<string>();
        double worst = 0;
        int pairs = 0;
        for (int i = 0; i < s.Count; i++)
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                int j = t.Neighbour[f];
                if (j < 0) continue;
                var v = t.NeighbourVector[f];
                var partners = Enumerable.Range(t.FaceOffsets[j], t.FaceCount(j))
                    .Where(g => t.Neighbour[g] == i && (t.NeighbourVector[g] + v).Norm < 1e-9).ToList();
                if (partners.Count != 1)
                {
                    problems.Add(string.Format(inv, "atom {0} face to {1} (area {2:G4}, vector {3}): {4} matching faces on the other side",
                        s.Ids[i], s.Ids[j], t.Area[f], v, partners.Count));
                    continue;
                }
                int g = partners[0];
                pairs++;
                double diff = Math.Abs(t.Area[f] - t.Area[g]);
                worst = Math.Max(worst, diff / Math.Max(t.Area[f], t.Area[g]));
                if (diff > 1e-9 * Math.Max(t.Area[f], t.Area[g]) + 1e-12)
                    problems.Add(string.Format(inv, "atoms {0}/{1}: area {2:R} vs {3:R}", s.Ids[i], s.Ids[j], t.Area[f], t.Area[g]));
                if (t.Edges[f] != t.Edges[g])
                    problems.Add(string.Format(inv, "atoms {0}/{1} (area {2:G4}): {3} vs {4} edges", s.Ids[i], s.Ids[j], t.Area[f], t.Edges[f], t.Edges[g]));
            }
        output.WriteLine(string.Format(inv, "{0}: {1} face pairs, worst relative area difference {2:G3}", system, pairs / 2, worst));
        Assert.True(problems.Count == 0, $"{system}: {problems.Count} problems:\n{string.Join("\n", problems.Take(40))}");
        Assert.True(pairs > 4 * s.Count);
    }

    [Theory]
    [MemberData(nameof(Systems))]
    public void ResultDoesNotDependOnThreads(string system)
    {
        var (s, o) = Build(system);
        var one = VoronoiTessellator.Compute(s, o with { Threads = 1 });
        var two = VoronoiTessellator.Compute(s, o with { Threads = 2 });
        TestSystems.AssertIdentical(one, two);
    }

    [Fact]
    public void RadicalWithEqualRadiiIsThePlainTessellation()
    {
        var s = TestSystems.Glass;
        var plain = VoronoiTessellator.Compute(s);
        var equal = VoronoiTessellator.Compute(s, new VoronoiOptions { RadiusByType = [0, 1.4, 1.4] });
        for (int i = 0; i < s.Count; i++)
        {
            Assert.True(Math.Abs(plain.Volume[i] - equal.Volume[i]) <= 1e-12 * plain.Volume[i]);
            var a = Enumerable.Range(plain.FaceOffsets[i], plain.FaceCount(i)).OrderBy(f => plain.Neighbour[f]).ToList();
            var b = Enumerable.Range(equal.FaceOffsets[i], equal.FaceCount(i)).OrderBy(f => equal.Neighbour[f]).ToList();
            Assert.Equal(a.Select(f => plain.Neighbour[f]), b.Select(f => equal.Neighbour[f]));
            Assert.Equal(a.Select(f => plain.Edges[f]), b.Select(f => equal.Edges[f]));
            for (int k = 0; k < a.Count; k++)
                Assert.True(Math.Abs(plain.Area[a[k]] - equal.Area[b[k]]) <= 1e-12 * plain.Area[a[k]] + 1e-14);
        }
    }
}
