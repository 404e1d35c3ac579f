using Softspot.Numerics;

namespace Softspot.Learning;

/// <summary>
/// The papers' protocol on a fraction of the labelled rows, to draw a learning curve: how a score grows with the
/// number of labelled atoms, and so how much more data would buy. The fraction is stratified (that share of each
/// class, drawn at random without replacement from a seeded stream), and the 3 balanced subsets x 5 folds of
/// <see cref="Validation.UndersampledStratifiedKFold"/> are built on it; the splits index the full rows. One draw of
/// a small share is noisy, so the protocol is repeated on several independent draws and the scores pooled.
/// </summary>
public static class LearningCurve
{
    /// <summary>
    /// Round(<paramref name="fraction"/> x count) rows of each class (at least one), ascending; the same seed, draw and
    /// fraction give the same rows, and a smaller fraction's rows are a subset of a larger one's of the same draw.
    /// </summary>
    public static int[] StratifiedFraction(ReadOnlySpan<int> labels, double fraction, int seed = Validation.DefaultSeed, int draw = 0)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new ArgumentOutOfRangeException(nameof(fraction), $"the fraction of rows must be in (0, 1], not {fraction}");
        var rows = new List<int>();
        foreach (int c in labels.ToArray().Distinct().Order())
        {
            var members = new List<int>();
            for (int i = 0; i < labels.Length; i++) if (labels[i] == c) members.Add(i);
            var order = members.ToArray();
            new SplitMix64(seed, 11, draw * 1024 + c).Shuffle(order);
            rows.AddRange(order.Take(Math.Max(1, (int)Math.Round(fraction * order.Length, MidpointRounding.AwayFromZero))));
        }
        rows.Sort();
        return [.. rows];
    }

    /// <summary>
    /// The papers' 3 x 5 protocol on each of <paramref name="draws"/> independent <see cref="StratifiedFraction"/>s of
    /// the rows, one after the other (draw d's subsets numbered from d x subsets); the splits index all rows.
    /// </summary>
    /// <exception cref="ArgumentException">The fraction leaves fewer rows of a class than folds.</exception>
    public static IReadOnlyList<Split> UndersampledStratifiedKFold(ReadOnlySpan<int> labels, double fraction, int draws = Draws,
        int subsets = Validation.PaperSubsets, int folds = Validation.PaperFolds, int seed = Validation.DefaultSeed)
    {
        var splits = new List<Split>(draws * subsets * folds);
        for (int d = 0; d < draws; d++)
        {
            var rows = StratifiedFraction(labels, fraction, seed, d);
            var sub = new int[rows.Length];
            for (int k = 0; k < rows.Length; k++) sub[k] = labels[rows[k]];
            int fewest = sub.GroupBy(v => v).Min(g => g.Count());
            if (fewest < folds)
                throw new ArgumentException($"{fraction:0.###} of the rows leaves {fewest} of a class, fewer than the {folds} folds");
            splits.AddRange(Validation.UndersampledStratifiedKFold(sub, subsets, folds, seed + d).Select(s => s with
            {
                Train = [.. s.Train.Select(r => rows[r])], Test = [.. s.Test.Select(r => rows[r])], Subset = d * subsets + s.Subset,
            }));
        }
        return splits;
    }

    /// <summary>Independent draws of a fraction the protocol is repeated on (3 x 5 splits each).</summary>
    public const int Draws = 3;
}
