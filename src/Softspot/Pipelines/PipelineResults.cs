using Softspot.Learning;

namespace Softspot.Pipelines;

/// <summary>One task learnt from one representation with the 3 x 5 protocol.</summary>
public sealed record TaskResult(string Task, string Label, string Representation, int Features, int Rows, int Positives,
    ClassificationSummary Scores, ClassificationSummary? Reduced, IReadOnlyList<string> ReducedFeatures, IReadOnlyList<(string Feature, double Share)> Importance)
{
    /// <summary>The ROC curve of the 15 test folds, vertically averaged.</summary>
    public MeanRoc? Roc { get; init; }
}

/// <summary>A task's model scored on another glass or label; <see cref="Skipped"/> says why when it could not be.</summary>
public sealed record TransferResult(string Task, string Label, string Train, string Test, string Representation, int Features, TransferScore? Score, string? Skipped = null);

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

    /// <summary>The quench-in softness section (Wang and Jain 2019, Fig. 3), or null when the pipeline has none.</summary>
    public QuenchInSoftnessResult? QuenchInSoftness { get; init; }

    /// <summary>The result of one task learnt from one representation.</summary>
    public TaskResult Task(string task, string representation) => Tasks.First(x => x.Task == task && x.Representation == representation);
}
