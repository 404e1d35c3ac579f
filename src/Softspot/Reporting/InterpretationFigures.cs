using System.Globalization;
using Softspot.Learning.Interpretation;
using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// The interpretation figures of an activation task (Wang, Ding and Ma 2020, Fig. 4) from its
/// <see cref="TaskResult.Interpretation"/>: the reduced features' gain and |SHAP| shares as paired bars, their
/// Pearson correlation map, and their z-scored distributions in the H, middle and L groups as violins. Every mark
/// carries the number of results.json it shows (key <c>interpretation</c>).
/// </summary>
internal static class InterpretationFigures
{
    private static readonly string[] GroupColours = ["#d1495b", "#7f7f7f", "#1b6ca8"];
    private const string Files = "results.json (this folder)";

    /// <summary>The three figures of one task.</summary>
    public static string Html(PipelineResults r, TaskResult t)
    {
        var i = t.Interpretation ?? throw new ArgumentException($"task {t.Task} has no interpretation", nameof(t));
        var glasses = string.Join(", ", r.Config.Tasks.First(x => x.Name == t.Task).Glasses);
        return Importance(t, i) + Correlation(t, i, glasses) + Violins(t, i, glasses);
    }

    private static string F(double v, string f = "F3") => v.ToString(f, CultureInfo.InvariantCulture);

    /// <summary>Gain share and |SHAP| share of each reduced feature as paired horizontal bars.</summary>
    private static string Importance(TaskResult t, FeatureInterpretation i)
    {
        var f = i.Features;
        int k = f.Count;
        double max = Math.Max(0.1, f.Max(x => Math.Max(x.Gain, x.ShapShare)));
        double step = max > 0.5 ? 0.2 : max > 0.2 ? 0.1 : 0.05;
        max = Math.Ceiling(max / step - 1e-9) * step;
        var plot = new SvgPlot($"interp-importance-{t.Task}", $"{t.Task}: importance of the {k} reduced features", (0, max), (-0.6, k - 0.4),
            width: 640, height: 90 + 34 * k, left: 260, legendBelow: true);
        plot.XAxis($"share of the {k} features' total (each kind sums to 1)", step).YCategories([.. f.Select(x => x.Name).Reverse()]);
        for (int a = 0; a < k; a++)
        {
            double y = k - 1 - a;
            plot.Rect("gain-share", 0, y + 0.03, f[a].Gain, y + 0.38, "#1b6ca8", $"{f[a].Name}: gain share {F(f[a].Gain)}", f[a].Gain)
                .Rect("shap-share", 0, y - 0.38, f[a].ShapShare, y - 0.03, "#edae49", $"{f[a].Name}: |SHAP| share {F(f[a].ShapShare)} (mean |SHAP| {F(f[a].Shap, "G4")})", f[a].ShapShare);
        }
        plot.Legend("gain share", "#1b6ca8", "box").Legend("mean |SHAP| share", "#edae49", "box");
        return plot.Html($"{t.Task}: the {k} {t.Representation} features that survived the reduction (of {t.Features}), by decreasing gain. Blue: share of the total gain, "
            + $"averaged over the {i.Models} models of the 3 x 5 protocol on the reduced features (the paper's Fig. 4b); orange: share of the mean |SHAP| of the same "
            + $"{i.Models} models over all {i.Rows} labelled atoms (each model explains every atom). From {Files} (interpretation[].features[].gain, shap_share).");
    }

    /// <summary>The Pearson correlation map of the reduced features, with a diverging colour bar from -1 to 1.</summary>
    private static string Correlation(TaskResult t, FeatureInterpretation i, string glasses) =>
        SvgPlot.CorrelationMap($"interp-correlation-{t.Task}", $"{t.Task}: Pearson r of the reduced features", "corr-cell", [.. i.Features.Select(f => f.Name)],
            (a, b) => i.Correlation[a][b],
            $"Pearson correlation coefficients between the {i.Features.Count} reduced {t.Representation} features of {t.Task} over its {i.Rows} labelled atoms "
            + $"(pooled over {glasses}; the paper's Fig. 4a); columns are numbered as the rows; colour from -1 (blue) through 0 (white) to 1 (red). "
            + $"From {Files} (interpretation[].correlation).");

    /// <summary>Violins of each reduced feature's z-score in the H, middle and L groups.</summary>
    private static string Violins(TaskResult t, FeatureInterpretation i, string glasses)
    {
        var f = i.Features;
        int k = f.Count, groups = i.Groups.Count;
        var all = f.SelectMany(x => x.Groups).ToList();
        var ends = all.SelectMany(g => g.Density.Grid.Append(g.Median)).Where(double.IsFinite).DefaultIfEmpty(0).ToList();
        double lo = ends.Min(), hi = ends.Max(), span = Math.Max(hi - lo, 1);
        double step = span > 10 ? 2 : span > 4 ? 1 : 0.5;
        lo = Math.Floor(lo / step) * step; hi = Math.Ceiling(hi / step) * step;
        double peak = all.SelectMany(g => g.Density.Density).DefaultIfEmpty(1).Max();
        double lane = 0.84 / groups, scale = 0.47 * lane / peak;   // a violin's half-width at the figure's highest density: just under half its lane
        var plot = new SvgPlot($"interp-violins-{t.Task}", $"{t.Task}: the reduced features in the H, middle and L groups", (lo, hi), (-0.55, k - 0.45),
            width: 760, height: 100 + 78 * k, left: 260, legendBelow: true);
        plot.XAxis($"z-score (x − mean) / std over the {i.Rows} labelled atoms (dimensionless)", step).YCategories([.. f.Select(x => x.Name).Reverse()]);
        for (int a = 0; a < k; a++)
            for (int g = 0; g < groups; g++)
            {
                var d = f[a].Groups[g];
                double y = k - 1 - a + (groups - 1) / 2.0 * lane - g * lane;
                string colour = GroupColours[g % GroupColours.Length], what = $"{f[a].Name}, {d.Group} ({d.Count} atoms)";
                if (d.Density.Grid.Length > 0)
                {
                    var grid = d.Density.Grid;
                    var xs = grid.Concat(grid.Reverse()).ToArray();
                    var ys = d.Density.Density.Select(v => y + scale * v).Concat(d.Density.Density.Reverse().Select(v => y - scale * v)).ToArray();
                    plot.Polygon("violin", xs, ys, colour, colour, $"{what}: density of the z-score, bandwidth {F(d.Density.Bandwidth)}", d.Count, opacity: 0.45);
                }
                if (d.Count == 0) continue;
                plot.Line("violin-iqr", [d.Q1, d.Q3], [y, y], "#222", $"{what}: quartiles {F(d.Q1)} to {F(d.Q3)}", width: 2.2)
                    .Line("violin-q1", [d.Q1, d.Q1], [y - 0.3 * lane, y + 0.3 * lane], "#222", $"{what}: first quartile {F(d.Q1)}", width: 1.2, value: d.Q1)
                    .Line("violin-q3", [d.Q3, d.Q3], [y - 0.3 * lane, y + 0.3 * lane], "#222", $"{what}: third quartile {F(d.Q3)}", width: 1.2, value: d.Q3)
                    .Point("violin-median", d.Median, y, "#222", $"{what}: median {F(d.Median)}", d.Median);
            }
        var sizes = f.Count > 0 ? f[0].Groups.Select(g => g.Count).ToList() : [];
        string Group(int g) => $"{i.Groups[g]} ({(g < sizes.Count ? sizes[g] : 0)} atoms)";
        for (int g = 0; g < groups; g++) plot.Legend(Group(g), GroupColours[g % GroupColours.Length], "box");
        return plot.Html($"{t.Task}: the {k} reduced {t.Representation} features in three groups of the {i.Rows} labelled atoms (pooled over {glasses}), "
            + $"split by their mean activation energy: H, the top tail (the H-Eact positives, h_eact = 1), L, the bottom tail (the L-Eact positives, l_eact = 1), "
            + "and the middle, the rest. Each violin is a Gaussian kernel density estimate (Scott's bandwidth) of the feature's z-score between the group's extremes, "
            + $"mirrored, all on one density scale; bar and ticks: the quartiles; dot: the median. From {Files} (interpretation[].features[].groups).");
    }
}
