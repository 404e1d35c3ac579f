using Softspot.Tests.Support;

namespace Softspot.Tests.Sharding;

/// <summary>Inputs and command lines shared by the sharding tests.</summary>
public static class ShardFixtures
{
    /// <summary>data/CuZr_500.dump repeated as <paramref name="frames"/> frames (timesteps 0, 100, ...), written into the folder.</summary>
    public static string FrameSeries(TempDir dir, int frames, string name = "series.dump")
    {
        var lines = File.ReadAllLines(Paths.Data("CuZr_500.dump"));
        using var w = new StreamWriter(dir.File(name)) { NewLine = "\n" };
        for (int f = 0; f < frames; f++)
        {
            lines[1] = (f * 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var l in lines) w.WriteLine(l);
        }
        return dir.File(name);
    }

    public static string[] Featurize(string input, string output, params string[] extra) =>
        ["featurize", input, "--elements", "Cu,Zr", "--out", output, .. extra];

    public static string Sheared => Paths.Data("CuZr_500_shear.dump");

    public static string[] D2min(string output, params string[] extra) =>
        ["label", "d2min", "--reference", Sheared, "--deformed", Sheared, "--out", output, .. extra];

    public static string[] Art(string output, params string[] extra) =>
        ["simulate", "art", "--structure", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs", "--mobile-radius", "6",
         "--seed", "3", "--threads", "1", "--out", output, .. extra];

    /// <summary>Runs a command in-process and fails the test with its error output unless it succeeds.</summary>
    public static string Ok(params string[] args)
    {
        var (code, output, error) = CliRunner.Run(args);
        Assert.True(code == 0, $"softspot {string.Join(' ', args)} exited with {code}: {error}");
        return output;
    }

    /// <summary>Runs shards 1..n of a command, each into the output <paramref name="name"/>(k); returns the outputs.</summary>
    public static string[] RunShards(int n, Func<int, string> name, Func<string, string[], string[]> command)
    {
        var outputs = Enumerable.Range(1, n).Select(name).ToArray();
        for (int k = 1; k <= n; k++) Ok(command(outputs[k - 1], ["--shard", $"{k}/{n}"]));
        return outputs;
    }

    /// <summary>The events rows without the per-run timing column (seconds, the last), sorted.</summary>
    public static List<string> DeterministicRows(string events) =>
        File.ReadAllLines(events).Skip(1).Select(l => string.Join(',', l.Split(',')[..^1])).Order(StringComparer.Ordinal).ToList();
}
