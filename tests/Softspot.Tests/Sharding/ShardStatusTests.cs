using System.Text.Json;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>softspot status DIR: which shards of the runs in a folder are done, missing, running, interrupted; exit 0 only when all are done.</summary>
public class ShardStatusTests
{
    [Fact]
    public void StatusFollowsARunFromMissingShardsToMerged()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 4);
        Ok(Featurize(input, dir.File("f.1.csv"), "--shard", "1/4"));
        Ok(Featurize(input, dir.File("f.3.csv"), "--shard", "3/4"));
        // shard 2: a temporary file left by a killed process; shard 4: one being written by a live one (this test's)
        File.WriteAllText(dir.File($".f.2.csv.2147483646.{Guid.NewGuid():N}.tmp"), "frame,id\n");
        string live = $".f.4.csv.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        File.WriteAllText(dir.File(live), "frame,id\n");

        var (code, output, error) = CliRunner.Run("status", dir.Path);
        Assert.Equal("", error);
        Assert.Equal(1, code);
        var lines = output.TrimEnd('\n').Split('\n');
        Assert.Equal("featurize, 4 shard(s) (f.{k}.csv): 2 of 4 done; not merged", lines[0]);
        Assert.Equal("  1/4     done        f.1.csv  500 rows", lines[1]);
        Assert.StartsWith("  2/4     interrupted f.2.csv  .f.2.csv.2147483646.", lines[2]);
        Assert.EndsWith("left by process 2147483646, which has stopped; rerun the shard", lines[2]);
        Assert.Equal($"  4/4     running     f.4.csv  process {Environment.ProcessId} is writing {live}", lines[4]);

        using (var json = JsonDocument.Parse(CliRunner.Run("status", dir.Path, "--json").Out))
        {
            var run = json.RootElement.GetProperty("runs")[0];
            Assert.False(json.RootElement.GetProperty("all_done").GetBoolean());
            Assert.Equal(4, run.GetProperty("shards").GetInt32());
            Assert.Equal(["done", "interrupted", "done", "running"], run.GetProperty("states").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        }

        // the rerun of shard 2 clears the killed process's temporary file
        File.Delete(dir.File(live));
        Ok(Featurize(input, dir.File("f.2.csv"), "--shard", "2/4"));
        Assert.Empty(Directory.GetFiles(dir.Path, ".f.2.csv.*"));
        Ok(Featurize(input, dir.File("f.4.csv"), "--shard", "4/4"));
        Ok("merge", dir.File("f.1.csv"), dir.File("f.2.csv"), dir.File("f.3.csv"), dir.File("f.4.csv"), "--out", dir.File("features.csv"));
        (code, output, _) = CliRunner.Run("status", dir.Path);
        Assert.Equal(0, code);
        Assert.StartsWith("featurize, 4 shard(s) (f.{k}.csv): 4 of 4 done; merged: features.csv (2000 rows)\n", output);

        // a shard's output changed since it was written is stale
        File.AppendAllText(dir.File("f.3.csv"), "3,1,1,Cu\n");
        (code, output, _) = CliRunner.Run("status", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("3/4     stale       f.3.csv  f.3.csv has ", output);
    }

    [Fact]
    public void AFolderWithoutManifestsIsNotDone()
    {
        using var dir = new TempDir();
        var (code, output, _) = CliRunner.Run("status", dir.Path);
        Assert.Equal(1, code);
        Assert.Equal($"{dir.Path}: no shard manifests (*.manifest.json)\n", output);
        Assert.Contains("no such folder", CliRunner.AssertOneLineError(CliRunner.Run("status", dir.File("nowhere"))));
    }

    [Fact]
    public void AShardEditedToTheSameSizeIsStaleForStatusAsForMergeAndARerun()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 2);
        Ok(Featurize(input, dir.File("f.1.csv"), "--shard", "1/2"));
        Ok(Featurize(input, dir.File("f.2.csv"), "--shard", "2/2"));
        Assert.Equal(0, CliRunner.Run("status", dir.Path).Code);
        // one digit changed: same size, other content
        var bytes = File.ReadAllBytes(dir.File("f.2.csv"));
        int digit = Array.FindLastIndex(bytes, b => b is >= (byte)'0' and <= (byte)'8');
        bytes[digit]++;
        File.WriteAllBytes(dir.File("f.2.csv"), bytes);

        var (code, output, _) = CliRunner.Run("status", dir.Path);
        Assert.Equal(1, code);
        Assert.Contains("2/2     stale       f.2.csv  f.2.csv differs from its manifest's SHA-256: changed after it was written; rerun the shard", output);
        Assert.Contains("differs from its manifest's SHA-256", CliRunner.AssertOneLineError(CliRunner.Run("merge", dir.File("f.1.csv"), dir.File("f.2.csv"), "--out", dir.File("m.csv"))));
        // a rerun does not skip it as done: it redoes it
        Assert.DoesNotContain("already done", Ok(Featurize(input, dir.File("f.2.csv"), "--shard", "2/2")));
        Assert.Equal(0, CliRunner.Run("status", dir.Path).Code);
    }

    [Fact]
    public void ALabelShardOfAnotherRunIsRefusedAsAFeaturizeOneIs()
    {
        using var dir = new TempDir();
        string output = dir.File("d.1.csv");
        Ok(D2min(output, "--shard", "1/2", "--cutoff", "5"));
        string line = CliRunner.AssertOneLineError(CliRunner.Run(D2min(output, "--shard", "1/2", "--cutoff", "4.5")));
        Assert.Contains($"{output} was written by another run (cutoff 4.5 now, 5 then)", line);
    }
}
