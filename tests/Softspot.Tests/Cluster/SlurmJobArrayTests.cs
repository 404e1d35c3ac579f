using System.Diagnostics;
using System.Text.RegularExpressions;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cluster;

/// <summary>
/// Sharded runs submitted with --slurm to a real Slurm cluster (one node on localhost, started by .ci/slurm for the
/// test run): the job array and the merge job finish, and the merged output equals the unsharded run.
/// </summary>
public class SlurmJobArrayTests
{
    private static void RequireCluster()
    {
        try { ExternalTool.Run("sinfo", ["-h", "-o", "%T"], Path.GetTempPath(), timeoutSeconds: 20); }
        catch (Exception e)
        {
            throw new InvalidOperationException($"no Slurm cluster to submit to ({e.Message}): start the test cluster with `bash .ci/slurm start DIR` (as .ci/run does)", e);
        }
    }

    /// <summary>Submits with --slurm, waits until the array and the merge job have left the queue and checks both completed.</summary>
    private static void SubmitAndWait(TempDir dir, params string[] args)
    {
        var r = CliRunner.Run(args);
        Assert.True(r.Code == 0, r.Err);
        var ids = Regex.Matches(r.Out, @"job array (\d+) .* merge job (\d+)").Single().Groups.Values.Skip(1).Select(g => g.Value).ToArray();
        var clock = Stopwatch.StartNew();
        while (ExternalTool.Run("squeue", ["-h", "-j", string.Join(',', ids)], dir.Path).Trim().Length > 0)
        {
            Assert.True(clock.Elapsed.TotalSeconds < 300, $"the jobs {string.Join(", ", ids)} are still queued after 300 s:\n{ExternalTool.Run("squeue", [], dir.Path)}");
            Thread.Sleep(200);
        }
        foreach (var id in ids)
        {
            string show = ExternalTool.Run("scontrol", ["show", "job", id, "-o"], dir.Path);
            foreach (var line in show.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(line.Contains("JobState=COMPLETED"), $"job {id}: {line}\nlogs: {string.Join("\n", Directory.EnumerateFiles(dir.Path, "*.log", SearchOption.AllDirectories).Select(f => f + ":\n" + File.ReadAllText(f)))}");
        }
    }

    [Fact]
    public void ShardedFeaturizationThroughSlurmEqualsTheUnshardedRun()
    {
        RequireCluster();
        using var dir = new TempDir();
        string frames = Paths.Data("glasses/Cu64Zr36/shear/sheared.dump.gz");
        Assert.Equal(0, CliRunner.Run("featurize", frames, "--elements", "Cu,Zr", "--out", dir.File("whole.csv")).Code);
        SubmitAndWait(dir, "featurize", frames, "--elements", "Cu,Zr", "--out", dir.File("features.csv"), "--slurm", "3");
        Assert.Equal(File.ReadAllBytes(dir.File("whole.csv")), File.ReadAllBytes(dir.File("features.csv")));
        for (int k = 1; k <= 3; k++) Assert.True(File.Exists(dir.File($"features.shard-{k}-of-3.csv")));
        Assert.Contains("#SBATCH --job-name=softspot-featurize\n", File.ReadAllText(dir.File("features.csv.slurm/shards.sbatch")));
        var status = CliRunner.Run("status", dir.Path);
        Assert.Equal(0, status.Code);
    }

    [Fact]
    public void ShardedActivationSearchesThroughSlurmEqualTheUnshardedRun()
    {
        RequireCluster();
        using var dir = new TempDir();
        string[] art = ["simulate", "art", "--structure", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs",
            "--atoms", "15,200,301,402", "--searches", "2", "--seed", "5", "--mobile-radius", "8", "--threads", "1"];
        Assert.Equal(0, CliRunner.Run([.. art, "--out", dir.File("whole.csv")]).Code);
        SubmitAndWait(dir, [.. art, "--out", dir.File("events.csv"), "--slurm", "2"]);
        // rows in search-id order (a run writes them in the order they finish), without the per-search wall time
        static string[] Deterministic(string path) => File.ReadAllLines(path).Skip(1)
            .Select(l => string.Join(',', l.Split(',')[..^1])).OrderBy(l => long.Parse(l.Split(',')[0])).ToArray();
        static string[] Sorted(string path) => File.ReadAllLines(path).Skip(1).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(File.ReadAllLines(dir.File("whole.csv"))[0], File.ReadAllLines(dir.File("events.csv"))[0]);
        Assert.EndsWith(",seconds", File.ReadAllLines(dir.File("events.csv"))[0]);
        Assert.Equal(Deterministic(dir.File("whole.csv")), Deterministic(dir.File("events.csv")));
        Assert.Equal(8, Deterministic(dir.File("events.csv")).Length);
        Assert.Contains("#SBATCH --job-name=softspot-simulate-art-merge\n", File.ReadAllText(dir.File("events.csv.slurm/merge.sbatch")));
        Assert.Equal(Sorted(dir.File("whole.moved.csv")), Sorted(dir.File("events.moved.csv")));
    }
}
