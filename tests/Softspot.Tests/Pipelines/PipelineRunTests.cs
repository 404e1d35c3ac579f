using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Pipelines;

/// <summary>
/// The demo's pipeline on a reduced configuration (two representations, two strains, the activation tails widened to 25 %
/// so the shipped events give enough positives, the quench-in softness of Cu64Zr36 over its five shear frames), run once through <c>softspot run</c> on copies of the shipped
/// data; the tests read what it wrote.
/// </summary>
public sealed class ReducedDemoRun : IDisposable
{
    public TempDir Dir { get; } = new();
    public string Output => Dir.File("out");
    public string Pipeline => Dir.File("pipeline.yaml");
    public (int Code, string Out, string Err) Result { get; }
    public JsonElement Results { get; }
    private readonly Lazy<string> _dom;

    /// <summary>report.html's DOM as headless Chromium built it, dumped once for the tests that read it.</summary>
    public string ReportDom => _dom.Value;

    public static string Glass(string name) => Paths.Data($"glasses/{name}");

    public ReducedDemoRun()
    {
        // the events are copied: a campaign may be appending to the shipped files while the tests run
        foreach (var g in new[] { "Cu64Zr36", "Cu50Zr50" })
        {
            File.Copy(Path.Combine(Glass(g), "art", "events.csv"), Dir.File($"{g}.events.csv"));
            File.Copy(Path.Combine(Glass(g), "art", "events.moved.csv.gz"), Dir.File($"{g}.events.moved.csv.gz"));
        }
        File.WriteAllText(Pipeline, PipelineYaml(Output, trees: 300, threads: 2));
        Result = CliRunner.Run("run", Pipeline);
        if (Result.Code == 0) Results = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "results.json"))).RootElement;
        _dom = new(() => Chromium.DumpDom(Path.Combine(Output, "report.html"), Dir));
    }

    public string PipelineYaml(string output, int trees, int threads, string presets = "[interstice, voronoi-index]", bool transfers = true, bool diagnostics = true) => $$"""
        output: {{output}}
        seed: 7
        threads: {{threads}}
        presets: {{presets}}
        glasses:
          - name: Cu64Zr36
            structure: {{Glass("Cu64Zr36")}}/glass.dump.gz
            elements: Cu,Zr
            shear: {reference: {{Glass("Cu64Zr36")}}/shear/reference.dump.gz, deformed: {{Glass("Cu64Zr36")}}/shear/sheared.dump.gz}
            events: Cu64Zr36.events.csv
          - name: Cu50Zr50
            structure: {{Glass("Cu50Zr50")}}/glass.dump.gz
            elements: Cu,Zr
            shear: {reference: {{Glass("Cu50Zr50")}}/shear/reference.dump.gz, deformed: {{Glass("Cu50Zr50")}}/shear/sheared.dump.gz}
            events: Cu50Zr50.events.csv
          - name: Fe80P20
            structure: {{Glass("Fe80P20")}}/glass.dump.gz
            elements: Fe,P
            shear: {reference: {{Glass("Fe80P20")}}/shear/reference.dump.gz, deformed: {{Glass("Fe80P20")}}/shear/sheared.dump.gz}
        labels:
          activation: {tail: 0.25, min_events: 2}
          plastic: {top: 0.05, strains: [0.02, 0.1]}
        tasks:
          - {name: H-Eact, label: h_eact, glasses: [Cu64Zr36, Cu50Zr50]}
          - {name: L-Eact, label: l_eact, glasses: [Cu64Zr36, Cu50Zr50]}
          - {name: Plastic-2%, label: plastic@0.02, glasses: [Cu64Zr36]}
          - {name: Plastic-10%, label: plastic@0.1, glasses: [Cu64Zr36]}
        transfer:{{(transfers ? """

          - {task: Plastic-10%, test: Cu50Zr50}
          - {task: Plastic-10%, test: Fe80P20}
          - {task: L-Eact, test: Cu64Zr36, label: plastic@0.02}
        """ : " []")}}
        learning: {trees: {{trees}}, depth: 2, learning_rate: 0.1, reduce: 5}
        predict: interstice
        quench_in_softness: {glass: Cu64Zr36, strain: 0.02, strains: [0.02, 0.1]}{{(diagnostics ? """

        diagnostics: {participants: true, blocked_cutoff: 5, atom_fractions: [0.5], search_fractions: [0.5], regression: true}
        """ : "")}}
        """;

    public void Dispose() => Dir.Dispose();
}

public class PipelineRunTests(ReducedDemoRun run) : IClassFixture<ReducedDemoRun>
{
    private static readonly string[] Tasks = ["H-Eact", "L-Eact", "Plastic-2%", "Plastic-10%"];

    private void AssertRan() => Assert.True(run.Result.Code == 0, run.Result.Err);

    private JsonElement Row(string task, string representation) =>
        run.Results.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("task").GetString() == task && r.GetProperty("representation").GetString() == representation);

    [Fact]
    public void IntersticeBeatsTheVoronoiIndexOnEveryTask()
    {
        AssertRan();
        foreach (var t in Tasks)
        {
            double interstice = Row(t, "interstice").GetProperty("roc_auc_mean").GetDouble(), voronoi = Row(t, "voronoi-index").GetProperty("roc_auc_mean").GetDouble();
            Assert.True(interstice > voronoi, $"{t}: interstice {interstice:F3} vs Voronoi index {voronoi:F3}");
            // plastic sites are labelled on every atom (100 positives): there the margin is wide
            if (t.StartsWith("Plastic")) Assert.True(interstice > 0.7 && interstice - voronoi > 0.1, $"{t}: interstice {interstice:F3} vs Voronoi index {voronoi:F3}");
        }
    }

    [Fact]
    public void ResultsJsonHasTheInterfaceRows()
    {
        AssertRan();
        foreach (var t in Tasks)
            foreach (var (rep, features) in new[] { ("interstice", 80), ("voronoi-index", 6) })
            {
                var r = Row(t, rep);
                Assert.Equal(features, r.GetProperty("features").GetInt32());
                double mean = r.GetProperty("roc_auc_mean").GetDouble(), std = r.GetProperty("roc_auc_std").GetDouble();
                Assert.InRange(mean, 0, 1);
                Assert.InRange(std, 1e-6, 0.5);
            }
        var transfer = run.Results.GetProperty("transfer").EnumerateArray().ToList();
        Assert.Equal(6, transfer.Count);
        var between = transfer.Single(x => x.GetProperty("task").GetString() == "L-Eact" && x.GetProperty("representation").GetString() == "interstice");
        Assert.Equal("Cu64Zr36+Cu50Zr50", between.GetProperty("train").GetString());
        Assert.Equal("Cu64Zr36", between.GetProperty("test").GetString());
        Assert.Equal("plastic@0.02", between.GetProperty("label").GetString());
        foreach (var x in transfer)
        {
            Assert.Equal(x.GetProperty("representation").GetString() == "interstice" ? 80 : 6, x.GetProperty("features").GetInt32());
            Assert.InRange(x.GetProperty("roc_auc_mean").GetDouble(), 0, 1);
            Assert.True(x.GetProperty("roc_auc_std").GetDouble() >= 0);
        }
        string md = File.ReadAllText(Path.Combine(run.Output, "results.md"));
        Assert.Contains("| Representation | Features | H-Eact | L-Eact | Plastic-2% | Plastic-10% | Paper's Table 1: H-Eact / L-Eact (features) |", md);
        // the paper's values beside ours: in the table and in results.json for the activation tasks only
        Assert.Equal(0.942, Row("H-Eact", "interstice").GetProperty("paper_roc_auc_mean").GetDouble());
        Assert.Equal(0.016, Row("L-Eact", "voronoi-index").GetProperty("paper_roc_auc_std").GetDouble());
        Assert.False(Row("Plastic-10%", "interstice").TryGetProperty("paper_roc_auc_mean", out _));
        string Auc(string t, string rep) => $"{Row(t, rep).GetProperty("roc_auc_mean").GetDouble().ToString("F3", CultureInfo.InvariantCulture)} ± {Row(t, rep).GetProperty("roc_auc_std").GetDouble().ToString("F3", CultureInfo.InvariantCulture)}";
        Assert.Contains($"| interstice | 80 | {string.Join(" | ", Tasks.Select(t => Auc(t, "interstice")))} | 0.942 / 0.888 (80) |", md);
        // the run prints the same tables
        Assert.Contains($"| voronoi-index | 6 | {string.Join(" | ", Tasks.Select(t => Auc(t, "voronoi-index")))} | 0.750 / 0.628 (5 + 1) |", run.Result.Out);
    }

    [Fact]
    public void TheCommandsOneByOneGiveTheSameScores()
    {
        AssertRan();
        using var dir = new TempDir();
        string shear = Path.Combine(ReducedDemoRun.Glass("Cu64Zr36"), "shear");
        Assert.Equal(0, CliRunner.Run("featurize", Path.Combine(ReducedDemoRun.Glass("Cu64Zr36"), "glass.dump.gz"), "--elements", "Cu,Zr", "--out", dir.File("f.csv")).Code);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Path.Combine(shear, "reference.dump.gz"), "--deformed", Path.Combine(shear, "sheared.dump.gz"), "--out", dir.File("d.csv")).Code);
        var r = CliRunner.Run("train", "--features", dir.File("f.csv"), "--labels", dir.File("d.csv"), "--label-frame", "4", "--target", "plastic", "--seed", "7", "--reduce", "5", "--out", dir.File("model"));
        Assert.True(r.Code == 0, r.Err);
        var metrics = JsonDocument.Parse(File.ReadAllText(dir.File("model/metrics.json"))).RootElement.GetProperty("roc_auc");
        var row = Row("Plastic-10%", "interstice");
        Assert.Equal(row.GetProperty("roc_auc_mean").GetDouble(), metrics.GetProperty("mean").GetDouble(), 12);
        Assert.Equal(row.GetProperty("roc_auc_std").GetDouble(), metrics.GetProperty("std").GetDouble(), 12);
    }

    [Fact]
    public void LabelsAreThoseOfTheLabelCommands()
    {
        AssertRan();
        using var dir = new TempDir();
        var labels = KeyedTable.Read(Path.Combine(run.Output, "labels", "Cu64Zr36.csv"));
        // plastic sites: softspot label d2min on the same shear run; the frame at 10 % strain is the last of five
        string d2min = dir.File("d2min.csv");
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Path.Combine(ReducedDemoRun.Glass("Cu64Zr36"), "shear", "reference.dump.gz"),
            "--deformed", Path.Combine(ReducedDemoRun.Glass("Cu64Zr36"), "shear", "sheared.dump.gz"), "--out", d2min).Code);
        var d = KeyedTable.Read(d2min);
        var byId = Enumerable.Range(0, d.Rows).Where(r => d.Keys[r].Frame == 4).ToDictionary(r => d.Keys[r].Id);
        for (int r = 0; r < labels.Rows; r++)
        {
            int k = byId[labels.Keys[r].Id];
            Assert.Equal(d[k, d.IndexOf("plastic")], labels[r, labels.IndexOf("plastic@0.1")]);
            Assert.Equal(d[k, d.IndexOf("d2min")], labels[r, labels.IndexOf("d2min@0.1")]);
        }
        Assert.Equal(100, labels.Column("plastic@0.1").Count(v => v == 1));
        // activation labels: softspot label activation on the same events, pooled over both glasses; the
        // participation-weighted diagnostic's: the same with --assign participants
        int Compare(string assign, string suffix)
        {
            string eact = dir.File($"eact-{assign}.csv");
            var r = CliRunner.Run("label", "activation", "--events", run.Dir.File("Cu64Zr36.events.csv"), run.Dir.File("Cu50Zr50.events.csv"),
                "--tail", "0.25", "--min-events", "2", "--assign", assign, "--out", eact);
            Assert.True(r.Code == 0, r.Err);
            var a = KeyedTable.Read(eact);
            int compared = 0;
            foreach (var (glass, frame) in new[] { ("Cu64Zr36", 0), ("Cu50Zr50", 1) })
            {
                var l = KeyedTable.Read(Path.Combine(run.Output, "labels", glass + ".csv"));
                Assert.Equal(2000, l.Rows);
                var rows = Enumerable.Range(0, l.Rows).ToDictionary(r => l.Keys[r].Id);
                for (int i = 0; i < a.Rows; i++)
                {
                    if (a.Keys[i].Frame != frame) continue;
                    int k = rows[a.Keys[i].Id];
                    foreach (var c in new[] { "h_eact", "l_eact", "eact_mean" })
                    {
                        double expected = a[i, a.IndexOf(c)], actual = l[k, l.IndexOf(c + suffix)];
                        Assert.True(expected.Equals(actual), $"{glass} atom {a.Keys[i].Id} {c}{suffix}: {actual} vs {expected}");
                    }
                    compared++;
                }
            }
            return compared;
        }
        int compared = Compare("initiator", ""), participants = Compare("participants", "_participants");
        Assert.True(compared >= 400, $"{compared} atoms with events");
        Assert.True(participants > compared, $"participation labels {participants} atoms, initiators {compared}");
    }

    [Fact]
    public void DiagnosticsStandBesideTheScores()
    {
        AssertRan();
        var diagnostics = run.Results.GetProperty("diagnostics").EnumerateArray().Where(d => d.GetProperty("kind").GetString() is "participants" or "blocked").ToList();
        // the first preset on every task with blocked folds, and on the two activation tasks with participation labels
        Assert.Equal(Tasks.Length + 2, diagnostics.Count);
        // and on those two with both
        var both = run.Results.GetProperty("diagnostics").EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "participants_blocked").ToList();
        Assert.Equal(["H-Eact", "L-Eact"], both.Select(d => d.GetProperty("task").GetString()!));
        foreach (var d in both)
        {
            var participants = diagnostics.Single(x => x.GetProperty("kind").GetString() == "participants" && x.GetProperty("task").GetString() == d.GetProperty("task").GetString());
            Assert.Equal(participants.GetProperty("labelled_atoms").GetInt32(), d.GetProperty("labelled_atoms").GetInt32());
            diagnostics.Add(d);
        }
        Assert.All(diagnostics, d => Assert.Equal("interstice", d.GetProperty("representation").GetString()));
        Assert.Equal(2, diagnostics.Count(d => d.GetProperty("kind").GetString() == "participants"));
        string md = File.ReadAllText(Path.Combine(run.Output, "results.md"));
        Assert.Contains("### Diagnostics: how much of a score is neighbourhood leakage", md);
        string figure = Regex.Match(run.ReportDom, "<figure id=\"diagnostics\">.*?</figure>").Value;
        foreach (var d in diagnostics)
        {
            string task = d.GetProperty("task").GetString()!, kind = d.GetProperty("kind").GetString()!;
            Assert.Equal(Row(task, "interstice").GetProperty("roc_auc_mean").GetDouble(), d.GetProperty("main_roc_auc_mean").GetDouble());
            double auc = d.GetProperty("roc_auc_mean").GetDouble();
            Assert.InRange(auc, 0, 1);
            Assert.Contains($"class=\"diagnostic-{kind}\" data-value=\"{auc.ToString("R", CultureInfo.InvariantCulture)}\"", figure);
            if (kind == "blocked") Assert.Matches("blocks of at least 10 A; \\d+ % of the training candidates are farther than 5 A", d.GetProperty("detail").GetString());
            Assert.Contains($"| {task} | interstice | ", md);
        }
        Assert.Equal(Tasks.Length, Regex.Matches(figure, "class=\"diagnostic-main\"").Count);
    }

    [Fact]
    public void RegressionScoresTheSameTails()
    {
        AssertRan();
        var regression = run.Results.GetProperty("diagnostics").EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "regression").ToList();
        Assert.Equal(Tasks, regression.Select(d => d.GetProperty("task").GetString()!));
        string md = File.ReadAllText(Path.Combine(run.Output, "results.md"));
        Assert.Contains("### Diagnostics: the tails from a regression", md);
        string figure = Regex.Match(run.ReportDom, "<figure id=\"diagnostics\">.*?</figure>").Value;
        foreach (var d in regression)
        {
            string task = d.GetProperty("task").GetString()!;
            var main = Row(task, "interstice");
            // the same atoms and positives as the protocol, every one of them trained on
            Assert.Equal(main.GetProperty("labelled_atoms").GetInt32(), d.GetProperty("labelled_atoms").GetInt32());
            Assert.Equal(main.GetProperty("positive").GetInt32(), d.GetProperty("positive").GetInt32());
            Assert.Contains("no undersampling", d.GetProperty("detail").GetString());
            Assert.Contains(task.StartsWith("Plastic") ? "D2min's rank within its glass" : "the per-atom mean E_act", d.GetProperty("detail").GetString());
            double auc = d.GetProperty("roc_auc_mean").GetDouble();
            // the 25 % tails of the shipped events' means and the top 5 % of D2min: the regression ranks them well above chance
            Assert.InRange(auc, 0.6, 1);
            Assert.Contains($"class=\"diagnostic-regression\" data-value=\"{auc.ToString("R", CultureInfo.InvariantCulture)}\"", figure);
            Assert.Contains(FormattableString.Invariant($"| {task} | interstice | {main.GetProperty("roc_auc_mean").GetDouble():F3} ± {main.GetProperty("roc_auc_std").GetDouble():F3} | {auc:F3} ± "), md);
        }
    }

    [Fact]
    public void LearningCurvesStandBesideTheScores()
    {
        AssertRan();
        var all = run.Results.GetProperty("diagnostics").EnumerateArray().ToList();
        var fewerAtoms = all.Where(d => d.GetProperty("kind").GetString() == "fewer_atoms").ToList();
        var fewerSearches = all.Where(d => d.GetProperty("kind").GetString() == "fewer_searches").ToList();
        // every task on half its labelled atoms, the two activation tasks with labels from half of each atom's searches
        Assert.Equal(Tasks, fewerAtoms.Select(d => d.GetProperty("task").GetString()!));
        Assert.Equal(["H-Eact", "L-Eact"], fewerSearches.Select(d => d.GetProperty("task").GetString()!));
        string md = File.ReadAllText(Path.Combine(run.Output, "results.md"));
        Assert.Contains("### Diagnostics: what more data would buy", md);
        Assert.Contains("| Task | Representation | 0.5 of the atoms | all (3 x 5 protocol) | per doubling of atoms | 0.5 of the searches | per doubling of searches |", md);
        string figures = Regex.Match(run.ReportDom, "<figure id=\"learning-curve-atoms\">.*?</figure>").Value + Regex.Match(run.ReportDom, "<figure id=\"learning-curve-searches\">.*?</figure>").Value;
        var curve = run.Results.GetProperty("learning_curve").EnumerateArray().ToList();
        foreach (var d in fewerAtoms.Concat(fewerSearches))
        {
            string task = d.GetProperty("task").GetString()!, kind = d.GetProperty("kind").GetString()!;
            var main = Row(task, "interstice");
            Assert.Equal(0.5, d.GetProperty("fraction").GetDouble());
            double auc = d.GetProperty("roc_auc_mean").GetDouble(), full = main.GetProperty("roc_auc_mean").GetDouble();
            Assert.InRange(auc, 0.3, 1);
            int rows = d.GetProperty("labelled_atoms").GetInt32(), mainRows = main.GetProperty("labelled_atoms").GetInt32();
            int pos = d.GetProperty("positive").GetInt32(), mainPos = main.GetProperty("positive").GetInt32();
            if (kind == "fewer_atoms")
            {
                // half of each class, rounded half away from zero
                Assert.Equal((int)Math.Round(mainPos / 2.0, MidpointRounding.AwayFromZero), pos);
                Assert.Equal((int)Math.Round(mainPos / 2.0, MidpointRounding.AwayFromZero) + (int)Math.Round((mainRows - mainPos) / 2.0, MidpointRounding.AwayFromZero), rows);
            }
            else Assert.Equal(mainRows, rows);  // the same atoms, relabelled
            // two points (the half and the whole): the gain per doubling is their difference
            var c = curve.Single(x => x.GetProperty("task").GetString() == task);
            Assert.Equal(full - auc, c.GetProperty(kind == "fewer_atoms" ? "atoms_per_doubling" : "searches_per_doubling").GetDouble(), 12);
            Assert.Contains($"class=\"learning-curve-point\" data-value=\"{auc.ToString("R", CultureInfo.InvariantCulture)}\"", figures);
        }
        Assert.Contains(FormattableString.Invariant($"r = {run.Results.GetProperty("label_reliability").GetProperty("half_correlation").GetDouble():F3} between the halves' means"), md);
    }

    /// <summary>
    /// The fewer-searches labels (each labelled atom's first half of its converged searches, rounded up) and the
    /// split-half reliability (odd and even searches) recomputed from the events files with Python and numpy.
    /// </summary>
    [Fact]
    public void FewerSearchesAndReliabilityEqualNumpy()
    {
        AssertRan();
        using var dir = new TempDir();
        File.WriteAllText(dir.File("reference.py"), $$"""
            import csv, json, math, numpy as np
            means, halves = {}, []
            for frame, glass in enumerate(["Cu64Zr36", "Cu50Zr50"]):
                atoms = {}
                with open("{{run.Dir.Path}}/" + glass + ".events.csv") as f:
                    for row in csv.DictReader(f):
                        if row["converged"] == "1":
                            atoms.setdefault(int(row["atom_id"]), []).append((int(row["search"]), float(row["eact"])))
                for atom, ev in atoms.items():
                    if len(ev) < 2: continue
                    e = [x for _, x in sorted(ev)]
                    means[f"{glass} {atom}"] = float(np.mean(e[:math.ceil(0.5 * len(e))]))
                    halves.append((np.mean(e[0::2]), np.mean(e[1::2])))
            h = np.array(halves)
            print(json.dumps({"means": means, "r": float(np.corrcoef(h[:, 0], h[:, 1])[0, 1]), "atoms": len(halves)}))
            """);
        var numpy = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", [dir.File("reference.py")], dir.Path)).RootElement;
        var reliability = run.Results.GetProperty("label_reliability");
        Assert.Equal(numpy.GetProperty("atoms").GetInt32(), reliability.GetProperty("atoms").GetInt32());
        Assert.Equal(numpy.GetProperty("r").GetDouble(), reliability.GetProperty("half_correlation").GetDouble(), 12);
        double r = numpy.GetProperty("r").GetDouble();
        Assert.Equal(2 * r / (1 + r), reliability.GetProperty("spearman_brown").GetDouble(), 12);
        var expected = numpy.GetProperty("means").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetDouble());
        int compared = 0;
        foreach (var glass in new[] { "Cu64Zr36", "Cu50Zr50" })
        {
            var l = KeyedTable.Read(Path.Combine(run.Output, "labels", glass + ".csv"));
            int mean = l.IndexOf("eact_mean_searches0.5"), high = l.IndexOf("h_eact_searches0.5");
            for (int i = 0; i < l.Rows; i++)
            {
                bool labelled = expected.TryGetValue($"{glass} {l.Keys[i].Id}", out double e);
                Assert.Equal(labelled, !double.IsNaN(l[i, high]));
                if (!labelled) continue;
                Assert.Equal(e, l[i, mean], 12);
                compared++;
            }
        }
        Assert.Equal(expected.Count, compared);
    }

    [Fact]
    public void PredictionsAreTheModelsSoftness()
    {
        AssertRan();
        using var dir = new TempDir();
        string dump = Path.Combine(run.Output, "predictions", "Cu50Zr50.dump");
        var s = Softspot.IO.StructureFile.ReadFirst(dump);
        Assert.Equal(2000, s.Count);
        var softness = s.Column("softness_Plastic-10")?.Values ?? s.Column("softness_Plastic_10")!.Values;
        Assert.All(softness, v => Assert.InRange(v, 0, 1));
        Assert.NotNull(s.Column("plastic_0.1"));
        // the saved model predicts the same softness from the structure alone
        string model = Path.Combine(run.Output, "models", "Plastic_10.json"), out_ = dir.File("p.csv");
        Assert.Equal(0, CliRunner.Run("predict", "--model", model, Path.Combine(ReducedDemoRun.Glass("Cu50Zr50"), "glass.dump.gz"), "--elements", "Cu,Zr", "--out", out_).Code);
        var p = KeyedTable.Read(out_);
        var index = s.IndexById();
        for (int r = 0; r < p.Rows; r++) Assert.Equal(p[r, p.IndexOf("softness")], softness[index[p.Keys[r].Id]], 12);
        Assert.True(File.Exists(Path.Combine(run.Output, "predictions", "Fe80P20.dump")));
    }

    [Fact]
    public void ReportRendersInHeadlessChromium()
    {
        AssertRan();
        using var dir = new TempDir();
        string dom = run.ReportDom;
        int Count(string pattern) => Regex.Matches(dom, pattern).Count;
        string[] presets = ["interstice", "voronoi-index"];
        // every figure is there, with a caption and labelled axes (the interpretation figures: InterpretationFiguresShowResultsJson)
        string[] figures = [.. Tasks.Select(t => $"auc-{t}"), .. Tasks.Select(t => $"roc-{t}"), "eact-spectrum", "transfer", "diagnostics", "learning-curve-atoms", "learning-curve-searches", .. QuenchInSoftnessTests.Figures, .. Tasks.Select(t => $"importance-{t}"),
            .. new[] { "H-Eact", "L-Eact" }.SelectMany(t => new[] { $"interp-importance-{t}", $"interp-correlation-{t}", $"interp-violins-{t}" })];
        foreach (var id in figures) Assert.Matches($"<figure id=\"{Regex.Escape(id)}\"><svg[^>]*>.*?</svg><figcaption>[^<]+From [^<]+</figcaption></figure>", dom);
        Assert.Equal(figures.Length + 1, Count("<figure "));  // and the 3D view (below)
        // the most important features: results.json's shares of the gain
        foreach (var t in Tasks)
        {
            string fig = Regex.Match(dom, $"<figure id=\"importance-{Regex.Escape(t)}\">.*?</figure>").Value;
            Assert.Equal(Row(t, "interstice").GetProperty("importance").EnumerateArray().Select(f => f.GetProperty("share").GetDouble().ToString("R", CultureInfo.InvariantCulture)).Order(),
                Regex.Matches(fig, "class=\"importance\" data-value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Order());
        }
        Assert.True(Count("class=\"axis-label\"") >= 2 * Tasks.Length + 2, "axis labels");
        // Table 1 as dots: ours on every task and representation, the paper's on the two activation tasks, each showing results.json's number
        Assert.Equal(Tasks.Length * presets.Length, Count("<circle class=\"auc\""));
        foreach (var t in Tasks)
            foreach (var p in presets)
            {
                string fig = Regex.Match(dom, $"<figure id=\"auc-{Regex.Escape(t)}\">.*?</figure>").Value;
                double shown = Regex.Matches(fig, "<circle class=\"auc\" data-value=\"([^\"]+)\"").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                    .Single(v => v == Row(t, p).GetProperty("roc_auc_mean").GetDouble());
                if (t.EndsWith("Eact"))
                    Assert.Contains($"class=\"paper-auc\" data-value=\"{Row(t, p).GetProperty("paper_roc_auc_mean").GetDouble().ToString("R", CultureInfo.InvariantCulture)}\"", fig);
            }
        Assert.Equal(2 * presets.Length, Count("class=\"paper-auc\""));
        // ROC curves: one per task and representation; spectra: each glass with events and the pooled set, with 3 quantiles
        Assert.Equal(Tasks.Length * presets.Length, Count("<polyline class=\"roc\""));
        Assert.Equal(3, Count("<polyline class=\"spectrum\""));
        Assert.Equal(3, Count("<line class=\"quantile\""));
        var spectra = run.Results.GetProperty("spectra").EnumerateArray().ToList();
        Assert.Equal(["Cu64Zr36", "Cu50Zr50", "pooled"], spectra.Select(x => x.GetProperty("glass").GetString()!));
        Assert.Equal(spectra[0].GetProperty("atoms").GetInt32() + spectra[1].GetProperty("atoms").GetInt32(), spectra[2].GetProperty("atoms").GetInt32());
        Assert.Equal(spectra[2].GetProperty("atoms").GetInt32(), spectra[2].GetProperty("counts").EnumerateArray().Sum(c => c.GetInt32()));
        Assert.Contains($"50 %: {spectra[2].GetProperty("median").GetDouble().ToString("F2", CultureInfo.InvariantCulture)} eV", dom);
        // the transfer matrix: one cell per test and representation, each with results.json's AUC
        var transfer = run.Results.GetProperty("transfer").EnumerateArray().ToList();
        Assert.Equal(transfer.Count, Count("class=\"transfer-(cell|skipped)\""));
        foreach (var x in transfer)
            Assert.Contains($"class=\"transfer-cell\" data-value=\"{x.GetProperty("roc_auc_mean").GetDouble().ToString("R", CultureInfo.InvariantCulture)}\"", dom);
        Assert.Contains("Cu64Zr36+Cu50Zr50", dom);
        Assert.Matches("<figure id=\"transfer\">.*?<g class=\"colour-bar\">.*?>0.5</text>.*?</figure>", dom);
        // the 3D view: a glass no model of the task saw (Cu50Zr50 under the Plastic-2% model), every atom drawn at threshold 0
        var view = Regex.Match(dom, "<figure id=\"softness-3d\" class=\"softness-view\" data-drawn=\"(\\d+)\" data-ms=\"(\\d+)\">");
        Assert.True(view.Success, "no drawn 3D view");
        Assert.Equal(2000, int.Parse(view.Groups[1].Value));
        Assert.Contains("Cu50Zr50: 2000 atoms coloured by the softness predicted by the Plastic-2% model (interstice), never trained on Cu50Zr50", dom);
        // and it draws: a screenshot of the page is not blank
        string png = dir.File("report.png");
        Chromium.Screenshot(Path.Combine(run.Output, "report.html"), png, "1100,2400", dir);
        Assert.True(new FileInfo(png).Length > 50_000, "the screenshot is nearly empty");
    }

    private List<JsonElement> Interpretation() => [.. run.Results.GetProperty("interpretation").EnumerateArray()];

    private static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(v => v.GetDouble())];

    /// <summary>The data-value of every mark of a kind in one figure of the DOM, in document order.</summary>
    private static double[] Marks(string dom, string figure, string element, string kind)
    {
        string fig = Regex.Match(dom, $"<figure id=\"{Regex.Escape(figure)}\">.*?</figure>", RegexOptions.Singleline).Value;
        Assert.False(fig.Length == 0, $"no figure {figure}");
        return [.. Regex.Matches(fig, $"<{element} class=\"{Regex.Escape(kind)}\" data-value=\"([^\"]+)\"").Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    [Fact]
    public void InterpretationCoversTheActivationTasksOfTheFirstPreset()
    {
        AssertRan();
        var interpretation = Interpretation();
        // the activation tasks (h_eact, l_eact) learnt from the first preset; none of the plastic tasks, none of voronoi-index
        Assert.Equal(["H-Eact", "L-Eact"], interpretation.Select(x => x.GetProperty("task").GetString()!));
        foreach (var x in interpretation)
        {
            string task = x.GetProperty("task").GetString()!;
            Assert.Equal("interstice", x.GetProperty("representation").GetString());
            Assert.Equal(Row(task, "interstice").GetProperty("labelled_atoms").GetInt32(), x.GetProperty("rows").GetInt32());
            var features = x.GetProperty("features").EnumerateArray().ToList();
            // the `reduce` (5) features of the reduction, by decreasing gain share of the 15 reduced models
            Assert.Equal(Row(task, "interstice").GetProperty("reduced_features").EnumerateArray().Select(f => f.GetString()!).Order(),
                features.Select(f => f.GetProperty("name").GetString()!).Order());
            var gain = features.Select(f => f.GetProperty("gain").GetDouble()).ToList();
            Assert.Equal(gain.OrderByDescending(g => g), gain);
            Assert.Equal(1, gain.Sum(), 1e-12);
            Assert.Equal(1, features.Sum(f => f.GetProperty("shap_share").GetDouble()), 1e-12);
            Assert.All(features, f => Assert.True(f.GetProperty("shap").GetDouble() > 0, "a kept feature with no |SHAP|"));
            Assert.Equal(["H", "middle", "L"], x.GetProperty("groups").EnumerateArray().Select(g => g.GetString()!));
        }
        Assert.Contains("### Interpretation of H-Eact (interstice, the 5 reduced features)", File.ReadAllText(Path.Combine(run.Output, "results.md")));
    }

    [Fact]
    public void InterpretationEqualsNumpyAndScipyOnTheLabelledAtoms()
    {
        AssertRan();
        using var dir = new TempDir();
        string[] glasses = ["Cu64Zr36", "Cu50Zr50"];
        var features = glasses.ToDictionary(g => g, g =>
        {
            string csv = dir.File($"{g}.csv");
            var r = CliRunner.Run("featurize", Path.Combine(ReducedDemoRun.Glass(g), "glass.dump.gz"), "--elements", "Cu,Zr", "--preset", "interstice", "--out", csv);
            Assert.True(r.Code == 0, r.Err);
            return KeyedTable.Read(csv);
        });
        foreach (var x in Interpretation())
        {
            // the task's labelled atoms from labels/GLASS.csv, with their group (H: h_eact = 1, L: l_eact = 1, the rest: middle) and the kept features
            string task = x.GetProperty("task").GetString()!;
            var names = x.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
            var lines = new List<string>();
            foreach (var g in glasses)
            {
                var labels = KeyedTable.Read(Path.Combine(run.Output, "labels", g + ".csv"));
                var f = features[g];
                var row = Enumerable.Range(0, f.Rows).ToDictionary(r => f.Keys[r].Id);
                for (int r = 0; r < labels.Rows; r++)
                {
                    double high = labels[r, labels.IndexOf("h_eact")], low = labels[r, labels.IndexOf("l_eact")];
                    if (double.IsNaN(high)) continue;
                    int k = row[labels.Keys[r].Id];
                    lines.Add(string.Join(",", [high == 1 ? "0" : low == 1 ? "2" : "1", .. names.Select(n => f[k, f.IndexOf(n)].ToString("R", CultureInfo.InvariantCulture))]));
                }
            }
            Assert.Equal(x.GetProperty("rows").GetInt32(), lines.Count);
            File.WriteAllLines(dir.File("atoms.csv"), lines);
            File.WriteAllText(dir.File("interpretation.json"), x.GetRawText());
            File.WriteAllText(dir.File("reference.py"), Reference);
            var numpy = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", [dir.File("reference.py")], dir.Path)).RootElement;

            var corr = x.GetProperty("correlation").EnumerateArray().SelectMany(Doubles).ToArray();
            var expected = Doubles(numpy.GetProperty("corr"));
            Assert.Equal(names.Count * names.Count, corr.Length);
            for (int k = 0; k < corr.Length; k++)
                Assert.True(Math.Abs(corr[k] - expected[k]) <= 1e-12, $"{task} r[{k / names.Count},{k % names.Count}] = {corr[k]:R} vs numpy {expected[k]:R}");
            var features_ = x.GetProperty("features").EnumerateArray().ToList();
            var reference = numpy.GetProperty("features").EnumerateArray().ToList();
            for (int a = 0; a < names.Count; a++)
            {
                Assert.Equal(reference[a].GetProperty("mean").GetDouble(), features_[a].GetProperty("mean").GetDouble(), 1e-12 * Math.Max(1, Math.Abs(reference[a].GetProperty("mean").GetDouble())));
                Assert.Equal(reference[a].GetProperty("std").GetDouble(), features_[a].GetProperty("std").GetDouble(), 1e-12);
                var groups = features_[a].GetProperty("groups").EnumerateArray().ToList();
                var refGroups = reference[a].GetProperty("groups").EnumerateArray().ToList();
                for (int g = 0; g < 3; g++)
                {
                    var (ours, theirs) = (groups[g], refGroups[g]);
                    string what = $"{task} {names[a]} group {ours.GetProperty("group").GetString()}";
                    Assert.Equal(theirs.GetProperty("n").GetInt32(), ours.GetProperty("n").GetInt32());
                    Assert.True(ours.GetProperty("n").GetInt32() >= 100, what);
                    foreach (var q in new[] { "q1", "median", "q3", "bandwidth" })
                        Assert.True(Math.Abs(ours.GetProperty(q).GetDouble() - theirs.GetProperty(q).GetDouble()) <= 1e-12, $"{what} {q}: {ours.GetProperty(q).GetDouble():R} vs {theirs.GetProperty(q).GetDouble():R}");
                    // the grid spans the group's z-scores (np.linspace(min, max, 50)); the density is scipy's gaussian_kde on it
                    double[] grid = Doubles(ours.GetProperty("grid")), density = Doubles(ours.GetProperty("density"));
                    double[] refGrid = Doubles(theirs.GetProperty("grid")), refDensity = Doubles(theirs.GetProperty("density"));
                    Assert.Equal(50, grid.Length);
                    for (int p = 0; p < grid.Length; p++)
                    {
                        Assert.True(Math.Abs(grid[p] - refGrid[p]) <= 1e-12, $"{what} grid[{p}]: {grid[p]:R} vs {refGrid[p]:R}");
                        Assert.True(Math.Abs(density[p] - refDensity[p]) <= 1e-10 * Math.Max(1, refDensity[p]), $"{what} density[{p}]: {density[p]:R} vs scipy {refDensity[p]:R}");
                    }
                }
            }
        }
    }

    /// <summary>
    /// numpy and scipy on the labelled atoms (atoms.csv: group index, then the kept features in results.json's order):
    /// np.corrcoef, z-scores with np.std (ddof 0), np.percentile per group, np.linspace(min, max, 50) of the group's
    /// z-scores and scipy.stats.gaussian_kde (Scott's rule) evaluated on results.json's grid.
    /// </summary>
    private const string Reference = """
import json
import numpy as np
from scipy.stats import gaussian_kde

data = np.loadtxt("atoms.csv", delimiter=",", ndmin=2)
ours = json.load(open("interpretation.json"))
group, X = data[:, 0].astype(int), data[:, 1:]
out = {"corr": np.corrcoef(X, rowvar=False).ravel().tolist(), "features": []}
for a, f in enumerate(ours["features"]):
    x = X[:, a]
    mean, std = x.mean(), x.std()
    z = (x - mean) / std
    groups = []
    for g in range(3):
        v = z[group == g]
        kde = gaussian_kde(v)
        groups.append({"n": int(v.size), "q1": np.percentile(v, 25), "median": np.percentile(v, 50), "q3": np.percentile(v, 75),
                       "bandwidth": float(np.sqrt(kde.covariance[0, 0])), "grid": np.linspace(v.min(), v.max(), 50).tolist(),
                       "density": kde(np.array(f["groups"][g]["grid"])).tolist()})
    out["features"].append({"mean": mean, "std": std, "groups": groups})
print(json.dumps(out))
""";

    [Fact]
    public void InterpretationFiguresShowResultsJson()
    {
        AssertRan();
        string dom = run.ReportDom;
        foreach (var x in Interpretation())
        {
            string task = x.GetProperty("task").GetString()!;
            var features = x.GetProperty("features").EnumerateArray().ToList();
            int k = features.Count;
            // paired bars: gain share and |SHAP| share of each feature, in results.json's order, names readable on the axis
            Assert.Equal(features.Select(f => f.GetProperty("gain").GetDouble()), Marks(dom, $"interp-importance-{task}", "rect", "gain-share"));
            Assert.Equal(features.Select(f => f.GetProperty("shap_share").GetDouble()), Marks(dom, $"interp-importance-{task}", "rect", "shap-share"));
            string importance = Regex.Match(dom, $"<figure id=\"interp-importance-{Regex.Escape(task)}\">.*?</figure>", RegexOptions.Singleline).Value;
            foreach (var f in features) Assert.Contains($">{f.GetProperty("name").GetString()}</text>", importance);
            Assert.Contains("class=\"legend\"", importance);
            // the correlation map: k x k cells with r, row by row, and a colour bar from -1 to 1
            var r = x.GetProperty("correlation").EnumerateArray().SelectMany(Doubles).ToArray();
            Assert.Equal(r, Marks(dom, $"interp-correlation-{task}", "rect", "corr-cell"));
            Assert.Equal(k * k, r.Length);
            for (int a = 0; a < k; a++) Assert.Equal(1, r[a * k + a], 12);
            string map = Regex.Match(dom, $"<figure id=\"interp-correlation-{Regex.Escape(task)}\">.*?</figure>", RegexOptions.Singleline).Value;
            Assert.Matches("<g class=\"colour-bar\">.*>-1</text>.*>0</text>.*>1</text>", map);
            // violins: one per feature and group (its data-value: the group's atoms), the median and the quartiles of results.json
            var groups = features.SelectMany(f => f.GetProperty("groups").EnumerateArray()).ToList();
            string violins = $"interp-violins-{task}";
            Assert.Equal(groups.Select(g => (double)g.GetProperty("n").GetInt32()), Marks(dom, violins, "path", "violin"));
            Assert.Equal(groups.Select(g => g.GetProperty("median").GetDouble()), Marks(dom, violins, "circle", "violin-median"));
            Assert.Equal(groups.Select(g => g.GetProperty("q1").GetDouble()), Marks(dom, violins, "polyline", "violin-q1"));
            Assert.Equal(groups.Select(g => g.GetProperty("q3").GetDouble()), Marks(dom, violins, "polyline", "violin-q3"));
            // each violin's outline: the KDE grid drawn on both sides (2 x 50 vertices)
            string fig = Regex.Match(dom, $"<figure id=\"{violins}\">.*?</figure>", RegexOptions.Singleline).Value;
            foreach (Match m in Regex.Matches(fig, "<path class=\"violin\" data-value=\"[^\"]+\" d=\"([^\"]+)\""))
                Assert.Equal(2 * 50, Regex.Matches(m.Groups[1].Value, "[ML]").Count);
            Assert.Contains("z-score (x − mean) / std over the", fig);
            string legend = Regex.Matches(fig, "<g class=\"legend\">.*?</g>", RegexOptions.Singleline).Single().Value;
            foreach (var g in features[0].GetProperty("groups").EnumerateArray())
                Assert.Contains($">{g.GetProperty("group").GetString()} ({g.GetProperty("n").GetInt32()} atoms)</text>", legend);
        }
    }

    [Fact]
    public void SameSeedSameResultsWhateverTheThreads()
    {
        AssertRan();
        string Run(int threads)
        {
            string output = run.Dir.File($"det{threads}"), file = run.Dir.File($"det{threads}.yaml");
            File.WriteAllText(file, run.PipelineYaml(output, trees: 30, threads: threads, presets: "[interstice]", transfers: false, diagnostics: false));
            var r = CliRunner.Run("run", file);
            Assert.True(r.Code == 0, r.Err);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
            return json.GetProperty("rows").GetRawText() + json.GetProperty("quench_in_softness").GetRawText();
        }
        Assert.Equal(Run(1), Run(2));
    }
}
