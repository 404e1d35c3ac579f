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

    public static string Glass(string name) => Paths.Data($"glasses/{name}");

    public ReducedDemoRun()
    {
        // the events are copied: a campaign may be appending to the shipped files while the tests run
        foreach (var g in new[] { "Cu64Zr36", "Cu50Zr50" }) File.Copy(Path.Combine(Glass(g), "art", "events.csv"), Dir.File($"{g}.events.csv"));
        File.WriteAllText(Pipeline, PipelineYaml(Output, trees: 300, threads: 2));
        Result = CliRunner.Run("run", Pipeline);
        if (Result.Code == 0) Results = JsonDocument.Parse(File.ReadAllText(Path.Combine(Output, "results.json"))).RootElement;
    }

    public string PipelineYaml(string output, int trees, int threads, string presets = "[interstice, voronoi-index]", bool transfers = true) => $$"""
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
        quench_in_softness: {glass: Cu64Zr36, strain: 0.02, strains: [0.02, 0.1]}
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
        // activation labels: softspot label activation on the same events, pooled over both glasses
        string eact = dir.File("eact.csv");
        Assert.Equal(0, CliRunner.Run("label", "activation", "--events", run.Dir.File("Cu64Zr36.events.csv"), run.Dir.File("Cu50Zr50.events.csv"),
            "--tail", "0.25", "--min-events", "2", "--out", eact).Code);
        var a = KeyedTable.Read(eact);
        int compared = 0;
        foreach (var (glass, frame) in new[] { ("Cu64Zr36", 0), ("Cu50Zr50", 1) })
        {
            var l = KeyedTable.Read(Path.Combine(run.Output, "labels", glass + ".csv"));
            var rows = Enumerable.Range(0, l.Rows).ToDictionary(r => l.Keys[r].Id);
            for (int r = 0; r < a.Rows; r++)
            {
                if (a.Keys[r].Frame != frame) continue;
                int k = rows[a.Keys[r].Id];
                foreach (var c in new[] { "h_eact", "l_eact", "eact_mean" })
                {
                    double expected = a[r, a.IndexOf(c)], actual = l[k, l.IndexOf(c)];
                    Assert.True(expected.Equals(actual), $"{glass} atom {a.Keys[r].Id} {c}: {actual} vs {expected}");
                }
                compared++;
            }
            Assert.Equal(2000, l.Rows);
        }
        Assert.True(compared >= 400, $"{compared} atoms with events");
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
        string dom = Chromium.DumpDom(Path.Combine(run.Output, "report.html"), dir);
        int Count(string pattern) => Regex.Matches(dom, pattern).Count;
        string[] presets = ["interstice", "voronoi-index"];
        // every figure is there, with a caption and labelled axes
        string[] figures = [.. Tasks.Select(t => $"auc-{t}"), .. Tasks.Select(t => $"roc-{t}"), "eact-spectrum", "transfer", .. QuenchInSoftnessTests.Figures];
        foreach (var id in figures) Assert.Matches($"<figure id=\"{Regex.Escape(id)}\"><svg[^>]*>.*?</svg><figcaption>[^<]+From [^<]+</figcaption></figure>", dom);
        Assert.Equal(figures.Length + 1, Count("<figure "));  // and the 3D view (below)
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

    [Fact]
    public void SameSeedSameResultsWhateverTheThreads()
    {
        AssertRan();
        string Run(int threads)
        {
            string output = run.Dir.File($"det{threads}"), file = run.Dir.File($"det{threads}.yaml");
            File.WriteAllText(file, run.PipelineYaml(output, trees: 30, threads: threads, presets: "[interstice]", transfers: false));
            var r = CliRunner.Run("run", file);
            Assert.True(r.Code == 0, r.Err);
            var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "results.json"))).RootElement;
            return json.GetProperty("rows").GetRawText() + json.GetProperty("quench_in_softness").GetRawText();
        }
        Assert.Equal(Run(1), Run(2));
    }
}
