using Softspot.Learning;

namespace Softspot.Tests.Learning;

/// <summary>The vertically averaged ROC curve of the report: its area is the folds' mean ROC-AUC, ties included.</summary>
public class MeanRocTests
{
    private static (double[], int[]) Fold(int seed, int n, int distinct)
    {
        var rng = new Random(seed);
        var labels = Enumerable.Range(0, n).Select(i => i % 3 == 0 ? 1 : 0).ToArray();
        // few distinct scores (as a two-feature motif model gives), shifted up for the positives
        var scores = labels.Select(y => Math.Floor((rng.NextDouble() + 0.4 * y) * distinct) / distinct).ToArray();
        return (scores, labels);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1000)]
    public void The_area_under_the_averaged_curve_is_the_mean_of_the_folds_areas(int distinct)
    {
        var folds = Enumerable.Range(0, 5).Select(k => Fold(k, 300, distinct)).ToList();
        double mean = folds.Average(f => Metrics.RocAuc(f.Item1, f.Item2));
        var roc = MeanRoc.Of(folds, points: 2001);
        Assert.Equal(mean, roc.Area(), 3);
        Assert.Equal(0, roc.Fpr[0]);
        Assert.Equal(1, roc.Tpr[^1]);
        for (int k = 1; k < roc.Tpr.Length; k++) Assert.True(roc.Tpr[k] >= roc.Tpr[k - 1] - 1e-12);
    }

    [Fact]
    public void Scores_that_say_nothing_give_the_diagonal()
    {
        var labels = Enumerable.Range(0, 100).Select(i => i % 2).ToArray();
        var roc = MeanRoc.Of([(new double[100], labels)], points: 11);
        for (int k = 0; k < 11; k++) Assert.Equal(roc.Fpr[k], roc.Tpr[k], 12);
    }
}
