using Softspot.Learning;
using Softspot.Numerics;
using Softspot.Structures;

namespace Softspot.Tests.Learning;

public class SpatialBlockingTests
{
    /// <summary>Two periodic glasses of random atoms (one triclinic), 8 % positive.</summary>
    private static (int[] Labels, SpatialRows Rows) Glasses(int perGlass = 1500)
    {
        var cells = new[] { Cell.Orthogonal(new Vec3(0, 0, 0), new Vec3(30, 30, 30)), new Cell(new Vec3(-5, 2, 1), 28, 31, 33, xy: 4, xz: -3, yz: 2) };
        var rng = new SplitMix64(11, 0, 0);
        var positions = new List<Vec3>();
        var glass = new List<int>();
        for (int g = 0; g < 2; g++)
            for (int i = 0; i < perGlass; i++)
            {
                positions.Add(cells[g].ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble())));
                glass.Add(g);
            }
        var labels = Enumerable.Range(0, positions.Count).Select(_ => rng.NextDouble() < 0.08 ? 1 : 0).ToArray();
        return (labels, new SpatialRows(positions, [.. glass], cells));
    }

    /// <summary>The shortest distance over the 125 nearest periodic images, by brute force (independent of Cell.MinimumImage).</summary>
    private static double Distance(Cell cell, Vec3 a, Vec3 b)
    {
        double best = double.PositiveInfinity;
        for (int i = -2; i <= 2; i++)
            for (int j = -2; j <= 2; j++)
                for (int k = -2; k <= 2; k++)
                    best = Math.Min(best, (b - a + i * cell.A + j * cell.B + k * cell.C).Norm2);
        return Math.Sqrt(best);
    }

    [Fact]
    public void NoTrainingAtomIsWithinTheCutoffOfATestAtom()
    {
        var (labels, rows) = Glasses();
        var blocked = SpatialBlocking.UndersampledKFold(labels, rows, cutoff: 4.0, seed: 3);
        Assert.Equal(15, blocked.Splits.Count);
        // the same balanced subsets as the ordinary protocol
        var plain = Validation.UndersampledStratifiedKFold(labels, seed: 3);
        for (int s = 0; s < 3; s++)
        {
            var subset = blocked.Splits.Where(x => x.Subset == s).SelectMany(x => x.Test).Order().ToArray();
            Assert.Equal(plain.Where(x => x.Subset == s).SelectMany(x => x.Test).Order().ToArray(), subset);
        }
        int purged = 0;
        foreach (var split in blocked.Splits)
        {
            Assert.Empty(split.Train.Intersect(split.Test));
            foreach (int r in split.Train)
                foreach (int t in split.Test)
                    if (rows.Glass[r] == rows.Glass[t])
                        Assert.True(Distance(rows.Cells[rows.Glass[r]], rows.Positions[r], rows.Positions[t]) >= 4.0, $"training atom {r} near test atom {t}");
            // what was dropped was near: every subset row outside the test fold and the training set is within the cutoff of a test atom
            var subsetRows = blocked.Splits.Where(x => x.Subset == split.Subset).SelectMany(x => x.Test).ToHashSet();
            foreach (int r in subsetRows.Except(split.Test).Except(split.Train))
            {
                purged++;
                Assert.Contains(split.Test, t => rows.Glass[t] == rows.Glass[r] && Distance(rows.Cells[rows.Glass[r]], rows.Positions[r], rows.Positions[t]) < 4.0);
            }
        }
        Assert.True(purged > 0, "nothing purged: the check above could not fail");
        Assert.InRange(blocked.TrainingKept, 0.5, 0.999);
        // 3 x 3 x 3 blocks in the cubic cell (30 / 8 A), 3 x 3 x 4 in the triclinic one (widths about 27.8, 30.8, 33 A)
        Assert.Equal(27 + 36, blocked.Blocks);
    }

    [Fact]
    public void TestFoldsAreWholeBlocksAndTheSplitsRepeatForASeed()
    {
        var (labels, rows) = Glasses();
        var a = SpatialBlocking.UndersampledKFold(labels, rows, cutoff: 5.0, seed: 9);
        var b = SpatialBlocking.UndersampledKFold(labels, rows, cutoff: 5.0, seed: 9);
        Assert.Equal(a.Splits.Select(x => x.Train), b.Splits.Select(x => x.Train));
        // atoms of one block of the cubic glass (block edge 10 A) are always tested in the same fold
        var cubic = rows.Cells[0];
        int Block(int r) { var s = cubic.ToFractional(rows.Positions[r]); return (int)(s.X * 3) + 3 * ((int)(s.Y * 3) + 3 * (int)(s.Z * 3)); }
        var foldOfBlock = new Dictionary<int, int>();
        foreach (var split in a.Splits)
            foreach (int r in split.Test.Where(r => rows.Glass[r] == 0))
                Assert.Equal(split.Fold, foldOfBlock.TryGetValue(Block(r), out int f) ? f : foldOfBlock[Block(r)] = split.Fold);
        Assert.True(foldOfBlock.Values.Distinct().Count() == 5);
        var other = SpatialBlocking.UndersampledKFold(labels, rows, cutoff: 5.0, seed: 10);
        Assert.NotEqual(a.Splits.Select(x => x.Test.Length), other.Splits.Select(x => x.Test.Length));
    }

    [Fact]
    public void TooFewBlocksIsAClearError()
    {
        var (labels, rows) = Glasses(300);
        var e = Assert.Throws<ArgumentException>(() => SpatialBlocking.UndersampledKFold(labels, rows, cutoff: 9.0));
        Assert.Contains("blocks of at least 18 A, fewer than the 5 folds", e.Message);
    }
}
