using Softspot.Descriptors;
using Softspot.Neighbours;
using Softspot.Voronoi;

namespace Softspot.Tests.Neighbours;

/// <summary>Neighbour lists, tessellations and features are bit-identical for 1 and 2 threads (several chunks of work).</summary>
public class ThreadDeterminismTests
{
    private static void AssertIdentical(NeighbourList a, NeighbourList b)
    {
        Assert.Equal(a.Offsets, b.Offsets);
        Assert.Equal(a.Index, b.Index);
        Assert.Equal(a.Vectors, b.Vectors);
        Assert.Equal(a.Distances, b.Distances);
    }

    [Fact]
    public void NeighbourListsDoNotDependOnThreads()
    {
        var s = TestSystems.PerturbedReplica(); // 4000 atoms: 8 chunks of 512
        var one = NeighbourSearch.WithinCutoff(s, 5.0, threads: 1);
        var two = NeighbourSearch.WithinCutoff(s, 5.0, threads: 2);
        AssertIdentical(one, two);
        Assert.True(one.Index.Length > 100_000);
        AssertIdentical(NeighbourSearch.Nearest(s, 12, threads: 1), NeighbourSearch.Nearest(s, 12, threads: 2));

        var tilted = TestSystems.RandomAtoms(TestSystems.TiltedCell(), 1500, seed: 23, out _, unwrap: true);
        AssertIdentical(NeighbourSearch.WithinCutoff(tilted, 5.0, threads: 1), NeighbourSearch.WithinCutoff(tilted, 5.0, threads: 2));
        AssertIdentical(NeighbourSearch.Nearest(tilted, 12, threads: 1), NeighbourSearch.Nearest(tilted, 12, threads: 2));
    }

    [Fact]
    public void FeaturesDoNotDependOnThreads()
    {
        var s = TestSystems.PerturbedReplica();
        foreach (var preset in new[] { "interstice", "all" })
        {
            var set = Presets.Find(preset).Build(s.Elements!);
            Assert.Equal(set.Compute(s, new FeaturizeSettings { Threads = 1 }).Values, set.Compute(s, new FeaturizeSettings { Threads = 2 }).Values);
        }
    }

    [Fact]
    public void TessellationDoesNotDependOnThreads()
    {
        var s = TestSystems.PerturbedReplica();
        var one = VoronoiTessellator.Compute(s, new VoronoiOptions { Threads = 1 });
        var two = VoronoiTessellator.Compute(s, new VoronoiOptions { Threads = 2 });
        TestSystems.AssertIdentical(one, two);
    }

    [Fact]
    public void ThreadCountsBelowOneAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeaturizeSettings { Threads = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoronoiOptions { Threads = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Softspot.Learning.GradientBoostingOptions { Threads = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => NeighbourSearch.WithinCutoff(TestSystems.PerturbedReplica(), 5.0, threads: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.MapChunks(10, 2, 0, (a, b) => 0));
        Assert.Equal(Environment.ProcessorCount, Parallelism.Resolve(null));
        Assert.Equal(Environment.ProcessorCount, new FeaturizeSettings().Threads);
    }
}
