namespace Softspot.Learning;

/// <summary>A trained model's scores on new labelled data (another glass or another task).</summary>
/// <param name="Subsets">The scores on each balanced undersampled subset.</param>
/// <param name="Summary">Their mean, std, min and max.</param>
/// <param name="AllRows">The scores on every labelled row (the data's own prevalence).</param>
/// <param name="PositiveFraction">The fraction of positive rows.</param>
public sealed record TransferScore(IReadOnlyList<ClassificationMetrics> Subsets, ClassificationSummary Summary, ClassificationMetrics AllRows, double PositiveFraction)
{
    /// <summary>The labelled rows scored.</summary>
    public int Rows => AllRows.Positives + AllRows.Negatives;
}

/// <summary>
/// The papers' transfer tests: the model's scores are judged on each of 3 balanced undersampled subsets of the new
/// data (mean and std, as the training protocol reports) and on all labelled rows.
/// </summary>
public static class TransferEvaluation
{
    public static TransferScore Score(double[] scores, int[] labels, int seed = Validation.DefaultSeed)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores for {labels.Length} labels");
        var subsets = Validation.BalancedSubsets(labels, Validation.PaperSubsets, seed);
        var per = subsets.Select(rows => ClassificationMetrics.Compute(rows.Select(r => scores[r]).ToArray(), rows.Select(r => labels[r]).ToArray())).ToList();
        return new TransferScore(per, ClassificationSummary.Of(per), ClassificationMetrics.Compute(scores, labels), labels.Average());
    }
}
