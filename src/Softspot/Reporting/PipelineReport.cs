using System.Globalization;
using System.Net;
using System.Text;
using Softspot.Learning;
using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// report.html of a pipeline run: self-contained (inline SVG, no scripts): ROC-AUC of every representation on every
/// task as dots with their std beside the 2020 paper's Table 1, the ROC curves of the test folds, the activation-energy
/// spectra, the transfer tests as a matrix, the labels, the most important features per task and, for the activation
/// tasks, the interpretation of the reduced features (<see cref="InterpretationFigures"/>). Every figure has
/// labelled axes with units, a legend and a caption naming the files it comes from; the numbers it shows are those
/// of results.json (in the marks' data-value attributes).
/// </summary>
public static class PipelineReport
{
    private static string F(double v, string f = "F3") => v.ToString(f, CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static readonly string[] Palette = ["#1b6ca8", "#d1495b", "#edae49", "#66a182", "#8d6a9f", "#2e4057", "#00798c", "#a26769"];

    /// <summary>The report; <paramref name="view"/> adds the 3D view of one glass's predicted softness.</summary>
    public static string Html(PipelineResults r, string title, SoftnessView? view = null)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,td.t{text-align:left}")
          .Append("svg{background:#fff;border:1px solid #ddd}figure{display:inline-block;vertical-align:top;margin:6px}")
          .Append("figcaption{max-width:440px;font-size:12px;color:#444}</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1><p>")
          .Append(E(string.Join("; ", r.Glasses.Select(g => $"{g.Glass}: {g.Atoms} atoms ({g.Elements})")))).Append(". ")
          .Append(E($"Protocol: 3 balanced undersampled subsets x 5-fold cross-validation; {r.Config.Learning.Engine} gradient boosting ({r.Config.Learning.Trees} trees, depth {r.Config.Learning.Depth}); seed {r.Config.Seed}.")).Append("</p>");
        if (r.ActivationNote is { } note) sb.Append("<p>Activation labels: ").Append(E(note)).Append(".</p>");

        sb.Append("<h2>ROC-AUC by task and representation</h2><div class=\"figs\">");
        foreach (var t in r.Config.Tasks) sb.Append(AucDots(r, t));
        sb.Append("</div>");
        sb.Append("<table><tr><th>Representation</th><th>Features</th>");
        foreach (var t in r.Config.Tasks) sb.Append("<th>").Append(E(t.Name)).Append("</th>");
        sb.Append("</tr>");
        foreach (var p in r.Config.Presets)
        {
            var row = r.Config.Tasks.Select(t => r.Task(t.Name, p)).ToList();
            sb.Append("<tr><td>").Append(E(p)).Append("</td><td>").Append(string.Join("/", row.Select(x => x.Features).Distinct())).Append("</td>");
            foreach (var x in row)
            {
                sb.Append("<td>").Append(F(x.Scores.RocAuc.Mean)).Append(" &plusmn; ").Append(F(x.Scores.RocAuc.Std));
                if (x.Reduced is { } red) sb.Append("<br><small>").Append(x.ReducedFeatures.Count).Append(" features: ").Append(F(red.RocAuc.Mean)).Append("</small>");
                sb.Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");

        sb.Append("<h2>ROC curves (test folds)</h2><div class=\"figs\">");
        foreach (var t in r.Config.Tasks) sb.Append(RocCurves(r, t));
        sb.Append("</div>");
        if (r.Spectra.Count > 0) sb.Append("<h2>Activation-energy spectra</h2>").Append(Spectra(r));
        if (view is not null)
            sb.Append("<h2>Predicted softness in 3D</h2>").Append(SoftnessViewer.Figure(view, "softness-3d",
                $"{view.Glass}: {view.Structure.Count} atoms coloured by the softness predicted by the {view.Model} (drag to rotate, wheel to zoom; "
                + $"the slider draws only the atoms with a softness at or above it){(view.LabelName is { } l ? $"; colour by label to compare with {l}" : "")}. "
                + $"From {Path.GetFileName(view.Source)} and predictions/{view.Glass}.dump."));

        if (r.QuenchInSoftness is { } qs)
            sb.Append("<h2>Quench-in softness (Wang &amp; Jain 2019, Fig. 3)</h2>").Append(QuenchInSoftnessReport.Figures(qs));
        if (r.Diagnostics.Any(d => d.Fraction is null))
            sb.Append(r.Diagnostics.Any(d => d.Kind == DiagnosticKind.Regression) ? "<h2>Diagnostics: neighbourhood leakage and a regression</h2>" : "<h2>Diagnostics: neighbourhood leakage</h2>")
                .Append(Diagnostics(r));
        if (r.Diagnostics.Any(d => d.Fraction is not null))
            sb.Append("<h2>Diagnostics: what more data would buy</h2><div class=\"figs\">").Append(LearningCurve(r, DiagnosticKind.FewerAtoms))
                .Append(LearningCurve(r, DiagnosticKind.FewerSearches)).Append("</div>");
        if (r.Transfers.Count > 0)
        {
            sb.Append("<h2>Transfer</h2>").Append(TransferMatrix(r));
        }

        var main = r.Config.Presets[0];
        sb.Append("<h2>Most important features (").Append(E(main)).Append(", share of the gain)</h2>");
        foreach (var t in r.Tasks.Where(t => t.Representation == main))
            sb.Append(ImportanceBars(t));
        foreach (var t in r.Interpreted)
            sb.Append("<h2>Interpretation of ").Append(E(t.Task)).Append(" (").Append(E(t.Representation)).Append(", the ").Append(t.Interpretation!.Features.Count)
              .Append(" reduced features; the 2020 paper's Fig. 4)</h2><div class=\"figs\">").Append(InterpretationFigures.Html(r, t)).Append("</div>");
        sb.Append("<h2>Labels</h2><table><tr><th>Glass</th><th>Label</th><th>Labelled atoms</th><th>Positive</th></tr>");
        foreach (var l in r.Labels)
            sb.Append("<tr><td>").Append(E(l.Glass)).Append("</td><td>").Append(E(l.Label)).Append("</td><td>").Append(l.Labelled).Append("</td><td>").Append(l.Positive).Append("</td></tr>");
        sb.Append("</table>");
        if (view is not null) sb.Append(SoftnessViewer.Script());
        sb.Append("</body></html>");
        return sb.ToString();
    }

    /// <summary>A task's ten most important features of the main representation, as shares of the gain.</summary>
    private static string ImportanceBars(TaskResult t) =>
        SvgPlot.TopBars($"importance-{t.Task}", $"{t.Task}: most important features ({t.Representation})", "share of the total gain (mean over the 15 models)",
            [.. t.Importance.Select(f => f.Feature)], [.. t.Importance.Select(f => f.Share)], 10,
            $"The {Math.Min(10, t.Importance.Count)} features of largest gain of the {t.Task} models learnt from {t.Representation} (all {t.Features} features; the 15 models of the protocol). From {Files} (rows[].importance).");

    private const string Files = "results.json (this folder)";

    /// <summary>Table 1 as a dot plot: one row per representation, ours with ± std, the paper's as a hollow diamond.</summary>
    private static string AucDots(PipelineResults r, TaskConfig task)
    {
        var presets = r.Config.Presets;
        var plot = new SvgPlot($"auc-{task.Name}", $"{task.Name}: ROC-AUC per representation", (0.4, 1.0), (-0.7, presets.Count - 0.3),
            width: 470, height: 80 + 24 * presets.Count, left: 190, legendBelow: true);
        plot.XAxis("ROC-AUC (0.5 = chance)", 0.1, "0.0").YCategories([.. Enumerable.Reverse(presets)]).VerticalLine("chance", 0.5, "#999", "chance");
        bool paper = false;
        for (int k = 0; k < presets.Count; k++)
        {
            var x = r.Task(task.Name, presets[k]);
            double y = presets.Count - 1 - k;
            if (PaperTable1.Of(presets[k])?.For(x.Label) is { } p)
            {
                plot.Point("paper-auc", p.Mean, y, "#d1495b", $"{presets[k]}, paper: {p.Mean:F3} ± {p.Std:F3}", p.Mean, p.Std, hollow: true);
                paper = true;
            }
            plot.Point("auc", x.Scores.RocAuc.Mean, y, "#1b6ca8", $"{presets[k]}: {x.Scores.RocAuc.Mean:F3} ± {x.Scores.RocAuc.Std:F3}", x.Scores.RocAuc.Mean, x.Scores.RocAuc.Std);
        }
        plot.Legend("Softspot (mean ± std)", "#1b6ca8", "dot");
        if (paper) plot.Legend("paper's Table 1", "#d1495b", "diamond");
        return plot.Html($"ROC-AUC of {task.Name} ({task.Label} on {string.Join(", ", task.Glasses)}), mean ± std over the 15 test folds of the 3 x 5 protocol, per representation; "
            + (paper ? "hollow diamonds: Wang, Ding & Ma (2020), Table 1. " : "") + $"From {Files}.");
    }

    /// <summary>The vertically averaged ROC curve of every representation on a task.</summary>
    private static string RocCurves(PipelineResults r, TaskConfig task)
    {
        var plot = new SvgPlot($"roc-{task.Name}", $"{task.Name}: ROC curves", (0, 1), (0, 1), width: 400, height: 360);
        plot.XAxis("false-positive rate", 0.2).YAxis("true-positive rate", 0.2).Line("chance", [0, 1], [0, 1], "#bbb", "chance", dashed: true);
        for (int k = 0; k < r.Config.Presets.Count; k++)
        {
            var x = r.Task(task.Name, r.Config.Presets[k]);
            if (x.Roc is not { } roc) continue;
            string colour = Palette[k % Palette.Length];
            plot.Line("roc", roc.Fpr, roc.Tpr, colour, $"{x.Representation}: ROC-AUC {x.Scores.RocAuc.Mean:F3}");
            plot.Legend($"{x.Representation} ({x.Scores.RocAuc.Mean:F3})", colour);
        }
        return plot.Html($"ROC curves of {task.Name}: true-positive rate of the 15 test folds averaged at each false-positive rate, one curve per representation "
            + $"(legend: mean ROC-AUC of the folds). From {Files} (rows[].roc).");
    }

    /// <summary>The activation-energy spectrum of each glass and of the pooled set, with the pooled 5 %, 50 % and 95 % quantiles (the paper's Fig. 1b).</summary>
    private static string Spectra(PipelineResults r)
    {
        var pooled = r.Spectra[^1];
        var (start, width, bins) = SpectrumBins(pooled);
        var density = r.Spectra.Select(s => s.Histogram(start, width, bins).Select(c => c / Math.Max(1.0, s.Values.Count) / width).ToArray()).ToList();
        double top = Math.Max(0.1, density.Max(d => d.Max()) * 1.1);
        var plot = new SvgPlot("eact-spectrum", "Activation-energy spectrum", (start, start + width * bins), (0, top), width: 560, height: 340, legendBelow: true);
        plot.XAxis("per-atom mean activation energy E_act (eV)", width * bins > 3 ? 0.5 : 0.25).YAxis("probability density (1/eV)", SvgPlot.NiceStep(top / 4));
        var centres = Enumerable.Range(0, bins).Select(b => start + (b + 0.5) * width).ToArray();
        for (int k = 0; k < r.Spectra.Count; k++)
        {
            var s = r.Spectra[k];
            bool all = s.Glass == ActivationSpectrum.Pooled;
            string colour = all ? "#222" : Palette[k % Palette.Length];
            plot.Line("spectrum", centres, density[k], colour, $"{s.Glass}: {s.Values.Count} atoms, median {s.Quantile(0.5):F3} eV", width: all ? 2.4 : 1.4);
            plot.Legend($"{s.Glass} ({s.Values.Count} atoms)", colour);
        }
        foreach (double q in new[] { 0.05, 0.5, 0.95 })
            plot.VerticalLine("quantile", pooled.Quantile(q), "#d1495b", $"{q * 100:0} %: {pooled.Quantile(q):F2} eV");
        return plot.Html($"Distribution of the per-atom mean activation energy of the labelled atoms (at least {r.Config.Labels.Activation.MinEvents} converged searches), "
            + $"per glass and pooled, in bins of {width:0.###} eV; dashed: the 5 %, 50 % and 95 % quantiles of the pooled spectrum (the L-Eact and H-Eact thresholds at the ends). "
            + $"From the glasses' events files ({string.Join(", ", r.Config.Glasses.Where(g => g.Events is not null).Select(g => Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(g.Events)!)) + "/art/" + Path.GetFileName(g.Events)))}) and {Files} (spectra).");
    }

    /// <summary>The histogram bins of a spectrum: about 30 bins of a round width covering the values.</summary>
    internal static (double Start, double Width, int Bins) SpectrumBins(ActivationSpectrum s)
    {
        if (s.Values.Count == 0) return (0, 0.1, 10);
        double lo = s.Values[0], hi = s.Values[^1];
        double width = SvgPlot.NiceStep(Math.Max(hi - lo, 0.1) / 30);
        double start = Math.Floor(lo / width) * width;
        return (start, width, Math.Max(1, (int)Math.Ceiling((hi - start) / width + 1e-9)));
    }

    /// <summary>The transfer tests as a matrix: one row per test (model, scored on, label), one column per representation.</summary>
    private static string TransferMatrix(PipelineResults r)
    {
        var tests = r.Transfers.Select(x => (x.Task, x.Train, x.Test, x.Label)).Distinct().ToList();
        var reps = r.Transfers.Select(x => x.Representation).Distinct().ToList();
        var plot = new SvgPlot("transfer", "Transfer: ROC-AUC of a model on another glass or label", (0, reps.Count), (-0.5, tests.Count - 0.5),
            width: 430 + 90 * reps.Count, height: Math.Max(200, 90 + 26 * tests.Count), left: 340, top: 48, right: 90);
        plot.YCategories([.. tests.Select(t => $"{t.Task} ({t.Train}) → {t.Test}, {t.Label}").Reverse()]).XCategoriesAbove(reps)
            .ColourBar("ROC-AUC (0.5 = chance)", 0, 1, AucColour, 0.25);
        for (int i = 0; i < tests.Count; i++)
            for (int c = 0; c < reps.Count; c++)
            {
                var t = tests[i];
                var x = r.Transfers.FirstOrDefault(x => (x.Task, x.Train, x.Test, x.Label) == t && x.Representation == reps[c]);
                double y = tests.Count - 1 - i;
                if (x?.Score is { } score)
                {
                    double auc = score.Summary.RocAuc.Mean;
                    plot.Rect("transfer-cell", c + 0.03, y - 0.45, c + 0.97, y + 0.45, AucColour(auc), $"{x.Task} ({x.Train}) on {x.Test}, {x.Label}, {x.Representation}: {auc:F3} ± {score.Summary.RocAuc.Std:F3}", auc);
                    plot.Text(c + 0.5, y, auc.ToString("F3", CultureInfo.InvariantCulture));
                }
                else
                {
                    plot.Rect("transfer-skipped", c + 0.03, y - 0.45, c + 0.97, y + 0.45, "#eee", x?.Skipped ?? "not run");
                    plot.Text(c + 0.5, y, "skipped", "#888");
                }
            }
        return plot.Html("ROC-AUC (mean over 3 balanced subsets) of each transfer test: the task's model, trained on its glasses, scored on another glass "
            + "(across compositions and systems) or on another task's labels (between tasks); colour bar: red better than chance (0.5), blue worse. "
            + $"Grey: skipped (hover for why). From {Files} (transfer).");
    }

    /// <summary>
    /// ROC-AUC against the share of the data (log2 axis; 1 = the main score): of the labelled atoms
    /// (<see cref="DiagnosticKind.FewerAtoms"/>) or of each atom's searches (<see cref="DiagnosticKind.FewerSearches"/>),
    /// one line per task and representation; empty when the run has no such diagnostic.
    /// </summary>
    private static string LearningCurve(PipelineResults r, DiagnosticKind kind)
    {
        var found = r.Diagnostics.Where(d => d.Kind == kind && d.Scores is not null).ToList();
        if (found.Count == 0) return "";
        bool atoms = kind == DiagnosticKind.FewerAtoms;
        string what = atoms ? "labelled atoms" : "each atom's converged searches";
        double low = Math.Pow(2, Math.Floor(Math.Log2(found.Min(d => d.Fraction!.Value))));
        var plot = new SvgPlot(atoms ? "learning-curve-atoms" : "learning-curve-searches", $"ROC-AUC against the share of {(atoms ? "labelled atoms" : "searches per atom")}", (low / 1.2, 1.2), (0.4, 1.0),
            logX: true, legendBelow: true);
        var shares = found.Select(d => d.Fraction!.Value).Append(1.0).Distinct().Order().ToList();
        plot.XAxis($"share of {what} (log scale)", 2, "0.###", shares).YAxis("ROC-AUC (0.5 = chance)", 0.1, "0.0");
        var series = found.Select(d => (d.Task, d.Representation)).Distinct().ToList();
        var tasks = series.Select(x => x.Task).Distinct().ToList();
        var representations = series.Select(x => x.Representation).Distinct().ToList();
        foreach (var (task, rep) in series)
        {
            // colour: the task; dashed: any representation but the first
            string colour = Palette[tasks.IndexOf(task) % Palette.Length], name = $"{task}, {rep}";
            bool dashed = representations.IndexOf(rep) > 0;
            var main = r.Task(task, rep);
            var points = found.Where(d => d.Task == task && d.Representation == rep)
                .Select(d => (X: d.Fraction!.Value, S: d.Scores!.RocAuc, d.Rows)).Append((X: 1.0, S: main.Scores.RocAuc, main.Rows)).OrderBy(p => p.X).ToList();
            plot.Line("learning-curve-line", [.. points.Select(p => p.X)], [.. points.Select(p => p.S.Mean)], colour, name, dashed);
            foreach (var p in points)
                plot.Point("learning-curve-point", p.X, p.S.Mean, colour, FormattableString.Invariant($"{name}, {p.X:0.###} of the {what} ({p.Rows} atoms): {p.S.Mean:F3} ± {p.S.Std:F3}"), p.S.Mean, hollow: dashed);
            plot.Legend(name, colour, dashed ? "dashed" : "line");
        }
        return plot.Html($"ROC-AUC (mean over the splits) of each task learnt on a share of its {what}; the share 1 is the main score. "
            + (atoms ? $"The same share of each class, drawn at random; the 3 x 5 protocol on each of {Learning.LearningCurve.Draws} independent draws (45 splits). " : "Each atom's first searches in search order, the same atoms. ")
            + (representations.Count > 1 ? $"Solid: {representations[0]}; dashed, hollow: {string.Join(", ", representations.Skip(1))}. " : "")
            + $"A line still rising at 1 says more data would help. From {Files} (diagnostics, learning_curve).");
    }

    /// <summary>Each diagnosed task and representation: the protocol's ROC-AUC beside its participation-weighted, spatially blocked and regression scores.</summary>
    private static string Diagnostics(PipelineResults r)
    {
        var rows = r.Diagnostics.Where(d => d.Fraction is null).Select(d => (d.Task, d.Representation)).Distinct().ToList();
        var plot = new SvgPlot("diagnostics", "ROC-AUC under the diagnostics", (0.4, 1.0), (-0.7, rows.Count - 0.3),
            width: 520, height: 80 + 24 * rows.Count, left: 230, legendBelow: true);
        plot.XAxis("ROC-AUC (0.5 = chance)", 0.1, "0.0").YCategories([.. rows.Select(x => $"{x.Task}, {x.Representation}").Reverse()]).VerticalLine("chance", 0.5, "#999", "chance");
        var kinds = new[] { (Kind: (DiagnosticKind?)null, Colour: "#1b6ca8", Name: "3 x 5 protocol (Table 1)", Offset: 0.3),
            (Kind: (DiagnosticKind?)DiagnosticKind.Participants, Colour: "#edae49", Name: "participation-weighted labels", Offset: 0.15),
            (Kind: (DiagnosticKind?)DiagnosticKind.Blocked, Colour: "#d1495b", Name: "spatially blocked folds", Offset: 0),
            (Kind: (DiagnosticKind?)DiagnosticKind.ParticipantsBlocked, Colour: "#66a182", Name: "participation-weighted, spatially blocked", Offset: -0.15),
            (Kind: (DiagnosticKind?)DiagnosticKind.Regression, Colour: "#7b4f9d", Name: "regression of the mean E_act (D2min's rank)", Offset: -0.3) };
        foreach (var (kind, colour, name, offset) in kinds)
        {
            bool any = false;
            for (int k = 0; k < rows.Count; k++)
            {
                var (task, rep) = rows[k];
                var s = kind is { } dk ? r.Diagnostics.FirstOrDefault(d => d.Task == task && d.Representation == rep && d.Kind == dk)?.Scores : r.Task(task, rep).Scores;
                if (s is null) continue;
                plot.Point(kind is null ? "diagnostic-main" : $"diagnostic-{kind.Value.Key()}", s.RocAuc.Mean, rows.Count - 1 - k + offset, colour,
                    $"{task}, {rep}, {name}: {s.RocAuc.Mean:F3} ± {s.RocAuc.Std:F3}", s.RocAuc.Mean, s.RocAuc.Std);
                any = true;
            }
            if (any) plot.Legend(name, colour, "dot");
        }
        return plot.Html("ROC-AUC (mean ± std over 15 splits) of each diagnosed task: the main protocol, with activation labels shared by every atom an event moved, "
            + $"with spatially blocked folds (no training atom within {r.Config.Diagnostics?.BlockedCutoff:0.#} A of a test atom), with both, "
            + $"and from a regression, on every training atom, of what the labels are the tails of (the per-atom mean E_act; D2min's rank within its glass), scored on the same labels. From {Files} (diagnostics).");
    }

    /// <summary>White at chance (0.5), red towards 1, blue towards 0.</summary>
    private static string AucColour(double auc)
    {
        double t = Math.Clamp((auc - 0.5) * 2, -1, 1);
        int fade = (int)(255 * (1 - Math.Abs(t)) * 0.85 + 38);
        return t >= 0 ? $"rgb(240,{fade},{fade})" : $"rgb({fade},{fade},240)";
    }
}
