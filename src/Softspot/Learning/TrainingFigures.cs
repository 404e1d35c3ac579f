using Softspot.Learning.Interpretation;

namespace Softspot.Learning;

/// <summary>
/// The numbers behind a training report's figures, computed once from the run: metrics.json records them and
/// report.html draws them, so what a reader sees is what the file says.
/// </summary>
/// <param name="Roc">Classification: the test folds' ROC curve, vertically averaged.</param>
/// <param name="Histogram">Classification: the held-out softness of each class.</param>
/// <param name="Reduced">The reduced features (empty without a reduction).</param>
/// <param name="Correlation">Pearson correlation of the reduced features over every row (null with fewer than 2).</param>
public sealed record TrainingFigures(MeanRoc? Roc, SoftnessHistogram? Histogram, IReadOnlyList<string> Reduced, double[,]? Correlation)
{
    /// <summary>The figures' numbers of a training run (its test folds, its reduced features).</summary>
    public static TrainingFigures Of(TrainingRequest request, TrainingResult r)
    {
        var folds = r.TestFolds(request).ToList();
        var reduced = r.Reduction?.Kept ?? [];
        double[,]? correlation = null;
        if (reduced.Count > 1)
        {
            var cols = reduced.Select(k => Array.IndexOf(request.FeatureNames, k)).ToArray();
            correlation = Importance.Correlation(TrainingPipeline.Rows(request.X, request.FeatureNames.Length, Enumerable.Range(0, request.Rows).ToArray(), cols),
                cols.Length, request.Options.Threads);
        }
        return new TrainingFigures(folds.Count > 0 ? MeanRoc.Of(folds) : null, folds.Count > 0 ? SoftnessHistogram.Of(folds) : null, reduced, correlation);
    }
}

/// <summary>
/// Held-out softness by class: the test folds' predictions in <see cref="Bins"/> equal bins over [0, 1], as the
/// fraction of each class's predictions in each bin.
/// </summary>
public sealed record SoftnessHistogram(int Bins, double[] Positive, double[] Negative, int Positives, int Negatives)
{
    /// <summary>The bins of the training report's histogram.</summary>
    public const int DefaultBins = 20;

    /// <summary>The histogram of the folds' held-out scores by class.</summary>
    public static SoftnessHistogram Of(IEnumerable<(double[] Scores, int[] Labels)> folds, int bins = DefaultBins)
    {
        var pos = new double[bins];
        var neg = new double[bins];
        foreach (var (scores, labels) in folds)
            for (int i = 0; i < scores.Length; i++)
                (labels[i] == 1 ? pos : neg)[Math.Clamp((int)(scores[i] * bins), 0, bins - 1)]++;
        int np = (int)pos.Sum(), nn = (int)neg.Sum();
        for (int b = 0; b < bins; b++) { pos[b] /= Math.Max(1, np); neg[b] /= Math.Max(1, nn); }
        return new SoftnessHistogram(bins, pos, neg, np, nn);
    }
}
