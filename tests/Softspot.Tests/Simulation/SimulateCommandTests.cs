using System.Diagnostics;
using System.Text.Json;
using Softspot.IO;
using Softspot.Labels;
using Softspot.Simulation.Art;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Simulation;

/// <summary>The simulate commands end to end on tiny inputs: outputs, provenance, resumption, sharding and errors.</summary>
public class SimulateCommandTests
{
    private static string Glass => Paths.Data("CuZr_500.dump");

    [Fact]
    public void QuenchWritesAGlassWithProvenance()
    {
        ExternalTool.Require("lmp", "lammps");
        using var dir = new TempDir();
        var r = CliRunner.Run("simulate", "quench", "--composition", "Cu64Zr36", "--potential", "CuZr_mm.eam.fs", "--atoms", "100",
            "--rate", "1e15", "--melt-time", "1", "--seed", "7", "--out", dir.Path);
        Assert.True(r.Code == 0, r.Err);
        var glass = StructureFile.ReadFirst(dir.File("glass.dump"));
        Assert.Equal(100, glass.Count);
        Assert.Equal(64, glass.Types.Count(t => t == 1));
        Assert.Equal("Cu", glass.Elements![1]!.Symbol);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("provenance.json")));
        Assert.Equal(7, json.RootElement.GetProperty("seed").GetInt64());
        Assert.StartsWith("LAMMPS", json.RootElement.GetProperty("lammps").GetString());
        Assert.Equal(64, json.RootElement.GetProperty("potential").GetProperty("sha256").GetString()!.Length);
        Assert.Contains("inherent structure", File.ReadAllText(dir.File("quench.log")));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*"));
    }

    [Fact]
    public void QuenchWithAnAnnealStageHoldsAndSwapsAtTheAnnealTemperature()
    {
        ExternalTool.Require("lmp", "lammps");
        using var dir = new TempDir();
        var r = CliRunner.Run("simulate", "quench", "--composition", "Cu64Zr36", "--potential", "CuZr_mm.eam.fs", "--atoms", "100",
            "--rate", "1e15", "--melt-time", "1", "--anneal", "900:2", "--swaps", "10:20", "--seed", "7", "--out", dir.Path);
        Assert.True(r.Code == 0, r.Err);
        string script = File.ReadAllText(dir.File("quench.lmp"));
        // down to 900 K, 1,000 steps there with swaps, then on to 50 K: the quench's 1,950 K take 975 steps at 1e15 K/s
        Assert.Contains("npt temp 2000 900 0.1 iso 0 0 1.0\nrun             550\n", script.Replace("\r", ""));
        Assert.Contains("fix             swap all atom/swap 10 20 ", script);
        Assert.Contains("run             1000\n", script);
        Assert.Contains("npt temp 900 50 0.1 iso 0 0 1.0\nrun             425\n", script);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("provenance.json")));
        var anneal = json.RootElement.GetProperty("anneal");
        Assert.Equal(900, anneal.GetProperty("temperature_k").GetDouble());
        Assert.Equal(1000, anneal.GetProperty("steps").GetInt64());
        // LAMMPS's own count: 100 swap rounds of 20 attempts
        Assert.Matches(@"^swaps: 2000 attempted, \d+ accepted$", anneal.GetProperty("swaps").GetString());
        Assert.StartsWith("annealed: pe -", anneal.GetProperty("result").GetString());
        Assert.Equal(100, StructureFile.ReadFirst(dir.File("glass.dump")).Count);
    }

    [Theory]
    [InlineData("--swaps 10:10", "--swaps needs --anneal")]
    [InlineData("--anneal 2500:10", "the anneal temperature (2500 K) must lie between the final (50 K) and the melt temperature (2000 K)")]
    [InlineData("--anneal 700", "--anneal 700: expected T:P")]
    [InlineData("--anneal 700:10 --swaps 10:0.5", "--swaps 10:0.5: N and M must be positive whole numbers")]
    [InlineData("--anneal 700:0", "the anneal time must be positive")]
    public void QuenchRejectsABadAnnealStage(string options, string message)
    {
        using var dir = new TempDir();
        var r = CliRunner.Run(["simulate", "quench", "--composition", "Cu64Zr36", "--potential", "CuZr_mm.eam.fs", "--seed", "1", "--out", dir.Path, .. options.Split(' ')]);
        Assert.Equal(2, r.Code);
        Assert.Contains(message, r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void ShearSnapshotsFeedD2min()
    {
        ExternalTool.Require("lmp", "lammps");
        using var dir = new TempDir();
        var r = CliRunner.Run("simulate", "shear", "--structure", Glass, "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs",
            "--max-strain", "0.004", "--step", "1e-3", "--snapshot-every", "0.002", "--out", dir.Path);
        Assert.True(r.Code == 0, r.Err);
        var frames = StructureFile.ReadFrames(dir.File("sheared.dump")).ToList();
        Assert.Equal([2L, 4L], frames.Select(f => f.Timestep));
        var snapshots = System.Text.Json.JsonDocument.Parse(File.ReadAllText(dir.File("provenance.json"))).RootElement.GetProperty("snapshots");
        Assert.Equal([0.002, 0.004], snapshots.EnumerateArray().Select(x => x.GetProperty("strain").GetDouble()));
        Assert.Equal(0.004 * frames[1].Cell.Ly, frames[1].Cell.Xy, 1e-9);
        var curve = File.ReadAllLines(dir.File("stress_strain.csv"));
        Assert.Equal("step,strain,shear_stress_gpa,energy_ev", curve[0]);
        Assert.Equal(6, curve.Length);
        var d2 = CliRunner.Run("label", "d2min", "--reference", dir.File("reference.dump"), "--deformed", dir.File("sheared.dump"), "--out", dir.File("d2min.csv"));
        Assert.True(d2.Code == 0, d2.Err);
        Assert.Equal(1 + 2 * 500, File.ReadAllLines(dir.File("d2min.csv")).Length);
    }

    private static string[] Art(string output, params string[] extra) =>
        ["simulate", "art", "--structure", Glass, "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs", "--mobile-radius", "6",
         "--seed", "3", "--out", output, .. extra.Contains("--threads") ? extra : [.. extra, "--threads", "1"]];

    /// <summary>The rows without the timing column.</summary>
    private static List<string> Rows(string path) =>
        File.ReadAllLines(path).Skip(1).Select(l => string.Join(',', l.Split(',')[..^1])).Order().ToList();

    [Fact]
    public void ArtResumesAndShardsToTheSameEventsAsOneRun()
    {
        using var dir = new TempDir();
        var whole = CliRunner.Run(Art(dir.File("whole.csv"), "--atoms", "15,200", "--searches", "2"));
        Assert.True(whole.Code == 0, whole.Err);
        Assert.Equal(5, File.ReadAllLines(dir.File("whole.csv")).Length);

        // one attempt first, then two: only the missing attempts run
        Assert.Equal(0, CliRunner.Run(Art(dir.File("resumed.csv"), "--atoms", "15,200", "--searches", "1")).Code);
        // a run killed mid-line leaves a partial row that the next run cuts off
        File.AppendAllText(dir.File("resumed.csv"), "200001,200,1,1,0.3");
        var resumed = CliRunner.Run(Art(dir.File("resumed.csv"), "--atoms", "15,200", "--searches", "2"));
        Assert.True(resumed.Code == 0, resumed.Err);
        Assert.Contains("2 to run, 2 already in", resumed.Out);
        Assert.Equal(Rows(dir.File("whole.csv")), Rows(dir.File("resumed.csv")));

        // shards 1/2 and 2/2 together give the same rows
        Assert.Equal(0, CliRunner.Run(Art(dir.File("s1.csv"), "--atoms", "15,200", "--searches", "2", "--shard", "1/2")).Code);
        Assert.Equal(0, CliRunner.Run(Art(dir.File("s2.csv"), "--atoms", "15,200", "--searches", "2", "--shard", "2/2")).Code);
        Assert.Equal(Rows(dir.File("whole.csv")), Rows(dir.File("s1.csv")).Concat(Rows(dir.File("s2.csv"))).Order().ToList());

        // the moved-atoms companion lists, per converged search, the atoms that moved more than 0.1 A
        var events = ActivationEventsReader.Read(dir.File("whole.csv"));
        var moved = File.ReadAllLines(dir.File("whole.moved.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        foreach (var e in events.Where(e => e.Converged))
            Assert.Equal(e.MovedAtoms, moved.Count(m => long.Parse(m[0]) == e.Search && double.Parse(m[3], System.Globalization.CultureInfo.InvariantCulture) > 0.1));
        // and label activation reads the events file as it is
        var label = CliRunner.Run("label", "activation", "--events", dir.File("whole.csv"), "--min-events", "1", "--out", dir.File("eact.csv"));
        Assert.True(label.Code == 0, label.Err);
    }

    [Fact]
    public void ArtRefusesToAddSearchesOfAnotherCampaignToAnEventsFile()
    {
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run(Art(dir.File("ev.csv"), "--atoms", "15", "--searches", "1")).Code);
        var before = File.ReadAllText(dir.File("ev.csv"));
        // another seed and mobile radius: refused, named, nothing appended
        var other = CliRunner.Run([.. Art(dir.File("ev.csv"), "--atoms", "15", "--searches", "2").Select(a => a == "3" ? "4" : a == "6" ? "7" : a)]);
        Assert.Equal(2, other.Code);
        Assert.Contains("ev.csv: its 1 searches were made with seed 3 (this run: 4); mobile radius 6 (this run: 7)", other.Err);
        Assert.DoesNotContain("   at ", other.Err);
        Assert.Equal(before, File.ReadAllText(dir.File("ev.csv")));
        // other search settings
        var settings = CliRunner.Run(Art(dir.File("ev.csv"), "--atoms", "15", "--searches", "2", "--basin-step", "0.25"));
        Assert.Equal(2, settings.Code);
        Assert.Contains("other search settings", settings.Err);
        // events without their record cannot be vouched for
        File.Move(dir.File("ev.json"), dir.File("elsewhere.json"));
        var orphan = CliRunner.Run(Art(dir.File("ev.csv"), "--atoms", "15", "--searches", "2"));
        Assert.Equal(2, orphan.Code);
        Assert.Contains("is missing or unreadable", orphan.Err);
        File.Move(dir.File("elsewhere.json"), dir.File("ev.json"));
        // the same campaign resumes
        var same = CliRunner.Run(Art(dir.File("ev.csv"), "--atoms", "15", "--searches", "2"));
        Assert.True(same.Code == 0, same.Err);
        Assert.Equal(3, File.ReadAllLines(dir.File("ev.csv")).Length);
    }

    [Fact]
    public void TheShippedFirstVersionEventsAreNotContinuedByTheCurrentSearch()
    {
        using var dir = new TempDir();
        foreach (var f in Directory.GetFiles(Paths.Data("glasses/Cu64Zr36/art"))) File.Copy(f, dir.File(Path.GetFileName(f)));
        var r = CliRunner.Run("simulate", "art", "--structure", Paths.Data("glasses/Cu64Zr36/glass.dump.gz"), "--potential", "CuZr_mm.eam.fs",
            "--atoms", "sample:420", "--searches", "40", "--until-converged", "10", "--seed", "64", "--mobile-radius", "13", "--threads", "1", "--out", dir.File("events.csv"));
        Assert.Equal(2, r.Code);
        Assert.Contains($"search algorithm version 1 (this run: {ArtSettings.Version})", r.Err);
    }

    [Fact]
    public void UntilConvergedRunsEachAtomsAttemptsInOrderUpToItsNthConvergedSearch()
    {
        using var dir = new TempDir();
        string[] atoms = ["--atoms", "15,200,301"];
        Assert.Equal(0, CliRunner.Run(Art(dir.File("all.csv"), [.. atoms, "--searches", "5"])).Code);
        var all = ActivationEventsReader.Read(dir.File("all.csv"));
        Assert.Contains(all, e => e.Converged);
        Assert.Contains(all, e => !e.Converged);

        // two attempts for every atom first, then up to five until two converged, on two threads: the rows are the
        // plain run's rows that the rule keeps (attempt k while fewer than 2 of attempts 0..k-1 converged)
        Assert.Equal(0, CliRunner.Run(Art(dir.File("until.csv"), [.. atoms, "--searches", "2"])).Code);
        foreach (var ext in new[] { ".csv", ".json", ".moved.csv" }) File.Copy(dir.File("until" + ext), dir.File("resumed" + ext));
        // the moved-atoms companion stored gzipped (as in data/) is read and continued
        using (var packed = new System.IO.Compression.GZipStream(File.Create(dir.File("until.moved.csv.gz")), System.IO.Compression.CompressionLevel.Optimal))
            packed.Write(File.ReadAllBytes(dir.File("until.moved.csv")));
        File.Delete(dir.File("until.moved.csv"));
        var until = CliRunner.Run(Art(dir.File("until.csv"), [.. atoms, "--searches", "5", "--until-converged", "2", "--threads", "2"]));
        Assert.True(until.Code == 0, until.Err);
        Assert.Contains("until 2 converge", until.Out);
        var expected = new List<string>();
        var rows = File.ReadAllLines(dir.File("all.csv")).Skip(1).ToDictionary(l => long.Parse(l.Split(',')[0]));
        // the start line's estimate: from the two attempts each atom had, (2 - c) x (2 + 2) / (c + 1) more, at most 3
        double estimate = all.Select(e => e.AtomId).Distinct().Sum(atom =>
        {
            int c = Enumerable.Range(0, 2).Count(k => rows[atom * 1000 + k].Split(',')[3] == "1");
            return c >= 2 ? 0 : Math.Min(3, (2 - c) * 4.0 / (c + 1));
        });
        Assert.Contains(FormattableString.Invariant($"(about {estimate:F0} at each atom's converged fraction so far) to run, "), until.Out);
        foreach (var atom in all.Select(e => e.AtomId).Distinct())
        {
            int converged = 0;
            for (int k = 0; k < 5 && converged < 2; k++)
            {
                var row = rows[atom * 1000 + k];
                expected.Add(string.Join(',', row.Split(',')[..^1]));
                if (row.Split(',')[3] == "1") converged++;
            }
        }
        Assert.Equal(expected.Order().ToList(), Rows(dir.File("until.csv")));
        Assert.True(expected.Count < rows.Count, "the rule stopped some atom early");
        var kept = expected.Select(r => r.Split(',')[0]).ToHashSet();
        Assert.Equal(File.ReadAllLines(dir.File("all.moved.csv")).Where(l => kept.Contains(l.Split(',')[0])).Order(),
            File.ReadAllLines(dir.File("until.moved.csv")).Skip(1).Order());
        Assert.False(File.Exists(dir.File("until.moved.csv.gz")));

        // atom by atom: the same searches, each atom's in a block (one thread; equal prospects at the start: by id)
        var byAtom = CliRunner.Run(Art(dir.File("atoms.csv"), [.. atoms, "--searches", "5", "--until-converged", "2", "--order", "atoms", "--threads", "1"]));
        Assert.True(byAtom.Code == 0, byAtom.Err);
        Assert.Equal(expected.Order().ToList(), Rows(dir.File("atoms.csv")));
        var ids = File.ReadAllLines(dir.File("atoms.csv")).Skip(1).Select(l => long.Parse(l.Split(',')[1])).ToList();
        Assert.Equal(ids.Order().ToList(), ids);
        Assert.Contains("\"order\": \"atoms\"", File.ReadAllText(dir.File("atoms.json")));
        // resumed atom by atom: the atoms expected to need the fewest more searches first
        Assert.Equal(0, CliRunner.Run(Art(dir.File("resumed.csv"), [.. atoms, "--searches", "5", "--until-converged", "2", "--order", "atoms", "--threads", "1"])).Code);
        Assert.Equal(expected.Order().ToList(), Rows(dir.File("resumed.csv")));
        var prospects = all.Select(e => e.AtomId).Distinct().Select(atom =>
        {
            int c = Enumerable.Range(0, 2).Count(k => rows[atom * 1000 + k].Split(',')[3] == "1");
            return (Atom: atom, Left: c >= 2 ? 0 : Math.Min(3, (2 - c) * 4.0 / (c + 1)));
        }).Where(a => a.Left > 0).OrderBy(a => a.Left).ThenBy(a => a.Atom).Select(a => a.Atom).ToList();
        var added = File.ReadAllLines(dir.File("resumed.csv")).Skip(1 + 6).Select(l => long.Parse(l.Split(',')[1])).Distinct().ToList();
        Assert.Equal(prospects, added);
        Assert.Contains("at most 0 (about 0 at each atom's converged fraction so far) to run", CliRunner.Run(Art(dir.File("until.csv"), [.. atoms, "--searches", "5", "--until-converged", "2"])).Out);
    }

    [Fact]
    public void ASmallerSampleIsASubsetOfALargerOneWithTheSameSeed()
    {
        var glass = StructureFile.ReadFirst(Glass, ElementMap.Parse("Cu,Zr"));
        var small = AtomSelection.Parse("sample:40").Resolve(glass, 64);
        var large = AtomSelection.Parse("sample:300").Resolve(glass, 64);
        Assert.Equal(40, small.Distinct().Count());
        Assert.Equal(300, large.Distinct().Count());
        Assert.Subset(large.ToHashSet(), small.ToHashSet());
        Assert.NotEqual(small, AtomSelection.Parse("sample:40").Resolve(glass, 65));
        // shards partition the selection
        var shards = Enumerable.Range(1, 3).SelectMany(k => AtomSelection.Parse("sample:300").Resolve(glass, 64, k, 3)).Order().ToList();
        Assert.Equal(large, shards);
    }

    [Fact]
    public void ArtRejectsBadArguments()
    {
        using var dir = new TempDir();
        Assert.Contains("--shard 3/2", CliRunner.AssertOneLineError(CliRunner.Run(Art(dir.File("e.csv"), "--searches", "1", "--shard", "3/2"))));
        Assert.Contains("not an atom id", CliRunner.AssertOneLineError(CliRunner.Run(Art(dir.File("e.csv"), "--searches", "1", "--atoms", "15,99999"))));
        Assert.Contains("--engine", CliRunner.AssertOneLineError(CliRunner.Run(Art(dir.File("e.csv"), "--searches", "1", "--engine", "vasp"))));
        File.WriteAllText(dir.File("other.csv"), "a,b,c\n1,2,3\n");
        Assert.Contains("other.csv:1:", CliRunner.AssertOneLineError(CliRunner.Run(Art(dir.File("other.csv"), "--searches", "1", "--atoms", "15"))));
    }

    [Fact]
    public async Task SigtermStopsArtCleanlyAfterTheSearchesUnderWay()
    {
        using var dir = new TempDir();
        string dotnet = ExternalTool.Require("dotnet", "dotnet-sdk");
        var psi = new ProcessStartInfo(dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(typeof(Softspot.Cli.Program).Assembly.Location);
        foreach (var a in Art(dir.File("events.csv"), "--atoms", "sample:50", "--searches", "5")) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var clock = Stopwatch.StartNew();
        while (!(File.Exists(dir.File("events.csv")) && File.ReadAllLines(dir.File("events.csv")).Length >= 3) && clock.Elapsed.TotalSeconds < 120) Thread.Sleep(100);
        ExternalTool.Run("/bin/kill", ["-TERM", p.Id.ToString()], dir.Path);
        Assert.True(p.WaitForExit(60_000), "simulate art did not stop after SIGTERM");
        string err = await stderr, output = await stdout;
        Assert.True(p.ExitCode == 0, err);
        Assert.Contains("stopping after the searches under way", err);
        string text = File.ReadAllText(dir.File("events.csv"));
        Assert.EndsWith("\n", text);
        var rows = ActivationEventsReader.Read(dir.File("events.csv"));
        Assert.InRange(rows.Count, 2, 249);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("events.json")));
        Assert.Equal(rows.Count, json.RootElement.GetProperty("last_run").GetProperty("ran").GetInt32());
        Assert.Contains($"ran {rows.Count} searches", output);
    }

    [Fact]
    public void WithoutLammpsTheSimulateCommandsSayWhatToInstall()
    {
        // a child process whose PATH has no lmp
        string dll = typeof(Softspot.Cli.Program).Assembly.Location;
        string dotnet = ExternalTool.Require("dotnet", "dotnet-sdk");
        var psi = new ProcessStartInfo(dotnet) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "simulate", "quench", "--composition", "Cu64Zr36", "--potential", "/usr/share/lammps/potentials/CuZr_mm.eam.fs", "--seed", "1", "--out", "/tmp/never" })
            psi.ArgumentList.Add(a);
        psi.Environment["PATH"] = "/nonexistent";
        using var p = Process.Start(psi)!;
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(2, p.ExitCode);
        Assert.Contains("install the Debian package lammps", err);
    }
}
