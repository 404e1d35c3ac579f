using Softspot.Sharding;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>softspot merge joins the shards of a run into exactly what the unsharded run writes.</summary>
public class ShardMergeTests
{
    [Theory]
    [InlineData(1, "csv")]
    [InlineData(3, "csv")]
    [InlineData(7, "csv")] // more shards than frames: shards 6/7 and 7/7 hold none
    [InlineData(3, "parquet")]
    [InlineData(7, "parquet")]
    public void MergedFeaturizeShardsAreTheUnshardedTable(int n, string ext)
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 5), whole = dir.File($"whole.{ext}"), merged = dir.File($"merged.{ext}");
        Ok(Featurize(input, whole));
        var shards = RunShards(n, k => dir.File($"f.{k}.{ext}"), (o, s) => Featurize(input, o, s));
        string output = Ok(["merge", .. shards, "--out", merged]);
        Assert.Equal($"merge: {n} shards of featurize (5 frame(s), 2500 rows) -> {merged}, {dir.File("merged.json")}, {merged}.manifest.json\n", output);
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
        Assert.Equal(File.ReadAllText(dir.File("whole.json")), File.ReadAllText(dir.File("merged.json"))); // the recipe, inputs included

        var manifest = ShardManifest.Load(merged)!;
        Assert.Equal("1/1", manifest.Shard);
        Assert.Equal(shards.Select(Path.GetFileName), manifest.MergedFrom!.Select(f => f.File));
        Assert.Equal(2500, manifest.Output.Rows);
        Assert.Equal(5, manifest.Frames);
        // the merged output is the 1/1 shard of the same run: asking for that run finds it done
        Assert.Contains("already done", Ok(Featurize(input, merged, "--shard", "1/1")));
    }

    [Theory]
    [InlineData(1, "csv")]
    [InlineData(3, "csv")]
    [InlineData(6, "csv")]
    [InlineData(3, "parquet")]
    [InlineData(6, "parquet")]
    public void MergedD2minShardsAreTheUnshardedTable(int n, string ext)
    {
        using var dir = new TempDir();
        string whole = dir.File($"whole.{ext}"), merged = dir.File($"merged.{ext}");
        Ok(D2min(whole));
        var shards = RunShards(n, k => dir.File($"d.{k}.{ext}"), D2min);
        Assert.Contains("4 frame(s), 2000 rows", Ok(["merge", .. shards, "--out", merged]));
        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(merged));
        // the per-frame records of d2min.json are joined in frame order
        Assert.Equal(File.ReadAllText(dir.File("whole.json")), File.ReadAllText(dir.File("merged.json")));
    }

    [Fact]
    public void MergeWritesTheFormatItIsAskedFor()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 4);
        Ok(Featurize(input, dir.File("whole.csv")));
        Ok(Featurize(input, dir.File("whole.parquet")));
        var csv = RunShards(3, k => dir.File($"c.{k}.csv"), (o, s) => Featurize(input, o, s));
        var parquet = RunShards(3, k => dir.File($"p.{k}.parquet"), (o, s) => Featurize(input, o, s));
        // CSV shards into Parquet (by the extension, or --format) and Parquet shards into CSV: what the unsharded run writes
        Ok(["merge", .. csv, "--out", dir.File("m1.parquet")]);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.parquet")), File.ReadAllBytes(dir.File("m1.parquet")));
        Ok(["merge", .. csv, "--out", dir.File("m2.table"), "--format", "parquet"]);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.parquet")), File.ReadAllBytes(dir.File("m2.table")));
        Ok(["merge", .. parquet, "--out", dir.File("m3.csv")]);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.csv")), File.ReadAllBytes(dir.File("m3.csv")));
        // without an extension that says, the shards' format
        Ok(["merge", .. parquet, "--out", dir.File("m4.table")]);
        Assert.Equal(File.ReadAllBytes(dir.File("whole.parquet")), File.ReadAllBytes(dir.File("m4.table")));
    }

    [Fact]
    public void MergedArtShardsHoldTheEventsOfOneRun()
    {
        using var dir = new TempDir();
        string[] art = ["--atoms", "15,200,300", "--searches", "2"];
        Ok(Art(dir.File("whole.csv"), art));
        var shards = RunShards(2, k => dir.File($"e.{k}.csv"), (o, s) => Art(o, [.. art, .. s]));
        Assert.Contains("already done", Ok(Art(shards[0], [.. art, "--shard", "1/2"])));
        Assert.Contains("2 shards of simulate art (6 searches)", Ok(["merge", .. shards, "--out", dir.File("merged.csv")]));
        // rows sorted by search id; the same rows as one run but for the timing column
        var merged = File.ReadAllLines(dir.File("merged.csv"));
        Assert.Equal(merged.Skip(1).OrderBy(l => long.Parse(l.Split(',')[0])), merged.Skip(1));
        Assert.Equal(DeterministicRows(dir.File("whole.csv")), DeterministicRows(dir.File("merged.csv")));
        Assert.Equal(File.ReadAllLines(dir.File("whole.moved.csv")).Order(StringComparer.Ordinal), File.ReadAllLines(dir.File("merged.moved.csv")).Order(StringComparer.Ordinal));
        var manifest = ShardManifest.Load(dir.File("merged.csv"))!;
        Assert.Equal(6, manifest.SearchesDone);
        Assert.True(manifest.Complete);

        // a shard stopped before its end (as SIGTERM leaves it) is refused unless --allow-incomplete
        string path = ShardManifest.PathFor(shards[1]);
        File.WriteAllText(path, File.ReadAllText(path).Replace("\"complete\": true", "\"complete\": false").Replace("\"searches_done\": 2", "\"searches_done\": 1"));
        var refused = CliRunner.AssertOneLineError(CliRunner.Run(["merge", .. shards, "--out", dir.File("partial.csv")]));
        Assert.Equal($"softspot: error: incomplete: shard 2/2 ({shards[1]}: 1 of 2 searches); rerun them to finish, or merge with --allow-incomplete", refused);
        Assert.False(File.Exists(dir.File("partial.csv")));
        Ok(["merge", .. shards, "--out", dir.File("partial.csv"), "--allow-incomplete"]);
        Assert.False(ShardManifest.Load(dir.File("partial.csv"))!.Complete);
    }
}
