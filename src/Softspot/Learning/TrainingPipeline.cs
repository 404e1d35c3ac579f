using Softspot.IO;
using Softspot.Learning.Interpretation;

namespace Softspot.Learning;

/// <summary>What <see cref="TrainingPipeline.Run"/> needs: the joined rows and how to learn from them.</summary>
/// <param name="FeatureNames">The feature columns, in order.</param>
/// <param name="X">Row-major features: row r, column c at [r * FeatureNames.Length + c].</param>
/// <param name="Y">The label of each row.</param>
/// <param name="Target">The label column's name.</param>
public sealed record TrainingRequest(string[] FeatureNames, double[] X, double[] Y, string Target)
{
    /// <summary>Boosting hyper-parameters.</summary>
    public GradientBoostingOptions Options { get; init; } = GradientBoostingOptions.Reference;
    /// <summary>Keep this many features after correlation pruning (0: no reduction).</summary>
    public int Reduce { get; init; } = 10;
    /// <summary>Features correlated at least this much (|Pearson r|) are pruned, keeping the more important.</summary>
    public double CorrelationThreshold { get; init; } = 0.9;
    /// <summary>Seed of the splits and the undersampling.</summary>
    public int Seed { get; init; } = Validation.DefaultSeed;
    /// <summary>The learner.</summary>
    public TrainingEngine Engine { get; init; } = TrainingEngine.Managed;
    /// <summary>
    /// Optional group of each row (e.g. its frame: one glass or snapshot). When set, the splits are grouped — one
    /// group's atoms are never on both sides — with up to 5 folds (GroupKFold); binary training folds are then
    /// undersampled to balance, and the test side is the whole held-out group(s), imbalanced.
    /// </summary>
    public int[]? Groups { get; init; }
    /// <summary>The number of rows.</summary>
    public int Rows => Y.Length;
    /// <summary>The frame of each row (from the tables' keys), for grouped splits.</summary>
    public int[] Frames { get; init; } = [];
    /// <summary>The task chosen for the labels and why (<see cref="LabelCheck"/>); null: decided from the values (0/1: classification).</summary>
    public LabelTask? Task { get; init; }
    /// <summary>Classification (binary log-loss) or regression.</summary>
    public bool Classification => Task?.Classification ?? IsBinaryLabels(Y);

    private static bool IsBinaryLabels(double[] y) => y.All(v => v is 0 or 1) && y.Contains(0) && y.Contains(1);
}

/// <summary>The outcome of training: the scores of the protocol, the interpretation and the final model.</summary>
/// <param name="Classification">Whether the task was classification.</param>
/// <param name="ClassificationScores">Classification: the scores of the 15 splits (balanced test folds and held-out rows).</param>
/// <param name="RegressionScores">Regression: the scores of the 5 folds.</param>
/// <param name="Gain">Gain importance averaged over the protocol's models.</param>
/// <param name="MeanAbsShap">Mean |SHAP| of each feature for the final model on every row.</param>
/// <param name="Reduction">The correlation-pruned feature set, when asked for.</param>
/// <param name="ReducedClassificationScores">The protocol's scores on the reduced features (classification).</param>
/// <param name="ReducedRegressionScores">The protocol's scores on the reduced features (regression).</param>
/// <param name="Model">The final model.</param>
/// <param name="TrainingScores">The final model's score of every row.</param>
/// <param name="SplitScores">Each split's test rows and their scores.</param>
public sealed record TrainingResult(
    bool Classification,
    ClassificationEvaluation? ClassificationScores,
    RegressionEvaluation? RegressionScores,
    GainImportance Gain,
    double[] MeanAbsShap,
    FeatureReduction? Reduction,
    ClassificationEvaluation? ReducedClassificationScores,
    RegressionEvaluation? ReducedRegressionScores,
    TreeEnsemble Model,
    double[] TrainingScores,
    IReadOnlyList<(int[] Rows, double[] Scores)> SplitScores)
{
    /// <summary>Drop of ROC-AUC (classification) or R2 (regression) of the final model on all rows when one column is shuffled.</summary>
    public PermutationImportance? Permutation { get; init; }

    /// <summary>
    /// The protocol's models on the reduced features (15 for classification, in split order; their features are
    /// <see cref="FeatureReduction.Kept"/>, in that order); empty without a reduction.
    /// </summary>
    public IReadOnlyList<TreeEnsemble> ReducedModels { get; init; } = [];

    /// <summary>Gain importance of the reduced features averaged over <see cref="ReducedModels"/> (the papers' Fig. 4b); null without a reduction.</summary>
    public GainImportance? ReducedGain { get; init; }

    /// <summary>
    /// Classification: each split's balanced test fold as its model scored it, with the rows' 0/1 labels (held-out
    /// predictions, for curves and histograms); empty for regression.
    /// </summary>
    public IEnumerable<(double[] Scores, int[] Labels)> TestFolds(TrainingRequest request) =>
        ClassificationScores is null ? [] : SplitScores.Zip(ClassificationScores.Splits).Select(p =>
        {
            var test = p.Second.Split.Test;
            return (p.First.Scores[..test.Length], test.Select(i => (int)request.Y[i]).ToArray());
        });
}

/// <summary>
/// The papers' learning protocol on a joined table. Binary targets (0/1): 3 undersampled balanced subsets x
/// stratified 5-fold CV (15 splits; scores on the balanced test folds and on the imbalanced held-out rows); other
/// targets: shuffled 5-fold regression. Gain importance is averaged over the 15 models. Then, optionally, the
/// features are pruned (one of every pair correlated above the threshold, the less important) to the top N and the
/// protocol is run again on them. The final model is trained on all minority rows plus an equal draw of majority
/// rows (subset 0 of the protocol), so its probabilities refer to balanced classes, as the CV models' do; for
/// regression on every row.
/// </summary>
public static class TrainingPipeline
{
    public static bool IsBinary(double[] y) => y.All(v => v is 0 or 1) && y.Contains(0) && y.Contains(1);

    public static TrainingResult Run(TrainingRequest request, Action<string>? log = null)
    {
        log ??= _ => { };
        bool binary = request.Classification;
        var options = request.Options with { Objective = binary ? Objective.BinaryLogistic : Objective.SquaredError };
        int m = request.FeatureNames.Length;

        var (cls, reg, models, splitScores) = Evaluate(request, options, request.FeatureNames, Enumerable.Range(0, m).ToArray(), log);
        var gain = Importance.Gain(models);

        var reductionNames = request.FeatureNames;
        FeatureReduction? reduction = null;
        ClassificationEvaluation? reducedCls = null;
        RegressionEvaluation? reducedReg = null;
        List<TreeEnsemble> reducedModels = [];
        if (request.Reduce > 0 && request.Reduce < m)
        {
            var correlation = Importance.Correlation(request.X, m, options.Threads);
            reduction = Importance.Reduce(request.FeatureNames, gain.Total, correlation, request.CorrelationThreshold, request.Reduce);
            var keep = reduction.Kept.Select(n => Array.IndexOf(request.FeatureNames, n)).ToArray();
            log($"reduced to {keep.Length} features: {string.Join(", ", reduction.Kept)}");
            (reducedCls, reducedReg, reducedModels, _) = Evaluate(request, options, [.. reduction.Kept], keep, log);
        }

        // the final model on balanced (or all) rows, with every feature
        int[] finalRows = binary
            ? Validation.BalancedSubsets(request.Y.Select(v => (int)v).ToArray(), 1, request.Seed)[0]
            : Enumerable.Range(0, request.Rows).ToArray();
        var model = Fit(request, options, finalRows, Enumerable.Range(0, m).ToArray(), request.FeatureNames);
        var all = Rows(request.X, m, Enumerable.Range(0, request.Rows).ToArray(), Enumerable.Range(0, m).ToArray());
        var scores = model.PredictRows(all);
        var shap = new TreeShap(model) { Threads = options.Threads }.ExplainRows(all).MeanAbsolute();
        var labels = request.Y.Select(v => (int)v).ToArray();
        double Score(double[] rows)
        {
            var p = model.PredictRows(rows);
            return binary ? Metrics.RocAuc(p, labels) : Metrics.R2(request.Y, p);
        }
        var permutation = Importance.Permutation(all, m, Score, repeats: 3, seed: request.Seed);
        return new TrainingResult(binary, cls, reg, gain, shap[..m], reduction, reducedCls, reducedReg, model, scores, splitScores)
        {
            Permutation = permutation, ReducedModels = reducedModels, ReducedGain = reducedModels.Count > 0 ? Importance.Gain(reducedModels) : null,
        };
    }

    /// <summary>
    /// Only the protocol's scores of a classification request on the given splits (e.g. spatially blocked ones), with
    /// every feature: no reduction, final model or interpretation.
    /// </summary>
    public static ClassificationEvaluation CrossValidate(TrainingRequest request, IReadOnlyList<Split> splits, Action<string>? log = null)
    {
        if (!request.Classification) throw new ArgumentException($"{request.Target}: cross-validating given splits needs 0/1 labels");
        var options = request.Options with { Objective = Objective.BinaryLogistic };
        var columns = Enumerable.Range(0, request.FeatureNames.Length).ToArray();
        return Evaluate(request, options, request.FeatureNames, columns, log ?? (_ => { }), splits).Item1!;
    }

    /// <summary>
    /// The scores of a 0/1 tail label (the request's Y: the top or bottom share of <paramref name="values"/>) from a
    /// regression of the value itself: on each split a squared-error model of <paramref name="values"/>, trained on
    /// every training row (no undersampling) with the request's options and every feature, predicts the test rows, and
    /// its predictions (negated for a <paramref name="low"/> tail) are scored against the labels. Thresholded metrics
    /// call a test row positive when its score exceeds all but as many of the training rows' scores as the training
    /// rows have positives.
    /// </summary>
    public static ClassificationEvaluation CrossValidateTail(TrainingRequest request, double[] values, bool low, IReadOnlyList<Split> splits, Action<string>? log = null)
    {
        if (!request.Classification) throw new ArgumentException($"{request.Target}: scoring a tail needs 0/1 labels");
        if (values.Length != request.Rows) throw new ArgumentException($"{values.Length} values for {request.Rows} rows");
        if (values.Any(double.IsNaN)) throw new ArgumentException($"{request.Target}: a labelled row has no value to regress");
        if (splits.Count == 0) throw new ArgumentException("no splits to evaluate");
        var labels = request.Y.Select(v => (int)v).ToArray();
        var valued = request with { Y = values };
        var options = request.Options with { Objective = Objective.SquaredError };
        int m = request.FeatureNames.Length;
        var columns = Enumerable.Range(0, m).ToArray();
        var results = new List<ClassificationSplitResult>(splits.Count);
        foreach (var split in splits)
        {
            var model = Fit(valued, options, split.Train, columns, request.FeatureNames);
            double[] Scores(int[] rows) => [.. model.PredictRows(Rows(request.X, m, rows, columns)).Select(p => low ? -p : p)];
            var train = Scores(split.Train).OrderDescending().ToArray();
            int positives = split.Train.Count(r => labels[r] == 1);
            if (positives == 0 || positives == train.Length) throw new ArgumentException($"split {results.Count}: the training rows have one class only");
            var test = Scores(split.Test);
            var metrics = ClassificationMetrics.Compute(test, split.Test.Select(r => labels[r]).ToArray(), threshold: train[positives]);
            results.Add(new ClassificationSplitResult(split, metrics, null, 1));
            log?.Invoke($"split {results.Count}: regression trained on {split.Train.Length} rows");
        }
        return new ClassificationEvaluation(results, ClassificationSummary.Of(results.Select(r => r.Test).ToArray()), null, labels.Average());
    }

    private static (ClassificationEvaluation?, RegressionEvaluation?, List<TreeEnsemble>, List<(int[], double[])>) Evaluate(
        TrainingRequest request, GradientBoostingOptions options, string[] names, int[] columns, Action<string> log, IReadOnlyList<Split>? given = null)
    {
        var models = new List<TreeEnsemble>();
        var scored = new List<(int[], double[])>();
        int done = 0;
        double[] TrainAndScore(int[] train, int[] rows)
        {
            var model = Fit(request, options, train, columns, names);
            lock (models) models.Add(model);
            var s = model.PredictRows(Rows(request.X, request.FeatureNames.Length, rows, columns));
            lock (scored) scored.Add((rows, s));
            log($"split {++done}: trained on {train.Length} rows");
            return s;
        }
        if (request.Classification)
        {
            var labels = request.Y.Select(v => (int)v).ToArray();
            var splits = given ?? (request.Groups is { } g
                ? Validation.GroupKFold(g, Math.Min(Validation.PaperFolds, g.Distinct().Count()))
                    .Select(sp => sp with { Train = Validation.Undersample(labels, sp.Train, request.Seed) }).ToList()
                : Validation.UndersampledStratifiedKFold(labels, seed: request.Seed));
            return (Evaluation.Classification(labels, splits, TrainAndScore), null, models, scored);
        }
        var folds = request.Groups is { } groups
            ? Validation.GroupKFold(groups, Math.Min(Validation.PaperFolds, groups.Distinct().Count()))
            : Validation.KFold(request.Rows, seed: request.Seed);
        return (null, Evaluation.Regression(request.Y, folds, TrainAndScore), models, scored);
    }

    /// <summary>
    /// A 0/1 model trained on <paramref name="rows"/> as the protocol trains on a split: every minority-class row of
    /// them plus an equal draw of their majority rows (<see cref="Validation.Undersample(ReadOnlySpan{int}, IReadOnlyList{int}, int)"/>,
    /// the request's seed), every feature, the request's options with the binary log-loss.
    /// </summary>
    public static TreeEnsemble FitBalanced(TrainingRequest request, IReadOnlyList<int> rows)
    {
        var labels = request.Y.Select(v => (int)v).ToArray();
        var options = request.Options with { Objective = Objective.BinaryLogistic };
        return Fit(request, options, Validation.Undersample(labels, rows, request.Seed), [.. Enumerable.Range(0, request.FeatureNames.Length)], request.FeatureNames);
    }

    private static TreeEnsemble Fit(TrainingRequest request, GradientBoostingOptions options, int[] rows, int[] columns, string[] names)
    {
        var x = Rows(request.X, request.FeatureNames.Length, rows, columns);
        var y = rows.Select(r => request.Y[r]).ToArray();
        return request.Engine == TrainingEngine.Xgboost
            ? XgboostEngine.Fit(x, rows.Length, columns.Length, y, names, options)
            : new GradientBoosting().Fit(x, rows.Length, columns.Length, y, names, options);
    }

    /// <summary>The chosen rows and columns of a row-major matrix.</summary>
    public static double[] Rows(double[] x, int width, int[] rows, int[] columns)
    {
        var o = new double[rows.Length * columns.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < columns.Length; c++) o[i * columns.Length + c] = x[rows[i] * width + columns[c]];
        return o;
    }

    /// <summary>The feature matrix of a feature table for the labelled rows of a label table.</summary>
    public static TrainingRequest Join(KeyedTable features, KeyedTable labels, string target, IReadOnlyList<string>? featureNames = null,
        TaskChoice task = TaskChoice.Auto, int minPerClass = Validation.PaperFolds)
    {
        var names = (featureNames ?? features.Columns.Where(c => c != "type").ToArray()).ToArray();
        var idx = names.Select(n => features.IndexOf(n) is var k and >= 0 ? k
            : throw new InputFormatException(features.Source, 1, InputProblem.MissingColumn, $"no feature column '{n}'")).ToArray();
        var (rows, labelRows, y) = features.JoinRows(labels, target);
        if (rows.Length == 0) throw new InputFormatException(labels.Source, 0, InputProblem.AtomCount, $"no row has a '{target}' label that matches the features");
        var decided = LabelCheck.Decide(labels, target, labelRows, y, task, minPerClass);
        var x = new double[rows.Length * names.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int c = 0; c < names.Length; c++) x[i * names.Length + c] = features[rows[i], idx[c]];
        return new TrainingRequest(names, x, y, target) { Frames = rows.Select(r => features.Keys[r].Frame).ToArray(), Task = decided };
    }
}
