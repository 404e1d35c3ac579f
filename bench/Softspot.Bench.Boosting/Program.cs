using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Softspot.Learning;

// Gradient boosting against xgboost (issue 5), same data, same hyper-parameters, in the same run.
//   dotnet run -c Release --project bench/Softspot.Bench.Boosting -- [--rows 200000] [--test-rows 50000]
//       [--columns 80] [--trees 200] [--leaves 31] [--bins 256] [--threads 1,2] [--runs 3] [--seed 1]
//       [--reference] (also time the papers' profile, Softspot only) [--softspot-only] (no xgboost; with
//       SOFTSPOT_GBDT_PROFILE=1 prints Softspot's phase times)
// The synthetic task (SyntheticTask: 80 float features, 20 noisy copies, nonlinear rule plus noise, top 5 %
// positive) is generated once (train and test rows from one draw), written as raw float64 for Python, and both
// learners train on it: Softspot in-process (train CPU = Process.TotalProcessorTime delta around Fit, which
// includes binning), xgboost 1.7 (Debian python3-xgboost, /usr/bin/python3) in a subprocess with tree_method=hist,
// grow_policy=lossguide, max_depth=0, nthread and OMP_NUM_THREADS set, OMP_WAIT_POLICY=PASSIVE (train CPU =
// time.process_time() around xgb.train, which includes its quantile sketch; DMatrix construction excluded).
// Both start from the same base margin (xgboost's base_score set to the training base rate). Test ROC-AUC of
// both is computed here (Metrics.RocAuc) from their predicted probabilities. Runs alternate between the two; medians
// are reported. A small untimed Softspot fit first compiles the code (JIT).

int rows = 200_000, testRows = 50_000, columns = 80, trees = 200, leaves = 31, bins = 256, runs = 3, seed = 1;
int[] threadCounts = [1, 2];
bool reference = false, softspotOnly = false;
for (int i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--rows": rows = Next(); break;
        case "--test-rows": testRows = Next(); break;
        case "--columns": columns = Next(); break;
        case "--trees": trees = Next(); break;
        case "--leaves": leaves = Next(); break;
        case "--bins": bins = Next(); break;
        case "--runs": runs = Next(); break;
        case "--seed": seed = Next(); break;
        case "--threads": threadCounts = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--reference": reference = true; break;
        case "--softspot-only": softspotOnly = true; break; // for profiling (SOFTSPOT_GBDT_PROFILE=1 prints phase times)
        default: throw new ArgumentException($"unknown argument {args[i]}");
    }
}
string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
string root = FindRoot();
string outDir = Path.Combine(root, "bench", "out", "boosting");
Directory.CreateDirectory(outDir);

var (x, labels, _) = SyntheticTask.Generate(rows + testRows, columns, seed);
var xTrain = x[..(rows * columns)]; var yTrain = labels[..rows];
var xTest = x[(rows * columns)..]; var yTest = labels[rows..];
WriteDoubles(Path.Combine(outDir, "train_x.f64"), xTrain); WriteDoubles(Path.Combine(outDir, "train_y.f64"), yTrain);
WriteDoubles(Path.Combine(outDir, "test_x.f64"), xTest);
double baseRate = yTrain.Average();
string script = Path.Combine(outDir, "xgb_train.py");
File.WriteAllText(script, PythonScript);
var names = Enumerable.Range(0, columns).Select(j => $"f{j}").ToArray();
var options = GradientBoostingOptions.Default with { Trees = trees, MaxLeaves = leaves, MaxDepth = 0, MaxBins = bins, L2 = 1, MinChildWeight = 1 };
string machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}";
Console.WriteLine($"# Gradient boosting: {rows} train / {testRows} test rows x {columns}, positive rate {baseRate:F4}, {trees} trees, lr 0.1, {leaves} leaves lossguide, {bins} bins; {runs} runs; {machine}");

// warm-up (JIT) on a small table, not timed
new GradientBoosting().Fit(xTrain[..(2000 * columns)], 2000, columns, yTrain[..2000], names, options with { Trees = 5, Threads = 1 });

var table = new List<string>();
foreach (int threads in threadCounts)
{
    var ours = new List<(double Cpu, double Wall, double Auc)>();
    var theirs = new List<(double Cpu, double Wall, double Auc)>();
    for (int r = 0; r < runs; r++)
    {
        theirs.Add(softspotOnly ? (double.NaN, double.NaN, double.NaN) : RunXgboost(threads));
        ours.Add(RunSoftspot(threads));
        Console.WriteLine($"  threads {threads} run {r + 1}: softspot cpu {ours[^1].Cpu:F2} s wall {ours[^1].Wall:F2} s auc {ours[^1].Auc:F4} | xgboost cpu {theirs[^1].Cpu:F2} s wall {theirs[^1].Wall:F2} s auc {theirs[^1].Auc:F4}");
    }
    double oc = Median(ours.Select(o => o.Cpu)), ow = Median(ours.Select(o => o.Wall));
    double xc = Median(theirs.Select(o => o.Cpu)), xw = Median(theirs.Select(o => o.Wall));
    table.Add(FormattableString.Invariant($"| {threads} | {xc:F2} | {xw:F2} | {theirs[0].Auc:F4} | {oc:F2} | {ow:F2} | {ours[0].Auc:F4} | {oc / xc:F2} | {ow / xw:F2} | {ours[0].Auc - theirs[0].Auc:+0.0000;-0.0000} |"));
}
Console.WriteLine();
Console.WriteLine("| threads | xgboost train CPU (s) | xgboost wall (s) | xgboost test AUC | Softspot train CPU (s) | Softspot wall (s) | Softspot test AUC | CPU ratio | wall ratio | AUC difference |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
foreach (var line in table) Console.WriteLine(line);

if (reference)
{
    // the papers' profile (depth 2, 300 trees, sqrt features per split, min leaf 0.001) for scale, Softspot only
    foreach (int threads in threadCounts)
    {
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime; var sw = Stopwatch.StartNew();
        var model = new GradientBoosting().Fit(xTrain, rows, columns, yTrain, names, GradientBoostingOptions.Reference with { Threads = threads });
        double wall = sw.Elapsed.TotalSeconds, cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        Console.WriteLine(FormattableString.Invariant($"reference profile, {threads} threads: train CPU {cpu:F2} s, wall {wall:F2} s, test AUC {Auc(Predict(model), yTest):F4}"));
    }
}

(double, double, double) RunSoftspot(int threads)
{
    GC.Collect();
    var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    var model = new GradientBoosting().Fit(xTrain, rows, columns, yTrain, names, options with { Threads = threads });
    double wall = sw.Elapsed.TotalSeconds;
    double cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
    if (Environment.GetEnvironmentVariable("SOFTSPOT_GBDT_PROFILE") == "1")
        Console.WriteLine("    " + typeof(GradientBoosting).Assembly.GetType("Softspot.Learning.BoostProfile")!.GetMethod("Report")!.Invoke(null, null));
    return (cpu, wall, Auc(Predict(model), yTest));
}

double[] Predict(TreeEnsemble model)
{
    var p = new double[testRows];
    for (int i = 0; i < testRows; i++) p[i] = model.Predict(xTest.AsSpan(i * columns, columns));
    return p;
}

(double, double, double) RunXgboost(int threads)
{
    var psi = new ProcessStartInfo(python) { WorkingDirectory = outDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new object[] { script, rows, testRows, columns, threads, trees, leaves, bins, baseRate }.Select(o => Convert.ToString(o, CultureInfo.InvariantCulture)!))
        psi.ArgumentList.Add(a);
    psi.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
    psi.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
    using var p = Process.Start(psi)!;
    var stdout = p.StandardOutput.ReadToEndAsync(); var stderr = p.StandardError.ReadToEndAsync();
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"xgboost run failed: {stderr.Result}");
    var result = JsonDocument.Parse(stdout.Result.Trim().Split('\n')[^1]).RootElement;
    var pred = ReadDoubles(Path.Combine(outDir, "xgb_pred.f64"));
    return (result.GetProperty("cpu").GetDouble(), result.GetProperty("wall").GetDouble(), Auc(pred, yTest));
}

static double Auc(double[] score, double[] y) => Metrics.RocAuc(score, y.Select(v => (int)v).ToArray());

static double Median(IEnumerable<double> v) { var s = v.OrderBy(a => a).ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }

static void WriteDoubles(string path, double[] v)
{
    using var f = File.Create(path);
    f.Write(System.Runtime.InteropServices.MemoryMarshal.AsBytes(v.AsSpan()));
}

static double[] ReadDoubles(string path)
{
    var bytes = File.ReadAllBytes(path);
    return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(bytes).ToArray();
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Softspot.slnx"))) return dir.FullName;
    throw new InvalidOperationException("cannot find the repository root (Softspot.slnx)");
}

partial class Program
{
    const string PythonScript = """
import json, sys, time
import numpy as np
import xgboost as xgb
rows, test_rows, cols, threads, trees, leaves, bins = (int(a) for a in sys.argv[1:8])
base = float(sys.argv[8])
X = np.fromfile("train_x.f64").reshape(rows, cols)
y = np.fromfile("train_y.f64")
Xt = np.fromfile("test_x.f64").reshape(test_rows, cols)
dtrain = xgb.DMatrix(X, label=y, nthread=threads)
dtest = xgb.DMatrix(Xt, nthread=threads)
params = {"objective": "binary:logistic", "tree_method": "hist", "grow_policy": "lossguide", "max_leaves": leaves,
          "max_depth": 0, "max_bin": bins, "eta": 0.1, "lambda": 1.0, "min_child_weight": 1.0, "nthread": threads,
          "base_score": base, "verbosity": 0}
c0, w0 = time.process_time(), time.perf_counter()
booster = xgb.train(params, dtrain, num_boost_round=trees)
cpu, wall = time.process_time() - c0, time.perf_counter() - w0
booster.predict(dtest).astype(np.float64).tofile("xgb_pred.f64")
print(json.dumps({"cpu": cpu, "wall": wall, "version": xgb.__version__}))
""";
}
