using Softspot.Descriptors;
using Softspot.Neighbours;
using Softspot.Voronoi;

namespace Softspot.Tests.Neighbours;

/// <summary>
/// Tests that change the process-wide <see cref="Parallelism.Threads"/> run in this collection, which xunit runs on
/// its own (not in parallel with any other test), and restore the setting afterwards.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ParallelismSettingCollection
{
    public const string Name = "Parallelism.Threads (process-wide setting)";
}

/// <summary>Neighbour lists, tessellations and features are bit-identical for 1 and 2 threads (several chunks of work).</summary>
[Collection(ParallelismSettingCollection.Name)]
public class ThreadDeterminismTests
{
    private static T WithThreads<T>(int threads, Func<T> work)
    {
        int saved = Parallelism.Threads;
        try
        {
            Parallelism.Threads = threads;
            return work();
        }
        finally
        {
            Parallelism.Threads = saved;
        }
    }

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
        int before = Parallelism.Threads;
        var s = TestSystems.PerturbedReplica(); // 4000 atoms: 8 chunks of 512
        var one = WithThreads(1, () => NeighbourSearch.WithinCutoff(s, 5.0));
        var two = WithThreads(2, () => NeighbourSearch.WithinCutoff(s, 5.0));
        AssertIdentical(one, two);
        Assert.True(one.Index.Length > 100_000);
        AssertIdentical(WithThreads(1, () => NeighbourSearch.Nearest(s, 12)), WithThreads(2, () => NeighbourSearch.Nearest(s, 12)));

        var tilted = TestSystems.RandomAtoms(TestSystems.TiltedCell(), 1500, seed: 23, out _, unwrap: true);
        AssertIdentical(WithThreads(1, () => NeighbourSearch.WithinCutoff(tilted, 5.0)), WithThreads(2, () => NeighbourSearch.WithinCutoff(tilted, 5.0)));
        AssertIdentical(WithThreads(1, () => NeighbourSearch.Nearest(tilted, 12)), WithThreads(2, () => NeighbourSearch.Nearest(tilted, 12)));
        Assert.Equal(before, Parallelism.Threads);
    }

    [Fact]
    public void FeaturesDoNotDependOnThreads()
    {
        var s = TestSystems.PerturbedReplica();
        foreach (var preset in new[] { "interstice", "all" })
        {
            var set = Presets.Find(preset).Build(s.Elements!);
            Assert.Equal(WithThreads(1, () => set.Compute(s)).Values, WithThreads(2, () => set.Compute(s)).Values);
        }
    }

    [Fact]
    public void TessellationWithTheDefaultThreadSettingDoesNotDependOnThreads()
    {
        int before = Parallelism.Threads;
        var s = TestSystems.PerturbedReplica();
        var one = WithThreads(1, () => VoronoiTessellator.Compute(s));
        var two = WithThreads(2, () => VoronoiTessellator.Compute(s));
        TestSystems.AssertIdentical(one, two);
        Assert.Equal(before, Parallelism.Threads);
    }
}
