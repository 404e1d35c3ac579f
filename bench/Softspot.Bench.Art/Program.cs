// ART throughput: searches per hour per core and the fraction that converge, per force engine, on the shipped
// 2,000-atom Cu64Zr36 glass and on a 20,000-atom replica (5 x 2 x 1) of it. Each configuration runs the real
// command (softspot simulate art, one thread) on the same seeded sample of atoms; throughput comes from the run's
// own record (its .json), so process start-up and engine set-up are included.
//   dotnet build src/Softspot.Cli -c Release && dotnet run -c Release --project bench/Softspot.Bench.Art -- [--searches 3] [--atoms 8]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Softspot.IO;

int searches = 3, atoms = 8;
var only = new List<string>();
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--searches") searches = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--atoms") atoms = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--only") only.AddRange(args[++i].Split(','));
    else throw new ArgumentException($"unknown argument {args[i]}");
}
string root = FindRoot();
string cli = Path.Combine(root, "src/Softspot.Cli/bin/Release/net10.0/Softspot.Cli.dll");
if (!File.Exists(cli)) throw new InvalidOperationException($"build the CLI first: dotnet build src/Softspot.Cli -c Release ({cli} is missing)");
string outDir = Path.Combine(root, "bench/out/art");
Directory.CreateDirectory(outDir);
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
    foreach (var f in Directory.GetFiles(outDir, $"events-{k}.*")) File.Delete(f);
    Run("dotnet", [cli, "simulate", "art", "--structure", structure, "--potential", "CuZr_mm.eam.fs", "--atoms", $"sample:{sample}",
        "--searches", n.ToString(CultureInfo.InvariantCulture), "--seed", "2026", "--threads", "1", "--out", events, .. extra], outDir);
    using var json = JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(events, ".json")));
    var last = json.RootElement.GetProperty("last_run");
    int ran = last.GetProperty("ran").GetInt32(), ok = last.GetProperty("converged").GetInt32();
    double perHour = last.GetProperty("searches_per_hour_per_thread").GetDouble();
    var eact = File.ReadLines(events).Skip(1).Select(l => l.Split(',')).Where(f => f[3] == "1")
        .Select(f => double.Parse(f[4], CultureInfo.InvariantCulture)).Order().ToList();
    string median = eact.Count > 0 ? eact[eact.Count / 2].ToString("F3", CultureInfo.InvariantCulture) : "-";
    Console.WriteLine(FormattableString.Invariant($"| {name} | {ran} | {ok} ({100.0 * ok / ran:F0} %) | {perHour:F0} | {perHour * ok / ran:F0} | {median} |"));
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
