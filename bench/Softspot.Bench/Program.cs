using System.Diagnostics;
using System.Globalization;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Voronoi;

// Benchmarks against voro++ on the same points, in the same run.
//   dotnet run -c Release --project bench/Softspot.Bench -- [--replicate 6] [--runs 5] [--presets interstice,all] [--descriptors-only]
// (--descriptors-only: skip voro++ and the tessellation, and give the presets' ratios to the first preset.)
// Replicates the shipped 500-atom glass (6 -> 108,000 atoms), writes it as a LAMMPS dump and as voro++ input,
// then alternates whole-process runs of `voro++ -p` and `softspot voronoi` (1 and 2 threads), and times the
// tessellation alone in-process; then times the descriptor presets (whole frame: tessellation, neighbour
// tables, hulls, descriptors, MRO) in-process on 1 and 2 threads. Prints medians and ratios as Markdown tables.

int replicate = 6, runs = 5;
string[] presets = ["interstice", "all"];
bool descriptorsOnly = false;
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--replicate") replicate = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--runs") runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
    else if (args[i] == "--presets") presets = args[++i].Split(',');
    else if (args[i] == "--descriptors-only") descriptorsOnly = true;
    else throw new ArgumentException($"unknown argument {args[i]}");
}
string root = FindRoot();
string outDir = Path.Combine(root, "bench", "out");
Directory.CreateDirectory(outDir);
var glass = StructureFile.ReadFirst(Path.Combine(root, "data", "CuZr_500.dump"), ElementMap.Parse("Cu,Zr")).Replicate(replicate, replicate, replicate);
string dump = Path.Combine(outDir, $"glass-{glass.Count}.dump");
string points = Path.Combine(outDir, $"glass-{glass.Count}.txt");
LammpsDumpWriter.Write(dump, [glass]);
File.WriteAllLines(points, Enumerable.Range(0, glass.Count).Select(i =>
{
    var p = glass.Cell.Wrap(glass.Positions[i]);
    return FormattableString.Invariant($"{glass.Ids[i]} {p.X:R} {p.Y:R} {p.Z:R}");
}));
var lo = glass.Cell.Origin; var hi = glass.Cell.Hi;
string[] box = [.. new[] { lo.X, hi.X, lo.Y, hi.Y, lo.Z, hi.Z }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
string cli = Path.Combine(root, "src", "Softspot.Cli", "bin", "Release", "net10.0", "Softspot.Cli.dll");
if (!File.Exists(cli)) throw new FileNotFoundException($"build the CLI first: dotnet build src/Softspot.Cli -c Release ({cli})");
string machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
Console.WriteLine($"# Voronoi benchmark: {glass.Count} atoms (CuZr_500 x {replicate}^3), {runs} runs each, {machine}");

if (descriptorsOnly)
{
    Console.WriteLine();
    Console.WriteLine($"| preset | columns | threads | median wall (s) | min | max | per atom per core (us) | ratio to {presets[0]} (same threads, median) |");
    Console.WriteLine("|---|---|---|---|---|---|---|---|");
    var first = new Dictionary<int, double>();
    foreach (var name in presets)
    {
        var set = Presets.Find(name).Build(glass.Elements!);
        foreach (int threads in new[] { 1, 2 })
        {
            var times = new List<double>();
            for (int r = 0; r < runs + 1; r++)
            {
                var sw = Stopwatch.StartNew();
                set.Compute(glass, new FeaturizeSettings { Threads = threads });
                if (r > 0) times.Add(sw.Elapsed.TotalSeconds);
            }
            double m = Median(times);
            first.TryAdd(threads, m);
            Console.WriteLine(FormattableString.Invariant(
                $"| {name} | {set.Columns.Count} | {threads} | {m:F3} | {times.Min():F3} | {times.Max():F3} | {m * threads / glass.Count * 1e6:F1} | {m / first[threads]:F2} |"));
        }
    }
    return;
}

var voro = new List<double>(); var cli1 = new List<double>(); var cli2 = new List<double>();
for (int r = 0; r < runs + 1; r++) // the first round is a warm-up (file cache, JIT of the tools)
{
    double tv = TimeProcess("voro++", ["-p", "-c", "%i %v %s", .. box, points], outDir);
    double t1 = TimeProcess("dotnet", [cli, "voronoi", dump, "--threads", "1", "--quiet", "--out", Path.Combine(outDir, "cells-1.csv")], outDir);
    double t2 = TimeProcess("dotnet", [cli, "voronoi", dump, "--threads", "2", "--quiet", "--out", Path.Combine(outDir, "cells-2.csv")], outDir);
    if (r == 0) continue;
    voro.Add(tv); cli1.Add(t1); cli2.Add(t2);
}

// same answer? compare volumes with voro++'s 6 significant digits
var ours = VoronoiTessellator.Compute(glass);
var byId = glass.IndexById();
double worst = 0;
foreach (var line in File.ReadLines(points + ".vol"))
{
    var f = line.Split(' ');
    int i = byId[long.Parse(f[0], CultureInfo.InvariantCulture)];
    double v = double.Parse(f[1], CultureInfo.InvariantCulture);
    worst = Math.Max(worst, Math.Abs(ours.Volume[i] - v) / v);
}

var inproc1 = new List<double>(); var inproc2 = new List<double>();
for (int r = 0; r < runs + 1; r++)
{
    var sw = Stopwatch.StartNew(); VoronoiTessellator.Compute(glass, new VoronoiOptions { Threads = 1 }); double a = sw.Elapsed.TotalSeconds;
    sw.Restart(); VoronoiTessellator.Compute(glass, new VoronoiOptions { Threads = 2 }); double b = sw.Elapsed.TotalSeconds;
    if (r == 0) continue;
    inproc1.Add(a); inproc2.Add(b);
}

double mv = Median(voro);
Console.WriteLine();
Console.WriteLine("| what | median wall (s) | min | max | ratio to voro++ (median) |");
Console.WriteLine("|---|---|---|---|---|");
Row("voro++ -p (whole process: read, tessellate, write)", voro);
Row("softspot voronoi --threads 1 (whole process)", cli1);
Row("softspot voronoi --threads 2 (whole process)", cli2);
Row("Softspot tessellation only, 1 thread (in process)", inproc1);
Row("Softspot tessellation only, 2 threads (in process)", inproc2);
Console.WriteLine();
Console.WriteLine(FormattableString.Invariant($"Per-atom volumes vs voro++: largest relative difference {worst:0.0E+00} (voro++ prints 6 significant digits)."));
Console.WriteLine(FormattableString.Invariant($"Thread speed-up of the tessellation: {Median(inproc1) / Median(inproc2):F2}x on 2 threads."));

// descriptors: a whole frame per run (the frame context builds its neighbour tables and hulls afresh)
Console.WriteLine();
Console.WriteLine("| preset | columns | threads | median wall (s) | min | max | per atom per core (us) | ratio to voro++ (median) |");
Console.WriteLine("|---|---|---|---|---|---|---|---|");
foreach (var name in presets)
{
    var set = Presets.Find(name).Build(glass.Elements!);
    foreach (int threads in new[] { 1, 2 })
    {
        var times = new List<double>();
        for (int r = 0; r < runs + 1; r++)
        {
            var sw = Stopwatch.StartNew();
            set.Compute(glass, new FeaturizeSettings { Threads = threads });
            if (r > 0) times.Add(sw.Elapsed.TotalSeconds);
        }
        double m = Median(times);
        Console.WriteLine(FormattableString.Invariant(
            $"| {name} | {set.Columns.Count} | {threads} | {m:F3} | {times.Min():F3} | {times.Max():F3} | {m * threads / glass.Count * 1e6:F1} | {m / mv:F2} |"));
    }
}

void Row(string what, List<double> t) =>
    Console.WriteLine(FormattableString.Invariant($"| {what} | {Median(t):F3} | {t.Min():F3} | {t.Max():F3} | {Median(t) / mv:F2} |"));

static double Median(List<double> v)
{
    var s = v.OrderBy(x => x).ToArray();
    return s.Length % 2 == 1 ? s[s.Length / 2] : 0.5 * (s[s.Length / 2 - 1] + s[s.Length / 2]);
}

static double TimeProcess(string program, string[] args, string dir)
{
    var psi = new ProcessStartInfo(program) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var a in args) psi.ArgumentList.Add(a);
    var sw = Stopwatch.StartNew();
    using var p = Process.Start(psi)!;
    string err = p.StandardError.ReadToEnd(); p.StandardOutput.ReadToEnd();
    p.WaitForExit();
    double t = sw.Elapsed.TotalSeconds;
    if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {err}");
    return t;
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Softspot.slnx"))) return d.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
