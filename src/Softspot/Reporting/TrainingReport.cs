using System.Globalization;
using System.Net;
using System.Text;
using Softspot.Learning;
using Softspot.Learning.Interpretation;

namespace Softspot.Reporting;

/// <summary>
/// A self-contained HTML report of a training run (inline SVG, no scripts): the scores of the protocol, the ROC and
/// precision-recall curves of every split's test fold, the histogram of predicted softness by class on the test folds
/// (held-out predictions: the final model's in-sample scores would look like a perfect separation), gain, |SHAP| and
/// permutation importance, a SHAP summary and the correlation of the reduced features. Every figure has labelled axes,
/// a legend where it has several marks and a caption naming the file its numbers are in (metrics.json, in the marks'
/// data-value attributes).
/// </summary>
public static class TrainingReport
{
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private const string Metrics_ = "metrics.json (this folder)";

    public static string Html(TrainingRequest request, TrainingResult r, TrainingFigures figures, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}svg{background:#fff;border:1px solid #ddd}")
          .Append("figure{display:inline-block;vertical-align:top;margin:6px}figcaption{max-width:440px;font-size:12px;color:#444}</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1>");
        sb.Append("<p>").Append(E($"target '{request.Target}', {request.Rows} labelled atoms, {request.FeatureNames.Length} features; ")).Append(r.Classification
            ? E($"{request.Y.Count(v => v == 1)} positive ({100.0 * request.Y.Count(v => v == 1) / request.Rows:F1} %). Protocol: 3 undersampled balanced subsets x stratified 5-fold CV (15 splits).")
            : "Protocol: shuffled 5-fold CV (regression).").Append("</p>");
        sb.Append("<h2>Scores (mean &plusmn; std over the splits)</h2>");
        if (r.ClassificationScores is { } c)
        {
            sb.Append("<table><tr><th>rows</th><th>ROC-AUC</th><th>average precision</th><th>MCC</th><th>F1</th><th>accuracy</th></tr>");
            Row(sb, "balanced test folds", c.Test);
            if (c.HeldOut is { } h) Row(sb, "held-out (dataset prevalence)", h);
            if (r.ReducedClassificationScores is { } rc) Row(sb, $"reduced to {r.Reduction!.Kept.Count} features, test folds", rc.Test);
            sb.Append("</table>");
        }
        if (r.RegressionScores is { } g)
        {
            sb.Append("<table><tr><th>rows</th><th>R2</th><th>Pearson</th><th>Spearman</th></tr>");
            sb.Append("<tr><th>test folds</th><td>").Append(g.Summary.R2).Append("</td><td>").Append(g.Summary.Pearson).Append("</td><td>").Append(g.Summary.Spearman).Append("</td></tr></table>");
        }
        if (r.ClassificationScores is { } cls && figures.Roc is { } roc && figures.Histogram is { } hist)
        {
            var folds = r.TestFolds(request).ToList();
            sb.Append("<h2>The test folds (held-out predictions)</h2>");
            sb.Append(Roc(folds, roc, cls.Test.RocAuc)).Append(PrecisionRecall(folds, cls.Test.AveragePrecision)).Append(Histogram(hist));
        }
        sb.Append("<h2>Importance</h2>");
        sb.Append(Bars("train-gain", "Gain importance", "share of the total gain (mean over the CV models)", request.FeatureNames, r.Gain.Share, "importance[].gain"));
        sb.Append(Bars("train-shap", "Mean |SHAP|", "mean |SHAP value| of the final model (margin units)", request.FeatureNames, r.MeanAbsShap, "importance[].mean_abs_shap"));
        if (r.Permutation is { } perm)
            sb.Append(Bars("train-permutation", "Permutation importance", r.Classification ? "drop in ROC-AUC when shuffled (final model)" : "drop in R2 when shuffled (final model)",
                request.FeatureNames, perm.Mean, "importance[].permutation"));
        sb.Append(Beeswarm(request, r));
        if (figures.Correlation is { } corr) sb.Append(Heatmap(figures.Reduced, corr));
        if (r.Reduction is { } red)
        {
            sb.Append("<h2>Feature reduction</h2><p>").Append(E($"Kept ({red.Kept.Count}, |r| < {red.Threshold}): {string.Join(", ", red.Kept)}")).Append("</p>");
            if (red.Correlated.Count > 0) sb.Append("<p>").Append(E($"Dropped as correlated: {string.Join("; ", red.Correlated.Take(30).Select(d => $"{d.Feature} (r = {d.R:F3} with {d.KeptFeature})"))}")).Append("</p>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string name, ClassificationSummary s) =>
        sb.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(s.RocAuc).Append("</td><td>").Append(s.AveragePrecision)
          .Append("</td><td>").Append(s.Mcc).Append("</td><td>").Append(s.F1).Append("</td><td>").Append(s.Accuracy).Append("</td></tr>");

    /// <summary>Each test fold's ROC curve and their vertical average.</summary>
    private static string Roc(List<(double[] Scores, int[] Labels)> folds, MeanRoc mean, MetricSummary auc)
    {
        var plot = new SvgPlot("train-roc", "ROC curves of the test folds", (0, 1), (0, 1), width: 400, height: 360);
        plot.XAxis("false-positive rate", 0.2).YAxis("true-positive rate", 0.2).Line("chance", [0, 1], [0, 1], "#bbb", "chance", dashed: true);
        foreach (var (scores, labels) in folds)
        {
            var (fpr, tpr, _) = Metrics.RocCurve(scores, labels);
            plot.Line("roc-fold", fpr, tpr, "#1b6ca8", width: 1, opacity: 0.35);
        }
        plot.Line("roc-mean", mean.Fpr, mean.Tpr, "#d1495b", $"mean: ROC-AUC {auc.Mean:F3} ± {auc.Std:F3}", width: 2.4, value: auc.Mean);
        plot.Legend($"each test fold ({folds.Count})", "#1b6ca8").Legend($"average (AUC {auc.Mean:F3} ± {auc.Std:F3})", "#d1495b").Legend("chance", "#bbb");
        return plot.Html($"ROC curve of each of the {folds.Count} test folds (thin) and their vertical average (thick); legend: ROC-AUC mean ± std over the folds. From {Metrics_} (roc_auc, roc_curve).");
    }

    /// <summary>Each test fold's precision-recall curve.</summary>
    private static string PrecisionRecall(List<(double[] Scores, int[] Labels)> folds, MetricSummary ap)
    {
        var plot = new SvgPlot("train-pr", "Precision-recall curves of the test folds", (0, 1), (0, 1), width: 400, height: 360);
        plot.XAxis("recall", 0.2).YAxis("precision", 0.2);
        double prevalence = folds.Sum(f => f.Labels.Count(y => y == 1)) / (double)Math.Max(1, folds.Sum(f => f.Labels.Length));
        plot.Line("baseline", [0, 1], [prevalence, prevalence], "#bbb", $"a random score: precision {prevalence:F2}", dashed: true, value: prevalence);
        foreach (var (scores, labels) in folds)
        {
            var (precision, recall, _) = Metrics.PrecisionRecallCurve(scores, labels);
            plot.Line("pr-fold", recall, precision, "#1b6ca8", width: 1, opacity: 0.45);
        }
        plot.Legend($"each test fold (AP {ap.Mean:F3} ± {ap.Std:F3})", "#1b6ca8").Legend($"random score ({prevalence:F2})", "#bbb");
        return plot.Html($"Precision against recall on each of the {folds.Count} test folds (balanced: a random score has precision {prevalence:F2}); "
            + $"legend: average precision, mean ± std over the folds. From {Metrics_} (average_precision).");
    }

    /// <summary>Held-out softness by class: the share of each class's test-fold predictions in each bin.</summary>
    private static string Histogram(SoftnessHistogram h)
    {
        double top = Math.Max(h.Positive.Max(), h.Negative.Max()) * 1.1;
        top = top > 0 ? top : 1;
        var plot = new SvgPlot("train-histogram", "Predicted softness by class (test folds)", (0, 1), (0, top), width: 400, height: 360);
        plot.XAxis("predicted softness (held-out)", 0.2).YAxis("fraction of the class", SvgPlot.NiceStep(top / 4));
        double w = 1.0 / h.Bins;
        for (int b = 0; b < h.Bins; b++)
        {
            plot.Rect("hist-negative", b * w, 0, (b + 0.5) * w, h.Negative[b], "#7f7f7f", $"label 0, softness {b * w:0.##}-{(b + 1) * w:0.##}: {h.Negative[b]:P1}", h.Negative[b]);
            plot.Rect("hist-positive", (b + 0.5) * w, 0, (b + 1) * w, h.Positive[b], "#d1495b", $"label 1, softness {b * w:0.##}-{(b + 1) * w:0.##}: {h.Positive[b]:P1}", h.Positive[b]);
        }
        plot.Legend($"label 1 ({h.Positives} predictions)", "#d1495b", "box").Legend($"label 0 ({h.Negatives} predictions)", "#7f7f7f", "box");
        return plot.Html($"Softness each split's model predicted for its own test fold (never trained on those atoms), in {h.Bins} bins, as the fraction of each class's "
            + $"predictions; atoms appear once per undersampled subset they fell in. From {Metrics_} (held_out_histogram).");
    }

    private static string Bars(string id, string title, string axis, IReadOnlyList<string> names, IReadOnlyList<double> values, string key, int top = 20) =>
        SvgPlot.TopBars(id, title, axis, names, values, top, $"{title} of the {Math.Min(top, names.Count)} most important of {names.Count} features. From {Metrics_} ({key}).");

    /// <summary>SHAP summary: one dot per atom (a deterministic sample of up to 600) and feature, coloured by the feature's value.</summary>
    private static string Beeswarm(TrainingRequest request, TrainingResult r, int top = 12, int sample = 600)
    {
        int m = request.FeatureNames.Length, n = request.Rows;
        int step = Math.Max(1, n / sample);
        var rows = Enumerable.Range(0, n).Where(i => i % step == 0).Take(sample).ToArray();
        var x = TrainingPipeline.Rows(request.X, m, rows, Enumerable.Range(0, m).ToArray());
        var shap = new TreeShap(r.Model) { Threads = request.Options.Threads }.ExplainRows(x);
        var order = Enumerable.Range(0, m).OrderByDescending(f => r.MeanAbsShap[f]).Take(top).ToArray();
        double span = 1e-12;
        foreach (int f in order) for (int i = 0; i < rows.Length; i++) span = Math.Max(span, Math.Abs(shap[i, f]));
        double tick = SvgPlot.NiceStep(span / 2);
        span = Math.Ceiling(span / tick) * tick;
        double left = 16 + order.Select(f => SvgPlot.TextWidth(request.FeatureNames[f])).DefaultIfEmpty(60).Max();
        var plot = new SvgPlot("train-shap-summary", "SHAP values of the final model", (-span, span), (-0.7, order.Length - 0.3),
            width: left + 400, height: 90 + 22 * order.Length, left: left, legendBelow: true);
        plot.XAxis("SHAP value (margin units: log-odds for classification)", tick, "0.###").YCategories([.. order.Reverse().Select(f => request.FeatureNames[f])])
            .VerticalLine("zero", 0, "#999", "");
        for (int k = 0; k < order.Length; k++)
        {
            int f = order[k];
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < rows.Length; i++) { double v = x[i * m + f]; if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); } }
            double y = order.Length - 1 - k;
            for (int i = 0; i < rows.Length; i++)
            {
                double v = x[i * m + f], t = hi > lo && double.IsFinite(v) ? (v - lo) / (hi - lo) : 0.5;
                double jitter = ((i * 2654435761u) % 1000) / 1000.0 * 0.6 - 0.3;
                plot.Dot("shap", shap[i, f], y + jitter, $"rgb({(int)(255 * t)},60,{(int)(255 * (1 - t))})");
            }
        }
        plot.Legend("low feature value", "rgb(0,60,255)", "dot").Legend("high feature value", "rgb(255,60,0)", "dot");
        return plot.Html($"SHAP value of each of {rows.Length} atoms (every {step}th row) for the {order.Length} features of largest mean |SHAP|, coloured by the feature's value "
            + $"(blue low, red high, per feature); right of zero pushes towards label 1. The means of |SHAP| over every row are in {Metrics_} (importance[].mean_abs_shap).");
    }

    /// <summary>The reduced features' Pearson correlation as a matrix of coloured cells.</summary>
    private static string Heatmap(IReadOnlyList<string> names, double[,] c) =>
        SvgPlot.CorrelationMap("train-correlation", "Pearson correlation of the reduced features", "correlation", names, (a, b) => c[a, b],
            $"Pearson correlation over every labelled row between the {names.Count} features kept by the reduction (columns numbered as the rows). "
            + $"From {Metrics_} (reduced.correlation).");
}
