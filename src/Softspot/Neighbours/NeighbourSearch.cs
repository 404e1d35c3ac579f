using Softspot.Structures;

namespace Softspot.Neighbours;

/// <summary>Cutoff and k-nearest neighbour lists through a <see cref="CellGrid"/>: O(N), parallel, deterministic.</summary>
public static class NeighbourSearch
{
    private const int Chunk = 512;

    /// <summary>
    /// All neighbours at distance &lt; cutoff. In a periodic cell the cutoff must be below half the cell width
    /// (each pair once, by its minimum image); otherwise <see cref="CutoffTooLargeException"/>. Runs on
    /// <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static NeighbourList WithinCutoff(Snapshot s, double cutoff, int? threads = null)
    {
        int t = Parallelism.Resolve(threads);
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), "the cutoff must be positive");
        s.Cell.EnsureCutoffFits(cutoff);
        var grid = new CellGrid(s.Cell, s.Positions, BinSize(s, cutoff));
        int n = s.Count;
        void EachRow(Action<int, CandidateBuffer> use) => Parallelism.MapChunks(n, Chunk, t, (start, end) =>
        {
            var buffer = new CandidateBuffer();
            for (int i = start; i < end; i++)
            {
                buffer.Clear();
                grid.Gather(grid.Wrapped[i], cutoff, i, buffer);
                use(i, buffer);
            }
            return 0;
        });
        // two passes: the row lengths first, so that every row is then written straight into the final arrays
        // (gathering twice costs less memory than holding each chunk's rows and then joining them)
        var offsets = new int[n + 1];
        EachRow((i, b) => offsets[i + 1] = b.Count);
        for (int i = 0; i < n; i++) offsets[i + 1] = checked(offsets[i + 1] + offsets[i]);
        var list = NeighbourList.WithRows(offsets);
        EachRow((i, b) =>
        {
            b.SortByDistance();
            list.SetRow(i, b);
        });
        return list;
    }

    /// <summary>
    /// The k nearest neighbours of every atom (ties broken by index). In a periodic cell the k-th neighbour
    /// must lie within half the cell width; otherwise <see cref="CutoffTooLargeException"/>. Runs on
    /// <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static NeighbourList Nearest(Snapshot s, int k, int? threads = null)
    {
        int t = Parallelism.Resolve(threads);
        if (k < 1) throw new ArgumentOutOfRangeException(nameof(k), "k must be at least 1");
        if (k >= s.Count && !s.Cell.AnyPeriodic) throw new ArgumentOutOfRangeException(nameof(k), $"k = {k} but there are only {s.Count} atoms");
        double spacing = Math.Cbrt(s.Cell.Volume / Math.Max(1, s.Count));
        double guess = spacing * Math.Cbrt(3.0 * (k + 1) / (4 * Math.PI)) * 1.25;
        double halfWidth = 0.5 * s.Cell.MinPeriodicWidth;
        var grid = new CellGrid(s.Cell, s.Positions, BinSize(s, guess));
        var list = NeighbourList.WithRows([.. Enumerable.Range(0, s.Count + 1).Select(i => i * k)]);
        Parallelism.MapChunks(s.Count, Chunk, t, (start, end) =>
        {
            var buffer = new CandidateBuffer();
            for (int i = start; i < end; i++)
            {
                double r = guess;
                while (true)
                {
                    buffer.Clear();
                    grid.Gather(grid.Wrapped[i], r, i, buffer);
                    if (buffer.Count >= k || r > 2 * halfWidth + guess) break;
                    r *= 1.5;
                }
                buffer.SortByDistance();
                if (buffer.Count < k) throw new CutoffTooLargeException($"atom {s.Ids[i]} has fewer than {k} neighbours within the cell");
                double dk = Math.Sqrt(buffer.D2[k - 1]);
                if (dk >= halfWidth)
                    throw new CutoffTooLargeException(FormattableString.Invariant(
                        $"the {k}-th neighbour of atom {s.Ids[i]} is {dk:G6} A away, beyond half the periodic cell width ({halfWidth:G6} A): neighbours would not be unique; use a larger (replicated) cell or a smaller k"));
                list.SetRow(i, buffer);
            }
            return 0;
        });
        return list;
    }

    /// <summary>Bins about a third of the search radius wide, but not much smaller than the atomic spacing.</summary>
    internal static double BinSize(Snapshot s, double radius)
    {
        double spacing = Math.Cbrt(s.Cell.Volume / Math.Max(1, s.Count));
        return Math.Max(radius / 3, 0.8 * spacing);
    }
}
