using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Softspot.Learning;
using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// The results of a pipeline as Markdown tables (results.md, also printed) and as JSON rows (results.json): the
/// Table 1 layout of Wang, Ding and Ma (2020) — representation, feature count, ROC-AUC mean ± std per task — then
/// the reduced models, the transfer tests, the labels, the most important features and the interpretation of the
/// activation tasks' reduced features.
/// </summary>
public static class PipelineSummary
{
    private static string F(double v) => double.IsNaN(v) ? "n/a" : v.ToString("F3", CultureInfo.InvariantCulture);
    private static string Auc(MetricSummary s) => $"{F(s.Mean)} ± {F(s.Std)}";

    /// <summary>The main table and the transfer table (what a run prints).</summary>
    public static string Tables(PipelineResults r)
    {
        var sb = new StringBuilder();
        var tasks = r.Config.Tasks.Select(t => t.Name).ToList();
        sb.AppendLine("### ROC-AUC of the 3 x 5 protocol (mean ± std over 15 splits: 3 balanced undersampled subsets x 5 folds)").AppendLine();
        Table(sb, r, tasks, t => Auc(t.Scores.RocAuc), t => t.Features, paper: true);
        if (r.Tasks.Any(t => t.Reduced is not null))
        {
            sb.AppendLine().AppendLine($"### The same, each model reduced to its {r.Config.Learning.Reduce} most important uncorrelated features").AppendLine();
            Table(sb, r, tasks, t => t.Reduced is { } s ? Auc(s.RocAuc) : "-", t => t.ReducedFeatures.Count > 0 ? t.ReducedFeatures.Count : t.Features);
        }
        if (r.Transfers.Count > 0)
        {
            sb.AppendLine().AppendLine("### Transfer: a task's model scored on another glass or another task's labels").AppendLine();
            sb.AppendLine("| Model (task) | Trained on | Scored on | Label | Representation | ROC-AUC (3 balanced subsets) | ROC-AUC (all atoms) |");
            sb.AppendLine("|---|---|---|---|---|---|---|");
            foreach (var x in r.Transfers)
                sb.AppendLine($"| {x.Task} | {x.Train} | {x.Test} | {x.Label} | {x.Representation} | "
                    + (x.Score is { } s ? $"{Auc(s.Summary.RocAuc)} | {F(s.AllRows.RocAuc)} |" : $"skipped: {x.Skipped} | |"));
        }
        return sb.ToString();
    }

    /// <summary>
    /// One row per representation, one column per task; with <paramref name="paper"/>, a last column with the 2020
    /// paper's H-Eact / L-Eact AUCs of the same representation when the run has an activation task.
    /// </summary>
    private static void Table(StringBuilder sb, PipelineResults r, List<string> tasks, Func<TaskResult, string> cell, Func<TaskResult, int> features, bool paper = false)
    {
        paper &= r.Config.Tasks.Any(t => t.Task.NeedsEvents);
        sb.AppendLine("| Representation | Features | " + string.Join(" | ", tasks) + " |" + (paper ? " Paper's Table 1: H-Eact / L-Eact (features) |" : ""));
        sb.AppendLine("|---|---:|" + string.Concat(tasks.Select(_ => "---|")) + (paper ? "---|" : ""));
        foreach (var p in r.Config.Presets)
        {
            var row = tasks.Select(t => r.Task(t, p)).ToList();
            var counts = row.Select(features).Distinct().ToList();
            string printed = !paper ? "" : PaperTable1.Of(p) is { } x ? $" {F(x.High.Mean)} / {F(x.Low.Mean)} ({x.Features}{(p == "interstice" ? "" : " + 1")}) |" : " - |";
            sb.AppendLine($"| {p} | {string.Join("/", counts)} | " + string.Join(" | ", row.Select(cell)) + " |" + printed);
        }
    }

    /// <summary>results.md: the tables, the labels, the most important features and how the run was made.</summary>
    public static string Markdown(PipelineResults r, string configSource)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Softspot results").AppendLine();
        sb.AppendLine($"Pipeline: `{configSource}`; seed {r.Config.Seed}; learner: {r.Config.Learning.Engine} gradient boosting, {r.Config.Learning.Trees} trees of depth {r.Config.Learning.Depth}, learning rate {r.Config.Learning.LearningRate.ToString(CultureInfo.InvariantCulture)}.").AppendLine();
        sb.AppendLine("Glasses: " + string.Join("; ", r.Glasses.Select(g => $"{g.Glass} ({g.Atoms} atoms, {g.Elements})")) + ".").AppendLine();
        sb.Append(Tables(r)).AppendLine();
        sb.AppendLine("### Tasks").AppendLine();
        sb.AppendLine("| Task | Label | Glasses | Labelled atoms | Positive |").AppendLine("|---|---|---|---:|---:|");
        foreach (var t in r.Config.Tasks)
        {
            var first = r.Tasks.First(x => x.Task == t.Name);
            sb.AppendLine($"| {t.Name} | {first.Label} | {string.Join(", ", t.Glasses)} | {first.Rows} | {first.Positives} |");
        }
        if (r.ActivationNote is { } note) sb.AppendLine().AppendLine($"Activation labels: {note}.");
        if (r.Diagnostics.Count > 0) Diagnostics(sb, r);
        sb.AppendLine().AppendLine("### Labels per glass").AppendLine();
        sb.AppendLine("| Glass | Label | Labelled atoms | Positive |").AppendLine("|---|---|---:|---:|");
        foreach (var l in r.Labels) sb.AppendLine($"| {l.Glass} | {l.Label} | {l.Labelled} | {l.Positive} |");
        var main = r.Config.Presets[0];
        sb.AppendLine().AppendLine($"### Most important features ({main}; share of the total gain over the 15 models)").AppendLine();
        foreach (var t in r.Tasks.Where(t => t.Representation == main))
            sb.AppendLine($"- {t.Task}: " + string.Join(", ", t.Importance.Take(5).Select(f => $"{f.Feature} ({F(f.Share)})")));
        foreach (var t in r.Interpreted)
        {
            var i = t.Interpretation!;
            sb.AppendLine().AppendLine($"### Interpretation of {t.Task} ({t.Representation}, the {i.Features.Count} reduced features)").AppendLine();
            sb.AppendLine($"Gain: share of the total gain averaged over the {i.Models} reduced models of the 3 x 5 protocol; mean |SHAP|: the same models "
                + $"over all {i.Rows} labelled atoms (margin units, log-odds), and its share. Correlations, quartiles and densities in the H, middle and L "
                + "groups: results.json (interpretation), report.html.").AppendLine();
            sb.AppendLine("| Feature | Gain share | Mean abs SHAP | SHAP share | Median z: " + string.Join(" / ", i.Groups) + " |").AppendLine("|---|---:|---:|---:|---|");
            foreach (var f in i.Features)
                sb.AppendLine($"| {f.Name} | {F(f.Gain)} | {F(f.Shap)} | {F(f.ShapShare)} | {string.Join(" / ", f.Groups.Select(g => F(g.Median)))} |");
        }
        if (r.QuenchInSoftness is { } qs) sb.AppendLine().Append(QuenchInSoftnessReport.Markdown(qs));
        sb.AppendLine().AppendLine(FormattableString.Invariant($"Run time: {r.Seconds:F0} s."));
        return sb.ToString();
    }

    /// <summary>The diagnostics beside the main scores: one row per task and representation.</summary>
    private static void Diagnostics(StringBuilder sb, PipelineResults r)
    {
        var leakage = r.Diagnostics.Where(d => d.Kind.IsLeakage()).ToList();
        if (leakage.Count > 0)
        {
            sb.AppendLine().AppendLine("### Diagnostics: how much of a score is neighbourhood leakage").AppendLine();
            sb.AppendLine("Each task scored again, beside (not instead of) the table above: with activation labels given to every atom an event moved "
                + "(weighted by its saddle displacement squared) rather than to the atom it started from, and with spatially blocked folds "
                + "(test folds made of blocks of space, no training atom within the cutoff of a test atom), and with both. A score that drops a lot under blocking "
                + "owed that much to neighbours sharing environments and events.").AppendLine();
            sb.AppendLine("| Task | Representation | ROC-AUC (3 x 5 protocol) | Participation-weighted labels | Spatially blocked | Participation-weighted, spatially blocked |").AppendLine("|---|---|---|---|---|---|");
            foreach (var (task, rep) in leakage.Select(d => (d.Task, d.Representation)).Distinct())
            {
                string Cell(DiagnosticKind kind) => leakage.FirstOrDefault(d => d.Task == task && d.Representation == rep && d.Kind == kind) is { } d ? DiagnosticCell(d) : "-";
                sb.AppendLine($"| {task} | {rep} | {Auc(r.Task(task, rep).Scores.RocAuc)} | {Cell(DiagnosticKind.Participants)} | {Cell(DiagnosticKind.Blocked)} | {Cell(DiagnosticKind.ParticipantsBlocked)} |");
            }
            if (r.Config.Diagnostics is { BlockedCutoff: > 0 } c)
                sb.AppendLine().AppendLine(FormattableString.Invariant($"Blocking cutoff {c.BlockedCutoff:0.##} A. ") + string.Join(" ", leakage.Where(d => d.Kind is DiagnosticKind.Blocked or DiagnosticKind.ParticipantsBlocked && d.Scores is not null)
                    .Select(d => $"{d.Task} ({d.Representation}{(d.Kind == DiagnosticKind.ParticipantsBlocked ? ", participation-weighted" : "")}): {d.Detail}.")));
        }
        var regression = r.Diagnostics.Where(d => d.Kind == DiagnosticKind.Regression).ToList();
        if (regression.Count > 0)
        {
            sb.AppendLine().AppendLine("### Diagnostics: the tails from a regression").AppendLine();
            sb.AppendLine("The papers' protocol trains each classifier on a balanced draw (every tail atom and as many others), so with few labelled atoms "
                + "it learns from few. Here each task again: a squared-error model of what its labels are the tails of (activation: the per-atom mean "
                + "E_act; plastic sites: D2min's rank within its glass), trained on every atom of the other folds (3 x 5 stratified folds, no "
                + "undersampling), its predictions (negated for a low tail) scored on the same labels. "
                + "A score well above the protocol's says the labelled atoms hold more than a balanced draw of them can learn.").AppendLine();
            sb.AppendLine("| Task | Representation | ROC-AUC (3 x 5 protocol) | Regression (mean E_act; D2min's rank) |").AppendLine("|---|---|---|---|");
            foreach (var d in regression)
                sb.AppendLine($"| {d.Task} | {d.Representation} | {Auc(r.Task(d.Task, d.Representation).Scores.RocAuc)} | {DiagnosticCell(d)} |");
        }
        if (r.Diagnostics.Any(d => d.Fraction is not null) || r.Reliability is not null) MoreData(sb, r);
    }

    /// <summary>The learning curves: each task on fractions of its labelled atoms and with labels from fractions of each atom's searches, and the labels' reliability.</summary>
    private static void MoreData(StringBuilder sb, PipelineResults r)
    {
        var c = r.Config.Diagnostics!;
        sb.AppendLine().AppendLine("### Diagnostics: what more data would buy").AppendLine();
        var curves = r.Diagnostics.Where(d => d.Fraction is not null).Select(d => (d.Task, d.Representation)).Distinct().ToList();
        if (curves.Count > 0)
        {
            sb.AppendLine($"Each task scored again on a random share of its labelled atoms (the same share of each class; the 3 x 5 protocol on each of {Learning.LearningCurve.Draws} independent draws, 45 splits), "
                + "and each activation task with its labels computed from only the first share of every atom's converged searches (the same atoms). "
                + "The gain per doubling is the least-squares slope of ROC-AUC against log2 of the share, the full data included: "
                + "how much twice the labelled atoms, or twice the searches per atom, would add if the trend held.").AppendLine();
            var atoms = c.AtomFractions.Order().ToList();
            var searches = c.SearchFractions.Order().ToList();
            sb.AppendLine("| Task | Representation | " + string.Join("", atoms.Select(f => $"{Share(f)} of the atoms | ")) + "all (3 x 5 protocol) | per doubling of atoms | "
                + string.Join("", searches.Select(f => $"{Share(f)} of the searches | ")) + (searches.Count > 0 ? "per doubling of searches |" : ""));
            sb.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---|", atoms.Count + 2 + searches.Count + (searches.Count > 0 ? 1 : 0))));
            foreach (var (task, rep) in curves)
            {
                var main = r.Task(task, rep);
                string Cell(DiagnosticKind kind, double f) => r.Diagnostics.FirstOrDefault(d => d.Task == task && d.Representation == rep && d.Kind == kind && d.Fraction == f) is { } d ? DiagnosticCell(d) : "-";
                string Slope(DiagnosticKind kind) => PerDoubling(r, task, rep, kind) is { } g ? (g >= 0 ? "+" : "") + F(g) : "-";
                sb.Append($"| {task} | {rep} | ").Append(string.Concat(atoms.Select(f => Cell(DiagnosticKind.FewerAtoms, f) + " | ")))
                    .Append($"{Auc(main.Scores.RocAuc)} ({main.Rows} atoms, {main.Positives} positive) | {Slope(DiagnosticKind.FewerAtoms)} | ")
                    .Append(string.Concat(searches.Select(f => Cell(DiagnosticKind.FewerSearches, f) + " | ")))
                    .AppendLine(searches.Count > 0 ? Slope(DiagnosticKind.FewerSearches) + " |" : "");
            }
        }
        if (r.Reliability is { } rel)
            sb.AppendLine().AppendLine(FormattableString.Invariant(
                $"Split-half reliability of the per-atom mean E_act ({rel.Atoms} labelled atoms, {rel.MeanSearches:F1} converged searches each on average; each atom's searches dealt alternately into two halves): ")
                + FormattableString.Invariant($"r = {rel.HalfCorrelation:F3} between the halves' means, so {rel.SpearmanBrown:F3} for the mean of all of them (Spearman-Brown, 2r / (1 + r)). ")
                + "The closer to 1, the less a label depends on which searches happened to converge.");
    }

    private static string Share(double f) => f.ToString("0.###", CultureInfo.InvariantCulture);

    private static string DiagnosticCell(DiagnosticResult d) => d.Scores is { } s ? $"{Auc(s.RocAuc)} ({d.Rows} atoms, {d.Positives} positive)" : $"skipped: {d.Skipped}";

    /// <summary>
    /// The least-squares slope of the mean ROC-AUC against log2 of the fraction, over the diagnostic's fractions and
    /// the full data (fraction 1: the main score); null with fewer than two points.
    /// </summary>
    public static double? PerDoubling(PipelineResults r, string task, string representation, DiagnosticKind kind)
    {
        var points = r.Diagnostics.Where(d => d.Task == task && d.Representation == representation && d.Kind == kind && d.Scores is not null && d.Fraction is not null)
            .Select(d => (X: Math.Log2(d.Fraction!.Value), Y: d.Scores!.RocAuc.Mean)).Append((X: 0.0, Y: r.Task(task, representation).Scores.RocAuc.Mean)).ToList();
        if (points.Count < 2) return null;
        double mx = points.Average(p => p.X), my = points.Average(p => p.Y);
        return points.Sum(p => (p.X - mx) * (p.Y - my)) / points.Sum(p => (p.X - mx) * (p.X - mx));
    }

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>results.json: one row per task and representation, one per transfer test (with train and test names).</summary>
    public static string JsonText(PipelineResults r, string configSource) => JsonSerializer.Serialize(new
    {
        Softspot = Simulation.Provenance.SoftspotVersion,
        Pipeline = configSource,
        r.Config.Seed,
        Glasses = r.Glasses.Select(g => new { Name = g.Glass, g.Atoms, g.Elements }),
        Rows = r.Tasks.Select(t => new
        {
            t.Task, t.Label, t.Representation, t.Features,
            RocAucMean = t.Scores.RocAuc.Mean, RocAucStd = t.Scores.RocAuc.Std,
            AveragePrecisionMean = t.Scores.AveragePrecision.Mean, AveragePrecisionStd = t.Scores.AveragePrecision.Std,
            ReducedFeatures = t.Reduced is null ? null : t.ReducedFeatures,
            ReducedRocAucMean = t.Reduced?.RocAuc.Mean, ReducedRocAucStd = t.Reduced?.RocAuc.Std,
            LabelledAtoms = t.Rows, Positive = t.Positives,
            PaperRocAucMean = PaperTable1.Of(t.Representation)?.For(t.Label)?.Mean,
            PaperRocAucStd = PaperTable1.Of(t.Representation)?.For(t.Label)?.Std,
            Importance = t.Importance.Select(f => new { f.Feature, f.Share }),
            Roc = t.Roc is { } roc ? new { roc.Fpr, roc.Tpr } : null,
        }),
        Transfer = r.Transfers.Select(x => new
        {
            x.Task, x.Label, x.Train, x.Test, x.Representation, x.Features,
            RocAucMean = x.Score?.Summary.RocAuc.Mean, RocAucStd = x.Score?.Summary.RocAuc.Std,
            RocAucAll = x.Score?.AllRows.RocAuc, Atoms = x.Score?.Rows, x.Skipped,
        }),
        Interpretation = r.Interpreted.Select(t => new
        {
            t.Task, t.Label, t.Representation, t.Interpretation!.Rows,
            ShapFrom = $"the {t.Interpretation.Models} reduced models of the 3 x 5 protocol, each on every labelled atom",
            Groups = t.Interpretation.Groups,
            Features = t.Interpretation.Features.Select(f => new
            {
                f.Name, f.Gain, f.Shap, f.ShapShare, f.Mean, f.Std,
                Groups = f.Groups.Select(g => new { g.Group, N = g.Count, g.Q1, g.Median, g.Q3, g.Density.Bandwidth, g.Density.Grid, g.Density.Density }),
            }),
            t.Interpretation.Correlation,
        }),
        Labels = r.Labels,
        r.ActivationNote,
        Diagnostics = r.Diagnostics.Select(d => new
        {
            d.Task, d.Representation, Kind = d.Kind.Key(),
            RocAucMean = d.Scores?.RocAuc.Mean, RocAucStd = d.Scores?.RocAuc.Std,
            MainRocAucMean = r.Task(d.Task, d.Representation).Scores.RocAuc.Mean,
            d.Fraction, LabelledAtoms = d.Rows, Positive = d.Positives, d.Detail, d.Skipped,
        }),
        LabelReliability = r.Reliability,
        LearningCurve = r.Diagnostics.Where(d => d.Fraction is not null).Select(d => (d.Task, d.Representation)).Distinct().Select(x => new
        {
            x.Task, x.Representation,
            AtomsPerDoubling = PerDoubling(r, x.Task, x.Representation, DiagnosticKind.FewerAtoms),
            SearchesPerDoubling = PerDoubling(r, x.Task, x.Representation, DiagnosticKind.FewerSearches),
        }),
        Spectra = r.Spectra.Select(s =>
        {
            var (start, width, bins) = PipelineReport.SpectrumBins(s);
            return new
            {
                s.Glass, Atoms = s.Values.Count, Q05 = s.Quantile(0.05), Median = s.Quantile(0.5), Q95 = s.Quantile(0.95),
                BinStart = start, BinWidth = width, Counts = s.Histogram(start, width, bins),
            };
        }),
        QuenchInSoftness = r.QuenchInSoftness is { } qs ? QuenchInSoftnessReport.Json(qs, r.Config.Output) : null,
        r.Seconds,
    }, Json);
}
