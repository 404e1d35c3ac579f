using Softspot.Labels;
using Softspot.Learning.Interpretation;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>The same seed and inputs give byte-identical outputs, in separate processes (no per-process hash seeds).</summary>
public class TrainReproducibilityTests
{
    [Fact]
    public void TrainInTwoProcessesWithTheSameSeedGivesByteIdenticalFiles()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("f.csv"), ["frame,id,a,b,c", .. Enumerable.Range(1, 120).Select(i => $"0,{i},{i % 7},{(i * 5) % 11 / 10.0},{i % 3}")]);
        File.WriteAllLines(dir.File("l.csv"), ["frame,id,y", .. Enumerable.Range(1, 120).Select(i => $"0,{i},{(i % 7 > 4 || i % 13 == 0 ? 1 : 0)}")]);
        foreach (var o in new[] { "a", "b" })
        {
            var (code, _, err) = CliProcess.Run(["train", "--features", "f.csv", "--labels", "l.csv", "--target", "y", "--out", o, "--trees", "10", "--reduce", "2", "--seed", "11"],
                workingDirectory: dir.Path, timeoutSeconds: 180);
            Assert.True(code == 0, err);
        }
        foreach (var file in new[] { "metrics.json", "report.html", "model.json" })
            Assert.True(File.ReadAllBytes(dir.File($"a/{file}")).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File($"b/{file}"))), $"{file} differs between two runs with the same seed");
        Assert.Contains("\"task_reason\": \"y holds only 0 and 1", File.ReadAllText(dir.File("a/metrics.json")));
    }

    [Fact]
    public void PermutationImportanceIsAFunctionOfItsSeed()
    {
        double[] rows = [.. Enumerable.Range(0, 60).SelectMany(i => new double[] { i, (i * 7) % 13 })];
        double Score(double[] x) { double s = 0; for (int i = 0; i < 60; i++) s += x[2 * i] * i; return s; }
        var a = Importance.Permutation(rows, 2, Score, repeats: 3, seed: 5);
        var b = Importance.Permutation(rows, 2, Score, repeats: 3, seed: 5);
        Assert.Equal(a.Mean, b.Mean);
        // pinned: SplitMix64 streams do not change with the runtime (System.Random and HashCode may)
        Assert.Equal(a.Drops[0], Importance.Permutation(rows, 2, Score, repeats: 3, seed: 5).Drops[0]);
        Assert.NotEqual(a.Drops[0], Importance.Permutation(rows, 2, Score, repeats: 3, seed: 6).Drops[0]);
    }

    [Fact]
    public void NoSystemRandomNorHashSeedsInTheLibrary()
    {
        foreach (var file in Directory.GetFiles(Path.Combine(Paths.RepoRoot, "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            string text = File.ReadAllText(file);
            Assert.False(System.Text.RegularExpressions.Regex.IsMatch(text, @"new Random\(|Random\.Shared|HashCode\.Combine|GetHashCode\(\)"), $"{file}: draws from System.Random or a hash seed");
        }
    }
}

public class ActivationNoLabelTests
{
    [Fact]
    public void NoLabelledAtomIsAnErrorNotANaNThreshold()
    {
        var events = Enumerable.Range(0, 6).Select(s => new ActivationEvent(0, s, 1 + s % 2, true, 0.5 + s * 0.1, 0.1, 3, 0.5, s)).ToList();
        var e = Assert.Throws<LabelException>(() => ActivationLabels.Compute(events, 0.05, minEvents: 10));
        Assert.Contains("fewer than --min-events 10 converged searches (the most any of the 2 atoms has is 3)", e.Message);
        Assert.Throws<LabelException>(() => ActivationLabels.Compute([], 0.05, 1));
    }

    [Fact]
    public void TheCommandLeavesNoOutputWhenNoAtomIsLabelled()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("ev.csv"), ["search,atom_id,converged,eact,efinal,moved_atoms,max_displacement,seed", "0,1,1,0.5,0.1,3,0.5,0"]);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("label", "activation", "--events", dir.File("ev.csv"), "--min-events", "5", "--out", dir.File("l.csv")));
        Assert.Contains("no atom to label", line);
        Assert.False(File.Exists(dir.File("l.csv")));
        Assert.False(File.Exists(dir.File("l.json")));
    }
}
