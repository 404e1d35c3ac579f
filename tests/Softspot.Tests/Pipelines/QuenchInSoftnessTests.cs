using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Softspot.Analysis;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Pipelines;
using Softspot.Simulation.Shear;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Pipelines;

/// <summary>
/// The quench-in softness section (Wang and Jain 2019, Fig. 3) of the reduced demo run: its AUCs and P(plastic |
/// softness) recomputed by scikit-learn and numpy from the files it wrote, its figures in headless Chromium with the
/// numbers of results.json; and its parts on their own: cross-fitting without leakage, g(r) and M(r) against numpy
/// brute force and a simple cubic lattice, the power-law fit, the configuration errors.
/// </summary>
public class QuenchInSoftnessTests(ReducedDemoRun run) : IClassFixture<ReducedDemoRun>
{
    public static readonly string[] Figures = ["qs-probability", "qs-auc-strain", "qs-rdf", "qs-fractal"];
    private static readonly string Python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3-sklearn");
    private static string D(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private JsonElement Section
    {
        get
        {
            Assert.True(run.Result.Code == 0, run.Result.Err);
            return run.Results.GetProperty("quench_in_softness");
        }
    }

    [Fact]
    public void AucsAndProbabilitiesAreThoseScikitLearnAndNumpyFindInTheWrittenFiles()
    {
        var q = Section;
        string folder = Path.Combine(run.Output, "quench_in_softness");
        using var dir = new TempDir();
        File.WriteAllText(dir.File("qs.py"), """
import sys, json
import numpy as np
from sklearn.metrics import roc_auc_score
soft = np.genfromtxt(sys.argv[1], delimiter=',', names=True)
frames = np.genfromtxt(sys.argv[2], delimiter=',', names=True)
s = dict(zip(soft['id'].astype(int), soft['softness']))
out = {'auc': {}, 'p': {}}
for f in np.unique(frames['frame']).astype(int):
    rows = frames[frames['frame'] == f]
    x = np.array([s[i] for i in rows['id'].astype(int)])
    y = rows['plastic']
    ok = ~np.isnan(x) & ~np.isnan(y)
    out['auc'][str(f)] = roc_auc_score(y[ok], x[ok])
    b = np.clip(np.floor(x[ok] * 10).astype(int), 0, 9)
    out['p'][str(f)] = [[int(np.sum(b == k)), int(np.sum(y[ok][b == k] == 1))] for k in range(10)]
print(json.dumps(out))
""");
        var theirs = JsonDocument.Parse(ExternalTool.Run(Python, [dir.File("qs.py"), Path.Combine(folder, "Cu64Zr36.softness.csv"), Path.Combine(folder, "Cu64Zr36.frames.csv")], dir.Path)).RootElement;
        var frames = q.GetProperty("frames").EnumerateArray().ToList();
        Assert.Equal(5, frames.Count); // the shipped series: 0.02 to 0.1
        foreach (var f in frames)
        {
            string k = f.GetProperty("frame").GetInt32().ToString(CultureInfo.InvariantCulture);
            Assert.Equal(theirs.GetProperty("auc").GetProperty(k).GetDouble(), f.GetProperty("roc_auc").GetDouble(), 12);
            Assert.Equal(100, f.GetProperty("plastic").GetInt32());
        }
        // the cross-fitted softness predicts the learnt strain's plastic sites about as well as the protocol's test folds do
        double learnt = frames[q.GetProperty("frame").GetInt32()].GetProperty("roc_auc").GetDouble();
        Assert.InRange(learnt, 0.75, 0.95);
        foreach (var p in q.GetProperty("probability").EnumerateArray())
        {
            var counts = theirs.GetProperty("p").GetProperty(p.GetProperty("frame").GetInt32().ToString(CultureInfo.InvariantCulture)).EnumerateArray()
                .Select(c => (Atoms: c[0].GetInt32(), Plastic: c[1].GetInt32())).ToList();
            var bins = p.GetProperty("bins").EnumerateArray().ToList();
            Assert.Equal(counts.Count(c => c.Atoms > 0), bins.Count);
            foreach (var b in bins)
            {
                var c = counts[(int)Math.Round(b.GetProperty("lo").GetDouble() * 10)];
                Assert.Equal(c.Atoms, b.GetProperty("atoms").GetInt32());
                Assert.Equal(c.Plastic, b.GetProperty("plastic").GetInt32());
                Assert.Equal((double)c.Plastic / c.Atoms, b.GetProperty("probability").GetDouble(), 15);
            }
        }
        // the softest decile is far more often plastic at the learnt strain than the hardest (the paper's orders of magnitude, here one)
        var first = q.GetProperty("probability")[0].GetProperty("bins").EnumerateArray().ToList();
        Assert.True(first[^1].GetProperty("probability").GetDouble() > 5 * first[0].GetProperty("probability").GetDouble());
    }

    [Fact]
    public void FramesAreThoseOfTheLabelsAndFoldsDealTheAtoms()
    {
        var q = Section;
        var frames = KeyedTable.Read(Path.Combine(run.Output, "quench_in_softness", "Cu64Zr36.frames.csv"));
        var labels = KeyedTable.Read(Path.Combine(run.Output, "labels", "Cu64Zr36.csv"));
        var label = Enumerable.Range(0, labels.Rows).ToDictionary(r => labels.Keys[r].Id, r => labels[r, labels.IndexOf("plastic@0.1")]);
        int compared = 0;
        for (int r = 0; r < frames.Rows; r++)
            if (frames.Keys[r].Frame == 4) { Assert.Equal(label[frames.Keys[r].Id], frames[r, frames.IndexOf("plastic")]); compared++; }
        Assert.Equal(2000, compared);
        var soft = KeyedTable.Read(Path.Combine(run.Output, "quench_in_softness", "Cu64Zr36.softness.csv"));
        var folds = soft.Column("fold").GroupBy(f => f).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([0.0, 1, 2, 3, 4], folds.Keys.Order());
        Assert.All(folds.Values, n => Assert.Equal(400, n));
        Assert.All(soft.Column("softness"), v => Assert.InRange(v, 0, 1));
        Assert.Equal(2000, q.GetProperty("learnt").GetInt32());
        // and the predictions dump carries it for OVITO
        var dump = StructureFile.ReadFirst(Path.Combine(run.Output, "predictions", "Cu64Zr36.dump"));
        var index = dump.IndexById();
        var column = dump.Column("quench_in_softness")!.Values;
        for (int r = 0; r < soft.Rows; r++) Assert.Equal(soft[r, soft.IndexOf("softness")], column[index[soft.Keys[r].Id]], 12);
    }

    [Fact]
    public void FiguresShowTheNumbersOfResultsJson()
    {
        var q = Section;
        using var dir = new TempDir();
        string dom = Chromium.DumpDom(Path.Combine(run.Output, "report.html"), dir);
        foreach (var id in Figures)
            Assert.Matches($"<figure id=\"{id}\"><svg[^>]*>.*?class=\"axis-label\".*?<g class=\"legend\">.*?</svg><figcaption>[^<]+From results.json[^<]+</figcaption></figure>", dom);
        string Figure(string id) => Regex.Match(dom, $"<figure id=\"{id}\">.*?</figure>").Value;
        List<double> Values(string fig, string kind) =>
            [.. Regex.Matches(fig, $"class=\"{kind}\" data-value=\"([^\"]+)\"").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

        // P(plastic | softness): a mark per non-empty bin and strain, zero bins as their own kind on the axis floor
        var bins = q.GetProperty("probability").EnumerateArray().SelectMany(p => p.GetProperty("bins").EnumerateArray()).ToList();
        var fig = Figure("qs-probability");
        Assert.Equal(bins.Where(b => b.GetProperty("plastic").GetInt32() > 0).Select(b => b.GetProperty("probability").GetDouble()), Values(fig, "qs-probability"));
        Assert.Equal(bins.Count(b => b.GetProperty("plastic").GetInt32() == 0), Values(fig, "qs-probability-zero").Count);
        // AUC against strain, every frame, with the stress-strain curve on the right axis
        fig = Figure("qs-auc-strain");
        Assert.Equal(q.GetProperty("frames").EnumerateArray().Select(f => f.GetProperty("roc_auc").GetDouble()), Values(fig, "qs-auc"));
        Assert.Contains("<polyline class=\"stress-strain\"", fig);
        Assert.Contains("shear stress (GPa)", fig);
        // named relative to results.json's folder, so the same data give the same results.json in any clone
        string curveFile = q.GetProperty("stress_strain").GetProperty("file").GetString()!;
        Assert.False(Path.IsPathRooted(curveFile), curveFile);
        Assert.EndsWith("stress_strain.csv", curveFile);
        Assert.True(File.Exists(Path.Combine(run.Output, curveFile)), curveFile);
        // g(r): each drawn group's peak; M(r): each fitted D on its fit line
        var groups = q.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(["softest", "hardest", "all"], groups.Select(g => g.GetProperty("name").GetString()!));
        var drawn = groups.Where(g => g.TryGetProperty("g", out _)).ToList();
        Assert.Equal(drawn.Select(g => g.GetProperty("g").EnumerateArray().Max(v => v.GetDouble())), Values(Figure("qs-rdf"), "qs-rdf-peak"));
        Assert.Equal(drawn.Select(g => g.GetProperty("fractal_dimension").GetDouble()), Values(Figure("qs-fractal"), "qs-fractal-fit"));
        foreach (var g in groups.Where(g => !g.TryGetProperty("g", out _)))
            Assert.Contains($"{g.GetProperty("name").GetString()} ({g.GetProperty("rule").GetString()}): {g.GetProperty("note").GetString()}", Figure("qs-rdf"));
        // the homogeneous whole is three-dimensional
        Assert.InRange(groups[2].GetProperty("fractal_dimension").GetDouble(), 2.9, 3.1);
        string md = File.ReadAllText(Path.Combine(run.Output, "results.md"));
        Assert.Contains("### Quench-in softness (Cu64Zr36", md);
        Assert.Contains($"all (every atom): 2000 atoms; mass-radius dimension D = {groups[2].GetProperty("fractal_dimension").GetDouble().ToString("F3", CultureInfo.InvariantCulture)}", md);
    }

    /// <summary>
    /// Edge cases of the figures on a made-up result: a bin without plastic atoms is drawn as its own mark (P = 0 on the
    /// axis floor, not dropped), a group too small for g(r) says so, and a run without a curve says why.
    /// </summary>
    [Fact]
    public void ZeroProbabilitiesSmallGroupsAndMissingCurvesAreShownAsSuch()
    {
        double[] r = [.. Enumerable.Range(0, 40).Select(k => 0.1 + 0.2 * k)];
        double[] m = [.. r.Select(x => Math.Pow(x, 3))];
        var q = new QuenchInSoftnessResult
        {
            Glass = "g", Representation = "interstice", Strain = 0.02, Frame = 0, Features = 80, Folds = 5,
            Ids = [1, 2], Softness = [0.05, 0.95], Fold = [0, 1], D2Min = [[0.1, 2]], Plastic = [[0, 1]],
            Frames = [new SoftnessFrame(0, 0.02, 0.75, 2, 1, 1.5)],
            Probability = [new PlasticProbability(0.02, 0, [new SoftnessBin(0, 0.1, 300, 0), new SoftnessBin(0.5, 0.6, 40, 2), new SoftnessBin(0.9, 1, 50, 25)])],
            RdfR = [.. r.Select(x => x / 4)], MassRadiusR = r,
            Groups =
            [
                new SoftnessGroup("softest", "softness > 0.7", 12, null, null, null, "12 atoms, fewer than 20: no g(r) or M(r) (it would be noise)"),
                new SoftnessGroup("hardest", "softness < 0.1", 300, [.. r.Select(x => 1.0)], m, FractalDimension.Fit(r, m, 3.5, 7.9), null),
                new SoftnessGroup("all", "every atom", 2000, [.. r.Select(x => 1.0 + 1 / x)], m, FractalDimension.Fit(r, m, 3.5, 7.9), null),
            ],
            CurveNote = "no stress-strain curve: no stress_strain.csv beside ref.dump (name one with shear.stress_strain)",
        };
        string html = Softspot.Reporting.QuenchInSoftnessReport.Figures(q);
        var zero = Regex.Matches(html, "<path class=\"qs-probability-zero\" data-value=\"0\" d=\"M[0-9.]+,([0-9.]+) ").Single();
        var axisFloor = Regex.Match(html, "<figure id=\"qs-probability\">.*?<rect x=\"[0-9.]+\" y=\"([0-9.]+)\" width=\"[0-9.]+\" height=\"([0-9.]+)\" fill=\"none\"");
        Assert.Equal(double.Parse(axisFloor.Groups[1].Value, CultureInfo.InvariantCulture) + double.Parse(axisFloor.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(zero.Groups[1].Value, CultureInfo.InvariantCulture) + 6, 6); // the diamond's top is 6 px above its centre
        Assert.Equal(["0.05", "0.5"], Regex.Matches(html, "class=\"qs-probability\" data-value=\"([^\"]+)\"").Select(x => x.Groups[1].Value));
        Assert.Contains("no plastic atom (P = 0)", html);
        Assert.Equal(2, Regex.Matches(html, "class=\"qs-rdf-peak\"").Count);
        Assert.Contains("not drawn: softest (softness &gt; 0.7): 12 atoms, fewer than 20", html);
        Assert.Equal(2, Regex.Matches(html, "class=\"qs-fractal-fit\" data-value=\"3\"|class=\"qs-fractal-fit\" data-value=\"2.99999").Count);
        Assert.DoesNotContain("class=\"stress-strain\"", html);
        Assert.DoesNotContain("shear stress (GPa)", html);
        Assert.Contains("no stress-strain curve: no stress_strain.csv beside ref.dump", html);
    }

    /// <summary>Labels that are noise: a cross-fitted score knows nothing (AUC near 0.5), where the same model scoring its own training rows would.</summary>
    [Fact]
    public void CrossFittedScoresComeFromModelsThatNeverSawTheRow()
    {
        const int rows = 1000, columns = 6;
        var rng = new Random(3);
        var x = Enumerable.Range(0, rows * columns).Select(_ => rng.NextDouble()).ToArray();
        var y = Enumerable.Range(0, rows).Select(i => i % 10 == 0 ? 1.0 : 0.0).ToArray();
        var request = new TrainingRequest([.. Enumerable.Range(0, columns).Select(c => $"f{c}")], x, y, "noise");
        var trainer = new Trainer(new TrainingSettings { Options = GradientBoostingOptions.Reference with { Trees = 100, MaxDepth = 3 }, Seed = 5 }, RunContext.Default with { Threads = 2 });
        var fitted = trainer.CrossFit(request);
        int[] labels = [.. y.Select(v => (int)v)];
        double crossFitted = Metrics.RocAuc(fitted.Scores, labels);
        Assert.InRange(crossFitted, 0.4, 0.6);
        Assert.All(Enumerable.Range(0, 5), k => Assert.Equal(20, Enumerable.Range(0, rows).Count(i => fitted.Fold[i] == k && labels[i] == 1)));
        // in sample, the same learner "finds" the noise
        var all = TrainingPipeline.FitBalanced(request with { Options = trainer.Settings.Options with { Seed = 5 } }, [.. Enumerable.Range(0, rows)]);
        var inSample = Enumerable.Range(0, rows).Select(i => all.Predict(x.AsSpan(i * columns, columns))).ToArray();
        Assert.True(Metrics.RocAuc(inSample, labels) > 0.8, $"in-sample AUC {Metrics.RocAuc(inSample, labels):F3}");
    }

    [Fact]
    public void PairCountsAreNumpysBruteForceInATriclinicCell()
    {
        var rng = new Random(11);
        var cell = new Cell(new Vec3(-1, 2, 0.5), 17, 15, 16, xy: 3.2, xz: -1.1, yz: 2.0);
        int n = 600;
        var positions = Enumerable.Range(0, n).Select(_ => cell.ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()))).ToArray();
        var s = new Snapshot(cell, [.. Enumerable.Range(1, n).Select(i => (long)i)], new int[n], positions);
        int[] centres = [.. Enumerable.Range(0, n).Where(i => i % 3 == 0)], targets = [.. Enumerable.Range(0, n).Where(i => i % 2 == 0)];
        var ours = PairCounts.Of(s, centres, targets, 6.3, 0.3, threads: 2);
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("xyz.txt"), positions.Select(p => $"{D(p.X)} {D(p.Y)} {D(p.Z)}"));
        File.WriteAllText(dir.File("pairs.py"), $$"""
import numpy as np
x = np.loadtxt('xyz.txt')
h = np.array([[17, 3.2, -1.1], [0, 15, 2.0], [0, 0, 16]], dtype=float)  # columns: the cell vectors a, b, c
shifts = np.array([[i, j, k] for i in (-1, 0, 1) for j in (-1, 0, 1) for k in (-1, 0, 1)], dtype=float) @ h.T
counts = np.zeros(21, dtype=int)
targets = np.arange(0, {{n}}, 2)
for c in range(0, {{n}}, 3):
    d = x[targets] - x[c]
    s = np.linalg.solve(h, d.T).T
    d = (s - np.round(s)) @ h.T
    r = np.min(np.linalg.norm(d[:, None, :] + shifts[None, :, :], axis=2), axis=1)
    r = r[(targets != c) & (r < 6.3)]
    np.add.at(counts, np.floor(r / 0.3).astype(int), 1)
print(' '.join(map(str, counts)))
""");
        var theirs = ExternalTool.Run(Python, [dir.File("pairs.py")], dir.Path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse).ToArray();
        Assert.Equal(theirs.Length, ours.PerCentre.Length);
        Assert.Equal(theirs, ours.PerCentre.Select(v => (long)Math.Round(v * centres.Length)));
        Assert.True(theirs.Sum() > 10_000, "too few pairs to mean anything");
    }

    [Fact]
    public void SimpleCubicLatticeHasItsShellsAndAnIdealGasIsThreeDimensional()
    {
        // a = 3.03 A (off the bin edges), 6 x 6 x 6: shells of 6, 12, 8, 6 at a, a sqrt2, a sqrt3, 2a
        const double a = 3.03;
        var sites = (from i in Enumerable.Range(0, 6) from j in Enumerable.Range(0, 6) from k in Enumerable.Range(0, 6) select new Vec3(i * a, j * a, k * a)).ToArray();
        var lattice = new Snapshot(Cell.Orthogonal(new Vec3(0, 0, 0), new Vec3(6 * a, 6 * a, 6 * a)), [.. Enumerable.Range(1, sites.Length).Select(i => (long)i)], new int[sites.Length], sites);
        int[] all = [.. Enumerable.Range(0, sites.Length)];
        var m = PairCounts.Of(lattice, all, all, 9, 0.1).Cumulative();
        double At(double r) => m[(int)Math.Round(r / 0.1) - 1]; // M(r) counts distances below the bin's upper edge r
        Assert.Equal(0, At(2.9));
        Assert.Equal(6, At(3.1));
        Assert.Equal(18, At(4.3));
        Assert.Equal(26, At(5.3));
        Assert.Equal(32, At(6.1));
        var g = PairCounts.Of(lattice, all, all, 9, 0.1).Rdf(lattice.Cell.Volume);
        double shell = 4.0 / 3 * Math.PI * (Math.Pow(3.1, 3) - Math.Pow(3.0, 3)) * sites.Length / lattice.Cell.Volume;
        Assert.Equal(6 / shell, g[30], 9);
        // a uniform random set: M(r) = rho 4/3 pi r^3, D = 3
        var rng = new Random(4);
        var gas = Enumerable.Range(0, 3000).Select(_ => new Vec3(30 * rng.NextDouble(), 30 * rng.NextDouble(), 30 * rng.NextDouble())).ToArray();
        var random = new Snapshot(Cell.Orthogonal(new Vec3(0, 0, 0), new Vec3(30, 30, 30)), [.. Enumerable.Range(1, gas.Length).Select(i => (long)i)], new int[gas.Length], gas);
        int[] every = [.. Enumerable.Range(0, gas.Length)];
        var counts = PairCounts.Of(random, every, every, 14.8, 0.2);
        var fit = FractalDimension.Fit(counts.Lower.Select(r => r + 0.2).ToArray(), counts.Cumulative(), 3.5, 14.8)!;
        Assert.InRange(fit.D, 2.95, 3.05);
        Assert.Equal(3.5, fit.RMin);
        // an exact power law is fitted exactly
        double[] rs = [1, 2, 3, 4, 5];
        Assert.Equal(2.5, FractalDimension.Fit(rs, [.. rs.Select(r => 2 * Math.Pow(r, 2.5))], 1, 5)!.D, 12);
        Assert.Throws<CutoffTooLargeException>(() => PairCounts.Of(lattice, all, all, 9.5, 0.1));
    }

    private static string Yaml(string section, string extra = "") => $$"""
        seed: 7
        presets: [interstice]
        glasses:
          - name: a
            structure: {{ReducedDemoRun.Glass("Cu64Zr36")}}/glass.dump.gz
            elements: Cu,Zr
            shear: {reference: {{ReducedDemoRun.Glass("Cu64Zr36")}}/shear/reference.dump.gz, deformed: {{ReducedDemoRun.Glass("Cu64Zr36")}}/shear/sheared.dump.gz{{extra}}}
          - name: b
            structure: {{ReducedDemoRun.Glass("Cu50Zr50")}}/glass.dump.gz
            elements: Cu,Zr
        quench_in_softness: {{section}}
        """;

    [Theory]
    [InlineData("{glass: c, strain: 0.02}", "quench_in_softness.glass: unknown glass 'c' (defined: a, b)")]
    [InlineData("{glass: b, strain: 0.02}", "quench_in_softness.glass: glass b has no shear run")]
    [InlineData("{glass: a}", "quench_in_softness.strain: give the strain whose plastic sites the models learn")]
    [InlineData("{glass: a, strain: -0.02}", "quench_in_softness.strain: must be positive")]
    [InlineData("{glass: a, strain: 0.02, strains: [0.02, 0]}", "quench_in_softness.strains: strains must be positive")]
    [InlineData("{glass: a, strain: 0.02, preset: soap}", "quench_in_softness.preset: 'soap' is not one of the pipeline's presets")]
    public void ConfigurationErrorsNameTheKey(string section, string expected)
    {
        var e = Assert.Throws<PipelineConfigException>(() => PipelineFile.Parse(Yaml(section), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith("pipeline.yaml: ", e.Message);
    }

    [Fact]
    public void YamlShapeErrorsNameTheLine()
    {
        var e = Assert.Throws<InputFormatException>(() => PipelineFile.Parse(Yaml("{glass: a, strain: 0.02, bins: 20}"), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains("pipeline.yaml:11: unknown key 'bins' in quench_in_softness (expected one of: glass, strain, preset, strains)", e.Message);
        e = Assert.Throws<InputFormatException>(() => PipelineFile.Parse(Yaml("{glass: a, strain: two}"), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains("'quench_in_softness.strain' must be a number, not 'two'", e.Message);
        var missing = Assert.Throws<PipelineConfigException>(() => PipelineFile.Parse(Yaml("{glass: a, strain: 0.02}", ", stress_strain: nowhere.csv"), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains("glasses[0] (a).shear.stress_strain: no such file", missing.Message);
        Assert.NotNull(PipelineFile.Parse(Yaml("{glass: a, strain: 0.02}"), "pipeline.yaml", Paths.RepoRoot).QuenchInSoftness);
    }

    [Fact]
    public void StressStrainCurveErrorsNameTheFileAndLine()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("a.csv"), "step,strain,stress\n0,0,1\n");
        Assert.Contains("a.csv:1: no column 'shear_stress_gpa'", Assert.Throws<InputFormatException>(() => StressStrainCurve.Read(dir.File("a.csv"))).Message);
        File.WriteAllText(dir.File("b.csv"), "step,strain,shear_stress_gpa,energy_ev\n0,0,0.1,-1\n1,0.001,x,-1\n");
        Assert.Contains("b.csv:3: shear_stress_gpa: 'x' is not a number", Assert.Throws<InputFormatException>(() => StressStrainCurve.Read(dir.File("b.csv"))).Message);
        var curve = StressStrainCurve.Read(Path.Combine(ReducedDemoRun.Glass("Cu64Zr36"), "shear", "stress_strain.csv"));
        Assert.Equal(1001, curve.Strain.Length);
        Assert.Equal(0.1, curve.Strain[^1], 12);
    }

    [Fact]
    public void SnapshotEveryGivesWholeStepsUpToTheMaximum()
    {
        var strains = ShearProtocol.EveryStrain(0.00125, 0.1, 1.25e-4);
        Assert.Equal(80, strains.Count);
        Assert.Equal(0.00125, strains[0]);
        Assert.Equal(0.1, strains[^1]);
        Assert.Equal(0.0375, strains[29]);
        ShearProtocol.CheckStrains(0.1, 1.25e-4, strains);
        var protocol = new ShearProtocol(null!, 0.1, 1.25e-4, strains);
        Assert.Equal(Enumerable.Range(1, 80).Select(k => 10 * k), protocol.SnapshotSteps);
        Assert.Contains("--snapshot-every 0.001 is not a whole number of --step 0.0003", Assert.Throws<SoftspotException>(() => ShearProtocol.EveryStrain(0.001, 0.012, 3e-4)).Message);
        Assert.Equal([0.003, 0.006, 0.009], ShearProtocol.EveryStrain(0.003, 0.01, 1e-3));
    }
}
