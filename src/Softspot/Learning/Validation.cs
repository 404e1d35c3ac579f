using Softspot.Numerics;
namespace Softspot.Learning;

/// <summary>
/// One train/test split. <see cref="Train"/> and <see cref="Test"/> are row indices (ascending) into the arrays the
/// split was made from. <see cref="Subset"/> is the undersampled subset the split belongs to (0 when there is no
/// undersampling) and <see cref="Fold"/> the fold within it; <see cref="Group"/> is the held-out group of a
/// leave-one-group-out split.
/// </summary>
/// <param name="Train">The rows a split's model trains on (ascending).</param>
/// <param name="Test">The rows it is scored on (ascending).</param>
/// <param name="Subset">The undersampled subset (0 without undersampling).</param>
/// <param name="Fold">The fold within the subset.</param>
public sealed record Split(int[] Train, int[] Test, int Subset, int Fold)
{
    /// <summary>The held-out group of a leave-one-group-out split (null otherwise).</summary>
    public int? Group { get; init; }
}

/// <summary>
/// Cross-validation splits. Every shuffled split is a pure function of its seed: the generator is a fixed
/// SplitMix64 stream (not <see cref="System.Random"/>), so a seed gives the same splits on every platform and .NET
/// version. Rows are indices into the label (or group) array passed; callers drop unlabelled rows first.
/// </summary>
public static class Validation
{
    /// <summary>The papers' protocol: 3 undersampled subsets x 5 folds, seed of the authors' scripts (random_state=2019).</summary>
    public const int PaperSubsets = 3, PaperFolds = 5, DefaultSeed = 2019;

    /// <summary>
    /// The papers' protocol for a binary task (amlearn: imbalanced-learn's EasyEnsemble, then cross-validation with
    /// cv=5 inside each subset). Builds <paramref name="subsets"/> balanced subsets (see <see cref="BalancedSubsets"/>)
    /// and splits each into <paramref name="folds"/> shuffled stratified folds (see <see cref="StratifiedKFold(ReadOnlySpan{int}, IReadOnlyList{int}, int, int)"/>):
    /// subsets x folds splits (15 by default), ordered subset by subset, whose train and test rows lie inside the
    /// subset, so the test folds are balanced too (class counts within one). Subset s draws from a stream that
    /// depends only on (seed, s), so adding subsets does not change the earlier ones.
    /// </summary>
    public static IReadOnlyList<Split> UndersampledStratifiedKFold(ReadOnlySpan<int> labels, int subsets = PaperSubsets, int folds = PaperFolds, int seed = DefaultSeed)
    {
        var balanced = BalancedSubsets(labels, subsets, seed);
        var splits = new List<Split>(subsets * folds);
        for (int s = 0; s < subsets; s++)
            foreach (var f in StratifiedFolds(labels, balanced[s], folds, new SplitMix64(seed, 2, s)))
                splits.Add(f with { Subset = s });
        return splits;
    }

    /// <summary>
    /// EasyEnsemble-style balanced subsets of a binary task: each keeps every row of the minority class (the class
    /// with fewer rows; class 1 when the counts are equal) plus as many majority rows drawn at random without
    /// replacement (independently for each subset, so subsets may share majority rows). Rows ascending.
    /// </summary>
    public static int[][] BalancedSubsets(ReadOnlySpan<int> labels, int subsets = PaperSubsets, int seed = DefaultSeed)
    {
        if (subsets < 1) throw new ArgumentOutOfRangeException(nameof(subsets), $"{subsets} subsets: need at least one");
        CheckBinary(labels);
        var all = new int[labels.Length];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        var result = new int[subsets][];
        for (int s = 0; s < subsets; s++) result[s] = Undersample(labels, all, new SplitMix64(seed, 1, s));
        return result;
    }

    /// <summary>
    /// One balanced draw from <paramref name="rows"/> (e.g. the training rows of a grouped split, for a caller who
    /// trains on balanced data): every minority-class row of <paramref name="rows"/> plus an equal number of its
    /// majority-class rows drawn without replacement. Rows ascending. Throws when a class is missing.
    /// </summary>
    public static int[] Undersample(ReadOnlySpan<int> labels, IReadOnlyList<int> rows, int seed = DefaultSeed)
    {
        CheckBinary(labels);
        return Undersample(labels, rows, new SplitMix64(seed, 3, 0));
    }

    /// <summary>Shuffled stratified k-fold over all rows (see the overload on a row subset).</summary>
    public static IReadOnlyList<Split> StratifiedKFold(ReadOnlySpan<int> labels, int folds = PaperFolds, int seed = DefaultSeed)
    {
        var all = new int[labels.Length];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        return StratifiedKFold(labels, all, folds, seed);
    }

    /// <summary>
    /// Shuffled stratified k-fold over <paramref name="rows"/> (any integer class labels): each class's rows are
    /// shuffled and dealt round-robin into the folds, the dealing continuing from class to class, so every class
    /// count and every fold size differs by at most one between folds. Test folds partition the rows. Throws when a
    /// class has fewer rows than folds (a test fold would miss it and its AUC would be undefined).
    /// </summary>
    public static IReadOnlyList<Split> StratifiedKFold(ReadOnlySpan<int> labels, IReadOnlyList<int> rows, int folds, int seed = DefaultSeed) =>
        StratifiedFolds(labels, rows, folds, new SplitMix64(seed, 4, 0));

    /// <summary>
    /// Shuffled stratified k-fold over every row, repeated: <paramref name="repeats"/> independent dealings (see
    /// <see cref="StratifiedKFold(ReadOnlySpan{int}, IReadOnlyList{int}, int, int)"/>; repeat r draws from a stream that
    /// depends only on (seed, r)), repeats x folds splits ordered repeat by repeat, <see cref="Split.Subset"/> = the
    /// repeat. No undersampling: every row outside its test fold is trained on (models of a continuous value scored
    /// on a 0/1 label, which need every row).
    /// </summary>
    public static IReadOnlyList<Split> RepeatedStratifiedKFold(ReadOnlySpan<int> labels, int repeats = PaperSubsets, int folds = PaperFolds, int seed = DefaultSeed)
    {
        if (repeats < 1) throw new ArgumentOutOfRangeException(nameof(repeats), $"{repeats} repeats: need at least one");
        var all = new int[labels.Length];
        for (int i = 0; i < all.Length; i++) all[i] = i;
        var splits = new List<Split>(repeats * folds);
        for (int r = 0; r < repeats; r++)
            foreach (var f in StratifiedFolds(labels, all, folds, new SplitMix64(seed, 5, r)))
                splits.Add(f with { Subset = r });
        return splits;
    }

    /// <summary>
    /// k-fold over <paramref name="rowCount"/> rows for regression: the rows (shuffled with the seed unless
    /// <paramref name="shuffle"/> is false) are cut into consecutive folds, the first rowCount % folds folds one row
    /// larger (scikit-learn's KFold sizes).
    /// </summary>
    public static IReadOnlyList<Split> KFold(int rowCount, int folds = PaperFolds, int seed = DefaultSeed, bool shuffle = true)
    {
        CheckFolds(folds);
        if (rowCount < folds) throw new ArgumentException($"{rowCount} rows cannot fill {folds} folds");
        var order = new int[rowCount];
        for (int i = 0; i < rowCount; i++) order[i] = i;
        if (shuffle) new SplitMix64(seed, 5, 0).Shuffle(order);
        var foldOf = new int[rowCount];
        for (int f = 0, start = 0; f < folds; f++)
        {
            int size = rowCount / folds + (f < rowCount % folds ? 1 : 0);
            for (int k = start; k < start + size; k++) foldOf[order[k]] = f;
            start += size;
        }
        return FromAssignment(foldOf, folds);
    }

    /// <summary>
    /// GroupKFold: whole groups (e.g. the frame or glass of each row) go to test folds, so no group is on both sides
    /// of a split. As scikit-learn's GroupKFold (deterministic, no shuffling): groups in decreasing size (ties by
    /// increasing group id) each join the currently smallest fold (lowest index on ties). Needs at least as many
    /// distinct groups as folds.
    /// </summary>
    public static IReadOnlyList<Split> GroupKFold(ReadOnlySpan<int> groups, int folds = PaperFolds)
    {
        CheckFolds(folds);
        var sizes = GroupSizes(groups);
        if (sizes.Count < folds) throw new ArgumentException($"{sizes.Count} distinct groups cannot fill {folds} folds");
        var foldSize = new long[folds];
        var foldOfGroup = new Dictionary<int, int>();
        foreach (var (g, size) in sizes.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key))
        {
            int best = 0;
            for (int f = 1; f < folds; f++) if (foldSize[f] < foldSize[best]) best = f;
            foldOfGroup[g] = best;
            foldSize[best] += size;
        }
        var foldOf = new int[groups.Length];
        for (int i = 0; i < groups.Length; i++) foldOf[i] = foldOfGroup[groups[i]];
        return FromAssignment(foldOf, folds);
    }

    /// <summary>One split per distinct group (ascending group id): that group's rows are the test set, every other row trains.</summary>
    public static IReadOnlyList<Split> LeaveOneGroupOut(ReadOnlySpan<int> groups)
    {
        var ids = GroupSizes(groups).Keys.Order().ToArray();
        if (ids.Length < 2) throw new ArgumentException($"leave-one-group-out needs at least two groups, found {ids.Length}");
        var index = new Dictionary<int, int>();
        for (int k = 0; k < ids.Length; k++) index[ids[k]] = k;
        var foldOf = new int[groups.Length];
        for (int i = 0; i < groups.Length; i++) foldOf[i] = index[groups[i]];
        return FromAssignment(foldOf, ids.Length).Select((s, k) => s with { Group = ids[k] }).ToArray();
    }

    /// <summary>Every row of [0, rowCount) that is not in the split's training rows, ascending: the rows its model never saw.</summary>
    public static int[] HeldOut(Split split, int rowCount)
    {
        var inTrain = new bool[rowCount];
        foreach (int r in split.Train) inTrain[r] = true;
        var result = new List<int>(rowCount - split.Train.Length);
        for (int i = 0; i < rowCount; i++) if (!inTrain[i]) result.Add(i);
        return result.ToArray();
    }

    // ---------------------------------------------------------------- internals

    private static int[] Undersample(ReadOnlySpan<int> labels, IReadOnlyList<int> rows, SplitMix64 rng)
    {
        var pos = new List<int>(); var neg = new List<int>();
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)labels.Length) throw new ArgumentException($"row {r} is outside the {labels.Length} labels");
            (labels[r] == 1 ? pos : neg).Add(r);
        }
        if (pos.Count == 0 || neg.Count == 0)
            throw new ArgumentException($"undersampling needs both classes ({pos.Count} positive, {neg.Count} negative rows)");
        pos.Sort(); neg.Sort();
        var (minority, majority) = pos.Count <= neg.Count ? (pos, neg) : (neg, pos);
        var maj = majority.ToArray();
        rng.PartialShuffle(maj, minority.Count);
        var subset = new int[2 * minority.Count];
        minority.CopyTo(subset);
        Array.Copy(maj, 0, subset, minority.Count, minority.Count);
        Array.Sort(subset);
        return subset;
    }

    private static IReadOnlyList<Split> StratifiedFolds(ReadOnlySpan<int> labels, IReadOnlyList<int> rows, int folds, SplitMix64 rng)
    {
        CheckFolds(folds);
        var byClass = new SortedDictionary<int, List<int>>();
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)labels.Length) throw new ArgumentException($"row {r} is outside the {labels.Length} labels");
            if (!byClass.TryGetValue(labels[r], out var list)) byClass[labels[r]] = list = [];
            list.Add(r);
        }
        foreach (var (c, list) in byClass)
            if (list.Count < folds) throw new ArgumentException($"class {c} has {list.Count} rows, fewer than the {folds} folds: a test fold would miss it");
        var testOf = new List<int>[folds];
        for (int f = 0; f < folds; f++) testOf[f] = [];
        int cursor = 0;
        foreach (var list in byClass.Values)
        {
            var arr = list.Order().ToArray();
            rng.Shuffle(arr);
            foreach (int r in arr) { testOf[cursor].Add(r); cursor = (cursor + 1) % folds; }
        }
        var splits = new Split[folds];
        for (int f = 0; f < folds; f++)
        {
            var test = testOf[f].Order().ToArray();
            var train = Enumerable.Range(0, folds).Where(g => g != f).SelectMany(g => testOf[g]).Order().ToArray();
            splits[f] = new Split(train, test, 0, f);
        }
        return splits;
    }

    /// <summary>Splits from a fold number per row (every row tested once).</summary>
    private static Split[] FromAssignment(int[] foldOf, int folds)
    {
        var test = new List<int>[folds];
        for (int f = 0; f < folds; f++) test[f] = [];
        for (int i = 0; i < foldOf.Length; i++) test[foldOf[i]].Add(i);
        var splits = new Split[folds];
        for (int f = 0; f < folds; f++)
        {
            var train = new List<int>(foldOf.Length - test[f].Count);
            for (int i = 0; i < foldOf.Length; i++) if (foldOf[i] != f) train.Add(i);
            splits[f] = new Split(train.ToArray(), test[f].ToArray(), 0, f);
        }
        return splits;
    }

    private static Dictionary<int, int> GroupSizes(ReadOnlySpan<int> groups)
    {
        if (groups.IsEmpty) throw new ArgumentException("no rows to split");
        var sizes = new Dictionary<int, int>();
        foreach (int g in groups) sizes[g] = sizes.GetValueOrDefault(g) + 1;
        return sizes;
    }

    private static void CheckFolds(int folds)
    {
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), $"{folds} folds: cross-validation needs at least 2");
    }

    private static void CheckBinary(ReadOnlySpan<int> labels)
    {
        if (labels.IsEmpty) throw new ArgumentException("no labels");
        for (int i = 0; i < labels.Length; i++)
            if (labels[i] is not (0 or 1)) throw new ArgumentException($"label {i} is {labels[i]}: binary labels must be 0 or 1");
    }
}


/// <summary>Mean and spread of one metric over splits. <see cref="Std"/> is the population standard deviation (divide by
/// n, numpy's np.std default, as the papers' "mean ± std over 15 splits" most likely used); <see cref="SampleStd"/>
/// divides by n - 1 (NaN for a single split). A NaN metric in any split makes the summary NaN.</summary>
public readonly record struct MetricSummary(double Mean, double Std, double SampleStd, double Min, double Max, int Count)
{
    public static MetricSummary Of(IEnumerable<double> values)
    {
        var v = values.ToArray();
        if (v.Length == 0) return new MetricSummary(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, 0);
        double mean = v.Average(), ss = v.Sum(x => (x - mean) * (x - mean));
        return new MetricSummary(mean, Math.Sqrt(ss / v.Length), v.Length > 1 ? Math.Sqrt(ss / (v.Length - 1)) : double.NaN, v.Min(), v.Max(), v.Length);
    }

    public override string ToString() => $"{Mean:F3} ± {Std:F3}";
}

/// <summary>Binary-classification metrics of one set of rows (see <see cref="Metrics"/>); Positives and Negatives count rows (unweighted).</summary>
public sealed record ClassificationMetrics(double RocAuc, double AveragePrecision, double Mcc, double F1, double Accuracy, double Precision, double Recall,
    int Positives, int Negatives)
{
    public static ClassificationMetrics Compute(ReadOnlySpan<double> scores, ReadOnlySpan<int> labels, double threshold = Metrics.DefaultThreshold,
        ReadOnlySpan<double> weights = default)
    {
        var c = Metrics.Confusion(scores, labels, threshold, weights);
        int pos = 0;
        foreach (int l in labels) pos += l;
        return new ClassificationMetrics(Metrics.RocAuc(scores, labels, weights), Metrics.AveragePrecision(scores, labels, weights),
            Metrics.Mcc(c), Metrics.F1(c), Metrics.Accuracy(c), Metrics.Precision(c), Metrics.Recall(c), pos, labels.Length - pos);
    }
}

/// <summary>Mean and std over splits of each <see cref="ClassificationMetrics"/> field.</summary>
public sealed record ClassificationSummary(MetricSummary RocAuc, MetricSummary AveragePrecision, MetricSummary Mcc, MetricSummary F1,
    MetricSummary Accuracy, MetricSummary Precision, MetricSummary Recall)
{
    public static ClassificationSummary Of(IReadOnlyCollection<ClassificationMetrics> m) => new(
        MetricSummary.Of(m.Select(x => x.RocAuc)), MetricSummary.Of(m.Select(x => x.AveragePrecision)), MetricSummary.Of(m.Select(x => x.Mcc)),
        MetricSummary.Of(m.Select(x => x.F1)), MetricSummary.Of(m.Select(x => x.Accuracy)), MetricSummary.Of(m.Select(x => x.Precision)),
        MetricSummary.Of(m.Select(x => x.Recall)));
}

/// <summary>
/// One split's results. <see cref="Test"/>: the split's test rows (for the undersampled protocol, the balanced test
/// fold). <see cref="HeldOut"/>: every row the split's model never trained on (null when not requested), weighted as
/// <see cref="HeldOutNegativeWeight"/> says (each negative row weighs that much, each positive 1).
/// </summary>
public sealed record ClassificationSplitResult(Split Split, ClassificationMetrics Test, ClassificationMetrics? HeldOut, double HeldOutNegativeWeight);

/// <summary>Per-split results and their summaries. <see cref="PositiveFraction"/> is the positive fraction of all the labels.</summary>
/// <param name="Splits">Each split's scores, in the order of the splits.</param>
/// <param name="Test">The test folds' scores summarised over the splits.</param>
/// <param name="HeldOut">The held-out rows' scores summarised over the splits (null when not requested).</param>
/// <param name="PositiveFraction">The positive fraction of all the labels.</param>
public sealed record ClassificationEvaluation(IReadOnlyList<ClassificationSplitResult> Splits, ClassificationSummary Test,
    ClassificationSummary? HeldOut, double PositiveFraction);

/// <summary>Regression metrics of one test fold (see <see cref="Metrics"/>).</summary>
public sealed record RegressionMetrics(double R2, double Pearson, double Spearman, double Rmse, double Mae, int Count)
{
    public static RegressionMetrics Compute(ReadOnlySpan<double> targets, ReadOnlySpan<double> predictions) =>
        new(Metrics.R2(targets, predictions), Metrics.Pearson(targets, predictions), Metrics.Spearman(targets, predictions),
            Metrics.Rmse(targets, predictions), Metrics.Mae(targets, predictions), targets.Length);
}

public sealed record RegressionSplitResult(Split Split, RegressionMetrics Test);

public sealed record RegressionSummary(MetricSummary R2, MetricSummary Pearson, MetricSummary Spearman, MetricSummary Rmse, MetricSummary Mae)
{
    public static RegressionSummary Of(IReadOnlyCollection<RegressionMetrics> m) => new(
        MetricSummary.Of(m.Select(x => x.R2)), MetricSummary.Of(m.Select(x => x.Pearson)), MetricSummary.Of(m.Select(x => x.Spearman)),
        MetricSummary.Of(m.Select(x => x.Rmse)), MetricSummary.Of(m.Select(x => x.Mae)));
}

public sealed record RegressionEvaluation(IReadOnlyList<RegressionSplitResult> Splits, RegressionSummary Summary);

/// <summary>How the held-out rows of a split are weighted when scored.</summary>
public enum HeldOutWeighting
{
    /// <summary>
    /// Negative rows are weighted so that the held-out set has the positive fraction of the whole dataset. Needed
    /// for the undersampled protocol: its training folds use 80% of the minority rows but only a sliver of the
    /// majority, so the raw held-out set is more imbalanced than the data (5% positives become about 1%), which
    /// would depress average precision, precision, F1 and MCC. Within-class weights leave ROC-AUC unchanged.
    /// </summary>
    DatasetPrevalence,
    /// <summary>Every held-out row weighs 1 (the set's own, distorted, class balance).</summary>
    None,
}

/// <summary>
/// Runs cross-validation splits with a caller-supplied model and collects metrics. The callback receives
/// (training rows, rows to score) and returns one score per row to score, in that order; it trains on exactly
/// the training rows (and nothing else) and predicts the others. Splits run one after another, in order.
/// </summary>
public static class Evaluation
{
    /// <summary>
    /// Binary classification over <paramref name="splits"/> (e.g. <see cref="Validation.UndersampledStratifiedKFold"/>).
    /// <para>
    /// Test metrics: on each split's <see cref="Split.Test"/> rows (balanced test folds in the papers' protocol;
    /// the papers report the mean ± std of their ROC-AUC over the 15 splits).
    /// </para>
    /// <para>
    /// Held-out metrics (when <paramref name="heldOut"/>): on every row of the dataset not in the split's training
    /// rows, i.e. the split's test fold plus every row its subset did not draw (<see cref="Validation.HeldOut"/>).
    /// This is the imbalanced population the model would meet in use, so precision, F1, MCC and average precision
    /// there show what ROC-AUC on balanced folds hides. The rows to score passed to the callback are then the test
    /// rows first (in order) followed by the other held-out rows (ascending), and the held-out set is weighted as
    /// <paramref name="weighting"/> says. The threshold (default 0.5) is applied to the raw scores in both settings;
    /// a model trained on balanced subsets is calibrated for a 50% prior, so thresholded metrics on held-out rows
    /// are deliberately honest, not optimistic.
    /// </para>
    /// </summary>
    public static ClassificationEvaluation Classification(ReadOnlySpan<int> labels, IReadOnlyList<Split> splits,
        Func<int[], int[], double[]> trainAndScore, double threshold = Metrics.DefaultThreshold, bool heldOut = true,
        HeldOutWeighting weighting = HeldOutWeighting.DatasetPrevalence)
    {
        if (splits.Count == 0) throw new ArgumentException("no splits to evaluate");
        int n = labels.Length, positives = 0;
        foreach (int l in labels)
        {
            if (l is not (0 or 1)) throw new ArgumentException($"label {l}: binary labels must be 0 or 1");
            positives += l;
        }
        double prevalence = (double)positives / n;
        var results = new List<ClassificationSplitResult>(splits.Count);
        for (int k = 0; k < splits.Count; k++)
        {
            var split = splits[k];
            int[] rows = split.Test;
            if (heldOut)
            {
                var inTest = new HashSet<int>(split.Test);
                rows = [.. split.Test, .. Validation.HeldOut(split, n).Where(r => !inTest.Contains(r))];
            }
            var scores = trainAndScore(split.Train, rows);
            if (scores is null || scores.Length != rows.Length)
                throw new InvalidOperationException($"split {k}: the model returned {scores?.Length ?? 0} scores for {rows.Length} rows");
            var rowLabels = new int[rows.Length];
            for (int i = 0; i < rows.Length; i++) rowLabels[i] = labels[rows[i]];
            try
            {
                var test = ClassificationMetrics.Compute(scores.AsSpan(0, split.Test.Length), rowLabels.AsSpan(0, split.Test.Length), threshold);
                ClassificationMetrics? held = null;
                double negWeight = 1;
                if (heldOut)
                {
                    int p = rowLabels.Sum(), q = rowLabels.Length - p;
                    if (weighting == HeldOutWeighting.DatasetPrevalence && p > 0 && q > 0 && prevalence > 0 && prevalence < 1)
                        negWeight = p * (1 - prevalence) / (q * prevalence);
                    var w = rowLabels.Select(l => l == 1 ? 1.0 : negWeight).ToArray();
                    held = ClassificationMetrics.Compute(scores, rowLabels, threshold, w);
                }
                results.Add(new ClassificationSplitResult(split, test, held, negWeight));
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"split {k} (subset {split.Subset}, fold {split.Fold}): {e.Message}", e);
            }
        }
        return new ClassificationEvaluation(results, ClassificationSummary.Of(results.Select(r => r.Test).ToArray()),
            heldOut ? ClassificationSummary.Of(results.Select(r => r.HeldOut!).ToArray()) : null, prevalence);
    }

    /// <summary>Regression over <paramref name="splits"/> (e.g. <see cref="Validation.KFold"/>): R², Pearson, Spearman, RMSE and MAE on each split's test rows.</summary>
    public static RegressionEvaluation Regression(ReadOnlySpan<double> targets, IReadOnlyList<Split> splits, Func<int[], int[], double[]> trainAndPredict)
    {
        if (splits.Count == 0) throw new ArgumentException("no splits to evaluate");
        var results = new List<RegressionSplitResult>(splits.Count);
        for (int k = 0; k < splits.Count; k++)
        {
            var split = splits[k];
            var predictions = trainAndPredict(split.Train, split.Test);
            if (predictions is null || predictions.Length != split.Test.Length)
                throw new InvalidOperationException($"split {k}: the model returned {predictions?.Length ?? 0} predictions for {split.Test.Length} rows");
            var y = new double[split.Test.Length];
            for (int i = 0; i < y.Length; i++) y[i] = targets[split.Test[i]];
            results.Add(new RegressionSplitResult(split, RegressionMetrics.Compute(y, predictions)));
        }
        return new RegressionEvaluation(results, RegressionSummary.Of(results.Select(r => r.Test).ToArray()));
    }
}
