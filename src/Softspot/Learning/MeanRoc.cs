namespace Softspot.Learning;

/// <summary>
/// The ROC curve of several test folds as one curve: the true-positive rate of each fold at a fixed grid of
/// false-positive rates (linear between the curve's points, as the curve of tied scores is a straight segment; the
/// top of a vertical segment), averaged over the folds ("vertical averaging", Fawcett, Pattern Recogn. Lett. 27, 861,
/// 2006).
/// </summary>
/// <param name="Fpr">The false-positive rates of the grid, 0 to 1.</param>
/// <param name="Tpr">The mean true-positive rate at each.</param>
public sealed record MeanRoc(double[] Fpr, double[] Tpr)
{
    /// <summary>The vertical average of the folds' curves on <paramref name="points"/> equally spaced false-positive rates.</summary>
    /// <param name="folds">Each fold's predicted scores and 0/1 labels (each fold needs both classes).</param>
    /// <param name="points">Grid points, at least 2.</param>
    public static MeanRoc Of(IEnumerable<(double[] Scores, int[] Labels)> folds, int points = 51)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 2);
        var fpr = Enumerable.Range(0, points).Select(k => (double)k / (points - 1)).ToArray();
        var tpr = new double[points];
        int n = 0;
        foreach (var (scores, labels) in folds)
        {
            var (f, t, _) = Metrics.RocCurve(scores, labels, dropIntermediate: false);
            int j = 0;
            for (int k = 0; k < points; k++)
            {
                while (j + 1 < f.Length && f[j + 1] <= fpr[k] + 1e-12) j++;
                tpr[k] += j + 1 < f.Length && f[j + 1] > f[j] ? t[j] + (fpr[k] - f[j]) / (f[j + 1] - f[j]) * (t[j + 1] - t[j]) : t[j];
            }
            n++;
        }
        if (n == 0) throw new ArgumentException("no folds", nameof(folds));
        for (int k = 0; k < points; k++) tpr[k] /= n;
        tpr[^1] = 1;
        return new MeanRoc(fpr, tpr);
    }

    /// <summary>The area under the averaged curve (trapezoids on the grid).</summary>
    public double Area()
    {
        double a = 0;
        for (int k = 1; k < Fpr.Length; k++) a += (Fpr[k] - Fpr[k - 1]) * (Tpr[k] + Tpr[k - 1]) / 2;
        return a;
    }
}
