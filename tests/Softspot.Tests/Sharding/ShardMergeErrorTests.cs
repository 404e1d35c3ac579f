using System.Text.Json.Nodes;
using Softspot.Sharding;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>softspot merge refuses, with one line naming the shard, sets that are not one complete, intact run; and writes nothing.</summary>
public class ShardMergeErrorTests
{
    /// <summary>The 3 shards of a 5-frame featurize run, f.1.csv .. f.3.csv.</summary>
    private static string[] Shards(TempDir dir, out string input)
    {
        string series = input = FrameSeries(dir, 5);
        return RunShards(3, k => dir.File($"f.{k}.csv"), (o, s) => Featurize(series, o, s));
    }

    private static string Refused(TempDir dir, params string[] shards)
    {
        string error = CliRunner.AssertOneLineError(CliRunner.Run(["merge", .. shards, "--out", dir.File("merged.csv")]));
        Assert.False(File.Exists(dir.File("merged.csv")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".merged.csv.*"));
        return error;
    }

    /// <summary>Edits a shard's manifest to the size and SHA-256 its output has now (as someone covering up an edit would).</summary>
    private static void Reseal(string output)
    {
        var manifest = JsonNode.Parse(File.ReadAllText(ShardManifest.PathFor(output)))!;
        manifest["output"]!["bytes"] = new FileInfo(output).Length;
        manifest["output"]!["sha256"] = Softspot.Simulation.Provenance.Sha256(output);
        File.WriteAllText(ShardManifest.PathFor(output), manifest.ToJsonString());
    }

    [Fact]
    public void MissingAndRepeatedShards()
    {
        using var dir = new TempDir();
        var f = Shards(dir, out _);
        Assert.Equal("softspot: error: shard(s) 2/3 missing: given 1/3, 3/3 of 3", Refused(dir, f[0], f[2]));
        Assert.Equal($"softspot: error: shard 2/3 is given 2 times: {f[1]}, {f[1]}", Refused(dir, f[0], f[1], f[1], f[2]));
        // a copy under another name (with its manifest) is the same shard twice
        File.Copy(f[1], dir.File("copy.csv"));
        File.WriteAllText(dir.File("copy.csv.manifest.json"), File.ReadAllText(ShardManifest.PathFor(f[1])).Replace("\"f.2.csv\"", "\"copy.csv\""));
        Assert.Contains("shard 2/3 is given 2 times", Refused(dir, f[0], f[1], dir.File("copy.csv"), f[2]));
        // an output without a manifest is not a finished shard
        File.WriteAllText(dir.File("plain.csv"), File.ReadAllText(f[1]));
        Assert.Contains("plain.csv: no manifest plain.csv.manifest.json: not a finished shard", Refused(dir, f[0], dir.File("plain.csv"), f[2]));
    }

    [Fact]
    public void ShardsOfDifferentRuns()
    {
        using var dir = new TempDir();
        var f = Shards(dir, out string input);
        Ok(Featurize(input, dir.File("sro.2.csv"), "--shard", "2/3", "--preset", "sro"));
        Assert.Equal($"softspot: error: {dir.File("sro.2.csv")}: not the same run as {f[0]} (preset sro here, interstice there)", Refused(dir, f[0], dir.File("sro.2.csv"), f[2]));
        Ok(Featurize(input, dir.File("half.2.csv"), "--shard", "2/2"));
        Assert.Contains("shards of one run share N", Refused(dir, f[0], dir.File("half.2.csv"), f[2]));
        Ok(D2min(dir.File("d.2.csv"), "--shard", "2/3"));
        Assert.Contains("a shard of 'label d2min', but", Refused(dir, f[0], dir.File("d.2.csv"), f[2]));
    }

    [Fact]
    public void ATruncatedShardIsRefused()
    {
        using var dir = new TempDir();
        var f = Shards(dir, out _);
        var lines = File.ReadAllLines(f[1]);
        File.WriteAllLines(f[1], lines[..^10]);
        Assert.Contains($"{f[1]}: has {new FileInfo(f[1]).Length} bytes, its manifest says", Refused(dir, f));
        // even with a manifest edited to the cut file's size and hash, the row count gives it away
        Reseal(f[1]);
        Assert.Equal($"softspot: error: {f[1]}: {lines.Length - 11} rows, its manifest says {lines.Length - 1}: truncated or edited; rerun shard 2/3", Refused(dir, f));
    }

    [Fact]
    public void AKeyInTwoShardsIsRefused()
    {
        using var dir = new TempDir();
        var f = Shards(dir, out _);
        // shard 3 (frame 2) edited to hold frame 1, which is shard 2's, with a manifest to match its bytes
        File.WriteAllLines(f[2], File.ReadAllLines(f[2]).Select((l, i) => i == 0 ? l : "1" + l[1..]));
        Reseal(f[2]);
        Assert.Contains($"{f[2]}: frame 1, id ", Refused(dir, f));
        Assert.Contains($"is also in {f[1]}", Refused(dir, f));
    }
}
