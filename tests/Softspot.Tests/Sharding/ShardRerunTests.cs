using Softspot.Sharding;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>The manifest as a shard's "done" marker: reruns skip finished shards and refuse to overwrite another run's.</summary>
public class ShardRerunTests
{
    [Fact]
    public void AFinishedShardIsSkippedAndAnUnfinishedOneRedone()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 3), output = dir.File("f.2.csv");
        string first = Ok(Featurize(input, output, "--shard", "2/2"));
        Assert.Contains($"featurize: shard 2/2: 1 of 3 frame(s), 500 atoms", first);
        Assert.EndsWith($"-> {output}, {dir.File("f.2.json")}, {output}.manifest.json\n", first);
        var written = File.GetLastWriteTimeUtc(output);
        var bytes = File.ReadAllBytes(output);

        Assert.Equal($"featurize: shard 2/2 already done ({output}, {output}.manifest.json)\n", Ok(Featurize(input, output, "--shard", "2/2")));
        Assert.Equal(written, File.GetLastWriteTimeUtc(output));

        // an output changed since (here: cut short) is not done: the shard runs again
        File.WriteAllBytes(output, bytes[..1000]);
        Assert.DoesNotContain("already done", Ok(Featurize(input, output, "--shard", "2/2")));
        Assert.Equal(bytes, File.ReadAllBytes(output));
        // so is an output without its manifest (killed between the two)
        File.Delete(ShardManifest.PathFor(output));
        Assert.DoesNotContain("already done", Ok(Featurize(input, output, "--shard", "2/2")));
        Assert.True(File.Exists(ShardManifest.PathFor(output)));
    }

    [Fact]
    public void AShardOfAnotherRunIsNotOverwritten()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 3), output = dir.File("f.1.csv");
        Ok(Featurize(input, output, "--shard", "1/2"));
        var bytes = File.ReadAllBytes(output);

        string other = CliRunner.AssertOneLineError(CliRunner.Run(Featurize(input, output, "--shard", "1/2", "--preset", "sro")));
        Assert.Equal($"softspot: error: {output}.manifest.json: {output} was written by another run (preset sro now, interstice then): remove {output} and its manifest, or choose another --out", other);
        Assert.Contains("shard 2/3 now, 1/2 then", CliRunner.AssertOneLineError(CliRunner.Run(Featurize(input, output, "--shard", "2/3"))));
        // changed input content, same path
        File.AppendAllLines(input, File.ReadAllLines(input).Take(509));
        Assert.Contains("structure input: " + input, CliRunner.AssertOneLineError(CliRunner.Run(Featurize(input, output, "--shard", "1/2"))));
        Assert.Equal(bytes, File.ReadAllBytes(output));
    }

    [Fact]
    public void AnArtShardGrowsWithMoreSearchesButNotWithOtherSettings()
    {
        using var dir = new TempDir();
        string output = dir.File("e.1.csv");
        Ok(Art(output, "--atoms", "15,200", "--searches", "1", "--shard", "1/2"));
        Assert.Contains("already done", Ok(Art(output, "--atoms", "15,200", "--searches", "1", "--shard", "1/2")));
        // more attempts extend the shard (the searches already in the file are kept)
        string more = Ok(Art(output, "--atoms", "15,200", "--searches", "2", "--shard", "1/2"));
        Assert.Contains("1 to run, 1 already in", more);
        var manifest = ShardManifest.Load(output)!;
        Assert.Equal((2L, 2L, true), (manifest.SearchesExpected!.Value, manifest.SearchesDone!.Value, manifest.Complete));
        Assert.Equal(2, manifest.Output.Rows);
        Assert.Equal(File.ReadLines(output).Skip(1).Count(l => l.Split(',')[3] == "1"), manifest.SearchesConverged!.Value);
        // another seed would mix two campaigns in one file
        var otherSeed = Art(output, "--atoms", "15,200", "--searches", "2", "--shard", "1/2");
        otherSeed[Array.IndexOf(otherSeed, "--seed") + 1] = "4";
        Assert.Contains("seed 4 now, 3 then", CliRunner.AssertOneLineError(CliRunner.Run(otherSeed)));
    }

    [Fact]
    public void LabelActivationRefusesShardsAndSaysWhy()
    {
        string error = CliRunner.AssertOneLineError(CliRunner.Run("label", "activation", "--events", "e.csv", "--out", "x.csv", "--shard", "1/2"));
        Assert.Contains("label activation cannot be sharded", error);
        Assert.Contains("pooled over every atom", error);
    }
}
