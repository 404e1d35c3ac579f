using System.Globalization;
using Softspot.Bench.Scale;

// Featurizing a 1,000,000-atom glass: whole-process wall time, CPU time and peak memory of
// `softspot featurize --preset interstice` on 1 and 2 threads, beside voro++ on the same points in the same run,
// and a multi-frame file against one frame of the same size (peak memory follows one frame, not the file).
//   dotnet build src/Softspot.Cli -c Release && dotnet run -c Release --project bench/Softspot.Bench.Scale -- \
//     [--replicate 5,10,10] [--frames 4] [--frame-replicate 5,5,5] [--threads 1,2] [--formats parquet,csv] [--runs 1] [--profile]
// Every process runs under /usr/bin/time (wall, user + system CPU, peak resident set). Prints Markdown tables.
// --profile instead featurizes the large glass in this process stage by stage and prints the bytes per atom of each
// structure (MemoryProfile).

int[] replicate = [5, 10, 10], frameReplicate = [5, 5, 5], threadCounts = [1, 2];
int frames = 4, runs = 1;
string[] formats = ["parquet", "csv"];
bool profile = false;
for (int i = 0; i < args.Length; i++)
{
    int[] Ints(string s) => [.. s.Split(',').Select(x => int.Parse(x, CultureInfo.InvariantCulture))];
    switch (args[i])
    {
        case "--replicate": replicate = Ints(args[++i]); break;
        case "--frame-replicate": frameReplicate = Ints(args[++i]); break;
        case "--threads": threadCounts = Ints(args[++i]); break;
        case "--frames": frames = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--formats": formats = args[++i].Split(','); break;
        case "--profile": profile = true; break;
        default: throw new ArgumentException($"unknown argument {args[i]}");
    }
}
string root = FindRoot();
string dir = Path.Combine(root, "bench", "out", "scale");
Directory.CreateDirectory(dir);
string cli = Path.Combine(root, "src", "Softspot.Cli", "bin", "Release", "net10.0", "Softspot.Cli.dll");
if (!File.Exists(cli)) throw new FileNotFoundException($"build the CLI first: dotnet build src/Softspot.Cli -c Release ({cli})");

var inputs = new Inputs(root, dir);
var big = inputs.Replica(replicate[0], replicate[1], replicate[2]);
if (profile)
{
    MemoryProfile.Run(big.Dump);
    return;
}
var frame = inputs.Replica(frameReplicate[0], frameReplicate[1], frameReplicate[2]);
var shear = inputs.ShearFrames(frames, frameReplicate[0], frameReplicate[1], frameReplicate[2]);
int maxThreads = threadCounts.Max();
Console.WriteLine($"# softspot featurize --preset interstice at scale: {big.Atoms:N0} atoms, {runs} run(s) each, "
    + $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");

ProcessCost Featurize(string input, int threads, string format)
{
    string output = Path.Combine(dir, "features." + format);
    try
    {
        return TimedProcess.Run("dotnet", [cli, "featurize", input, "--preset", "interstice", "--threads", threads.ToString(CultureInfo.InvariantCulture),
            "--format", format, "--out", output], dir);
    }
    finally
    {
        File.Delete(output); // 1.6 GB as CSV at a million atoms
    }
}

// each row: what, atoms per frame, frames, threads, the process's median-wall run; voro++ ratios for the large glass only
var rows = new List<(string What, int Atoms, int Frames, int Threads, ProcessCost Cost, bool SamePoints)>();
ProcessCost Median(Func<ProcessCost> run) => Enumerable.Range(0, runs).Select(_ => run()).OrderBy(c => c.Wall).ElementAt(runs / 2);

var voro = Median(() => TimedProcess.Run("voro++", ["-p", "-c", "%i %v %s", .. big.Box, big.Points], dir));
rows.Add(("voro++ -p, plain Voronoi (read, tessellate, write volume and face count)", big.Atoms, 1, 1, voro, true));
foreach (var format in formats)
    foreach (int threads in threadCounts)
        rows.Add(($"softspot featurize, {big.Atoms:N0} atoms, {format}", big.Atoms, 1, threads, Median(() => Featurize(big.Dump, threads, format)), true));
rows.Add(($"softspot featurize, the shipped 2,000-atom glass, {formats[0]}", 2000, 1, maxThreads, Median(() => Featurize(inputs.Glass, maxThreads, formats[0])), false));
rows.Add(($"softspot featurize, one frame of {frame.Atoms:N0} atoms, {formats[0]}", frame.Atoms, 1, maxThreads, Median(() => Featurize(frame.Dump, maxThreads, formats[0])), false));
rows.Add(($"softspot featurize, {frames} frames of {shear.AtomsPerFrame:N0} atoms (one file), {formats[0]}", shear.AtomsPerFrame, frames, maxThreads,
    Median(() => Featurize(shear.Dump, maxThreads, formats[0])), false));

Console.WriteLine();
Console.WriteLine("| what | threads | wall (s) | CPU (s) | atoms per s per thread (wall) | atoms per CPU-second | peak memory (MiB) | bytes per atom of a frame | wall / voro++ | CPU / voro++ |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var (what, atoms, count, threads, c, samePoints) in rows)
{
    string ratios = samePoints ? FormattableString.Invariant($"{c.Wall / voro.Wall:F2} | {c.Cpu / voro.Cpu:F2}") : "- | -";
    Console.WriteLine(FormattableString.Invariant(
        $"| {what} | {threads} | {c.Wall:F2} | {c.Cpu:F2} | {(double)atoms * count / (c.Wall * threads):N0} | {(double)atoms * count / c.Cpu:N0} | {c.PeakBytes / 1048576.0:F0} | {c.PeakBytes / (double)atoms:F0} | {ratios} |"));
}

static string FindRoot()
{
    for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        if (File.Exists(Path.Combine(d.FullName, "Softspot.slnx"))) return d.FullName;
    throw new InvalidOperationException("run from inside the repository");
}
