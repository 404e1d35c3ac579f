using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// A composition of descriptors: the short-range descriptors computed per atom, then optionally their
/// medium-range coarse-graining, then optionally the element flag (0-based index of the atom's element in the
/// type order: 0 = Cu, 1 = Zr for Cu-Zr, the flag the 2020 paper adds to every representation but the
/// interstice one).
/// </summary>
public sealed class FeatureSet
{
    public IReadOnlyList<Descriptor> Descriptors { get; }
    public MediumRangeOrder? Mro { get; }
    public bool ElementFlag { get; }
    /// <summary>Columns produced by the descriptors (the MRO input).</summary>
    public IReadOnlyList<FeatureColumn> ShortRangeColumns { get; }
    /// <summary>Every output column in order.</summary>
    public IReadOnlyList<FeatureColumn> Columns { get; }
    /// <summary>Short-range columns that are only MRO inputs and not part of the output.</summary>
    public IReadOnlySet<string> Hidden { get; }

    public const string ElementFlagColumn = "element_flag";

    /// <summary>The sets this one joins (<see cref="Join"/>), with the column of each part that each output column copies; null for a plain set.</summary>
    private readonly (FeatureSet Set, int[] Source)[]? _parts;

    /// <summary>
    /// One set with the columns of several, in order, each column once (a column two parts share, such as the
    /// element flag or a Voronoi index, comes from the first): e.g. the interstice features and bond-orientational
    /// order side by side. The parts share a frame's neighbour tables and tessellation.
    /// </summary>
    public static FeatureSet Join(IReadOnlyList<FeatureSet> parts)
    {
        var flat = parts.SelectMany(p => p._parts?.Select(x => x.Set) ?? [p]).ToList();
        return flat.Count == 1 ? flat[0] : new FeatureSet(flat);
    }

    private FeatureSet(IReadOnlyList<FeatureSet> parts)
    {
        var seen = new HashSet<string>();
        var columns = new List<FeatureColumn>();
        _parts = [.. parts.Select(part =>
        {
            var source = new List<int>();
            for (int k = 0; k < part.Columns.Count; k++)
                if (seen.Add(part.Columns[k].Name)) { columns.Add(part.Columns[k]); source.Add(k); }
            return (part, source.ToArray());
        })];
        Descriptors = [.. parts.SelectMany(p => p.Descriptors)];
        ShortRangeColumns = [];
        Hidden = new HashSet<string>();
        Columns = columns;
    }

    public FeatureSet(IEnumerable<Descriptor> descriptors, MediumRangeOrder? mro = null, bool elementFlag = false, IEnumerable<string>? hidden = null)
    {
        Descriptors = descriptors.ToArray();
        Mro = mro; ElementFlag = elementFlag;
        Hidden = new HashSet<string>(hidden ?? []);
        ShortRangeColumns = Descriptors.SelectMany(d => d.Columns).ToArray();
        var dup = ShortRangeColumns.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"two descriptors write the column '{dup.Key}'");
        var cols = ShortRangeColumns.Where(c => !Hidden.Contains(c.Name)).ToList();
        if (mro is not null) cols.AddRange(mro.Columns(ShortRangeColumns));
        if (elementFlag) cols.Add(new FeatureColumn(ElementFlagColumn, "0-based index of the atom's element in the type order (e.g. 0 = Cu, 1 = Zr)"));
        Columns = cols;
    }

    /// <summary>Computes every column for every atom of a frame.</summary>
    public FeatureTable Compute(Snapshot s, FeaturizeSettings? settings = null) => Compute(new FrameContext(s, settings));

    /// <summary>Computes every column for every atom of a frame, on <see cref="FrameContext.Threads"/> threads.</summary>
    public FeatureTable Compute(FrameContext frame)
    {
        if (_parts is not null)
        {
            var joined = new FeatureTable(Columns, frame.AtomCount);
            Copy([.. _parts.Select(p => p.Set.Compute(frame))], joined);
            return joined;
        }
        var sro = ComputeShortRange(frame);
        if (OutputIsShortRange) return sro;
        var output = new FeatureTable(Columns, frame.AtomCount);
        FillRows(frame, sro, output, 0);
        return output;
    }

    /// <summary>
    /// Computes every column of a frame in blocks of rows, so that a caller writing the rows out never holds the whole
    /// output table (only the short-range columns, which the medium-range statistics read for any atom): yields the
    /// first atom of each block and its rows. The values are those of <see cref="Compute(FrameContext)"/>; the
    /// table of a block is reused for the next one.
    /// </summary>
    public IEnumerable<(int FirstAtom, FeatureTable Rows)> ComputeBlocks(FrameContext frame, int blockRows)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockRows, 1);
        if (_parts is not null)
        {
            foreach (var joined in JoinedBlocks(frame, blockRows)) yield return joined;
            yield break;
        }
        var sro = ComputeShortRange(frame);
        if (OutputIsShortRange)
        {
            yield return (0, sro);
            yield break;
        }
        int n = frame.AtomCount;
        FeatureTable? block = null;
        for (int first = 0; first < n; first += blockRows)
        {
            int rows = Math.Min(blockRows, n - first);
            if (block is null || block.Rows != rows) block = new FeatureTable(Columns, rows);
            FillRows(frame, sro, block, first);
            yield return (first, block);
        }
    }

    private bool OutputIsShortRange => _parts is null && Mro is null && !ElementFlag && Hidden.Count == 0;

    /// <summary>The parts' blocks of the same rows side by side (every part yields blocks of the same rows).</summary>
    private IEnumerable<(int FirstAtom, FeatureTable Rows)> JoinedBlocks(FrameContext frame, int blockRows)
    {
        // a part whose output is its short-range table yields the whole frame at once: so does the join
        if (_parts!.Any(p => p.Set.OutputIsShortRange))
        {
            yield return (0, Compute(frame));
            yield break;
        }
        var parts = _parts!.Select(p => p.Set.ComputeBlocks(frame, blockRows).GetEnumerator()).ToArray();
        try
        {
            FeatureTable? block = null;
            while (parts.All(e => e.MoveNext()))
            {
                int rows = parts[0].Current.Rows.Rows;
                if (block is null || block.Rows != rows) block = new FeatureTable(Columns, rows);
                Copy([.. parts.Select(e => e.Current.Rows)], block);
                yield return (parts[0].Current.FirstAtom, block);
            }
        }
        finally { foreach (var e in parts) e.Dispose(); }
    }

    /// <summary>Copies the parts' tables (same rows) into the joined table's columns.</summary>
    private void Copy(FeatureTable[] tables, FeatureTable joined)
    {
        for (int r = 0; r < joined.Rows; r++)
        {
            var dst = joined.Row(r);
            int at = 0;
            for (int p = 0; p < tables.Length; p++)
            {
                var src = tables[p].Row(r);
                foreach (int k in _parts![p].Source) dst[at++] = src[k];
            }
        }
    }

    /// <summary>The descriptors' columns for every atom.</summary>
    private FeatureTable ComputeShortRange(FrameContext frame)
    {
        int n = frame.AtomCount;
        var sro = new FeatureTable(ShortRangeColumns, n);
        var kernels = Descriptors.Select(d => (Kernel: d.Bind(frame), Width: d.Columns.Count)).ToArray();
        Parallelism.MapChunks(n, 256, frame.Threads, (start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                var row = sro.Row(i);
                int at = 0;
                foreach (var (kernel, width) in kernels) { kernel(i, row.Slice(at, width)); at += width; }
            }
            return 0;
        });
        return sro;
    }

    /// <summary>The output rows of atoms first .. first + output.Rows - 1.</summary>
    private void FillRows(FrameContext frame, FeatureTable sro, FeatureTable output, int first)
    {
        var keep = ShortRangeColumns.Select((c, k) => (c, k)).Where(x => !Hidden.Contains(x.c.Name)).Select(x => x.k).ToArray();
        for (int r = 0; r < output.Rows; r++)
        {
            var src = sro.Row(first + r); var dst = output.Row(r);
            for (int k = 0; k < keep.Length; k++) dst[k] = src[keep[k]];
            if (ElementFlag) dst[^1] = frame.Snapshot.Types[first + r] - 1;
        }
        Mro?.Compute(frame, sro, output, keep.Length, first);
    }
}
