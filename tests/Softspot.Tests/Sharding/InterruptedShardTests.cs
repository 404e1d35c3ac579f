using System.Diagnostics;
using Softspot.Sharding;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.Sharding;

/// <summary>
/// A shard killed midway (SIGKILL: no chance to clean up) leaves nothing that looks finished, and its rerun gives
/// the same outputs as a run that was never interrupted.
/// </summary>
public class InterruptedShardTests
{
    /// <summary>Waits until <paramref name="ready"/> holds, then kills the process; fails if it ended first.</summary>
    private static void KillWhen(Process p, Func<bool> ready, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!ready())
        {
            if (p.HasExited) Assert.Fail($"{what}: the process ended (code {p.ExitCode}) before it could be killed midway: {p.StandardError.ReadToEnd()}");
            Assert.True(clock.Elapsed.TotalSeconds < 120, $"{what}: not reached in 120 s");
            Thread.Sleep(10);
        }
        p.Kill(); // SIGKILL
        Assert.True(p.WaitForExit(30_000));
    }

    [Fact]
    public void AKilledFeaturizeShardResumesToTheUninterruptedOutput()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 120), shard1 = dir.File("f.1.csv");
        Ok(Featurize(input, dir.File("f.2.csv"), "--shard", "2/2"));
        using (var p = CliProcess.Start(Featurize(input, shard1, "--shard", "1/2", "--threads", "1")))
            KillWhen(p, () => Directory.GetFiles(dir.Path, ".f.1.csv.*.tmp").Any(t => new FileInfo(t).Length >= 1 << 16), "featurize shard 1/2");
        // rows were being written, but only to a temporary file: no output, no manifest, nothing that looks done
        Assert.NotEmpty(Directory.GetFiles(dir.Path, ".f.1.csv.*.tmp"));
        Assert.False(File.Exists(shard1));
        Assert.False(File.Exists(ShardManifest.PathFor(shard1)));
        Assert.Contains("1/2     interrupted f.1.csv", CliRunner.Run("status", dir.Path).Out);

        string rerun = Ok(Featurize(input, shard1, "--shard", "1/2"));
        Assert.Contains("shard 1/2: 60 of 120 frame(s)", rerun);
        Assert.Empty(Directory.GetFiles(dir.Path, ".f.1.csv.*"));
        Assert.Contains("already done", Ok(Featurize(input, dir.File("f.2.csv"), "--shard", "2/2")));
        Ok("merge", shard1, dir.File("f.2.csv"), "--out", dir.File("merged.csv"));

        Ok(Featurize(input, dir.File("whole.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("whole.csv")), File.ReadAllBytes(dir.File("merged.csv")));
        Assert.Equal(File.ReadAllBytes(dir.File("whole.json")), File.ReadAllBytes(dir.File("merged.json")));
    }

    [Fact]
    public void AKilledArtShardResumesToTheEventsOfOneRun()
    {
        using var dir = new TempDir();
        string[] art = ["--atoms", "sample:6", "--searches", "2"];
        string shard1 = dir.File("e.1.csv");
        Ok(Art(dir.File("e.2.csv"), [.. art, "--shard", "2/2"]));
        using (var p = CliProcess.Start(Art(shard1, [.. art, "--shard", "1/2"])))
            KillWhen(p, () => File.Exists(shard1) && File.ReadLines(shard1).Count() >= 3, "simulate art shard 1/2");
        // the events file holds the searches done so far (ART appends, line by line), but no manifest says it is done
        Assert.False(File.Exists(ShardManifest.PathFor(shard1)));
        Assert.Contains("1/2     unfinished  e.1.csv  output without a manifest", CliRunner.Run("status", dir.Path).Out);

        string rerun = Ok(Art(shard1, [.. art, "--shard", "1/2"]));
        Assert.Matches(@"3 atoms x 2 searches \(shard 1/2\): [1-4] to run, [2-5] already in", rerun);
        Assert.True(ShardManifest.Load(shard1)!.Complete);
        Ok("merge", shard1, dir.File("e.2.csv"), "--out", dir.File("merged.csv"));

        Ok(Art(dir.File("whole.csv"), art));
        Assert.Equal(DeterministicRows(dir.File("whole.csv")), DeterministicRows(dir.File("merged.csv")));
        Assert.Equal(File.ReadAllLines(dir.File("whole.moved.csv")).Order(StringComparer.Ordinal), File.ReadAllLines(dir.File("merged.moved.csv")).Order(StringComparer.Ordinal));
    }
}
