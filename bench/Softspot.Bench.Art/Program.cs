// ART benchmarks, each running the real command (softspot simulate art, one thread) on seeded searches:
//   engines (default): searches per hour per core and the fraction that converge, per force engine, on the shipped
//     2,000-atom Cu64Zr36 glass and on a 20,000-atom replica (5 x 2 x 1) of it; throughput from the run's own record
//     (its .json), so process start-up and engine set-up are included.
//       dotnet build src/Softspot.Cli -c Release && dotnet run -c Release --project bench/Softspot.Bench.Art -- [--searches 3] [--atoms 8]
//   --before DLL: the search of another build (e.g. a worktree of an older commit) against this one, on the same seeded
//     searches of both shipped Cu-Zr glasses (--atoms 25 --searches 2: 100 searches each), run side by side (one
//     process per build at the same time, so both see the same load): converged fraction, force calls per converged
//     saddle (all searches' calls over the converged ones), converged saddles per core-hour (from the searches' own
//     times), median E_act.
//   --radii 13,16,20: the same searches with different mobile radii, barriers compared search by search; in a 2 x 2 x 2
//     replica of the Cu64Zr36 glass (64 A), so that a 20 A region does not overlap its own periodic images; the atoms
//     are those that sample:25 picks in the glass itself (their ids are unchanged in the replica's first copy).
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Softspot.IO;

int? searchesOption = null, atomsOption = null;
string? before = null, radii = null;
var only = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--searches") searchesOption = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--atoms") atomsOption = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--only") only.AddRange(args[++i].Split(','));
    else if (args[i] == "--before") before = Path.GetFullPath(args[++i]);
    else if (args[i] == "--radii") radii = args[++i];
    else throw new ArgumentException($"unknown argument {args[i]}");
}
string root = FindRoot();
string cli = Path.Combine(root, "src/Softspot.Cli/bin/Release/net10.0/Softspot.Cli.dll");
if (!File.Exists(cli)) throw new InvalidOperationException($"build the CLI first: dotnet build src/Softspot.Cli -c Release ({cli} is missing)");
string outDir = Path.Combine(root, "bench/out/art");
Directory.CreateDirectory(outDir);
if (before is not null) { Versions(before, atomsOption ?? 25, searchesOption ?? 2); return; }
if (radii is not null) { Radii(radii.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray(), atomsOption ?? 25, searchesOption ?? 2); return; }
int searches = searchesOption ?? 3, atoms = atomsOption ?? 8;
string small = Path.Combine(root, "data/glasses/Cu64Zr36/glass.dump.gz");
string large = Path.Combine(outDir, "Cu64Zr36_20000.dump.gz");
if (!File.Exists(large)) LammpsDumpWriter.Write(large, [StructureFile.ReadFirst(small).Replicate(5, 2, 1)]);

// whole-box searches in the 20,000-atom glass take minutes each: fewer of them
(string Name, string Structure, string[] Extra, int Atoms, int Searches)[] configs =
[
    ("2,000 atoms, lammps engine, every atom mobile", small, ["--engine", "lammps"], atoms, searches),
    ("2,000 atoms, native engine, every atom mobile", small, ["--engine", "native"], atoms, searches),
    ("2,000 atoms, native engine, mobile within 10 A", small, ["--engine", "native", "--mobile-radius", "10"], atoms, searches),
    ("2,000 atoms, native engine, mobile within 13 A", small, ["--engine", "native", "--mobile-radius", "13"], atoms, searches),
    ("20,000 atoms, lammps engine, every atom mobile", large, ["--engine", "lammps"], 2, 1),
    ("20,000 atoms, native engine, every atom mobile", large, ["--engine", "native"], 2, 1),
    ("20,000 atoms, native engine, mobile within 10 A", large, ["--engine", "native", "--mobile-radius", "10"], atoms, searches),
    ("20,000 atoms, native engine, mobile within 13 A", large, ["--engine", "native", "--mobile-radius", "13"], atoms, searches),
];
Console.WriteLine($"| configuration | searches | converged | searches per hour per core | converged per hour per core | median E_act (eV) |");
Console.WriteLine("|---|---|---|---|---|---|");
int k = 0;
foreach (var (name, structure, extra, sample, n) in configs)
{
    k++;
    if (only.Count > 0 && !only.Contains(k.ToString(CultureInfo.InvariantCulture))) continue;
    string events = Path.Combine(outDir, $"events-{k}.csv");
    RunArt(cli, structure, $"sample:{sample}", n, events, extra);
    using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(events, ".json")));
    var last = json.RootElement.GetProperty("last_run");
    int ran = last.GetProperty("ran").GetInt32(), ok = last.GetProperty("converged").GetInt32();
    double perHour = last.GetProperty("searches_per_hour_per_thread").GetDouble();
    double medianEact = Summary.Of(events).MedianEact;
    string median = double.IsNaN(medianEact) ? "-" : medianEact.ToString("F3", CultureInfo.InvariantCulture);
    Console.WriteLine(FormattableString.Invariant($"| {name} | {ran} | {ok} ({100.0 * ok / ran:F0} %) | {perHour:F0} | {perHour * ok / ran:F0} | {median} |"));
}

// two builds side by side on the same seeded searches of both Cu-Zr glasses
void Versions(string beforeCli, int nAtoms, int nSearches)
{
    Console.WriteLine("| glass | build | searches | converged | force calls per converged saddle | converged saddles per core-hour | median E_act (eV) |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var glass in new[] { "Cu64Zr36", "Cu50Zr50" })
    {
        var runs = new[] { ("before", beforeCli), ("this build", cli) }.Select(b => Task.Run(() =>
        {
            string events = Path.Combine(outDir, $"versions-{glass}-{(b.Item1 == "before" ? "before" : "after")}.csv");
            RunArt(b.Item2, Path.Combine(root, $"data/glasses/{glass}/glass.dump.gz"), $"sample:{nAtoms}", nSearches, events, "--mobile-radius", "13");
            return (b.Item1, Summary.Of(events));
        })).ToArray();
        foreach (var (name, sum) in runs.Select(t => t.Result))
            Console.WriteLine(FormattableString.Invariant($"| {glass} | {name} | {sum.Searches} | {sum.Converged} ({100.0 * sum.Converged / sum.Searches:F0} %) | {sum.CallsPerConverged:F0} | {sum.ConvergedPerHour:F0} | {sum.MedianEact:F3} |"));
    }
}

// the same searches with different mobile radii: the barriers of the searches that converged at every radius
void Radii(double[] radiiList, int nAtoms, int nSearches)
{
    string original = Path.Combine(root, "data/glasses/Cu64Zr36/glass.dump.gz");
    string glass = Path.Combine(outDir, "Cu64Zr36_x8.dump.gz");
    var source = StructureFile.ReadFirst(original);
    if (!File.Exists(glass)) LammpsDumpWriter.Write(glass, [source.Replicate(2, 2, 2)]);
    string atomIds = string.Join(',', Softspot.Simulation.Art.AtomSelection.Parse($"sample:{nAtoms}").Resolve(source, 2026));
    var byRadius = new Dictionary<double, Summary>();
    foreach (var r in radiiList)
    {
        string events = Path.Combine(outDir, FormattableString.Invariant($"radius-{r}.csv"));
        RunArt(cli, glass, atomIds, nSearches, events, "--mobile-radius", r.ToString(CultureInfo.InvariantCulture));
        byRadius[r] = Summary.Of(events);
    }
    var common = radiiList.Select(r => byRadius[r].Eact.Keys.ToHashSet()).Aggregate((a, b) => { a.IntersectWith(b); return a; });
    Console.WriteLine($"| mobile radius (A) | searches | converged | force calls per converged saddle | converged saddles per core-hour | median E_act, all converged (eV) | median E_act, the {common.Count} converged at every radius (eV) |");
    Console.WriteLine("|---|---|---|---|---|---|---|");
    foreach (var r in radiiList)
    {
        var sum = byRadius[r];
        var shared = common.Select(id => sum.Eact[id]).Order().ToList();
        Console.WriteLine(FormattableString.Invariant($"| {r} | {sum.Searches} | {sum.Converged} ({100.0 * sum.Converged / sum.Searches:F0} %) | {sum.CallsPerConverged:F0} | {sum.ConvergedPerHour:F0} | {sum.MedianEact:F3} | {(shared.Count > 0 ? shared[shared.Count / 2] : double.NaN):F3} |"));
    }
}

// one fresh run of the real command (seed 2026, one thread) into events and its companions
void RunArt(string dll, string structure, string atomSpec, int nSearches, string events, params string[] extra)
{
    foreach (var f in Directory.GetFiles(Path.GetDirectoryName(events)!, Path.GetFileNameWithoutExtension(events) + ".*")) File.Delete(f);
    Run("dotnet", [dll, "simulate", "art", "--structure", structure, "--potential", "CuZr_mm.eam.fs", "--atoms", atomSpec,
        "--searches", nSearches.ToString(CultureInfo.InvariantCulture), "--seed", "2026", "--threads", "1", "--out", events, .. extra], outDir);
}

static void Run(string program, string[] args, string dir)
{
    var psi = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args) psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var err = p.StandardError.ReadToEndAsync();
    p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Softspot.slnx"))) return d.FullName;
    throw new InvalidOperationException("run from inside the repository");
}

/// <summary>An events file in numbers: searches, converged ones, all force calls over the converged saddles, converged
/// saddles per hour of search time, the median barrier and each converged search's barrier.</summary>
internal sealed record Summary(int Searches, int Converged, double CallsPerConverged, double ConvergedPerHour, double MedianEact, Dictionary<long, double> Eact)
{
    public static Summary Of(string events)
    {
        var header = File.ReadLines(events).First().Split(',');
        int Col(string name) => Array.IndexOf(header, name);
        var rows = File.ReadLines(events).Skip(1).Select(l => l.Split(',')).ToList();
        var ok = rows.Where(r => r[Col("converged")] == "1").ToList();
        var eact = ok.ToDictionary(r => long.Parse(r[Col("search")], CultureInfo.InvariantCulture), r => double.Parse(r[Col("eact")], CultureInfo.InvariantCulture));
        double calls = rows.Sum(r => double.Parse(r[Col("force_calls")], CultureInfo.InvariantCulture));
        double hours = rows.Sum(r => double.Parse(r[Col("seconds")], CultureInfo.InvariantCulture)) / 3600;
        var sorted = eact.Values.Order().ToList();
        return new Summary(rows.Count, ok.Count, calls / Math.Max(1, ok.Count), ok.Count / hours, sorted.Count > 0 ? sorted[sorted.Count / 2] : double.NaN, eact);
    }
}
