using Softspot.Labels;
using Softspot.Learning;

namespace Softspot.Tests.Learning;

public class LearningCurveTests
{
    [Fact]
    public void AFractionKeepsThatShareOfEachClassAndSmallerOnesAreNested()
    {
        var labels = new int[1000];
        for (int i = 0; i < 1000; i++) labels[i] = i % 20 == 3 ? 1 : 0;  // 50 positive, 950 negative
        var half = LearningCurve.StratifiedFraction(labels, 0.5, seed: 4);
        var quarter = LearningCurve.StratifiedFraction(labels, 0.25, seed: 4);
        Assert.Equal(25, half.Count(r => labels[r] == 1));
        Assert.Equal(475, half.Count(r => labels[r] == 0));
        Assert.Equal(13, quarter.Count(r => labels[r] == 1));  // 12.5 rounds away from zero
        Assert.Equal(238, quarter.Count(r => labels[r] == 0)); // 237.5
        Assert.Subset(half.ToHashSet(), quarter.ToHashSet());
        Assert.Equal(half, half.Order());
        Assert.Equal(half, LearningCurve.StratifiedFraction(labels, 0.5, seed: 4));
        Assert.NotEqual(half, LearningCurve.StratifiedFraction(labels, 0.5, seed: 5));
    }

    [Fact]
    public void TheProtocolOnAFractionUsesOnlyItsRows()
    {
        var labels = new int[400];
        for (int i = 0; i < 400; i++) labels[i] = i % 10 == 0 ? 1 : 0;
        var kept = LearningCurve.StratifiedFraction(labels, 0.5, seed: 9).ToHashSet();
        var splits = LearningCurve.UndersampledStratifiedKFold(labels, 0.5, draws: 1, seed: 9);
        Assert.Equal(15, splits.Count);
        foreach (var s in splits)
        {
            Assert.All(s.Train.Concat(s.Test), r => Assert.Contains(r, kept));
            Assert.Empty(s.Train.Intersect(s.Test));
            // balanced: every kept positive (20) is in one of the subset's folds, with as many negatives
            Assert.InRange(Math.Abs(s.Test.Count(r => labels[r] == 1) - s.Test.Count(r => labels[r] == 0)), 0, 1);
        }
        foreach (var subset in splits.GroupBy(s => s.Subset))
            Assert.Equal(kept.Where(r => labels[r] == 1).Order(), subset.SelectMany(s => s.Test).Where(r => labels[r] == 1).Order());
    }

    [Fact]
    public void SeveralDrawsRepeatTheProtocolOnIndependentFractions()
    {
        var labels = new int[400];
        for (int i = 0; i < 400; i++) labels[i] = i % 10 == 0 ? 1 : 0;
        var splits = LearningCurve.UndersampledStratifiedKFold(labels, 0.5, seed: 9);
        Assert.Equal(LearningCurve.Draws * 15, splits.Count);
        Assert.Equal(Enumerable.Range(0, 3 * LearningCurve.Draws), splits.Select(s => s.Subset).Distinct());
        var drawn = Enumerable.Range(0, LearningCurve.Draws).Select(d => LearningCurve.StratifiedFraction(labels, 0.5, 9, d).ToHashSet()).ToList();
        for (int d = 0; d < LearningCurve.Draws; d++)
            Assert.All(splits.Where(s => s.Subset / 3 == d).SelectMany(s => s.Train.Concat(s.Test)), r => Assert.Contains(r, drawn[d]));
        Assert.NotEqual(drawn[0], drawn[1]);
        Assert.Equal(splits.Take(15), LearningCurve.UndersampledStratifiedKFold(labels, 0.5, draws: 1, seed: 9), new SplitComparer());
    }

    private sealed class SplitComparer : IEqualityComparer<Split>
    {
        public bool Equals(Split? a, Split? b) => a!.Train.SequenceEqual(b!.Train) && a.Test.SequenceEqual(b.Test) && a.Subset == b.Subset && a.Fold == b.Fold;
        public int GetHashCode(Split s) => s.Test.Length;
    }

    [Fact]
    public void TooSmallAFractionIsRefusedClearly()
    {
        var labels = new int[100];
        for (int i = 0; i < 8; i++) labels[i] = 1;
        var e = Assert.Throws<ArgumentException>(() => LearningCurve.UndersampledStratifiedKFold(labels, 0.25));
        Assert.Equal("0.25 of the rows leaves 2 of a class, fewer than the 5 folds", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningCurve.StratifiedFraction(labels, 1.5));
    }

    private static ActivationEvent Event(long search, long atom, double eact, bool converged = true) => new(0, search, atom, converged, eact, 0, 3, 0.5, search);

    [Fact]
    public void FirstSearchesKeepTheEarliestShareOfEveryLabelledAtom()
    {
        var events = new[]
        {
            Event(5, 1, 0.5), Event(1, 1, 0.1), Event(3, 1, 0.3), Event(2, 1, 9, converged: false), // atom 1: 0.1, 0.3, 0.5 converged
            Event(4, 2, 0.7),                                                                       // atom 2: one search, below min 2
            Event(6, 3, 0.2), Event(7, 3, 0.4),                                                     // atom 3: 0.2, 0.4
        };
        var kept = ActivationLabels.FirstSearches(events, minEvents: 2, fraction: 0.5);
        Assert.Equal([(1L, 1L), (1L, 3L), (3L, 6L)], kept.Select(e => (e.AtomId, e.Search)));  // ceil(1.5) = 2 of atom 1, ceil(1) = 1 of atom 3
        var r = ActivationLabels.Compute(kept, tail: 0.5, minEvents: 1, atoms: [(0, 1), (0, 2), (0, 3)]);
        Assert.Equal([0.2, double.NaN, 0.2], r.Atoms.Select(a => a.EactMean));
    }

    [Fact]
    public void SplitHalfReliabilityIsThePearsonCorrelationOfAlternateSearches()
    {
        // atom a's searches in search order: halves (odd, even) means
        var events = new List<ActivationEvent>();
        double[][] eact = [[1.0, 1.2, 1.1, 1.3], [2.0, 2.4, 2.2], [0.5, 0.3], [1.5, 1.9, 1.6, 2.0]];
        long search = 0;
        for (int a = 0; a < eact.Length; a++) foreach (double e in eact[a]) events.Add(Event(search++, a, e));
        var r = ActivationLabels.Reliability(events, minEvents: 2);
        double[] first = [.. eact.Select(e => e.Where((_, k) => k % 2 == 0).Average())];
        // numpy.corrcoef([1.05, 2.1, 0.5, 1.55], [1.25, 2.4, 0.3, 1.95])[0, 1]
        Assert.All(first.Zip([1.05, 2.1, 0.5, 1.55]), p => Assert.Equal(p.Second, p.First, 12));
        Assert.Equal(0.9873081376945155, r.HalfCorrelation, 12);
        Assert.Equal(2 * r.HalfCorrelation / (1 + r.HalfCorrelation), r.SpearmanBrown, 14);
        Assert.Equal(4, r.Atoms);
        Assert.Equal(3.25, r.MeanSearches);
    }
}
