using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Sharding;

/// <summary>A shard steps over other shards' frames without parsing their atoms, and still sees every frame.</summary>
public class FrameSkippingTests
{
    [Theory]
    [InlineData("series.dump")]
    [InlineData("series.xyz")]
    public void SkippedFramesAreNullAndKeptFramesAsRead(string name)
    {
        using var dir = new TempDir();
        string dump = ShardFixtures.FrameSeries(dir, 5);
        string path = dir.File(name);
        if (path != dump) StructureFile.Write(path, StructureFile.ReadFrames(dump));
        var all = StructureFile.ReadFrames(path).ToList();
        var some = StructureFile.ReadFrames(path, frame => frame % 2 == 1).ToList();
        Assert.Equal(5, some.Count);
        Assert.All(new[] { 0, 2, 4 }, f => Assert.Null(some[f]));
        foreach (int f in new[] { 1, 3 })
        {
            Assert.Equal(all[f].Timestep, some[f]!.Timestep);
            Assert.Equal(all[f].Positions, some[f]!.Positions);
        }
    }

    [Fact]
    public void ASkippedFrameCutShortIsStillAnError()
    {
        using var dir = new TempDir();
        string dump = ShardFixtures.FrameSeries(dir, 2);
        var lines = File.ReadAllLines(dump);
        File.WriteAllLines(dump, lines[..^3]);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(dump, frame => frame == 0).ToList());
        Assert.Contains("declares 500 atoms but only 497 were read", e.Message);
    }
}
