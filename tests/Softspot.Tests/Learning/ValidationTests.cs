using Softspot.Learning;

namespace Softspot.Tests.Learning;

public class ValidationTests
{
    /// <summary>An imbalanced binary task: about 7% positives (a tail label), shuffled over 1203 rows.</summary>
    private static int[] ImbalancedLabels(int n = 1203, int seed = 7)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.07 ? 1 : 0).ToArray();
    }

    private static string Key(IReadOnlyList<Split> splits) =>
        string.Join("|", splits.Select(s => $"{s.Subset}.{s.Fold}:{string.Join(",", s.Train)}/{string.Join(",", s.Test)}"));

    [Fact]
    public void ThePapersProtocolGivesFifteenBalancedStratifiedSplits()
    {
        var y = ImbalancedLabels();
        int minority = y.Sum(), majority = y.Length - minority;
        Assert.InRange(minority, 60, 110);
        var splits = Validation.UndersampledStratifiedKFold(y);
        Assert.Equal(15, splits.Count);
        var minorityRows = Enumerable.Range(0, y.Length).Where(i => y[i] == 1).ToHashSet();
        var subsetRows = new List<HashSet<int>>();
        for (int s = 0; s < 3; s++)
        {
            var mine = splits.Where(x => x.Subset == s).OrderBy(x => x.Fold).ToArray();
            Assert.Equal([0, 1, 2, 3, 4], mine.Select(x => x.Fold));
            var rows = mine[0].Train.Concat(mine[0].Test).ToHashSet();
            subsetRows.Add(rows);
            // balanced, with every minority row
            Assert.Equal(2 * minority, rows.Count);
            Assert.Equal(minority, rows.Count(r => y[r] == 1));
            Assert.Subset(rows, minorityRows);
            foreach (var split in mine)
            {
                // train and test are disjoint, sorted, and together make the subset
                Assert.Empty(split.Train.Intersect(split.Test));
                Assert.Equal(split.Train.Order(), split.Train);
                Assert.Equal(split.Test.Order(), split.Test);
                Assert.True(rows.SetEquals(split.Train.Concat(split.Test)), $"subset {s} fold {split.Fold} covers other rows");
            }
            // the test folds partition the subset and are stratified: class counts differ by at most one
            Assert.True(rows.SetEquals(mine.SelectMany(x => x.Test)));
            Assert.Equal(rows.Count, mine.Sum(x => x.Test.Length));
            foreach (int c in new[] { 0, 1 })
            {
                var counts = mine.Select(x => x.Test.Count(r => y[r] == c)).ToArray();
                Assert.True(counts.Max() - counts.Min() <= 1, $"subset {s} class {c} fold counts {string.Join(",", counts)}");
            }
            var sizes = mine.Select(x => x.Test.Length).ToArray();
            Assert.True(sizes.Max() - sizes.Min() <= 1);
        }
        // the three subsets draw different majority rows
        Assert.False(subsetRows[0].SetEquals(subsetRows[1]));
        Assert.False(subsetRows[1].SetEquals(subsetRows[2]));
        Assert.True(majority > 3 * minority);
    }

    [Fact]
    public void SplitsAreDeterministicForASeedAndDifferForAnother()
    {
        var y = ImbalancedLabels();
        string a = Key(Validation.UndersampledStratifiedKFold(y, seed: 11));
        Assert.Equal(a, Key(Validation.UndersampledStratifiedKFold(y, seed: 11)));
        Assert.NotEqual(a, Key(Validation.UndersampledStratifiedKFold(y, seed: 12)));
        // adding subsets leaves the earlier ones unchanged
        var three = Validation.UndersampledStratifiedKFold(y, subsets: 3, seed: 11);
        var four = Validation.UndersampledStratifiedKFold(y, subsets: 4, seed: 11);
        Assert.Equal(20, four.Count);
        Assert.Equal(a, Key(four.Take(15).ToArray()));
        Assert.Equal(Key(three), Key(four.Take(15).ToArray()));
        Assert.Equal(Key(Validation.KFold(100, 5, 3)), Key(Validation.KFold(100, 5, 3)));
        Assert.NotEqual(Key(Validation.KFold(100, 5, 3)), Key(Validation.KFold(100, 5, 4)));
        // a golden value: the generator is fixed, so these splits never change with the runtime
        var golden = Validation.StratifiedKFold([0, 0, 0, 0, 1, 1, 1, 1, 1, 0], folds: 2, seed: 1);
        Assert.Equal([0, 2, 5, 6, 9], golden[0].Test);
        Assert.Equal([1, 3, 4, 7, 8], golden[1].Test);
        var drawn = Validation.BalancedSubsets([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0], 2, 2019);
        Assert.Equal([0, 3, 8, 9], drawn[0]);
        Assert.Equal([0, 1, 8, 9], drawn[1]);
    }

    [Fact]
    public void UndersamplingDrawsMajorityRowsUniformly()
    {
        // 40 majority rows, 10 minority rows: over 400 seeds each majority row should appear about 100 times
        int[] y = [.. Enumerable.Repeat(0, 40), .. Enumerable.Repeat(1, 10)];
        var hits = new int[40];
        for (int seed = 0; seed < 400; seed++)
            foreach (int r in Validation.BalancedSubsets(y, 1, seed)[0]) if (r < 40) hits[r]++;
        // binomial(400, 1/4): sd ~ 8.7; 5 sd either side
        Assert.All(hits, h => Assert.InRange(h, 100 - 44, 100 + 44));
        Assert.Equal(400 * 10, hits.Sum());
        // Undersample on a row subset keeps every minority row of the subset
        var rows = Enumerable.Range(0, 50).Where(i => i % 2 == 0).ToArray();
        var drawn = Validation.Undersample(y, rows, 5);
        Assert.Equal(rows.Count(r => y[r] == 1), drawn.Count(r => y[r] == 1));
        Assert.Equal(drawn.Length / 2, drawn.Count(r => y[r] == 0));
        Assert.Subset(rows.ToHashSet(), drawn.ToHashSet());
    }

    [Fact]
    public void StratifiedKFoldRejectsAClassSmallerThanTheFolds()
    {
        int[] y = [0, 0, 0, 0, 0, 0, 1, 1, 1];
        Assert.Contains("fewer than the 5 folds", Assert.Throws<ArgumentException>(() => Validation.StratifiedKFold(y)).Message);
        Assert.Throws<ArgumentException>(() => Validation.UndersampledStratifiedKFold([0, 0, 0]));
        Assert.Throws<ArgumentException>(() => Validation.UndersampledStratifiedKFold([0, 2, 1]));
    }

    [Fact]
    public void GroupedSplitsNeverMixGroups()
    {
        var rng = new Random(3);
        // 9 frames of unequal size, rows interleaved
        int[] groups = Enumerable.Range(0, 700).Select(_ => rng.Next(9) * 10 + 5).ToArray();
        foreach (var splits in new[] { Validation.GroupKFold(groups, 4), Validation.LeaveOneGroupOut(groups) })
        {
            var testedOnce = new int[groups.Length];
            foreach (var s in splits)
            {
                var trainGroups = s.Train.Select(r => groups[r]).ToHashSet();
                var testGroups = s.Test.Select(r => groups[r]).ToHashSet();
                Assert.Empty(trainGroups.Intersect(testGroups));
                Assert.Equal(groups.Length, s.Train.Length + s.Test.Length);
                foreach (int r in s.Test) testedOnce[r]++;
            }
            Assert.All(testedOnce, c => Assert.Equal(1, c));
        }
        var logo = Validation.LeaveOneGroupOut(groups);
        Assert.Equal(9, logo.Count);
        Assert.Equal(Enumerable.Range(0, 9).Select(g => g * 10 + 5), logo.Select(s => s.Group!.Value));
        Assert.All(logo, s => Assert.All(s.Test, r => Assert.Equal(s.Group, groups[r])));
        // GroupKFold balances the fold sizes greedily (largest group first into the lightest fold)
        var gk = Validation.GroupKFold(groups, 4);
        Assert.Equal(4, gk.Count);
        Assert.All(gk, s => Assert.NotEmpty(s.Test));
        Assert.Throws<ArgumentException>(() => Validation.GroupKFold(groups, 10));
        Assert.Throws<ArgumentException>(() => Validation.LeaveOneGroupOut([1, 1, 1]));
    }

    [Fact]
    public void GroupKFoldMatchesScikitLearnsGreedyAssignment()
    {
        // sizes: group 1 -> 5 rows, 2 -> 4, 3 -> 3, 4 -> 2, 5 -> 1 ; folds 2: {1,4,5}=8 vs {2,3}=7
        int[] groups = [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 5];
        var s = Validation.GroupKFold(groups, 2);
        Assert.Equal([1, 4, 5], s[0].Test.Select(r => groups[r]).Distinct());
        Assert.Equal([2, 3], s[1].Test.Select(r => groups[r]).Distinct());
    }

    [Fact]
    public void KFoldPartitionsTheRowsWithScikitLearnsFoldSizes()
    {
        var splits = Validation.KFold(103, 5, seed: 9);
        Assert.Equal([21, 21, 21, 20, 20], splits.Select(s => s.Test.Length));
        Assert.Equal(Enumerable.Range(0, 103), splits.SelectMany(s => s.Test).Order());
        Assert.All(splits, s => Assert.Empty(s.Train.Intersect(s.Test)));
        Assert.All(splits, s => Assert.Equal(103, s.Train.Length + s.Test.Length));
        // shuffled: the first fold is not the first 21 rows; unshuffled it is
        Assert.NotEqual(Enumerable.Range(0, 21), splits[0].Test);
        Assert.Equal(Enumerable.Range(0, 21), Validation.KFold(103, 5, shuffle: false)[0].Test);
    }

    // ------------------------------------------------------------------ evaluation

    /// <summary>A stand-in model: a fixed noisy score per row that favours the positives.</summary>
    private static double[] NoisyOracle(int[] y, int seed = 5)
    {
        var rng = new Random(seed);
        return y.Select(l => Math.Round(1 / (1 + Math.Exp(-(2.2 * l - 1.1 + 3.0 * (rng.NextDouble() - 0.5) * 2))), 3)).ToArray();
    }

    [Fact]
    public void ClassificationEvaluationScoresTestFoldsAndEveryHeldOutRow()
    {
        var y = ImbalancedLabels();
        var oracle = NoisyOracle(y);
        var splits = Validation.UndersampledStratifiedKFold(y);
        var calls = new List<(int[] Train, int[] Rows)>();
        var ev = Evaluation.Classification(y, splits, (train, rows) =>
        {
            calls.Add((train, rows));
            return rows.Select(r => oracle[r]).ToArray();
        });
        Assert.Equal(15, calls.Count);
        Assert.Equal(15, ev.Splits.Count);
        double prevalence = (double)y.Sum() / y.Length;
        Assert.Equal(prevalence, ev.PositiveFraction);
        for (int k = 0; k < 15; k++)
        {
            var split = splits[k];
            var (train, rows) = calls[k];
            Assert.Same(split.Train, train);
            // rows to score: the test fold first, then every other row not trained on
            Assert.Equal(split.Test, rows.Take(split.Test.Length));
            Assert.Equal(y.Length - split.Train.Length, rows.Length);
            Assert.Empty(rows.Intersect(train));
            Assert.Equal(rows.Length, rows.Distinct().Count());
            Assert.Equal(Validation.HeldOut(split, y.Length), rows.Order());

            var r = ev.Splits[k];
            var testScores = split.Test.Select(i => oracle[i]).ToArray();
            var testLabels = split.Test.Select(i => y[i]).ToArray();
            Assert.Equal(ClassificationMetrics.Compute(testScores, testLabels), r.Test);
            Assert.InRange(r.Test.Positives - r.Test.Negatives, -1, 1); // balanced test fold

            // held-out: negatives reweighted so the weighted positive fraction is the dataset's
            var hl = rows.Select(i => y[i]).ToArray();
            var hs = rows.Select(i => oracle[i]).ToArray();
            int p = hl.Sum(), q = hl.Length - p;
            Assert.Equal(prevalence, p / (p + q * r.HeldOutNegativeWeight), 12);
            var w = hl.Select(l => l == 1 ? 1 : r.HeldOutNegativeWeight).ToArray();
            Assert.Equal(ClassificationMetrics.Compute(hs, hl, weights: w), r.HeldOut);
            // within-class weights leave ROC-AUC alone
            Assert.Equal(Metrics.RocAuc(hs, hl), r.HeldOut!.RocAuc, 12);
        }
        // summaries: mean and population std over the 15 splits
        var aucs = ev.Splits.Select(x => x.Test.RocAuc).ToArray();
        double mean = aucs.Average();
        Assert.Equal(mean, ev.Test.RocAuc.Mean, 14);
        Assert.Equal(Math.Sqrt(aucs.Sum(a => (a - mean) * (a - mean)) / 15), ev.Test.RocAuc.Std, 14);
        Assert.Equal(15, ev.Test.RocAuc.Count);
        // the point of held-out metrics: on the imbalanced population precision and AP fall far below the
        // balanced-fold values while AUC does not
        Assert.InRange(ev.Test.RocAuc.Mean - ev.HeldOut!.RocAuc.Mean, -0.03, 0.03);
        Assert.True(ev.HeldOut.AveragePrecision.Mean < ev.Test.AveragePrecision.Mean - 0.2,
            $"held-out AP {ev.HeldOut.AveragePrecision} vs balanced {ev.Test.AveragePrecision}");
        Assert.True(ev.HeldOut.Precision.Mean < ev.Test.Precision.Mean - 0.2);

        // unweighted held-out: same AUC, lower prevalence than the data
        var raw = Evaluation.Classification(y, splits, (_, rows) => rows.Select(i => oracle[i]).ToArray(), weighting: HeldOutWeighting.None);
        Assert.All(raw.Splits, s => Assert.Equal(1, s.HeldOutNegativeWeight));
        Assert.Equal(ev.HeldOut.RocAuc.Mean, raw.HeldOut!.RocAuc.Mean, 12);
        Assert.True(raw.HeldOut.AveragePrecision.Mean < ev.HeldOut.AveragePrecision.Mean);
        // without held-out rows the callback sees only the test folds
        var testOnly = Evaluation.Classification(y, splits, (train, rows) =>
        {
            Assert.Equal(splits.Single(s => s.Train == train).Test, rows);
            return rows.Select(i => oracle[i]).ToArray();
        }, heldOut: false);
        Assert.Null(testOnly.HeldOut);
        Assert.Equal(ev.Test, testOnly.Test);
        // a wrong-length answer is an error
        Assert.Throws<InvalidOperationException>(() => Evaluation.Classification(y, splits, (_, rows) => new double[rows.Length - 1]));
    }

    [Fact]
    public void MetricSummaryUsesThePopulationStd()
    {
        var s = MetricSummary.Of([1.0, 2, 3, 4]);
        Assert.Equal(2.5, s.Mean);
        Assert.Equal(Math.Sqrt(1.25), s.Std, 15);       // numpy np.std (ddof=0)
        Assert.Equal(Math.Sqrt(5 / 3.0), s.SampleStd, 15); // ddof=1
        Assert.Equal(1, s.Min);
        Assert.Equal(4, s.Max);
        Assert.True(double.IsNaN(MetricSummary.Of([0.5]).SampleStd));
    }

    [Fact]
    public void RegressionEvaluationRunsTheFolds()
    {
        var rng = new Random(17);
        var target = Enumerable.Range(0, 250).Select(_ => rng.NextDouble()).ToArray();
        var pred = target.Select(t => t + 0.2 * (rng.NextDouble() - 0.5)).ToArray();
        var splits = Validation.KFold(target.Length, 5, seed: 1);
        var ev = Evaluation.Regression(target, splits, (train, test) =>
        {
            Assert.Empty(train.Intersect(test));
            return test.Select(i => pred[i]).ToArray();
        });
        Assert.Equal(5, ev.Splits.Count);
        for (int k = 0; k < 5; k++)
        {
            var t = splits[k].Test.Select(i => target[i]).ToArray();
            var p = splits[k].Test.Select(i => pred[i]).ToArray();
            Assert.Equal(Metrics.R2(t, p), ev.Splits[k].Test.R2);
            Assert.Equal(Metrics.Spearman(t, p), ev.Splits[k].Test.Spearman);
        }
        var r2 = ev.Splits.Select(s => s.Test.R2).ToArray();
        Assert.Equal(r2.Average(), ev.Summary.R2.Mean, 14);
        Assert.Equal(Math.Sqrt(r2.Sum(x => (x - r2.Average()) * (x - r2.Average())) / 5), ev.Summary.R2.Std, 14);
        Assert.InRange(ev.Summary.Pearson.Mean, 0.9, 1);
    }
}
