using System.Globalization;
using System.Text;
using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// The quench-in softness section of a pipeline's results (Wang and Jain 2019, Fig. 3): its results.json object,
/// its results.md paragraph and its four report figures (qs-probability, qs-auc-strain, qs-rdf, qs-fractal). Every
/// mark that shows a number carries it in data-value, exactly as results.json has it.
/// </summary>
internal static class QuenchInSoftnessReport
{
    private static string F(double v, string f = "F3") => double.IsNaN(v) ? "n/a" : v.ToString(f, CultureInfo.InvariantCulture);
    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
    private const string Key = "results.json (quench_in_softness)";
    private static string Colour(string group) => group switch { "softest" => "#d1495b", "hardest" => "#1b6ca8", _ => "#222" };

    /// <summary>The results.json object (snake_case keys by the caller's naming policy).</summary>
    /// <param name="q">the section's results.</param>
    /// <param name="outputDirectory">the folder results.json goes to: the stress-strain file is named relative to it
    /// (with '/'), so the same data give the same results.json in any clone.</param>
    public static object Json(QuenchInSoftnessResult q, string outputDirectory) => new
    {
        q.Glass, q.Representation, q.Strain, q.Frame, q.Features, q.Folds,
        Atoms = q.Ids.Length, Learnt = q.Softness.Count(double.IsFinite),
        SoftnessFile = $"quench_in_softness/{q.Glass}.softness.csv", FramesFile = $"quench_in_softness/{q.Glass}.frames.csv",
        SoftestAbove = QuenchInSoftnessResult.SoftestAbove, HardestBelow = QuenchInSoftnessResult.HardestBelow,
        Frames = q.Frames.Select(f => new { f.Frame, f.Strain, f.RocAuc, f.Labelled, f.Plastic, D2minThreshold = f.D2MinThreshold }),
        Probability = q.Probability.Select(p => new
        {
            p.Strain, p.Frame, Bins = p.Bins.Select(b => new { b.Lo, b.Hi, b.Atoms, b.Plastic, b.Probability }),
        }),
        Rdf = new { BinWidth = QuenchInSoftnessResult.RdfBin, R = q.RdfR },
        MassRadius = new { BinWidth = QuenchInSoftnessResult.MassRadiusBin, R = q.MassRadiusR },
        Groups = q.Groups.Select(g => new
        {
            g.Name, g.Rule, g.Atoms, G = g.Rdf, M = g.MassRadius, FractalDimension = g.Fit?.D, FitPrefactor = g.Fit?.Prefactor,
            FitRMin = g.Fit?.RMin, FitRMax = g.Fit?.RMax, FitPoints = g.Fit?.Points, g.Note,
        }),
        StressStrain = q.Curve is { } c
            ? new { File = Path.GetRelativePath(Path.GetFullPath(outputDirectory), Path.GetFullPath(c.Source)).Replace('\\', '/'), c.Strain, c.ShearStressGpa }
            : null,
        StressStrainNote = q.CurveNote,
    };

    /// <summary>The results.md paragraph.</summary>
    public static string Markdown(QuenchInSoftnessResult q)
    {
        var sb = new StringBuilder();
        var learnt = q.Frames[q.Frame];
        sb.AppendLine($"### Quench-in softness ({q.Glass}, Wang & Jain 2019, Fig. 3)").AppendLine();
        sb.AppendLine($"Softness: each atom's predicted probability of plastic@{G(q.Strain)} from its {q.Representation} features ({q.Features}), by a model that never saw it "
            + $"({q.Folds} stratified folds over the {q.Softness.Count(double.IsFinite)} atoms, each model trained on a balanced draw of the other folds). "
            + $"Per-atom values: quench_in_softness/{q.Glass}.softness.csv; every frame's D2min and plastic sites: quench_in_softness/{q.Glass}.frames.csv.").AppendLine();
        sb.AppendLine($"ROC-AUC of the softness against the plastic sites of each of the {q.Frames.Count} frames: {F(learnt.RocAuc)} at the learnt strain {G(q.Strain)}; "
            + string.Join(", ", q.Frames.Where(f => q.Probability.Any(p => p.Frame == f.Frame) || f.Frame == q.Frames.Count - 1).Select(f => $"{F(f.RocAuc)} at {G(f.Strain)}"))
            + $"; from {F(q.Frames.Where(f => !double.IsNaN(f.RocAuc)).Select(f => f.RocAuc).DefaultIfEmpty(double.NaN).Min())} to {F(q.Frames.Where(f => !double.IsNaN(f.RocAuc)).Select(f => f.RocAuc).DefaultIfEmpty(double.NaN).Max())} over the series.").AppendLine();
        sb.AppendLine("| Strain | " + string.Join(" | ", Enumerable.Range(0, QuenchInSoftnessResult.Bins).Select(b => $"{b / 10.0:0.0}-{(b + 1) / 10.0:0.0}")) + " |");
        sb.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", QuenchInSoftnessResult.Bins)));
        foreach (var p in q.Probability)
            sb.AppendLine($"| P(plastic) at {G(p.Strain)} | " + string.Join(" | ", Enumerable.Range(0, QuenchInSoftnessResult.Bins).Select(b =>
                p.Bins.FirstOrDefault(x => Math.Abs(x.Lo - b / 10.0) < 1e-9) is { } x ? $"{F(x.Probability)} ({x.Plastic}/{x.Atoms})" : "-")) + " |");
        sb.AppendLine();
        foreach (var g in q.Groups)
            sb.AppendLine($"- {g.Name} ({g.Rule}): {g.Atoms} atoms; " + (g.Fit is { } fit
                ? $"mass-radius dimension D = {F(fit.D)} (M(r) ~ r^D fitted over {G(fit.RMin)} to {G(fit.RMax)} A)"
                : g.Note));
        if (q.CurveNote is { } note) sb.AppendLine($"- {note}");
        return sb.ToString();
    }

    /// <summary>The four figures.</summary>
    public static string Figures(QuenchInSoftnessResult q) =>
        "<div class=\"figs\">" + Probability(q) + AucStrain(q) + Rdf(q) + Fractal(q) + "</div>";

    private static readonly string[] Palette = ["#1b6ca8", "#edae49", "#d1495b", "#66a182", "#8d6a9f", "#2e4057"];

    /// <summary>P(plastic | softness bin) on a log axis, one line per strain; a bin with no plastic atom drawn as a hollow mark on the axis floor.</summary>
    private static string Probability(QuenchInSoftnessResult q)
    {
        var positive = q.Probability.SelectMany(p => p.Bins).Where(b => b.Plastic > 0).Select(b => b.Probability).DefaultIfEmpty(0.1).ToList();
        // the floor: the decade of the smallest non-zero probability, one lower when a bin has none (its mark sits on the floor)
        double floor = Math.Pow(10, Math.Floor(Math.Log10(positive.Min())) - (q.Probability.Any(p => p.Bins.Any(b => b.Plastic == 0)) ? 1 : 0));
        var plot = new SvgPlot("qs-probability", $"{q.Glass}: P(plastic | quench-in softness)", (0, 1), (floor, 1), width: 480, height: 360, logY: true, legendBelow: true);
        plot.XAxis($"quench-in softness ({q.Representation} model of plastic@{G(q.Strain)}, cross-fitted)", 0.1).YAxis("P(plastic | softness bin)", 1);
        for (int k = 0; k < q.Probability.Count; k++)
        {
            var p = q.Probability[k];
            string colour = Palette[k % Palette.Length];
            var shown = p.Bins.Where(b => b.Plastic > 0).ToList();
            plot.Line("qs-probability-line", shown.Select(b => (b.Lo + b.Hi) / 2).ToList(), shown.Select(b => b.Probability).ToList(), colour, $"strain {G(p.Strain)}");
            foreach (var b in p.Bins)
            {
                string tip = $"strain {G(p.Strain)}, softness {b.Lo:0.0}-{b.Hi:0.0}: {b.Plastic} plastic of {b.Atoms} atoms";
                if (b.Plastic > 0) plot.Point("qs-probability", (b.Lo + b.Hi) / 2, b.Probability, colour, tip + $" (P = {b.Probability:G3})", b.Probability);
                else plot.Point("qs-probability-zero", (b.Lo + b.Hi) / 2, floor, colour, tip + " (P = 0, drawn on the axis floor)", 0, hollow: true);
            }
            plot.Legend($"strain {G(p.Strain)}", colour, "dot");
        }
        if (q.Probability.Any(p => p.Bins.Any(b => b.Plastic == 0))) plot.Legend("no plastic atom (P = 0)", "#555", "diamond");
        return plot.Html($"Fraction of plastic sites (top {q.Frames[q.Frame].Plastic} D2min atoms of the frame) among the atoms of each quench-in softness bin of width 0.1 "
            + $"(empty bins left out; hollow diamonds on the axis floor: bins with no plastic atom, P = 0), at each chosen strain, {q.Glass}. From {Key}: probability[].bins[].probability.");
    }

    /// <summary>ROC-AUC of the softness against every frame's plastic sites, with the shear stress on a second axis.</summary>
    private static string AucStrain(QuenchInSoftnessResult q)
    {
        double xMax = Math.Max(q.Frames.Max(f => f.Strain), q.Curve?.Strain.Max() ?? 0);
        xMax = Math.Ceiling(xMax * 100 - 1e-9) / 100;
        var finite = q.Frames.Where(f => !double.IsNaN(f.RocAuc)).ToList();
        double lo = Math.Min(0.5, Math.Floor(finite.Select(f => f.RocAuc).DefaultIfEmpty(0.5).Min() * 10) / 10);
        var plot = new SvgPlot("qs-auc-strain", $"{q.Glass}: predictive power along the shear", (0, xMax), (lo, 1), width: 560, height: 360, right: 64, legendBelow: true);
        plot.XAxis("shear strain", xMax > 0.05 ? 0.02 : 0.01).YAxis("ROC-AUC of the quench-in softness", 0.1, "0.0");
        plot.Line("chance", [0, xMax], [0.5, 0.5], "#bbb", "chance", dashed: true);
        if (q.Curve is { } c)
        {
            double top = Math.Max(0.5, Math.Ceiling(c.ShearStressGpa.Where(double.IsFinite).DefaultIfEmpty(1).Max() * 2) / 2);
            double bottom = Math.Min(0, Math.Floor(c.ShearStressGpa.Where(double.IsFinite).DefaultIfEmpty(0).Min() * 10) / 10);
            plot.RightAxis("shear stress (GPa)", (bottom, top), top - bottom > 2.5 ? 1 : 0.5, "#888");
            plot.RightLine("stress-strain", c.Strain, c.ShearStressGpa, "#888", $"shear stress-strain curve ({Path.GetFileName(c.Source)})");
            plot.Legend("shear stress (right axis)", "#888");
        }
        plot.Line("qs-auc-line", finite.Select(f => f.Strain).ToList(), finite.Select(f => f.RocAuc).ToList(), "#1b6ca8");
        foreach (var f in finite)
            plot.Point("qs-auc", f.Strain, f.RocAuc, f.Frame == q.Frame ? "#d1495b" : "#1b6ca8", $"frame {f.Frame}, strain {G(f.Strain)}: ROC-AUC {f.RocAuc:F3} ({f.Plastic} plastic)", f.RocAuc);
        plot.Legend("ROC-AUC per frame", "#1b6ca8", "dot").Legend($"learnt strain {G(q.Strain)}", "#d1495b", "dot");
        return plot.Html($"ROC-AUC of the cross-fitted quench-in softness against the plastic sites of each of the {q.Frames.Count} frames of the shear series of {q.Glass}, "
            + (q.Curve is null ? "" : "with the shear stress-strain curve (grey, right axis) to show where yielding or shear banding takes the predictive power away. ")
            + $"From {Key}: frames[].roc_auc and stress_strain" + (q.Curve is { } cc ? $" ({Path.GetFileName(cc.Source)})." : $"; {q.CurveNote}."));
    }

    /// <summary>g(r) around the softest, hardest and all atoms.</summary>
    private static string Rdf(QuenchInSoftnessResult q)
    {
        var drawn = q.Groups.Where(g => g.Rdf is not null).ToList();
        double top = Math.Ceiling(drawn.SelectMany(g => g.Rdf!).DefaultIfEmpty(1).Max() + 0.5);
        double rMax = q.RdfR.Length > 0 ? q.RdfR[^1] + QuenchInSoftnessResult.RdfBin / 2 : QuenchInSoftnessResult.RdfRange;
        var plot = new SvgPlot("qs-rdf", $"{q.Glass}: g(r) around the softest and hardest atoms", (0, rMax), (0, top), width: 480, height: 340, legendBelow: true);
        plot.XAxis("distance r (Å)", 1, "0").YAxis("g(r) around the group's atoms", top > 6 ? 1 : 0.5);
        foreach (var g in drawn)
        {
            int peak = Array.IndexOf(g.Rdf!, g.Rdf!.Max());
            plot.Line("qs-rdf", q.RdfR, g.Rdf!, Colour(g.Name), $"{g.Name}: {g.Atoms} atoms", width: g.Name == "all" ? 1.2 : 1.8);
            plot.Point("qs-rdf-peak", q.RdfR[peak], g.Rdf![peak], Colour(g.Name), $"{g.Name}: first peak g = {g.Rdf![peak]:F2} at {q.RdfR[peak]:F2} Å", g.Rdf![peak]);
            plot.Legend($"{g.Name}: {g.Atoms} atoms", Colour(g.Name));
        }
        var missing = q.Groups.Where(g => g.Rdf is null).Select(g => $"{g.Name} ({g.Rule}): {g.Note}").ToList();
        return plot.Html($"Radial distribution function of all atoms around the atoms of each group (periodic minimum image, bins of {QuenchInSoftnessResult.RdfBin} Å; {string.Join(", ", q.Groups.Select(g => $"{g.Name}: {g.Rule}"))}; "
            + $"number density N/V of the cell), {q.Glass}; dots: each curve's highest peak" + (missing.Count > 0 ? $"; not drawn: {string.Join("; ", missing)}" : "")
            + $". From {Key}: groups[].g and rdf.r.");
    }

    /// <summary>M(r) of each group on log-log axes, with the fitted power law over the fit range.</summary>
    private static string Fractal(QuenchInSoftnessResult q)
    {
        var drawn = q.Groups.Where(g => g.MassRadius is not null).ToList();
        double rMax = q.MassRadiusR.Length > 0 ? q.MassRadiusR[^1] : 10;
        // from 2 A (below the first neighbour shell M(r) is a few stray pairs) and from the smallest M there
        const double rMin = 2;
        var shown = Enumerable.Range(0, q.MassRadiusR.Length).Where(i => q.MassRadiusR[i] >= rMin).ToList();
        double mMax = Math.Pow(10, Math.Ceiling(Math.Log10(drawn.SelectMany(g => g.MassRadius!).DefaultIfEmpty(10).Max())));
        double mMin = Math.Pow(10, Math.Floor(Math.Log10(drawn.SelectMany(g => shown.Select(i => g.MassRadius![i])).Where(m => m > 0).DefaultIfEmpty(0.1).Min())));
        var plot = new SvgPlot("qs-fractal", $"{q.Glass}: mass-radius M(r) ~ r^D", (rMin, rMax), (mMin, mMax), width: 480, height: 360, logX: true, logY: true, legendBelow: true);
        plot.XAxis("radius r (Å)", 1).YAxis("M(r) (group atoms within r)", 1);
        var fits = new List<string>();
        foreach (var g in drawn)
        {
            var k = shown.Where(i => g.MassRadius![i] > 0).ToList();
            plot.Line("qs-mass-radius", k.Select(i => q.MassRadiusR[i]).ToList(), k.Select(i => g.MassRadius![i]).ToList(), Colour(g.Name), $"{g.Name}: {g.Atoms} atoms");
            if (g.Fit is { } fit)
            {
                plot.Line("qs-fractal-fit", [fit.RMin, fit.RMax], [fit.At(fit.RMin), fit.At(fit.RMax)], Colour(g.Name), $"{g.Name}: D = {fit.D:F3}", dashed: true, width: 2.4, value: fit.D);
                fits.Add($"{g.Name} {fit.D:F2}");
            }
            plot.Legend($"{g.Name}: {g.Atoms} atoms" + (g.Fit is { } f ? $", D = {f.D:F2}" : ""), Colour(g.Name));
        }
        var missing = q.Groups.Where(g => g.MassRadius is null).Select(g => $"{g.Name} ({g.Rule}): {g.Note}").ToList();
        var range = drawn.Select(g => g.Fit).FirstOrDefault(f => f is not null);
        return plot.Html($"Mass-radius relation of the softest, hardest and all atoms of {q.Glass}: M(r), the mean number of the group's other atoms within r of one of them "
            + $"(periodic minimum image, up to half the cell), and the fitted power law (dashed, least squares of log M on log r"
            + (range is { } rf ? $" over {G(rf.RMin)} to {G(rf.RMax)} Å" : "") + $"; D: {string.Join(", ", fits)})"
            + (missing.Count > 0 ? $"; not drawn: {string.Join("; ", missing)}" : "") + $". From {Key}: groups[].m, groups[].fractal_dimension and mass_radius.r.");
    }
}
