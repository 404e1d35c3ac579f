namespace Softspot.Learning;

/// <summary>Counts (or summed sample weights) of a binary confusion matrix.</summary>
public readonly record struct ConfusionCounts(double TruePositives, double FalsePositives, double TrueNegatives, double FalseNegatives)
{
    public double Total => TruePositives + FalsePositives + TrueNegatives + FalseNegatives;
}

/// <summary>
/// Classification and regression metrics with scikit-learn's definitions (checked against scikit-learn and
/// scipy in the tests to 1e-12).
/// <para>
/// Conventions. Labels are 0/1 (1 = the positive class, e.g. a soft spot); scores are any real numbers where
/// larger means "more likely positive" (probabilities, margins). Sample weights are optional: an empty span
/// (the default, or a null array) means every row weighs 1; otherwise weights must be finite and non-negative
/// and rows of weight 0 are ignored, as in scikit-learn.
/// </para>
/// <para>
/// Errors. Empty input, mismatched lengths, labels other than 0/1 and non-finite scores or targets throw
/// <see cref="ArgumentException"/>. The ranking metrics (<see cref="RocAuc"/>, <see cref="RocCurve"/>,
/// <see cref="AveragePrecision"/>, <see cref="PrecisionRecallCurve"/>) are undefined when only one class is
/// present and then also throw <see cref="ArgumentException"/> (scikit-learn raises too; a NaN would silently
/// poison a mean over folds). The threshold metrics follow scikit-learn's zero-division rules instead: a ratio
/// with a zero denominator is 0 (precision, recall, F1, MCC). <see cref="Pearson"/> and <see cref="Spearman"/>
/// return NaN for constant input (scipy does the same): a constant prediction is a model outcome, not a caller
/// error.
/// </para>
/// <para>
/// Thresholds. The threshold metrics call a row positive when its score is strictly greater than the threshold
/// (default 0.5 on probabilities): a probability of exactly 0.5 is negative, as scikit-learn's
/// <c>predict</c> (argmax of the two class probabilities, first class on a tie) decides. Hard 0/1 predictions
/// can be passed as scores with the default threshold.
/// </para>
/// </summary>
public static class Metrics
{
    public const double DefaultThreshold = 0.5;

    // ---------------------------------------------------------------- ranking metrics

    /// <summary>
    /// Area under the ROC curve: the Mann-Whitney U statistic over (positive, negative) pairs with ties counted
    /// one half (average ranks), i.e. P(score of a random positive &gt; score of a random negative) + P(tie)/2,
    /// weighted by the product of the two rows' weights. Equal to scikit-learn's <c>roc_auc_score</c> (trapezoids
    /// under the ROC curve). Throws when a class is missing.
    /// </summary>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        Check(scores, labels, weights);
        var order = SortedDescending(scores);
        // Walk the tie groups from the highest score down. A positive of group g beats the negatives below g and
        // ties with the negatives of g, so U = P N - sum_g pos_g (negAbove_g + neg_g / 2); unweighted, every term
        // is a half-integer and the sum is exact.
        double posTotal = 0, negAbove = 0, lost = 0;
        for (int i = 0, n = order.Length; i < n;)
        {
            double s = scores[order[i]], pos = 0, neg = 0;
            int j = i;
            for (; j < n && scores[order[j]] == s; j++)
            {
                int r = order[j];
                double w = W(weights, r);
                if (labels[r] == 1) pos += w; else neg += w;
            }
            lost += pos * (negAbove + neg / 2);
            posTotal += pos;
            negAbove += neg;
            i = j;
        }
        double negTotal = negAbove;
        RequireBothClasses(posTotal, negTotal, "ROC AUC");
        return (posTotal * negTotal - lost) / (posTotal * negTotal);
    }

    /// <summary>
    /// The ROC curve as scikit-learn's <c>roc_curve</c>: one point per distinct score (descending threshold; a
    /// row is positive when score &gt;= threshold), preceded by (0, 0) at threshold +infinity (scikit-learn 1.3+;
    /// 1.2 used max score + 1). With <paramref name="dropIntermediate"/> (scikit-learn's default) collinear
    /// intermediate points are dropped as scikit-learn does. Throws when a class is missing.
    /// </summary>
    public static (double[] Fpr, double[] Tpr, double[] Thresholds) RocCurve(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels,
        ReadOnlySpan<double> weights = default, bool dropIntermediate = true)
    {
        var (fps, tps, thr) = BinaryCurve(scores, labels, weights);
        RequireBothClasses(tps[^1], fps[^1], "the ROC curve");
        var keep = new List<int>(fps.Length);
        for (int k = 0; k < fps.Length; k++)
        {
            bool corner = !dropIntermediate || fps.Length <= 2 || k == 0 || k == fps.Length - 1
                || fps[k - 1] - 2 * fps[k] + fps[k + 1] != 0 || tps[k - 1] - 2 * tps[k] + tps[k + 1] != 0;
            if (corner) keep.Add(k);
        }
        int m = keep.Count + 1;
        double[] fpr = new double[m], tpr = new double[m], t = new double[m];
        t[0] = double.PositiveInfinity;
        double fTot = fps[^1], tTot = tps[^1];
        for (int q = 0; q < keep.Count; q++)
        {
            int k = keep[q];
            fpr[q + 1] = fps[k] / fTot; tpr[q + 1] = tps[k] / tTot; t[q + 1] = thr[k];
        }
        return (fpr, tpr, t);
    }

    /// <summary>
    /// Average precision as scikit-learn's <c>average_precision_score</c>: AP = sum_n (R_n - R_{n-1}) P_n over the
    /// distinct score thresholds taken in decreasing order (tied scores enter together, never interpolated), with
    /// P_n and R_n the precision and recall of "score &gt;= threshold n" and R_0 = 0. Its chance level is the
    /// positive fraction. Throws when there is no positive (or no negative) row.
    /// </summary>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        var (fps, tps, _) = BinaryCurve(scores, labels, weights);
        RequireBothClasses(tps[^1], fps[^1], "average precision");
        double ap = 0, prevRecall = 0, tTot = tps[^1];
        for (int k = 0; k < tps.Length; k++)
        {
            double recall = tps[k] / tTot, ps = tps[k] + fps[k];
            double precision = ps != 0 ? tps[k] / ps : 0;
            ap += (recall - prevRecall) * precision;
            prevRecall = recall;
        }
        return ap;
    }

    /// <summary>
    /// The precision-recall curve as scikit-learn's <c>precision_recall_curve</c> (1.2, full curve): thresholds are
    /// the distinct scores in increasing order; precision[k] and recall[k] belong to "score &gt;= thresholds[k]";
    /// a last point (precision 1, recall 0) without threshold ends both arrays, so they are one longer than
    /// <c>Thresholds</c>. Throws when a class is missing.
    /// </summary>
    public static (double[] Precision, double[] Recall, double[] Thresholds) PrecisionRecallCurve(ReadOnlySpan<double> scores,
        ReadOnlySpan<int> labels, ReadOnlySpan<double> weights = default)
    {
        var (fps, tps, thr) = BinaryCurve(scores, labels, weights);
        RequireBothClasses(tps[^1], fps[^1], "the precision-recall curve");
        int m = tps.Length;
        double[] p = new double[m + 1], r = new double[m + 1], t = new double[m];
        for (int k = 0; k < m; k++)
        {
            int q = m - 1 - k;
            double ps = tps[k] + fps[k];
            p[q] = ps != 0 ? tps[k] / ps : 0;
            r[q] = tps[k] / tps[^1];
            t[q] = thr[k];
        }
        p[m] = 1; r[m] = 0;
        return (p, r, t);
    }

    // ---------------------------------------------------------------- threshold metrics

    /// <summary>The confusion matrix of "score &gt; threshold" against the labels (weighted counts).</summary>
    public static ConfusionCounts Confusion(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold,
        ReadOnlySpan<double> weights = default)
    {
        Check(scores, labels, weights);
        if (double.IsNaN(threshold)) throw new ArgumentException("the threshold is NaN", nameof(threshold));
        double tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Length; i++)
        {
            double w = weights.IsEmpty ? 1 : weights[i];
            bool predicted = scores[i] > threshold;
            if (labels[i] == 1) { if (predicted) tp += w; else fn += w; }
            else { if (predicted) fp += w; else tn += w; }
        }
        return new ConfusionCounts(tp, fp, tn, fn);
    }

    /// <summary>
    /// Matthews correlation coefficient of "score &gt; threshold", computed as scikit-learn does (covariances of
    /// the confusion matrix); 0 when a predicted or true class is empty.
    /// </summary>
    public static double Mcc(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold, ReadOnlySpan<double> weights = default) =>
        Mcc(Confusion(scores, labels, threshold, weights));

    public static double Mcc(ConfusionCounts c)
    {
        double t0 = c.TrueNegatives + c.FalsePositives, t1 = c.TruePositives + c.FalseNegatives; // true class sums
        double p0 = c.TrueNegatives + c.FalseNegatives, p1 = c.TruePositives + c.FalsePositives; // predicted class sums
        double nCorrect = c.TruePositives + c.TrueNegatives, n = p0 + p1;
        double covTP = nCorrect * n - (t0 * p0 + t1 * p1);
        double covPP = n * n - (p0 * p0 + p1 * p1);
        double covTT = n * n - (t0 * t0 + t1 * t1);
        return covPP * covTT == 0 ? 0 : covTP / Math.Sqrt(covTT * covPP);
    }

    /// <summary>F1 = 2 P R / (P + R) of "score &gt; threshold"; 0 when P + R = 0 (scikit-learn's zero_division).</summary>
    public static double F1(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold, ReadOnlySpan<double> weights = default) =>
        F1(Confusion(scores, labels, threshold, weights));

    public static double F1(ConfusionCounts c)
    {
        double p = Precision(c), r = Recall(c), d = p + r;
        return d == 0 ? 0 : 2 * p * r / d;
    }

    /// <summary>The fraction (weight) of rows classified correctly by "score &gt; threshold".</summary>
    public static double Accuracy(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold, ReadOnlySpan<double> weights = default) =>
        Accuracy(Confusion(scores, labels, threshold, weights));

    public static double Accuracy(ConfusionCounts c) => c.Total == 0 ? 0 : (c.TruePositives + c.TrueNegatives) / c.Total;

    /// <summary>TP / (TP + FP) of "score &gt; threshold"; 0 when nothing is predicted positive.</summary>
    public static double Precision(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold, ReadOnlySpan<double> weights = default) =>
        Precision(Confusion(scores, labels, threshold, weights));

    public static double Precision(ConfusionCounts c) => Ratio(c.TruePositives, c.TruePositives + c.FalsePositives);

    /// <summary>TP / (TP + FN) of "score &gt; threshold" (the true-positive rate); 0 when there is no positive row.</summary>
    public static double Recall(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = DefaultThreshold, ReadOnlySpan<double> weights = default) =>
        Recall(Confusion(scores, labels, threshold, weights));

    public static double Recall(ConfusionCounts c) => Ratio(c.TruePositives, c.TruePositives + c.FalseNegatives);

    // ---------------------------------------------------------------- regression metrics

    /// <summary>
    /// Coefficient of determination 1 - SS_res / SS_tot (weighted), as scikit-learn's <c>r2_score</c>. For
    /// constant targets (SS_tot = 0) it is 1 when the predictions are exact and 0 otherwise (scikit-learn's
    /// force_finite default).
    /// </summary>
    public static double R2(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights = default)
    {
        CheckRegression(targets, predictions, weights);
        double wSum = 0, mean = 0;
        for (int i = 0; i < targets.Length; i++) { double w = W(weights, i); wSum += w; mean += w * targets[i]; }
        mean /= wSum;
        double ssRes = 0, ssTot = 0;
        for (int i = 0; i < targets.Length; i++)
        {
            double w = W(weights, i), e = targets[i] - predictions[i], d = targets[i] - mean;
            ssRes += w * e * e; ssTot += w * d * d;
        }
        if (ssTot == 0) return ssRes == 0 ? 1 : 0;
        return 1 - ssRes / ssTot;
    }

    /// <summary>Pearson's correlation coefficient (scipy's <c>pearsonr</c> statistic); NaN when either input is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckRegression(x, y, default);
        int n = x.Length;
        if (n < 2) throw new ArgumentException("a correlation needs at least two values");
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
        mx /= n; my /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - mx, dy = y[i] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        if (sxx == 0 || syy == 0 || IsConstant(x) || IsConstant(y)) return double.NaN;
        return Math.Clamp(sxy / (Math.Sqrt(sxx) * Math.Sqrt(syy)), -1, 1);
    }

    /// <summary>Spearman's rank correlation: Pearson's coefficient of the average ranks (ties share their mean rank), as scipy's <c>spearmanr</c>; NaN for constant input.</summary>
    public static double Spearman(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        CheckRegression(x, y, default);
        return Pearson(AverageRanks(x), AverageRanks(y));
    }

    /// <summary>Root mean squared error (weighted mean).</summary>
    public static double Rmse(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights = default)
    {
        CheckRegression(targets, predictions, weights);
        double s = 0, wSum = 0;
        for (int i = 0; i < targets.Length; i++) { double w = W(weights, i), e = targets[i] - predictions[i]; s += w * e * e; wSum += w; }
        return Math.Sqrt(s / wSum);
    }

    /// <summary>Mean absolute error (weighted mean).</summary>
    public static double Mae(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions, ReadOnlySpan<double> weights = default)
    {
        CheckRegression(targets, predictions, weights);
        double s = 0, wSum = 0;
        for (int i = 0; i < targets.Length; i++) { double w = W(weights, i); s += w * Math.Abs(targets[i] - predictions[i]); wSum += w; }
        return s / wSum;
    }

    /// <summary>1-based ranks, tied values sharing the mean of their ranks (scipy's <c>rankdata(method="average")</c>).</summary>
    public static double[] AverageRanks(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        var keys = values.ToArray();
        foreach (double v in keys) if (double.IsNaN(v)) throw new ArgumentException("cannot rank NaN");
        Array.Sort((double[])keys.Clone(), order);
        var ranks = new double[n];
        for (int i = 0; i < n;)
        {
            int j = i;
            while (j + 1 < n && keys[order[j + 1]] == keys[order[i]]) j++;
            double r = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) ranks[order[k]] = r;
            i = j + 1;
        }
        return ranks;
    }

    // ---------------------------------------------------------------- helpers

    /// <summary>
    /// scikit-learn's _binary_clf_curve: for each distinct score from high to low, the cumulative (weighted) false
    /// and true positives of "score &gt;= it". Rows of weight 0 are left out.
    /// </summary>
    private static (double[] Fps, double[] Tps, double[] Thresholds) BinaryCurve(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights)
    {
        Check(scores, labels, weights);
        var order = SortedDescending(scores);
        var fps = new List<double>(); var tps = new List<double>(); var thr = new List<double>();
        double tp = 0, fp = 0;
        int n = order.Length;
        for (int i = 0; i < n;)
        {
            double s = scores[order[i]];
            bool any = false;
            int j = i;
            for (; j < n && scores[order[j]] == s; j++)
            {
                int r = order[j];
                double w = weights.IsEmpty ? 1 : weights[r];
                if (w == 0) continue;
                any = true;
                if (labels[r] == 1) tp += w; else fp += w;
            }
            if (any) { fps.Add(fp); tps.Add(tp); thr.Add(s); }
            i = j;
        }
        if (tps.Count == 0) throw new ArgumentException("every sample weight is zero");
        return (fps.ToArray(), tps.ToArray(), thr.ToArray());
    }

    /// <summary>Row indices sorted by decreasing score (ties in any order: every use treats a tie group as one).</summary>
    private static int[] SortedDescending(ReadOnlySpan<double> scores)
    {
        var keys = new double[scores.Length];
        var order = new int[scores.Length];
        for (int i = 0; i < keys.Length; i++) { keys[i] = -scores[i]; order[i] = i; }
        Array.Sort(keys, order);
        return order;
    }

    private static void RequireBothClasses(double positives, double negatives, string what)
    {
        if (positives <= 0 || negatives <= 0)
            throw new ArgumentException($"{what} is undefined with only one class present ({positives:G} positive, {negatives:G} negative weight)");
    }

    private static double Ratio(double a, double b) => b == 0 ? 0 : a / b;

    private static double W(ReadOnlySpan<double> weights, int i) => weights.IsEmpty ? 1 : weights[i];

    private static bool IsConstant(ReadOnlySpan<double> v)
    {
        for (int i = 1; i < v.Length; i++) if (v[i] != v[0]) return false;
        return true;
    }

    private static void Check(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, ReadOnlySpan<double> weights)
    {
        if (scores.IsEmpty) throw new ArgumentException("no scores: a metric needs at least one row");
        if (labels.Length != scores.Length) throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels");
        for (int i = 0; i < scores.Length; i++)
        {
            if (!double.IsFinite(scores[i])) throw new ArgumentException($"score {i} is {scores[i]}: scores must be finite");
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"label {i} is {labels[i]}: binary labels must be 0 or 1");
        }
        CheckWeights(weights, scores.Length);
    }

    private static void CheckRegression(ReadOnlySpan<double> a, ReadOnlySpan<double> b, ReadOnlySpan<double> weights)
    {
        if (a.IsEmpty) throw new ArgumentException("no values: a metric needs at least one row");
        if (a.Length != b.Length) throw new ArgumentException($"{a.Length} targets but {b.Length} predictions");
        for (int i = 0; i < a.Length; i++)
            if (!double.IsFinite(a[i]) || !double.IsFinite(b[i])) throw new ArgumentException($"row {i} is not finite ({a[i]}, {b[i]})");
        CheckWeights(weights, a.Length);
    }

    private static void CheckWeights(ReadOnlySpan<double> weights, int n)
    {
        if (weights.IsEmpty) return;
        if (weights.Length != n) throw new ArgumentException($"{n} rows but {weights.Length} sample weights");
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            if (!double.IsFinite(weights[i]) || weights[i] < 0) throw new ArgumentException($"sample weight {i} is {weights[i]}: weights must be finite and non-negative");
            sum += weights[i];
        }
        if (sum == 0) throw new ArgumentException("every sample weight is zero");
    }
}
