using Softspot.Numerics;
using Softspot.Structures;

namespace Softspot.Learning;

/// <summary>Where each row's atom is: its position and the glass (cell) it belongs to.</summary>
/// <param name="Positions">The atom of each row.</param>
/// <param name="Glass">The glass of each row (an index into <paramref name="Cells"/>); atoms of different glasses are never near.</param>
/// <param name="Cells">Each glass's cell (periodic images count).</param>
public sealed record SpatialRows(IReadOnlyList<Vec3> Positions, int[] Glass, IReadOnlyList<Cell> Cells);

/// <summary>The splits of a spatially blocked protocol and what the blocking cost.</summary>
/// <param name="Splits">Subset by subset, fold by fold, as the papers' protocol orders them.</param>
/// <param name="Cutoff">No training atom is within this distance (A) of a test atom of its split.</param>
/// <param name="Blocks">The blocks of space the test folds are made of.</param>
/// <param name="TrainingKept">The mean share of the training candidates (the subset's rows outside the test fold) that were far enough to be kept.</param>
public sealed record BlockedSplits(IReadOnlyList<Split> Splits, double Cutoff, int Blocks, double TrainingKept);

/// <summary>
/// Spatially blocked cross-validation of the papers' protocol, to measure how much of a score is neighbourhood
/// leakage: the same 3 balanced subsets as <see cref="Validation.UndersampledStratifiedKFold"/>, but each test fold
/// is made of whole blocks of space (each glass's cell cut into blocks at least twice the cutoff wide, dealt to the
/// folds in a seeded random order), and every training row whose atom lies within the cutoff (minimum image) of a
/// test atom of the same glass is dropped from that split's training set. Neighbours share their environments and,
/// with activation or plastic events that move several atoms, their labels; a model scored on atoms whose
/// neighbours it trained on can score well by recognising the neighbourhood rather than by learning the
/// structure-property map.
/// </summary>
public static class SpatialBlocking
{
    public static BlockedSplits UndersampledKFold(ReadOnlySpan<int> labels, SpatialRows rows, double cutoff,
        int subsets = Validation.PaperSubsets, int folds = Validation.PaperFolds, int seed = Validation.DefaultSeed)
    {
        if (rows.Positions.Count != labels.Length || rows.Glass.Length != labels.Length)
            throw new ArgumentException($"{labels.Length} labels but {rows.Positions.Count} positions and {rows.Glass.Length} glass indices");
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), $"the blocking cutoff must be positive, not {cutoff}");
        var block = Blocks(rows, cutoff, out int blockCount);
        var present = block.Distinct().Order().ToArray();
        if (present.Length < folds)
            throw new ArgumentException($"the rows fill only {present.Length} blocks of at least {2 * cutoff:0.##} A, fewer than the {folds} folds: use a smaller cutoff or bigger glasses");
        new SplitMix64(seed, 10, 0).Shuffle(present);
        var foldOfBlock = new Dictionary<int, int>();
        for (int k = 0; k < present.Length; k++) foldOfBlock[present[k]] = k % folds;

        var y = labels.ToArray();
        var splits = new List<Split>(subsets * folds);
        double kept = 0;
        var balanced = Validation.BalancedSubsets(labels, subsets, seed);
        for (int s = 0; s < subsets; s++)
            for (int f = 0; f < folds; f++)
            {
                var test = balanced[s].Where(r => foldOfBlock[block[r]] == f).ToArray();
                var candidates = balanced[s].Where(r => foldOfBlock[block[r]] != f).ToArray();
                var train = candidates.Where(r => !NearAny(rows, r, test, cutoff)).ToArray();
                foreach (var (side, what) in new[] { (test, "test"), (train, "training") })
                    if (!side.Any(r => y[r] == 1) || !side.Any(r => y[r] == 0))
                        throw new ArgumentException($"spatial blocking: the {what} side of subset {s + 1}, fold {f + 1} has one class only ({side.Length} rows): too few labelled atoms or blocks for a {cutoff:0.##} A cutoff");
                kept += candidates.Length == 0 ? 0 : (double)train.Length / candidates.Length;
                splits.Add(new Split(train, test, s, f));
            }
        return new BlockedSplits(splits, cutoff, blockCount, kept / splits.Count);
    }

    /// <summary>Each row's block: its glass's cell cut into n_a x n_b x n_c blocks along the fractional axes, each at least 2 x cutoff wide.</summary>
    private static int[] Blocks(SpatialRows rows, double cutoff, out int total)
    {
        var offset = new int[rows.Cells.Count];
        var counts = new (int A, int B, int C)[rows.Cells.Count];
        total = 0;
        for (int g = 0; g < rows.Cells.Count; g++)
        {
            int N(int axis) => Math.Max(1, (int)Math.Floor(rows.Cells[g].PerpendicularWidth(axis) / (2 * cutoff)));
            counts[g] = (N(0), N(1), N(2));
            offset[g] = total;
            total += counts[g].A * counts[g].B * counts[g].C;
        }
        var block = new int[rows.Positions.Count];
        for (int r = 0; r < block.Length; r++)
        {
            int g = rows.Glass[r];
            var cell = rows.Cells[g];
            var s = cell.ToFractional(cell.Wrap(rows.Positions[r]));
            var (na, nb, nc) = counts[g];
            int Index(double u, int n) => Math.Clamp((int)Math.Floor(u * n), 0, n - 1);
            block[r] = offset[g] + Index(s.X, na) + na * (Index(s.Y, nb) + nb * Index(s.Z, nc));
        }
        return block;
    }

    /// <summary>Whether row r's atom is within the cutoff of any test row's atom of the same glass.</summary>
    private static bool NearAny(SpatialRows rows, int r, int[] test, double cutoff)
    {
        double c2 = cutoff * cutoff;
        int g = rows.Glass[r];
        var cell = rows.Cells[g];
        foreach (int t in test)
            if (rows.Glass[t] == g && cell.MinimumImage(rows.Positions[t] - rows.Positions[r]).Norm2 < c2) return true;
        return false;
    }
}
