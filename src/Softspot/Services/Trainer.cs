using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Reporting;

namespace Softspot;

/// <summary>How <see cref="Trainer"/> learns.</summary>
public sealed record TrainingSettings
{
    /// <summary>Boosting hyper-parameters (default: the papers' reference profile, 300 trees of depth 2); their seed is <see cref="Seed"/>.</summary>
    public GradientBoostingOptions Options { get; init; } = GradientBoostingOptions.Reference;
    /// <summary>Also prune correlated features down to this many and score the reduced model (0: no).</summary>
    public int Reduce { get; init; } = 10;
    /// <summary>Seed of the splits, the undersampling and the learner.</summary>
    public int Seed { get; init; } = Validation.DefaultSeed;
    /// <summary>The learner.</summary>
    public TrainingEngine Engine { get; init; } = TrainingEngine.Managed;
    /// <summary>Classification, regression, or decided from the labels (0/1: classification).</summary>
    public TaskChoice Task { get; init; } = TaskChoice.Auto;
    /// <summary>Grouped splits: one frame's (glass's) atoms never on both sides of a split (needs at least 2 frames).</summary>
    public bool GroupByFrame { get; init; }
}

/// <summary>A trained model with the scores of the protocol, ready to save or to predict with.</summary>
/// <param name="Request">The joined rows it learnt from.</param>
/// <param name="Result">Scores, interpretation and the final trees.</param>
/// <param name="Model">The final model with its record.</param>
public sealed record TrainedModel(TrainingRequest Request, TrainingResult Result, SoftnessModel Model)
{
    /// <summary>The numbers behind the report's figures (computed once).</summary>
    public TrainingFigures Figures => _figures ??= TrainingFigures.Of(Request, Result);
    private TrainingFigures? _figures;

    /// <summary>The metrics.json document: the scores at the top level, then importance, the reduced model and the figures' numbers.</summary>
    public Dictionary<string, object?> Metrics => TrainingMetrics.Of(Request, Result, Figures);

    /// <summary>Writes FOLDER/model.json, metrics.json and report.html (each atomically).</summary>
    public void Save(string folder, string? title = null)
    {
        Directory.CreateDirectory(folder);
        Model.Save(Path.Combine(folder, "model.json"));
        SoftspotJson.Write(Path.Combine(folder, "metrics.json"), Metrics);
        AtomicFile.Write(Path.Combine(folder, "report.html"), w => w.Write(TrainingReport.Html(Request, Result, Figures, title ?? $"Softspot: {Request.Target}")));
    }
}

/// <summary>
/// Learns soft spots: the papers' protocol (3 undersampled balanced subsets x stratified 5-fold cross-validation for
/// 0/1 labels, 5-fold for regression), gain, SHAP and permutation importance, optional correlated-feature reduction,
/// and the final model, on features joined with labels by (frame, id).
/// </summary>
public sealed class Trainer
{
    private readonly RunContext _context;

    /// <summary>How it learns.</summary>
    public TrainingSettings Settings { get; }

    /// <summary>A trainer (default settings: the papers' protocol and reference profile).</summary>
    public Trainer(TrainingSettings? settings = null, RunContext? context = null)
    {
        Settings = settings ?? new TrainingSettings();
        if (Settings.Reduce < 0) throw new SoftspotException($"the reduced feature count must not be negative, not {Settings.Reduce}");
        if (Settings.Engine == TrainingEngine.Xgboost && !XgboostEngine.Available)
            throw new SoftspotException("the xgboost engine needs Debian's libxgboost0 (apt-get install libxgboost0)");
        _context = context ?? RunContext.Default;
    }

    /// <summary>
    /// Trains on the rows of <paramref name="features"/> that have a <paramref name="target"/> label in
    /// <paramref name="labels"/> (joined on frame and id; every feature column but <c>type</c> is used, or the
    /// recipe's columns when given). The recipe is stored in the model so that it can predict from structures.
    /// </summary>
    /// <exception cref="SoftspotException">No row matches, a feature column is missing, or the labels cannot be learnt (one class, too few rows, an ambiguous column).</exception>
    public TrainedModel Train(KeyedTable features, KeyedTable labels, string target, FeatureRecipe? recipe = null) =>
        Train(Join(features, labels, target, recipe), recipe);

    /// <summary>
    /// The rows <see cref="Train(KeyedTable, KeyedTable, string, FeatureRecipe?)"/> learns from, with the task chosen
    /// for the labels and why (<see cref="TrainingRequest.Task"/>), before the work starts.
    /// </summary>
    public TrainingRequest Join(KeyedTable features, KeyedTable labels, string target, FeatureRecipe? recipe = null) =>
        Grouped(TrainingPipeline.Join(features, labels, target, recipe?.Columns, Settings.Task));

    /// <summary>The rows with their groups when the splits are grouped by frame (which needs at least 2 frames).</summary>
    private TrainingRequest Grouped(TrainingRequest rows)
    {
        if (!Settings.GroupByFrame) return rows;
        if (rows.Frames.Distinct().Count() < 2) throw new SoftspotException("grouped splits need labelled atoms from at least 2 frames");
        return rows with { Groups = rows.Frames };
    }

    /// <summary>Trains on rows already joined (e.g. pooled from several glasses), with this trainer's settings.</summary>
    public TrainedModel Train(TrainingRequest rows, FeatureRecipe? recipe = null)
    {
        var request = Configured(Grouped(rows));
        var progress = _context.Progress("train");
        var result = TrainingPipeline.Run(request, msg => { _context.Cancellation.ThrowIfCancellationRequested(); progress.Step(msg); });
        progress.Done();
        var info = new ModelInfo
        {
            Target = request.Target, Classification = result.Classification, Engine = request.Engine,
            Options = request.Options, TrainingRows = request.Rows, FeatureRecipe = recipe,
        };
        return new TrainedModel(request, result, new SoftnessModel(result.Model, info, $"model of {request.Target}"));
    }

    /// <summary>
    /// Cross-fitted scores of 0/1 rows with this trainer's settings: <paramref name="folds"/> shuffled stratified folds
    /// over the rows (seeded); each fold scored by a model trained, as the final model is, on a balanced draw of the
    /// other folds (see <see cref="Learning.CrossFit"/>), so that no row's score comes from a model that saw it.
    /// </summary>
    /// <exception cref="SoftspotException">The labels are not 0/1.</exception>
    public CrossFitted CrossFit(TrainingRequest rows, int folds = Validation.PaperFolds)
    {
        var progress = _context.Progress("cross-fit");
        var result = Learning.CrossFit.Run(Configured(rows), folds, msg => { _context.Cancellation.ThrowIfCancellationRequested(); progress.Step(msg); });
        progress.Done();
        return result;
    }

    /// <summary>
    /// Only the protocol's scores of 0/1 rows on given splits (e.g. spatially blocked ones), with this trainer's
    /// options, seed and engine and every feature (see <see cref="TrainingPipeline.CrossValidate"/>).
    /// </summary>
    public ClassificationEvaluation CrossValidate(TrainingRequest rows, IReadOnlyList<Split> splits) =>
        TrainingPipeline.CrossValidate(Configured(rows), splits, _ => _context.Cancellation.ThrowIfCancellationRequested());

    /// <summary>
    /// The scores of 0/1 tail rows from a regression of the value they are a tail of, with this trainer's options,
    /// seed and engine (see <see cref="TrainingPipeline.CrossValidateTail"/>).
    /// </summary>
    public ClassificationEvaluation CrossValidateTail(TrainingRequest rows, double[] values, bool low, IReadOnlyList<Split> splits) =>
        TrainingPipeline.CrossValidateTail(Configured(rows), values, low, splits, _ => _context.Cancellation.ThrowIfCancellationRequested());

    /// <summary>The rows with this trainer's options, seed, threads, reduction and engine.</summary>
    private TrainingRequest Configured(TrainingRequest rows) => rows with
    {
        Options = Settings.Options with { Seed = Settings.Seed, Threads = _context.Threads }, Reduce = Settings.Reduce, Seed = Settings.Seed, Engine = Settings.Engine,
    };
}
