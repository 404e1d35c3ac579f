namespace Softspot.Descriptors;

/// <summary>
/// Medium-range coarse-graining (descriptor-spec.md B.14): statistics of per-atom columns over each atom's
/// neighbours, the atom itself excluded. A column ending in "_voro" is coarse-grained over Voronoi neighbours,
/// "_dist" over distance neighbours (others over Voronoi neighbours). Columns are named MRO_{stat}_{column},
/// feature-major with the statistics inner, Voronoi-based columns first (the reference's order).
/// With <see cref="AverageFoldSymmetry"/>, MRO_Avg_{e}_fold_symm_idx = T_e / sum T, T_e = trunc(mean Voronoi_idx_e
/// over the neighbours), as amlearn computes it (0 when every T_e is 0, where amlearn gives NaN).
/// </summary>
public sealed class MediumRangeOrder(IReadOnlyList<string> sources, IReadOnlyList<Stat> stats, bool averageFoldSymmetry = false)
{
    public IReadOnlyList<string> Sources { get; } = sources;
    public IReadOnlyList<Stat> Stats { get; } = stats;
    public bool AverageFoldSymmetry { get; } = averageFoldSymmetry;

    private IEnumerable<string> Ordered =>
        Sources.Where(s => !s.EndsWith("_dist", StringComparison.Ordinal)).Concat(Sources.Where(s => s.EndsWith("_dist", StringComparison.Ordinal)));

    public IReadOnlyList<FeatureColumn> Columns(IReadOnlyList<FeatureColumn> input)
    {
        var byName = input.ToDictionary(c => c.Name);
        var cols = new List<FeatureColumn>();
        foreach (var s in Ordered)
        {
            if (!byName.TryGetValue(s, out var src)) throw new ArgumentException($"MRO source column '{s}' is not computed");
            string over = s.EndsWith("_dist", StringComparison.Ordinal) ? "distance" : "Voronoi";
            foreach (var st in Stats)
                cols.Add(new FeatureColumn($"MRO_{Statistics.Name(st)}_{s}", $"{Statistics.Describe(st)} over the {over} neighbours of: {src.Definition}"));
        }
        if (AverageFoldSymmetry)
            for (int e = 3; e <= 7; e++)
                cols.Add(new FeatureColumn($"MRO_Avg_{e}_fold_symm_idx",
                    $"share of {e}-edged faces in the neighbours' truncated mean Voronoi index (amlearn's MRO_Avg)"));
        return cols;
    }

    /// <summary>
    /// Fills the MRO columns of <paramref name="output"/> (starting at <paramref name="firstColumn"/>) from the input
    /// columns of every atom; output row r is atom <paramref name="firstAtom"/> + r.
    /// </summary>
    public void Compute(FrameContext frame, FeatureTable input, FeatureTable output, int firstColumn, int firstAtom = 0)
    {
        var srcIdx = Ordered.Select(input.IndexOf).ToArray();
        var kinds = Ordered.Select(s => s.EndsWith("_dist", StringComparison.Ordinal) ? NeighbourKind.Distance : NeighbourKind.Voronoi).ToArray();
        var tables = kinds.Distinct().ToDictionary(k => k, frame.Neighbours);
        int[] vi = AverageFoldSymmetry ? Enumerable.Range(3, 5).Select(e => input.IndexOf($"Voronoi_idx_{e}_voro")).ToArray() : [];
        if (vi.Any(c => c < 0)) throw new ArgumentException("MRO_Avg_*_fold_symm_idx needs the Voronoi_idx_*_voro columns");
        var voronoi = vi.Length > 0 ? frame.Neighbours(NeighbourKind.Voronoi) : null;
        var stats = Stats.ToArray();
        int m = input.ColumnCount;
        Softspot.Neighbours.Parallelism.MapChunks(output.Rows, 1024, frame.Threads, (start, end) =>
        {
            var buf = new List<double>(64);
            Span<double> trunc = stackalloc double[5];
            for (int i = firstAtom + start; i < firstAtom + end; i++)
            {
                var row = output.Row(i - firstAtom);
                int col = firstColumn;
                for (int s = 0; s < srcIdx.Length; s++)
                {
                    var t = tables[kinds[s]];
                    buf.Clear();
                    for (int k = t.Start(i); k < t.End(i); k++) buf.Add(input.Values[t.Index[k] * m + srcIdx[s]]);
                    Statistics.Compute(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(buf), stats, row.Slice(col, stats.Length), input.Values[i * m + srcIdx[s]]);
                    col += stats.Length;
                }
                if (vi.Length > 0)
                {
                    var t = voronoi!;
                    int n = t.Count(i);
                    double total = 0;
                    for (int e = 0; e < 5; e++)
                    {
                        double sum = 0;
                        for (int k = t.Start(i); k < t.End(i); k++) sum += input.Values[t.Index[k] * m + vi[e]];
                        trunc[e] = n == 0 ? 0 : Math.Truncate(sum / n);
                        total += trunc[e];
                    }
                    for (int e = 0; e < 5; e++) row[col++] = total == 0 ? 0 : (float)((float)trunc[e] / (float)total);
                }
            }
            return 0;
        });
    }
}
