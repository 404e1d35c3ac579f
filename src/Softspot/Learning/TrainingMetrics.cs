namespace Softspot.Learning;

/// <summary>
/// The metrics.json document of a training run (what <c>softspot train</c> writes and <see cref="TrainedModel.Save"/>
/// writes): the interface's keys at the top level (scores on the balanced test folds, as mean, std, min and max over
/// the splits), then the held-out scores, importance and the reduced model.
/// </summary>
public static class TrainingMetrics
{
    private static object Summary(MetricSummary s) => new { s.Mean, s.Std, s.Min, s.Max };

    private static object ClassificationBlock(ClassificationSummary s) => new
    {
        RocAuc = Summary(s.RocAuc), AveragePrecision = Summary(s.AveragePrecision), Mcc = Summary(s.Mcc), F1 = Summary(s.F1), Accuracy = Summary(s.Accuracy),
    };

    /// <summary>The document of a training run, with the numbers its report's figures draw.</summary>
    public static Dictionary<string, object?> Of(TrainingRequest request, TrainingResult r, TrainingFigures figures)
    {
        var m = new Dictionary<string, object?>
        {
            ["task"] = r.Classification ? "classification" : "regression",
            ["task_reason"] = request.Task?.Reason,
            ["target"] = request.Target,
            ["rows"] = request.Rows,
        };
        if (r.ClassificationScores is { } c)
        {
            m["roc_auc"] = Summary(c.Test.RocAuc);
            m["average_precision"] = Summary(c.Test.AveragePrecision);
            m["mcc"] = Summary(c.Test.Mcc);
            m["f1"] = Summary(c.Test.F1);
            m["accuracy"] = Summary(c.Test.Accuracy);
            m["n_splits"] = c.Splits.Count;
            m["positive_fraction"] = c.PositiveFraction;
            if (c.HeldOut is { } h) m["held_out"] = ClassificationBlock(h);
            if (figures.Roc is { } roc) m["roc_curve"] = new { roc.Fpr, roc.Tpr };
            if (figures.Histogram is { } hist)
                m["held_out_histogram"] = new { hist.Bins, hist.Positive, hist.Negative, hist.Positives, hist.Negatives };
        }
        if (r.RegressionScores is { } g)
        {
            m["r2"] = Summary(g.Summary.R2); m["pearson"] = Summary(g.Summary.Pearson); m["spearman"] = Summary(g.Summary.Spearman);
            m["n_splits"] = g.Splits.Count;
        }
        m["features"] = request.FeatureNames;
        m["importance"] = request.FeatureNames.Select((n, i) => new { Feature = n, Gain = r.Gain.Share[i], MeanAbsShap = r.MeanAbsShap[i], Permutation = r.Permutation?.Mean[i] })
            .OrderByDescending(x => x.Gain).ToArray();
        if (r.Reduction is { } red)
            m["reduced"] = new Dictionary<string, object?>
            {
                ["features"] = red.Kept,
                ["correlation_threshold"] = red.Threshold,
                ["correlation"] = figures.Correlation is { } corr ? Enumerable.Range(0, corr.GetLength(0)).Select(i => Enumerable.Range(0, corr.GetLength(1)).Select(j => corr[i, j]).ToArray()).ToArray() : null,
                ["gain"] = r.ReducedGain is { } rg ? red.Kept.Select((n, i) => new { Feature = n, Gain = rg.Share[i] }).ToArray() : null,
                ["scores"] = r.ReducedClassificationScores is { } rc ? ClassificationBlock(rc.Test) : r.ReducedRegressionScores is { } rr ? new { R2 = Summary(rr.Summary.R2), Spearman = Summary(rr.Summary.Spearman) } : null,
            };
        return m;
    }

    /// <summary>The metrics.json document of a transfer test (the shape training writes, with "task": "transfer").</summary>
    public static Dictionary<string, object?> Of(TransferScore score, SoftnessModel model, string target)
    {
        var all = score.AllRows;
        return new Dictionary<string, object?>
        {
            ["task"] = "transfer",
            ["model"] = Path.GetFullPath(model.Source),
            ["trained_on"] = model.Info.Target,
            ["target"] = target,
            ["rows"] = score.Rows,
            ["roc_auc"] = Summary(score.Summary.RocAuc), ["average_precision"] = Summary(score.Summary.AveragePrecision), ["mcc"] = Summary(score.Summary.Mcc),
            ["f1"] = Summary(score.Summary.F1), ["accuracy"] = Summary(score.Summary.Accuracy),
            ["n_splits"] = score.Subsets.Count,
            ["all_rows"] = new { all.RocAuc, all.AveragePrecision, all.Mcc, all.F1, all.Accuracy, score.PositiveFraction },
            ["features"] = model.FeatureNames,
        };
    }
}
