using System.Globalization;
using Softspot.Descriptors;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>The 4 A distance-neighbour table against the reference's nn_dist_long.csv (amlearn lists them in row order, we by distance: compared as sets).</summary>
public class DistanceNeighbourConformanceTests
{
    [Fact]
    public void SameNeighboursAndDistancesAsTheReference()
    {
        var glass = ReferenceTable.Glass();
        var table = new FrameContext(glass).Neighbours(NeighbourKind.Distance);
        var reference = File.ReadLines(Paths.Reference(Path.Combine("amlearn-cuzr500", "features", "nn_dist_long.csv"))).Skip(1)
            .Select(l => l.Split(','))
            .GroupBy(f => long.Parse(f[0], CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => g.ToDictionary(f => long.Parse(f[2], CultureInfo.InvariantCulture), f => double.Parse(f[3], CultureInfo.InvariantCulture)));
        Assert.Equal(glass.Count, reference.Count);
        for (int i = 0; i < glass.Count; i++)
        {
            var expected = reference[glass.Ids[i]];
            var ours = Enumerable.Range(table.Start(i), table.Count(i)).ToDictionary(k => glass.Ids[table.Index[k]], k => table.Distances[k]);
            Assert.Equal(expected.Keys.Order(), ours.Keys.Order());
            foreach (var (id, d) in expected) Assert.True(Math.Abs(ours[id] - d) <= 1e-9 * d, $"atom {glass.Ids[i]}, neighbour {id}: {ours[id]:R} vs {d:R}");
        }
    }
}
