using System.Globalization;
using System.Net;
using System.Text;
using Softspot.Learning;
using Softspot.Learning.Interpretation;

namespace Softspot.Reporting;

/// <summary>
/// A self-contained HTML report of a training run with inline SVG figures (no plotting package): the scores of the
/// protocol, the ROC and precision-recall curves of every split's test fold, gain importance and mean |SHAP|, and
/// the histogram of predicted softness by class on the test folds (held-out predictions: the final model's in-sample
/// scores would look like a perfect separation).
/// </summary>
public static class TrainingReport
{
    private static string F(double v, string format = "G4") => v.ToString(format, CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);

    public static string Html(TrainingRequest request, TrainingResult r, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}svg{background:#fff;border:1px solid #ddd;margin:4px}")
          .Append(".fig{display:inline-block;vertical-align:top}</style></head><body>");
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
        if (r.Classification)
        {
            sb.Append("<h2>Curves of the test folds</h2>");
            var curves = r.TestFolds(request).ToList();
            sb.Append("<div class=\"fig\">").Append(CurvePlot("ROC", "false positive rate", "true positive rate",
                curves.Select(c => { var (fpr, tpr, _) = Metrics.RocCurve(c.Scores, c.Labels); return (fpr, tpr); }), diagonal: true)).Append("</div>");
            sb.Append("<div class=\"fig\">").Append(CurvePlot("precision-recall", "recall", "precision",
                curves.Select(c => { var (p, rec, _) = Metrics.PrecisionRecallCurve(c.Scores, c.Labels); return (rec, p); }), diagonal: false)).Append("</div>");
            sb.Append("<div class=\"fig\">").Append(Histogram([.. curves.SelectMany(c => c.Scores)], [.. curves.SelectMany(c => c.Labels.Select(y => (double)y))])).Append("</div>");
        }
        sb.Append("<h2>Importance</h2><div class=\"fig\">")
          .Append(Bars("gain importance (mean over the CV models)", request.FeatureNames, r.Gain.Share)).Append("</div><div class=\"fig\">")
          .Append(Bars("mean |SHAP| (final model)", request.FeatureNames, r.MeanAbsShap)).Append("</div>");
        if (r.Permutation is { } perm)
            sb.Append("<div class=\"fig\">").Append(Bars(r.Classification ? "permutation importance (drop in ROC-AUC, final model)" : "permutation importance (drop in R2, final model)", request.FeatureNames, perm.Mean)).Append("</div>");
        sb.Append("<h2>SHAP values (final model)</h2><div class=\"fig\">").Append(Beeswarm(request, r)).Append("</div>");
        if (r.Reduction is { } reduced && reduced.Kept.Count > 1)
        {
            var cols = reduced.Kept.Select(k => Array.IndexOf(request.FeatureNames, k)).ToArray();
            var corr = Importance.Correlation(TrainingPipeline.Rows(request.X, request.FeatureNames.Length, Enumerable.Range(0, request.Rows).ToArray(), cols), cols.Length, request.Options.Threads);
            sb.Append("<div class=\"fig\">").Append(Heatmap("Pearson correlation of the reduced features", [.. reduced.Kept], corr)).Append("</div>");
        }
        if (r.Reduction is { } red)
        {
            sb.Append("<h2>Feature reduction</h2><p>").Append(E($"Kept ({red.Kept.Count}, |r| < {red.Threshold}): {string.Join(", ", red.Kept)}")).Append("</p>");
            if (red.Correlated.Count > 0) sb.Append("<p>").Append(E($"Dropped as correlated: {string.Join("; ", red.Correlated.Take(30).Select(d => $"{d.Feature} (r = {d.R:F3} with {d.KeptFeature})"))}")).Append("</p>");
        }
        sb.Append("</body></html>");
        return sb.ToString();
    }

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
        int left = 250, width = 620, rowH = 22, h = 50 + rowH * order.Length, mid = left + (width - left - 20) / 2;
        double scale = (width - left - 30) / 2.0 / span;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{h}\" role=\"img\" aria-label=\"SHAP summary\">");
        sb.Append($"<text x=\"{width / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">SHAP value (margin units) per atom; colour: feature value, blue low to red high</text>");
        sb.Append($"<line x1=\"{mid}\" y1=\"24\" x2=\"{mid}\" y2=\"{h - 20}\" stroke=\"#999\"/>");
        for (int k = 0; k < order.Length; k++)
        {
            int f = order[k];
            double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
            for (int i = 0; i < rows.Length; i++) { double v = x[i * m + f]; if (double.IsFinite(v)) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); } }
            int y0 = 30 + k * rowH;
            sb.Append($"<text x=\"{left - 6}\" y=\"{y0 + 12}\" font-size=\"10\" text-anchor=\"end\">{E(request.FeatureNames[f])}</text>");
            for (int i = 0; i < rows.Length; i++)
            {
                double v = x[i * m + f], t = hi > lo && double.IsFinite(v) ? (v - lo) / (hi - lo) : 0.5;
                double jitter = ((i * 2654435761u) % 1000) / 1000.0 * (rowH - 6);
                sb.Append($"<circle cx=\"{F(mid + shap[i, f] * scale, "F1")}\" cy=\"{F(y0 + 3 + jitter, "F1")}\" r=\"1.6\" fill=\"rgb({(int)(255 * t)},60,{(int)(255 * (1 - t))})\" fill-opacity=\"0.7\"/>");
            }
        }
        sb.Append($"<text x=\"{left}\" y=\"{h - 6}\" font-size=\"10\">{F(-span, "G3")}</text><text x=\"{width - 20}\" y=\"{h - 6}\" font-size=\"10\" text-anchor=\"end\">{F(span, "G3")}</text>");
        return sb.Append("</svg>").ToString();
    }

    private static string Heatmap(string title, string[] names, double[,] c)
    {
        int n = names.Length, cell = 34, left = 240, top = 30, size = left + n * cell + 10;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{size}\" height=\"{top + n * cell + 10}\" role=\"img\" aria-label=\"correlation heatmap\">");
        sb.Append($"<text x=\"{size / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{E(title)}</text>");
        for (int i = 0; i < n; i++)
        {
            sb.Append($"<text x=\"{left - 6}\" y=\"{top + i * cell + cell / 2 + 4}\" font-size=\"10\" text-anchor=\"end\">{E(names[i])}</text>");
            for (int j = 0; j < n; j++)
            {
                double v = c[i, j];
                string fill = SvgPlot.Diverging(v);
                sb.Append($"<rect x=\"{left + j * cell}\" y=\"{top + i * cell}\" width=\"{cell - 1}\" height=\"{cell - 1}\" fill=\"{fill}\"/>")
                  .Append($"<text x=\"{left + j * cell + cell / 2}\" y=\"{top + i * cell + cell / 2 + 4}\" font-size=\"9\" text-anchor=\"middle\">{(double.IsNaN(v) ? "" : F(v, "F2"))}</text>");
            }
        }
        return sb.Append("</svg>").ToString();
    }

    private static void Row(StringBuilder sb, string name, ClassificationSummary s) =>
        sb.Append("<tr><th>").Append(E(name)).Append("</th><td>").Append(s.RocAuc).Append("</td><td>").Append(s.AveragePrecision)
          .Append("</td><td>").Append(s.Mcc).Append("</td><td>").Append(s.F1).Append("</td><td>").Append(s.Accuracy).Append("</td></tr>");

    private const int W = 320, H = 300, L = 50, B = 40, T = 28;

    private static string Axes(string title, string x, string y) =>
        $"<text x=\"{W / 2}\" y=\"18\" text-anchor=\"middle\" font-size=\"14\">{E(title)}</text>" +
        $"<rect x=\"{L}\" y=\"{T}\" width=\"{W - L - 10}\" height=\"{H - T - B}\" fill=\"none\" stroke=\"#444\"/>" +
        $"<text x=\"{(W + L) / 2}\" y=\"{H - 8}\" text-anchor=\"middle\" font-size=\"12\">{E(x)}</text>" +
        $"<text x=\"14\" y=\"{(H - B + T) / 2}\" text-anchor=\"middle\" font-size=\"12\" transform=\"rotate(-90 14 {(H - B + T) / 2})\">{E(y)}</text>" +
        $"<text x=\"{L}\" y=\"{H - B + 14}\" font-size=\"10\" text-anchor=\"middle\">0</text><text x=\"{W - 10}\" y=\"{H - B + 14}\" font-size=\"10\" text-anchor=\"middle\">1</text>" +
        $"<text x=\"{L - 4}\" y=\"{H - B}\" font-size=\"10\" text-anchor=\"end\">0</text><text x=\"{L - 4}\" y=\"{T + 4}\" font-size=\"10\" text-anchor=\"end\">1</text>";

    private static string Px(double u) => F(L + u * (W - L - 10), "F1");
    private static string Py(double v) => F(H - B - v * (H - T - B), "F1");

    private static string CurvePlot(string title, string x, string y, IEnumerable<(double[] X, double[] Y)> curves, bool diagonal)
    {
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append(Axes(title, x, y));
        if (diagonal) sb.Append($"<line x1=\"{Px(0)}\" y1=\"{Py(0)}\" x2=\"{Px(1)}\" y2=\"{Py(1)}\" stroke=\"#bbb\" stroke-dasharray=\"4 3\"/>");
        foreach (var (cx, cy) in curves)
        {
            sb.Append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-opacity=\"0.45\" stroke-width=\"1.2\" points=\"");
            for (int i = 0; i < cx.Length; i++) sb.Append(Px(Math.Clamp(cx[i], 0, 1))).Append(',').Append(Py(Math.Clamp(cy[i], 0, 1))).Append(' ');
            sb.Append("\"/>");
        }
        return sb.Append("</svg>").ToString();
    }

    private static string Histogram(double[] scores, double[] y)
    {
        const int bins = 20;
        var pos = new double[bins]; var neg = new double[bins];
        for (int i = 0; i < scores.Length; i++)
        {
            int b = Math.Clamp((int)(scores[i] * bins), 0, bins - 1);
            if (y[i] == 1) pos[b]++; else neg[b]++;
        }
        double np = Math.Max(1, pos.Sum()), nn = Math.Max(1, neg.Sum());
        double max = Math.Max(pos.Max() / np, neg.Max() / nn);
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{W}\" height=\"{H}\" role=\"img\" aria-label=\"softness by class\">");
        sb.Append(Axes("softness by class (test folds)", "predicted softness (held-out)", "fraction of the class"));
        for (int b = 0; b < bins; b++)
        {
            double w = (W - L - 10) / (double)bins;
            foreach (var (share, colour, offset) in new[] { (neg[b] / nn, "#7f7f7f", 0.0), (pos[b] / np, "#d62728", 0.5) })
            {
                double h = share / max * (H - T - B);
                sb.Append($"<rect x=\"{F(L + b * w + offset * w, "F1")}\" y=\"{F(H - B - h, "F1")}\" width=\"{F(w / 2, "F1")}\" height=\"{F(h, "F1")}\" fill=\"{colour}\"/>");
            }
        }
        sb.Append($"<text x=\"{L + 8}\" y=\"{T + 14}\" font-size=\"11\" fill=\"#d62728\">label 1</text><text x=\"{L + 8}\" y=\"{T + 28}\" font-size=\"11\" fill=\"#7f7f7f\">label 0</text>");
        return sb.Append("</svg>").ToString();
    }

    private static string Bars(string title, IReadOnlyList<string> names, IReadOnlyList<double> values, int top = 20)
    {
        var order = Enumerable.Range(0, names.Count).OrderByDescending(i => values[i]).Take(top).ToArray();
        double max = order.Length == 0 ? 1 : Math.Max(1e-300, values[order[0]]);
        int rowH = 16, h = 30 + rowH * order.Length, left = 260, width = 480;
        var sb = new StringBuilder($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{h}\" role=\"img\" aria-label=\"{E(title)}\">");
        sb.Append($"<text x=\"{width / 2}\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">{E(title)}</text>");
        for (int k = 0; k < order.Length; k++)
        {
            int i = order[k];
            double bw = values[i] / max * (width - left - 60);
            int y = 24 + k * rowH;
            sb.Append($"<text x=\"{left - 4}\" y=\"{y + 11}\" font-size=\"10\" text-anchor=\"end\">{E(names[i])}</text>")
              .Append($"<rect x=\"{left}\" y=\"{y}\" width=\"{F(bw, "F1")}\" height=\"{rowH - 3}\" fill=\"#2ca02c\"/>")
              .Append($"<text x=\"{F(left + bw + 3, "F1")}\" y=\"{y + 11}\" font-size=\"10\">{F(values[i], "G3")}</text>");
        }
        return sb.Append("</svg>").ToString();
    }
}
