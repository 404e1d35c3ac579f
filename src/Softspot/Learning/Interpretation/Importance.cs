using Softspot.Numerics;
using Softspot.Neighbours;

namespace Softspot.Learning.Interpretation;

/// <summary>
/// Gain importance of one or more models over the same features. Per model, a feature's total gain is the sum of
/// <see cref="DecisionTree.Gain"/> over the splits on it (xgboost's "total_gain"), its average gain that total over
/// its number of splits (xgboost's "gain"; 0 when never split), and its share the total divided by the model's sum of
/// totals (scikit-learn's normalised <c>feature_importances_</c>, which the papers' amlearn code saves). Each array is
/// the mean over the models (the papers average over the 3 × 5 cross-validation models); a feature a model never
/// splits on counts as 0 for that model.
/// </summary>
public sealed record GainImportance(IReadOnlyList<string> FeatureNames, double[] Total, double[] Average, double[] Share, double[] Splits, int Models)
{
    /// <summary>Feature indices by decreasing <paramref name="importance"/> (ties keep the feature order).</summary>
    public static int[] Ranking(IReadOnlyList<double> importance) =>
        [.. Enumerable.Range(0, importance.Count).OrderByDescending(f => double.IsNaN(importance[f]) ? double.NegativeInfinity : importance[f]).ThenBy(f => f)];
}

/// <summary>
/// Permutation importance: <see cref="Mean"/>[f] is the mean over <see cref="Repeats"/> shuffles of
/// (<see cref="Baseline"/> − score with column f shuffled), so a larger drop means a more important feature;
/// <see cref="Std"/> is the population standard deviation of those drops.
/// </summary>
public sealed record PermutationImportance(double Baseline, double[] Mean, double[] Std, double[][] Drops, int Repeats, int Seed);

/// <summary>A feature dropped by <see cref="Importance.Reduce"/> because it correlates with a more important kept one.</summary>
public sealed record CorrelatedDrop(string Feature, string KeptFeature, double R);

/// <summary>
/// The outcome of <see cref="Importance.Reduce"/>: the kept features by decreasing importance, the features dropped as
/// correlated with a kept one, and those that survived the correlation check but fell beyond the top N.
/// </summary>
public sealed record FeatureReduction(IReadOnlyList<string> Kept, IReadOnlyList<CorrelatedDrop> Correlated, IReadOnlyList<string> BeyondTop, double Threshold, int Top);

/// <summary>Global interpretation of tree models: gain and permutation importance, feature correlations, feature reduction.</summary>
public static class Importance
{
    /// <summary>Correlation threshold of <see cref="Reduce"/>: of two features with |r| ≥ 0.9, the less important is dropped.</summary>
    public const double DefaultCorrelationThreshold = 0.9;
    /// <summary>Features kept by <see cref="Reduce"/>: ten, as in Wang, Ding and Ma (2020), Fig. 4.</summary>
    public const int DefaultTop = 10;

    /// <summary>Gain importance averaged over models that share feature names (same names, same order).</summary>
    public static GainImportance Gain(IReadOnlyList<TreeEnsemble> models)
    {
        if (models.Count == 0) throw new ArgumentException("no models", nameof(models));
        var names = models[0].FeatureNames;
        int nf = names.Count;
        foreach (var m in models)
            if (!m.FeatureNames.SequenceEqual(names)) throw new ArgumentException("the models do not share the same features in the same order", nameof(models));
        double[] total = new double[nf], average = new double[nf], share = new double[nf], splits = new double[nf];
        var t = new double[nf]; var c = new int[nf];
        foreach (var m in models)
        {
            Array.Clear(t); Array.Clear(c);
            foreach (var tree in m.Trees)
                foreach (int k in Reachable(tree))
                    if (tree.Left[k] >= 0) { t[tree.Feature[k]] += tree.Gain[k]; c[tree.Feature[k]]++; }
            double sum = t.Sum();
            for (int f = 0; f < nf; f++)
            {
                total[f] += t[f];
                average[f] += c[f] > 0 ? t[f] / c[f] : 0;
                share[f] += sum > 0 ? t[f] / sum : 0;
                splits[f] += c[f];
            }
        }
        for (int f = 0; f < nf; f++) { total[f] /= models.Count; average[f] /= models.Count; share[f] /= models.Count; splits[f] /= models.Count; }
        return new GainImportance(names, total, average, share, splits, models.Count);
    }

    /// <summary>
    /// Mean |SHAP| of each feature over the rows (row-major, the models' features in their order), averaged over
    /// models that share feature names: for one model, <see cref="ShapValues.MeanAbsolute"/> of its exact TreeSHAP
    /// values (<see cref="TreeShap"/>, xgboost's pred_contribs). On <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static double[] MeanAbsoluteShap(IReadOnlyList<TreeEnsemble> models, double[] rows, int? threads = null)
    {
        if (models.Count == 0) throw new ArgumentException("no models", nameof(models));
        var names = models[0].FeatureNames;
        foreach (var m in models)
            if (!m.FeatureNames.SequenceEqual(names)) throw new ArgumentException("the models do not share the same features in the same order", nameof(models));
        int t = Parallelism.Resolve(threads);
        var mean = new double[names.Count];
        foreach (var m in models)
        {
            var one = new TreeShap(m) { Threads = t }.ExplainRows(rows).MeanAbsolute();
            for (int f = 0; f < mean.Length; f++) mean[f] += one[f] / models.Count;
        }
        return mean;
    }

    /// <summary>Gain importance of one model.</summary>
    public static GainImportance Gain(TreeEnsemble model) => Gain([model]);

    private static IEnumerable<int> Reachable(DecisionTree tree)
    {
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            yield return k;
            if (tree.Left[k] >= 0) { stack.Push(tree.Right[k]); stack.Push(tree.Left[k]); }
        }
    }

    /// <summary>The purpose key of permutation streams: repeat r of column f draws from SplitMix64(seed, this + r, f).</summary>
    private const int PermutationPurpose = 0x100;

    /// <summary>
    /// Permutation importance of every column of a row-major matrix (<paramref name="featureCount"/> columns).
    /// <paramref name="score"/> receives a row-major matrix of the same shape (a reused buffer with one column
    /// shuffled; do not keep it) and returns a score where larger is better (e.g. ROC-AUC, or minus a loss). Shuffle r
    /// of column f uses its own generator seeded from (seed, f, r), so results do not depend on the order of the work
    /// and the same seed gives the same answer. The score function is called (1 + featureCount × repeats) times,
    /// one call at a time (it may itself run in parallel).
    /// </summary>
    public static PermutationImportance Permutation(double[] rows, int featureCount, Func<double[], double> score, int repeats = 5, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(score);
        if (featureCount <= 0 || rows.Length % featureCount != 0) throw new ArgumentException($"{rows.Length} values are not whole rows of {featureCount} columns", nameof(rows));
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), "at least one repeat");
        int n = rows.Length / featureCount;
        var work = (double[])rows.Clone();
        double baseline = score(work);
        var drops = new double[featureCount][];
        var column = new double[n];
        var perm = new int[n];
        for (int f = 0; f < featureCount; f++)
        {
            for (int i = 0; i < n; i++) column[i] = rows[i * featureCount + f];
            drops[f] = new double[repeats];
            for (int r = 0; r < repeats; r++)
            {
                var rng = new SplitMix64(seed, PermutationPurpose + r, f);
                for (int i = 0; i < n; i++) perm[i] = i;
                rng.Shuffle(perm);
                for (int i = 0; i < n; i++) work[i * featureCount + f] = column[perm[i]];
                drops[f][r] = baseline - score(work);
            }
            for (int i = 0; i < n; i++) work[i * featureCount + f] = column[i]; // restore
        }
        var mean = drops.Select(d => d.Average()).ToArray();
        var std = drops.Select((d, f) => Math.Sqrt(d.Sum(v => (v - mean[f]) * (v - mean[f])) / d.Length)).ToArray();
        return new PermutationImportance(baseline, mean, std, drops, repeats, seed);
    }

    /// <summary>
    /// Pearson correlation matrix of the columns of a row-major matrix. A pair uses the rows where both values are
    /// finite (pairwise deletion of NaN and ±inf). The diagonal is 1; a pair is NaN when fewer than two rows remain or
    /// either column is constant on them. Two-pass (centred) sums; parallel over columns, on
    /// <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static double[,] Correlation(double[] rows, int featureCount, int? threads = null)
    {
        int t = Parallelism.Resolve(threads);
        ArgumentNullException.ThrowIfNull(rows);
        if (featureCount <= 0 || rows.Length % featureCount != 0) throw new ArgumentException($"{rows.Length} values are not whole rows of {featureCount} columns", nameof(rows));
        int n = rows.Length / featureCount, nf = featureCount;
        // column-major copy; columns without missing values are centred and their norms kept for the fast path
        var cols = new double[nf][];
        var complete = new bool[nf];
        var centred = new double[nf][];
        var norm = new double[nf];
        for (int f = 0; f < nf; f++)
        {
            var c = cols[f] = new double[n];
            for (int i = 0; i < n; i++) c[i] = rows[i * nf + f];
            complete[f] = n > 0 && c.All(double.IsFinite);
            if (!complete[f]) continue;
            double mean = c.Average();
            var z = centred[f] = new double[n];
            double ss = 0;
            for (int i = 0; i < n; i++) { z[i] = c[i] - mean; ss += z[i] * z[i]; }
            norm[f] = Math.Sqrt(ss);
        }
        var r = new double[nf, nf];
        Parallelism.MapChunks(nf, 1, t, (a, _) =>
        {
            r[a, a] = 1;
            for (int b = a + 1; b < nf; b++)
            {
                double v;
                if (n < 2) v = double.NaN;
                else if (complete[a] && complete[b])
                {
                    double dot = 0;
                    var za = centred[a]; var zb = centred[b];
                    for (int i = 0; i < n; i++) dot += za[i] * zb[i];
                    v = norm[a] > 0 && norm[b] > 0 ? dot / (norm[a] * norm[b]) : double.NaN;
                }
                else v = Pairwise(cols[a], cols[b]);
                if (!double.IsNaN(v)) v = Math.Clamp(v, -1, 1);
                r[a, b] = r[b, a] = v;
            }
            return 0;
        });
        return r;
    }

    private static double Pairwise(double[] x, double[] y)
    {
        int m = 0; double sx = 0, sy = 0;
        for (int i = 0; i < x.Length; i++)
            if (double.IsFinite(x[i]) && double.IsFinite(y[i])) { m++; sx += x[i]; sy += y[i]; }
        if (m < 2) return double.NaN;
        double mx = sx / m, my = sy / m, sxx = 0, syy = 0, sxy = 0;
        for (int i = 0; i < x.Length; i++)
            if (double.IsFinite(x[i]) && double.IsFinite(y[i]))
            {
                double dx = x[i] - mx, dy = y[i] - my;
                sxx += dx * dx; syy += dy * dy; sxy += dx * dy;
            }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>
    /// Feature reduction: walks the features by decreasing <paramref name="importance"/> (ties: feature order; NaN
    /// last) and keeps a feature unless |r| ≥ <paramref name="threshold"/> with a feature already kept, until
    /// <paramref name="top"/> are kept (top ≤ 0 keeps every survivor). So of every correlated pair the more important
    /// feature stays; a feature whose only correlated partner was itself dropped stays too. NaN correlations (constant
    /// columns) never drop anything. Returns the kept names in importance order and why the others went.
    /// The papers do not state their reduction procedure or threshold (methods spec, "NOT FOUND"); 0.9 and 10 are
    /// Softspot's defaults.
    /// </summary>
    public static FeatureReduction Reduce(IReadOnlyList<string> featureNames, IReadOnlyList<double> importance, double[,] correlation,
        double threshold = DefaultCorrelationThreshold, int top = DefaultTop)
    {
        int nf = featureNames.Count;
        if (importance.Count != nf) throw new ArgumentException($"{importance.Count} importances for {nf} features", nameof(importance));
        if (correlation.GetLength(0) != nf || correlation.GetLength(1) != nf) throw new ArgumentException($"the correlation matrix is not {nf} x {nf}", nameof(correlation));
        if (!(threshold > 0 && threshold <= 1)) throw new ArgumentOutOfRangeException(nameof(threshold), "the threshold is a |r| in (0, 1]");
        var kept = new List<int>();
        var correlated = new List<CorrelatedDrop>();
        var beyond = new List<string>();
        foreach (int f in GainImportance.Ranking(importance))
        {
            if (top > 0 && kept.Count >= top) { beyond.Add(featureNames[f]); continue; }
            int partner = -1;
            foreach (int k in kept)
                if (Math.Abs(correlation[f, k]) >= threshold) { partner = k; break; }
            if (partner >= 0) correlated.Add(new CorrelatedDrop(featureNames[f], featureNames[partner], correlation[f, partner]));
            else kept.Add(f);
        }
        return new FeatureReduction([.. kept.Select(k => featureNames[k])], correlated, beyond, threshold, top);
    }
}
