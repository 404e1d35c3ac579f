using System.Diagnostics;
using Softspot.IO;
using Softspot.Tests.Support;
using static Softspot.Tests.Sharding.ShardFixtures;

namespace Softspot.Tests.IO;

/// <summary>
/// An unsharded run stopped midway leaves nothing behind: SIGTERM or SIGINT deletes the temporary file of the output
/// under way; after SIGKILL (no chance to clean up) the next run into the same output removes the abandoned one, and
/// only its own: another output's temporaries and those of live writers stay.
/// </summary>
public class InterruptedWriteTests
{
    /// <summary>Sends a signal with kill(1).</summary>
    private static int Kill(int pid, int signal)
    {
        using var k = Process.Start("kill", [$"-{signal}", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        k.WaitForExit();
        return k.ExitCode;
    }

    private const int SigInt = 2, SigKill = 9, SigTerm = 15;

    private static string[] Temporaries(TempDir dir, string name) => Directory.GetFiles(dir.Path, $".{name}.*.tmp");

    /// <summary>Starts an unsharded featurize of a long series and waits until its temporary output has grown.</summary>
    private static Process StartMidway(TempDir dir, string input, string output)
    {
        var p = CliProcess.Start(Featurize(input, dir.File(output), "--threads", "1"), defaultSignals: true);
        var clock = Stopwatch.StartNew();
        while (!Temporaries(dir, output).Any(t => new FileInfo(t).Length >= 1 << 16))
        {
            if (p.HasExited) Assert.Fail($"featurize ended (code {p.ExitCode}) before it could be stopped midway: {p.StandardError.ReadToEnd()}");
            Assert.True(clock.Elapsed.TotalSeconds < 120, "featurize did not start writing in 120 s");
            Thread.Sleep(10);
        }
        return p;
    }

    [Theory]
    [InlineData(SigTerm)]
    [InlineData(SigInt)]
    public void AStoppedRunDeletesItsTemporaryFile(int signal)
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 200);
        using (var p = StartMidway(dir, input, "f.csv"))
        {
            Assert.Equal(0, Kill(p.Id, signal));
            Assert.True(p.WaitForExit(30_000), "the stopped run did not end");
            Assert.NotEqual(0, p.ExitCode);
        }
        Assert.Empty(Temporaries(dir, "f.csv"));
        Assert.False(File.Exists(dir.File("f.csv")));
        Assert.False(File.Exists(dir.File("f.json")));
    }

    [Fact]
    public void TheNextRunRemovesAKilledRunsTemporaryFileAndNoOtherFile()
    {
        using var dir = new TempDir();
        string input = FrameSeries(dir, 200);
        using (var p = StartMidway(dir, input, "f.csv"))
        {
            p.Kill(); // SIGKILL
            Assert.True(p.WaitForExit(30_000));
        }
        var abandoned = Assert.Single(Temporaries(dir, "f.csv"));
        // another output's temporary from a stopped writer, and one of a live writer (this process) to the same output
        string other = dir.File($".g.csv.2147483646.{Guid.NewGuid():N}.tmp"), live = dir.File($".f.csv.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(other, "x");
        File.WriteAllText(live, "x");

        string small = FrameSeries(dir, 2, "small.dump");
        Ok(Featurize(small, dir.File("f.csv")));
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(dir.File("f.csv")));
    }

    [Fact]
    public void AWriteUnderWayHasARecognisableTemporaryThatADisposeRemoves()
    {
        using var dir = new TempDir();
        using (var f = AtomicFile.Create(dir.File("x.csv")))
        {
            var t = Assert.Single(Temporaries(dir, "x.csv"));
            Assert.Matches($@"^\.x\.csv\.{Environment.ProcessId}\.[0-9a-f]{{32}}\.tmp$", Path.GetFileName(t));
            Assert.Single(AtomicFile.Temporaries(dir.File("x.csv")));
        }
        Assert.Empty(Temporaries(dir, "x.csv"));
    }
}
