using System.Globalization;
using System.Net;
using System.Text;
using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// report.html of a pipeline run: self-contained (inline SVG, no scripts): ROC-AUC of every representation on every
/// task as grouped bars with their std, the tables of results.md, and the most important features per task.
/// </summary>
public static class PipelineReport
{
    private static string F(double v, string f = "F3") => v.ToString(f, CultureInfo.InvariantCulture);
    private static string E(string s) => WebUtility.HtmlEncode(s);
    private static readonly string[] Palette = ["#1b6ca8", "#d1495b", "#edae49", "#66a182", "#8d6a9f", "#2e4057", "#00798c", "#a26769"];

    public static string Html(PipelineResults r, string title)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>")
          .Append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}")
          .Append("td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,td.t{text-align:left}")
          .Append("svg{background:#fff;border:1px solid #ddd}</style></head><body>");
        sb.Append("<h1>").Append(E(title)).Append("</h1><p>")
          .Append(E(string.Join("; ", r.Glasses.Select(g => $"{g.Glass}: {g.Atoms} atoms ({g.Elements})")))).Append(". ")
          .Append(E($"Protocol: 3 balanced undersampled subsets x 5-fold cross-validation; {r.Config.Learning.Engine} gradient boosting ({r.Config.Learning.Trees} trees, depth {r.Config.Learning.Depth}); seed {r.Config.Seed}.")).Append("</p>");
        if (r.ActivationNote is { } note) sb.Append("<p>Activation labels: ").Append(E(note)).Append(".</p>");

        sb.Append("<h2>ROC-AUC by task and representation</h2>").Append(GroupedBars(r));
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

        if (r.Transfers.Count > 0)
        {
            sb.Append("<h2>Transfer</h2><table><tr><th>Model (task)</th><th>Trained on</th><th>Scored on</th><th>Label</th><th>Representation</th><th>ROC-AUC, 3 balanced subsets</th><th>ROC-AUC, all atoms</th></tr>");
            foreach (var x in r.Transfers)
            {
                sb.Append("<tr><td>").Append(E(x.Task)).Append("</td><td>").Append(E(x.Train)).Append("</td><td>").Append(E(x.Test)).Append("</td><td>")
                  .Append(E(x.Label)).Append("</td><td>").Append(E(x.Representation)).Append("</td>");
                if (x.Score is { } s) sb.Append("<td>").Append(F(s.Summary.RocAuc.Mean)).Append(" &plusmn; ").Append(F(s.Summary.RocAuc.Std)).Append("</td><td>").Append(F(s.AllRows.RocAuc)).Append("</td>");
                else sb.Append("<td colspan=\"2\">skipped: ").Append(E(x.Skipped ?? "")).Append("</td>");
                sb.Append("</tr>");
            }
            sb.Append("</table>");
        }

        var main = r.Config.Presets[0];
        sb.Append("<h2>Most important features (").Append(E(main)).Append(", share of the gain)</h2>");
        foreach (var t in r.Tasks.Where(t => t.Representation == main))
            sb.Append(ImportanceBars(t));
        sb.Append("<h2>Labels</h2><table><tr><th>Glass</th><th>Label</th><th>Labelled atoms</th><th>Positive</th></tr>");
        foreach (var l in r.Labels)
            sb.Append("<tr><td>").Append(E(l.Glass)).Append("</td><td>").Append(E(l.Label)).Append("</td><td>").Append(l.Labelled).Append("</td><td>").Append(l.Positive).Append("</td></tr>");
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    /// <summary>One group of bars per task, one bar per representation, from AUC 0.5 (chance) to 1, with ± std whiskers.</summary>
    private static string GroupedBars(PipelineResults r)
    {
        int tasks = r.Config.Tasks.Count, reps = r.Config.Presets.Count;
        double w = 900, h = 320, left = 50, bottom = 40, top = 20, right = 150;
        double group = (w - left - right) / Math.Max(1, tasks), bar = group * 0.8 / Math.Max(1, reps);
        double Y(double auc) => h - bottom - Math.Clamp((auc - 0.5) / 0.5, 0, 1) * (h - top - bottom);
        var sb = new StringBuilder($"<svg width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\">");
        for (int k = 0; k <= 5; k++)
        {
            double v = 0.5 + 0.1 * k, y = Y(v);
            sb.Append($"<line x1=\"{left}\" x2=\"{w - right}\" y1=\"{F(y, "F1")}\" y2=\"{F(y, "F1")}\" stroke=\"#eee\"/><text x=\"{left - 5}\" y=\"{F(y + 4, "F1")}\" text-anchor=\"end\">{F(v, "F1")}</text>");
        }
        sb.Append($"<text x=\"12\" y=\"{h / 2}\" transform=\"rotate(-90 12 {h / 2})\" text-anchor=\"middle\">ROC-AUC</text>");
        for (int t = 0; t < tasks; t++)
        {
            string name = r.Config.Tasks[t].Name;
            double x0 = left + t * group + group * 0.1;
            for (int p = 0; p < reps; p++)
            {
                var res = r.Task(name, r.Config.Presets[p]);
                double m = res.Scores.RocAuc.Mean, s = res.Scores.RocAuc.Std, x = x0 + p * bar, y = Y(m);
                sb.Append($"<rect x=\"{F(x, "F1")}\" y=\"{F(y, "F1")}\" width=\"{F(bar * 0.9, "F1")}\" height=\"{F(h - bottom - y, "F1")}\" fill=\"{Palette[p % Palette.Length]}\"><title>{E(name)}, {E(r.Config.Presets[p])}: {F(m)} ± {F(s)}</title></rect>");
                double cx = x + bar * 0.45;
                sb.Append($"<line x1=\"{F(cx, "F1")}\" x2=\"{F(cx, "F1")}\" y1=\"{F(Y(m - s), "F1")}\" y2=\"{F(Y(m + s), "F1")}\" stroke=\"#222\"/>");
            }
            sb.Append($"<text x=\"{F(left + (t + 0.5) * group, "F1")}\" y=\"{h - bottom + 16}\" text-anchor=\"middle\">{E(name)}</text>");
        }
        for (int p = 0; p < reps; p++)
            sb.Append($"<rect x=\"{w - right + 10}\" y=\"{top + 16 * p}\" width=\"10\" height=\"10\" fill=\"{Palette[p % Palette.Length]}\"/><text x=\"{w - right + 25}\" y=\"{top + 16 * p + 9}\">{E(r.Config.Presets[p])}</text>");
        return sb.Append("</svg>").ToString();
    }

    private static string ImportanceBars(TaskResult t)
    {
        var top = t.Importance.Take(10).ToList();
        double w = 520, row = 18, h = 30 + row * top.Count, left = 260;
        double max = top.Count == 0 ? 1 : Math.Max(1e-12, top.Max(f => f.Share));
        var sb = new StringBuilder($"<svg width=\"{w}\" height=\"{h}\" xmlns=\"http://www.w3.org/2000/svg\" font-size=\"11\"><text x=\"5\" y=\"15\" font-weight=\"bold\">{E(t.Task)}</text>");
        for (int i = 0; i < top.Count; i++)
        {
            double y = 24 + i * row, len = (w - left - 50) * top[i].Share / max;
            sb.Append($"<text x=\"{left - 5}\" y=\"{F(y + 12, "F1")}\" text-anchor=\"end\">{E(top[i].Feature)}</text>")
              .Append($"<rect x=\"{left}\" y=\"{F(y + 2, "F1")}\" width=\"{F(len, "F1")}\" height=\"{row - 4}\" fill=\"#1b6ca8\"/>")
              .Append($"<text x=\"{F(left + len + 4, "F1")}\" y=\"{F(y + 12, "F1")}\">{F(top[i].Share)}</text>");
        }
        return sb.Append("</svg>").ToString();
    }
}
