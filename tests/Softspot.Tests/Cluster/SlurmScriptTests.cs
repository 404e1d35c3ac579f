using System.Diagnostics;
using Softspot.Cluster;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cluster;

/// <summary>The batch scripts Softspot writes: bash reads back every argument, the task id in its place.</summary>
public class SlurmScriptTests
{
    private static string[] BashWords(string words, int task)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add($"SLURM_ARRAY_TASK_ID={task}; printf '%s\\0' {words}");
        using var p = Process.Start(psi)!;
        string o = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        return o.Split('\0')[..^1];
    }

    [Fact]
    public void ArgumentsSurviveTheShellWithTheTaskIdInPlace()
    {
        string[] args = ["featurize", "my glass's frames.dump", "--radii", "Cu=1.26,Zr=1.58", "$HOME", "a\"b", "--shard", "{k}/8", "--out", "/x y/f.shard-{k}-of-8.csv", "*", ""];
        var words = string.Join(' ', args.Select(SlurmJobArray.Quote));
        Assert.Equal(args.Select(a => a.Replace("{k}", "3")).ToArray(), BashWords(words, 3));
    }

    [Fact]
    public void ShardOutputsKeepTheExtensions()
    {
        Assert.Equal(Path.Combine("out", "features.shard-3-of-8.csv"), SlurmJobArray.ShardOutput(Path.Combine("out", "features.csv"), "3", 8));
        Assert.Equal("events.shard-{k}-of-4.csv", SlurmJobArray.ShardOutput("events.csv", "{k}", 4));
        Assert.Equal("labels.shard-1-of-2.parquet", SlurmJobArray.ShardOutput("labels.parquet", "1", 2));
        Assert.Equal("table.shard-1-of-2", SlurmJobArray.ShardOutput("table", "1", 2));
    }

    [Fact]
    public void ScriptsAreAnArrayAndAMergeJob()
    {
        using var dir = new TempDir();
        var job = new SlurmJobArray("softspot-featurize", dir.Path, ["softspot", "featurize", "g.dump", "--shard", "{k}/4"], ["softspot", "merge", "a", "b"], 4, dir.File("s"))
        { Options = ["--time=1:00:00"] };
        job.Write();
        string array = File.ReadAllText(job.ArrayScript), merge = File.ReadAllText(job.MergeScript);
        Assert.StartsWith("#!/bin/bash\n#SBATCH --job-name=softspot-featurize\n#SBATCH --array=1-4\n", array);
        Assert.Contains("#SBATCH --time=1:00:00\n", array);
        Assert.Contains($"#SBATCH --output={Path.Combine(job.LogDirectory, "shard-%a.log")}\n", array);
        Assert.Contains("exec 'softspot' 'featurize' 'g.dump' '--shard' \"${SLURM_ARRAY_TASK_ID}\"'/4'\n", array);
        Assert.DoesNotContain("--array", merge);
        Assert.Contains("exec 'softspot' 'merge' 'a' 'b'\n", merge);
        Assert.True(Directory.Exists(job.LogDirectory));
    }

    [Fact]
    public void WithoutSbatchTheErrorSaysWhatToDo()
    {
        string path = Environment.GetEnvironmentVariable("PATH")!;
        try
        {
            Environment.SetEnvironmentVariable("PATH", "/nonexistent");
            var e = Assert.Throws<SlurmException>(() => Sbatch.Run(["x.sbatch"], Path.GetTempPath()));
            Assert.Contains("sbatch is not on PATH", e.Message);
        }
        finally { Environment.SetEnvironmentVariable("PATH", path); }
    }
}
