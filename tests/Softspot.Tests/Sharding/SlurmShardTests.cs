using Softspot.Sharding;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>A Slurm job array's task variables choose the shard as --shard does.</summary>
public class SlurmShardTests
{
    [Theory]
    [InlineData("1", "4", "1", null, 1)]   // --array=1-4
    [InlineData("4", "4", "1", null, 4)]
    [InlineData("0", "4", "0", null, 1)]   // --array=0-3
    [InlineData("3", "4", null, null, 4)]  // no SLURM_ARRAY_TASK_MIN: ids from 0
    [InlineData("12", "4", "0", "4", 4)]   // --array=0-12:4
    public void TaskVariablesGiveTheShard(string id, string count, string? min, string? step, int k)
    {
        var env = new Dictionary<string, string?>
        {
            ["SLURM_ARRAY_TASK_ID"] = id, ["SLURM_ARRAY_TASK_COUNT"] = count, ["SLURM_ARRAY_TASK_MIN"] = min, ["SLURM_ARRAY_TASK_STEP"] = step,
        };
        Assert.Equal(new ShardSpec(k, int.Parse(count)), ShardSpec.FromSlurm(name => env.GetValueOrDefault(name)));
    }

    [Fact]
    public void OutsideAJobArrayThereIsNoShard_AndBadTaskVariablesAreErrors()
    {
        Assert.Null(ShardSpec.FromSlurm(_ => null));
        var bad = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = "9", ["SLURM_ARRAY_TASK_COUNT"] = "4", ["SLURM_ARRAY_TASK_MIN"] = "1" };
        Assert.Contains("SLURM_ARRAY_TASK_ID=9", Assert.Throws<ArgumentException>(() => ShardSpec.FromSlurm(n => bad.GetValueOrDefault(n))).Message);
    }

    [Fact]
    public void AJobArrayTaskWritesWhatTheShardOptionWrites()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 5);
        Ok(Featurize(input, dir.File("option.csv"), "--shard", "2/3"));
        var slurm = new Dictionary<string, string> { ["SLURM_ARRAY_TASK_ID"] = "2", ["SLURM_ARRAY_TASK_COUNT"] = "3", ["SLURM_ARRAY_TASK_MIN"] = "1" };
        var (code, output, error) = CliProcess.Run(Featurize(input, dir.File("array.csv")), slurm);
        Assert.True(code == 0, error);
        Assert.Contains("featurize: shard 2/3: 2 of 5 frame(s)", output);
        Assert.Contains("softspot: shard 2/3 of a Slurm job array (SLURM_ARRAY_TASK_ID=2)", error);
        Assert.Equal(File.ReadAllBytes(dir.File("option.csv")), File.ReadAllBytes(dir.File("array.csv")));
        Assert.Equal("2/3", ShardManifest.Load(dir.File("array.csv"))!.Shard);
        // --shard wins over the variables
        (code, output, error) = CliProcess.Run(D2min(dir.File("d.csv"), "--shard", "1/1"), slurm);
        Assert.True(code == 0, error);
        Assert.Contains("label d2min: shard 1/1: 4 of 4 frame(s)", output);
    }
}
