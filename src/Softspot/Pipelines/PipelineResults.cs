using Softspot.Labels;
using Softspot.Learning;
using Softspot.Learning.Interpretation;

namespace Softspot.Pipelines;

/// <summary>One task learnt from one representation with the 3 x 5 protocol.</summary>
public sealed record TaskResult(string Task, string Label, string Representation, int Features, int Rows, int Positives,
    ClassificationSummary Scores, ClassificationSummary? Reduced, IReadOnlyList<string> ReducedFeatures, IReadOnlyList<(string Feature, double Share)> Importance)
{
    /// <summary>The ROC curve of the 15 test folds, vertically averaged.</summary>
    public MeanRoc? Roc { get; init; }

    /// <summary>
    /// The reduced features interpreted (gain and |SHAP| of the reduced models, correlations, distributions in the
    /// high, middle and low activation-energy groups): activation tasks learnt from the first preset only.
    /// </summary>
    public FeatureInterpretation? Interpretation { get; init; }
}

/// <summary>A task's model scored on another glass or label; <see cref="Skipped"/> says why when it could not be.</summary>
public sealed record TransferResult(string Task, string Label, string Train, string Test, string Representation, int Features, TransferScore? Score, string? Skipped = null);

/// <summary>
/// A task scored again by a diagnostic (<see cref="DiagnosticKind"/>): how much of its score is neighbourhood leakage,
/// or what it would be with less data.
/// </summary>
/// <param name="Task">The task scored again.</param>
/// <param name="Representation">The representation it learnt from.</param>
/// <param name="Kind">Which diagnostic.</param>
/// <param name="Scores">The 3 x 5 protocol's scores under the diagnostic (null when skipped).</param>
/// <param name="Rows">Labelled atoms the diagnostic learnt from.</param>
/// <param name="Positives">Of those, positive.</param>
/// <param name="Detail">What the diagnostic did (blocks, training rows kept; atoms labelled).</param>
/// <param name="Skipped">Why it could not be scored (then <paramref name="Scores"/> is null).</param>
public sealed record DiagnosticResult(string Task, string Representation, DiagnosticKind Kind, ClassificationSummary? Scores, int Rows, int Positives, string Detail, string? Skipped = null)
{
    /// <summary>The fraction of labelled atoms (<see cref="DiagnosticKind.FewerAtoms"/>) or of each atom's searches (<see cref="DiagnosticKind.FewerSearches"/>); null for the others.</summary>
    public double? Fraction { get; init; }
}

public enum DiagnosticKind
{
    /// <summary>Activation labels with each event given to every atom that moved, weighted by its saddle displacement squared.</summary>
    Participants,
    /// <summary>Spatially blocked folds: no training atom near a test atom.</summary>
    Blocked,
    /// <summary>Participation-weighted labels with spatially blocked folds (neighbours share events, hence labels).</summary>
    ParticipantsBlocked,
    /// <summary>The protocol on a fraction of the labelled atoms (a learning curve).</summary>
    FewerAtoms,
    /// <summary>Activation labels from a fraction of each atom's converged searches (the same atoms).</summary>
    FewerSearches,
    /// <summary>A task's labels scored by a regression, on every labelled atom (no undersampling), of what they are the tails of: the per-atom mean E_act, or D2min's rank within its glass.</summary>
    Regression,
}

public static class DiagnosticKinds
{
    /// <summary>The kind's name in results.json and the report's class names: participants, blocked, participants_blocked, fewer_atoms, fewer_searches, regression.</summary>
    public static string Key(this DiagnosticKind kind) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString());

    /// <summary>Participants, Blocked or both: how much of a score is neighbourhood leakage.</summary>
    public static bool IsLeakage(this DiagnosticKind kind) => kind is DiagnosticKind.Participants or DiagnosticKind.Blocked or DiagnosticKind.ParticipantsBlocked;
}

/// <summary>How many atoms of each glass a label covers.</summary>
public sealed record LabelCount(string Glass, string Label, int Labelled, int Positive);

/// <summary>Everything a pipeline run found, in the order of the configuration.</summary>
public sealed record PipelineResults(
    PipelineConfig Config,
    IReadOnlyList<(string Glass, int Atoms, string Elements)> Glasses,
    IReadOnlyList<LabelCount> Labels,
    IReadOnlyList<TaskResult> Tasks,
    IReadOnlyList<TransferResult> Transfers,
    double Seconds)
{
    public string? ActivationNote { get; init; }

    /// <summary>The activation-energy spectrum of each glass with events, then of the pooled set (empty without events).</summary>
    public IReadOnlyList<ActivationSpectrum> Spectra { get; init; } = [];

    /// <summary>The diagnostics' scores (empty without a diagnostics section).</summary>
    public IReadOnlyList<DiagnosticResult> Diagnostics { get; init; } = [];

    /// <summary>The split-half reliability of the per-atom mean E_act of the labelled atoms (pipelines with diagnostics and an activation task).</summary>
    public SplitHalfReliability? Reliability { get; init; }

    /// <summary>The tasks with an interpretation of their reduced features (<see cref="TaskResult.Interpretation"/>), in the order of the tasks.</summary>
    public IEnumerable<TaskResult> Interpreted => Tasks.Where(t => t.Interpretation is not null);

    /// <summary>The quench-in softness section (Wang and Jain 2019, Fig. 3), or null when the pipeline has none.</summary>
    public QuenchInSoftnessResult? QuenchInSoftness { get; init; }

    /// <summary>The result of one task learnt from one representation.</summary>
    public TaskResult Task(string task, string representation) => Tasks.First(x => x.Task == task && x.Representation == representation);
}
