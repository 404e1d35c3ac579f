using Softspot.Descriptors;
using Softspot.Descriptors.Geometry;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Voronoi;

namespace Softspot.Tests.Scale;

/// <summary>
/// What featurizing a frame with memory in proportion to it relies on gives the same numbers, bit for bit, as the
/// whole-frame way: faces filtered as each cell is built, features computed in blocks of rows, hulls built per atom.
/// </summary>
public class StreamedFrameTests
{
    public static TheoryData<string> Filters => new() { "amlearn+cutoff", "amlearn-0", "area", "relative" };

    private static FaceFilter Filter(string name) => name switch
    {
        "amlearn+cutoff" => NeighbourTable.VoronoiFilter(0.05, 5.0),
        "amlearn-0" => FaceFilter.AmlearnRunningMean(0),
        "area" => FaceFilter.MinArea(1.0),
        _ => FaceFilter.MinRelativeArea(0.02),
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public void FilteringCellsAsTheyAreBuiltEqualsFilteringTheTessellation(string filter)
    {
        // a periodic glass (several chunks of cells) and a walled random box (wall faces, which the cutoff drops)
        var walled = TestSystems.RandomAtoms(new Cell(new Vec3(-3, 2, 5), 17, 15, 19, 0, 0, 0, false, false, false), 600, seed: 43, out _);
        foreach (var s in new[] { TestSystems.PerturbedReplica(), walled })
        {
            var after = VoronoiTessellator.Compute(s).Filter(Filter(filter));
            var during = VoronoiTessellator.Compute(s, new VoronoiOptions { Filter = Filter(filter) });
            TestSystems.AssertIdentical(after, during);
            Assert.True(during.Neighbour.Length > 0);
        }
    }

    [Fact]
    public void TheVoronoiTableOfAFrameIsTheFilteredTessellation()
    {
        var s = TestSystems.PerturbedReplica();
        var settings = new FeaturizeSettings();
        var table = new FrameContext(s, settings).Neighbours(NeighbourKind.Voronoi);
        var reference = NeighbourTable.FromVoronoi(VoronoiTessellator.Compute(s), settings.SmallFaceFraction, settings.VoronoiCutoff);
        static object[] Fields(NeighbourTable t) => [t.Offsets, t.Index, t.Vectors, t.Distances, t.Areas!, t.Edges!, t.Pyramids!];
        Assert.Equal(Fields(reference), Fields(table));
        Assert.All(table.Index, j => Assert.InRange(j, 0, s.Count - 1));
    }

    public static TheoryData<string> Sets => new() { "interstice", "sro+mro", "voronoi-index", "short-range only" };

    [Theory]
    [MemberData(nameof(Sets))]
    public void BlocksOfRowsEqualTheWholeTable(string name)
    {
        var s = TestSystems.PerturbedReplica();
        var set = name == "short-range only" ? new FeatureSet([new VoronoiIndex()]) : Presets.Find(name).Build(s.Elements!);
        var whole = set.Compute(new FrameContext(s));
        var rows = new List<double>();
        int next = 0;
        foreach (var (first, block) in set.ComputeBlocks(new FrameContext(s), 777))
        {
            Assert.Equal(next, first);
            Assert.Equal(set.Columns, block.Columns);
            rows.AddRange(block.Values);
            next += block.Rows;
        }
        Assert.Equal(s.Count, next);
        Assert.Equal(whole.Values, rows);
    }

    [Fact]
    public void ShellsOfDifferentFramesAndAtomsDoNotShareAThreadsLastHull()
    {
        var a = new FrameContext(TestSystems.PerturbedReplica());
        var b = new FrameContext(TestSystems.PerturbedReplica(seed: 7, amplitude: 0.2));
        void AssertHull(FrameContext frame, int atom)
        {
            var table = frame.Neighbours(NeighbourKind.Voronoi);
            var hull = new ConvexHull();
            hull.Build(table.Vectors.AsSpan(table.Start(atom), table.Count(atom)));
            Assert.Equal(hull.Triangles.ToArray(), frame.Shells.Of(atom).ToArray());
        }
        foreach (int atom in new[] { 0, 0, 1, 3999, 1 })
        {
            AssertHull(a, atom);
            AssertHull(b, atom);
        }
    }
}
