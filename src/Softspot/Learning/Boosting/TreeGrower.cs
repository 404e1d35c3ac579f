using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Softspot.Neighbours;

namespace Softspot.Learning;

/// <summary>
/// Grows one regression tree on gradient/hessian pairs over a <see cref="BinnedMatrix"/>: histograms per node
/// (smaller child built, sibling = parent - child), exact best split per feature over its bins with the NaN bin
/// sent either way, depth-wise or leaf-wise growth. Every buffer is allocated once per fit and reused.
/// </summary>
internal sealed unsafe class TreeGrower
{
    private struct Split
    {
        public int Feature; // -1: none
        public int Bin;     // bins 0..Bin go left
        public bool DefaultLeft;
        public double Gain, GL, HL, CL;
    }

    private struct Node
    {
        public int Start, Count, Depth, Left, Right;
        public double G, H;
        public Split Best;
        public double[]? Hist;
        public int[]? Features; // the node's own feature draw (per-split sampling)
    }

    /// <summary>Work (rows x features for histograms) below which a node is processed on one thread.</summary>
    internal static long ParallelMinWork = 200_000;

    private readonly BinnedMatrix _data;
    private readonly GradientBoostingOptions _o;
    private readonly int _stride;           // doubles per histogram entry: 2 (g, h) or 4 (g, h, count, 0)
    private readonly double _minRows;        // minimum rows per child (0: not checked)
    private readonly int _maxDepth;          // int.MaxValue when uncapped
    private readonly int _maxLeaves;         // int.MaxValue for depth-wise growth
    private readonly byte* _bins;
    private readonly int[] _rows;            // node segments of row indices (pinned)
    private readonly int[] _tmp;
    private readonly double[] _ghOrdered;    // gathered gradient pairs of the node being built (pinned)
    private readonly Stack<double[]> _pool = new();
    private readonly List<Node> _nodes = [];
    private readonly byte[] _goLeft = new byte[256];

    /// <summary>Gradient pairs of every training row, <see cref="Stride"/> doubles per row (pinned).</summary>
    public double[] Gh { get; }
    public int Stride => _stride;

    public TreeGrower(BinnedMatrix data, GradientBoostingOptions options)
    {
        _data = data; _o = options;
        int n = data.Rows;
        _minRows = options.MinSamplesLeaf switch
        {
            <= 1 and > 0 when options.MinSamplesLeaf < 1 => Math.Ceiling(options.MinSamplesLeaf * n),
            var c => c,
        };
        if (_minRows <= 1) _minRows = 0;
        _stride = _minRows > 0 ? 4 : 2;
        _maxDepth = options.MaxDepth > 0 ? options.MaxDepth : int.MaxValue;
        _maxLeaves = options.MaxLeaves ?? int.MaxValue;
        _bins = data.BinPointer;
        _rows = GC.AllocateUninitializedArray<int>(n, pinned: true);
        _tmp = new int[n];
        _ghOrdered = GC.AllocateUninitializedArray<double>(n * _stride, pinned: true);
        Gh = GC.AllocateArray<double>(n * _stride, pinned: true);
        if (_stride == 4)
            for (int i = 0; i < n; i++) Gh[4 * i + 2] = 1;
    }

    /// <summary>Row indices of the last tree's leaves: leaf node id and its rows (a slice of an internal buffer).</summary>
    public IEnumerable<(int Node, ReadOnlyMemory<int> Rows)> LeafRows()
    {
        for (int k = 0; k < _nodes.Count; k++)
            if (_nodes[k].Left < 0) yield return (k, _rows.AsMemory(_nodes[k].Start, _nodes[k].Count));
    }

    /// <summary>
    /// Grows a tree on the rows listed in <paramref name="activeRows"/> (ascending; null = every row) with the
    /// tree's features (ascending), and returns it with leaf values scaled by the learning rate.
    /// </summary>
    public DecisionTree Grow(int[]? activeRows, int activeCount, int[] treeFeatures, Random rng)
    {
        int n = _data.Rows;
        bool identityRoot = activeRows is null;
        if (activeRows is null) { activeCount = n; for (int i = 0; i < n; i++) _rows[i] = i; }
        else Array.Copy(activeRows, _rows, activeCount);

        foreach (var node in _nodes) Release(node.Hist);
        _nodes.Clear();

        // root sums, in row order (fixed chunks: the same whatever the thread count)
        var sums = Parallelism.MapChunks(activeCount, 65536, (a, b) =>
        {
            double g = 0, h = 0;
            for (int i = a; i < b; i++) { int r = _rows[i]; g += Gh[_stride * r]; h += Gh[_stride * r + 1]; }
            return (g, h);
        });
        double G = 0, H = 0;
        foreach (var (g, h) in sums) { G += g; H += h; }
        _nodes.Add(new Node { Start = 0, Count = activeCount, Depth = 0, Left = -1, Right = -1, G = G, H = H, Best = NoSplit });

        int splitFeatures = _o.FeatureSubsample.PerSplit ? _o.FeatureSubsample.Count(_data.Columns) : treeFeatures.Length;
        bool perSplit = _o.FeatureSubsample.PerSplit && splitFeatures < _data.Columns;
        // per-split draws much smaller than the table: build only the drawn features, straight from the rows
        bool direct = perSplit && 2 * splitFeatures < _data.Columns;
        // histograms of the whole 8-feature groups the tree uses (one 64-bit load per row and group), unless the
        // tree's features are a small part of the groups they touch: then feature by feature
        var groups = treeFeatures.Select(f => f / BinnedMatrix.Group).Distinct().ToArray();
        bool grouped = !direct && groups.Length * BinnedMatrix.Group <= 2 * treeFeatures.Length;
        int[] built = grouped
            ? [.. groups.SelectMany(g => Enumerable.Range(g * BinnedMatrix.Group, BinnedMatrix.Group))]
            : treeFeatures;
        var ctx = new Context(treeFeatures, built, grouped ? groups : null, splitFeatures, perSplit, direct, identityRoot, rng);

        if (CanSplit(0)) Prepare(ctx, 0, isRoot: true);

        if (_maxLeaves == int.MaxValue)
        {
            var frontier = new List<int> { 0 };
            while (frontier.Count > 0)
            {
                var next = new List<int>();
                foreach (int k in frontier)
                {
                    if (_nodes[k].Best.Feature < 0) continue;
                    var (l, r) = SplitNode(ctx, k, childrenMaySplit: true);
                    next.Add(l); next.Add(r);
                }
                frontier = next;
            }
        }
        else
        {
            var queue = new PriorityQueue<int, (double, int)>();
            if (_nodes[0].Best.Feature >= 0) queue.Enqueue(0, (-_nodes[0].Best.Gain, 0));
            int leaves = 1;
            while (leaves < _maxLeaves && queue.TryDequeue(out int k, out _))
            {
                var (l, r) = SplitNode(ctx, k, childrenMaySplit: leaves + 1 < _maxLeaves);
                leaves++;
                if (_nodes[l].Best.Feature >= 0) queue.Enqueue(l, (-_nodes[l].Best.Gain, l));
                if (_nodes[r].Best.Feature >= 0) queue.Enqueue(r, (-_nodes[r].Best.Gain, r));
            }
        }
        return ToTree();
    }

    /// <param name="Built">Feature slots whose histograms are built and subtracted (padding slots included).</param>
    /// <param name="Groups">Groups built with the 8-feature kernel, or null to build <c>Built</c> one by one.</param>
    private sealed record Context(int[] TreeFeatures, int[] Built, int[]? Groups, int SplitFeatures, bool PerSplit, bool Direct, bool IdentityRoot, Random Rng);

    private static readonly Split NoSplit = new() { Feature = -1 };

    private bool CanSplit(int k)
    {
        var nd = _nodes[k];
        return nd.Depth < _maxDepth && nd.Count >= 2 && nd.Count >= 2 * _minRows && nd.H >= 2 * _o.MinChildWeight;
    }

    /// <summary>The features a node's split may use: its own draw (per split) or the tree's.</summary>
    private int[] DrawFeatures(Context ctx)
    {
        if (!ctx.PerSplit) return ctx.TreeFeatures;
        return SampleSorted(ctx.Rng, _data.Columns, ctx.SplitFeatures);
    }

    /// <summary>k of 0..m-1 without replacement (partial Fisher-Yates), ascending.</summary>
    internal static int[] SampleSorted(Random rng, int m, int k)
    {
        var all = new int[m];
        for (int i = 0; i < m; i++) all[i] = i;
        for (int i = 0; i < k; i++) { int j = rng.Next(i, m); (all[i], all[j]) = (all[j], all[i]); }
        var s = all[..k];
        Array.Sort(s);
        return s;
    }

    /// <summary>Builds the root histogram and finds its split.</summary>
    private void Prepare(Context ctx, int k, bool isRoot)
    {
        var nd = _nodes[k];
        nd.Features = DrawFeatures(ctx);
        nd.Hist = Rent();
        Build(nd.Hist, nd.Start, nd.Count, ctx.Direct ? nd.Features : ctx.Built, ctx.Direct ? null : ctx.Groups, identity: isRoot && ctx.IdentityRoot);
        long t0 = BoostProfile.Start();
        nd.Best = FindSplit(nd.Hist, nd.Features, nd.G, nd.H, nd.Count);
        BoostProfile.Stop(BoostProfile.Split, t0);
        if (nd.Best.Feature < 0) { Release(nd.Hist); nd.Hist = null; }
        _nodes[k] = nd;
    }

    private (int Left, int Right) SplitNode(Context ctx, int k, bool childrenMaySplit)
    {
        var p = _nodes[k];
        var s = p.Best;
        long t0 = BoostProfile.Start();
        int nl = Partition(p.Start, p.Count, s.Feature, s.Bin, s.DefaultLeft);
        BoostProfile.Stop(BoostProfile.Partition, t0);
        int l = _nodes.Count, r = l + 1;
        _nodes.Add(new Node { Start = p.Start, Count = nl, Depth = p.Depth + 1, Left = -1, Right = -1, G = s.GL, H = s.HL, Best = NoSplit });
        _nodes.Add(new Node { Start = p.Start + nl, Count = p.Count - nl, Depth = p.Depth + 1, Left = -1, Right = -1, G = p.G - s.GL, H = p.H - s.HL, Best = NoSplit });
        p.Left = l; p.Right = r;
        var parentHist = p.Hist; p.Hist = null;
        _nodes[k] = p;

        bool canL = childrenMaySplit && CanSplit(l), canR = childrenMaySplit && CanSplit(r);
        if (ctx.Direct)
        {
            Release(parentHist);
            if (canL) Prepare(ctx, l, isRoot: false);
            if (canR) Prepare(ctx, r, isRoot: false);
            return (l, r);
        }
        if (!canL && !canR) { Release(parentHist); return (l, r); }

        // smaller child built from its rows, the other one by subtraction from the parent (in place)
        int small = _nodes[l].Count <= _nodes[r].Count ? l : r, big = small == l ? r : l;
        var sn = _nodes[small]; var bn = _nodes[big];
        sn.Hist = Rent();
        Build(sn.Hist, sn.Start, sn.Count, ctx.Built, ctx.Groups, identity: false);
        bool bigSplits = big == l ? canL : canR, smallSplits = small == l ? canL : canR;
        if (bigSplits)
        {
            long t2 = BoostProfile.Start();
            Subtract(parentHist!, sn.Hist, ctx.Built);
            BoostProfile.Stop(BoostProfile.Subtract, t2);
            bn.Hist = parentHist;
        }
        else Release(parentHist);
        // feature draws in node order (left first), whichever child is the smaller
        var fl = canL ? DrawFeatures(ctx) : null;
        var fr = canR ? DrawFeatures(ctx) : null;
        sn.Features = small == l ? fl : fr;
        bn.Features = small == l ? fr : fl;
        long t1 = BoostProfile.Start();
        if (smallSplits) sn.Best = FindSplit(sn.Hist, sn.Features!, sn.G, sn.H, sn.Count);
        if (bigSplits) bn.Best = FindSplit(bn.Hist!, bn.Features!, bn.G, bn.H, bn.Count);
        BoostProfile.Stop(BoostProfile.Split, t1);
        if (sn.Best.Feature < 0) { Release(sn.Hist); sn.Hist = null; }
        if (bn.Hist is not null && bn.Best.Feature < 0) { Release(bn.Hist); bn.Hist = null; }
        _nodes[small] = sn; _nodes[big] = bn;
        return (l, r);
    }

    // ---- histograms ----

    private double[] Rent() => _pool.Count > 0 ? _pool.Pop() : GC.AllocateArray<double>(_data.HistogramLength(_stride), pinned: true);

    private void Release(double[]? h) { if (h is not null) _pool.Push(h); }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Subtract(double[] parent, double[] child, int[] features)
    {
        foreach (int f in features)
        {
            int a = f * BinnedMatrix.Slots * _stride, len = SlotsUsed(f) * _stride;
            SubtractInPlace(parent.AsSpan(a, len), child.AsSpan(a, len));
        }
    }

    /// <summary>Histogram entries in use for a feature slot (1 for the padding slots of the last group).</summary>
    private int SlotsUsed(int f) => f < _data.Columns ? _data.BinCount[f] : 1;

    private static void SubtractInPlace(Span<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= a.Length; i += 4)
                (Vector256.Create<double>(a[i..]) - Vector256.Create<double>(b[i..])).CopyTo(a[i..]);
        for (; i < a.Length; i++) a[i] -= b[i];
    }

    /// <summary>The histogram of rows _rows[start..start+count) over the given feature slots (others untouched).</summary>
    private void Build(double[] hist, int start, int count, int[] features, int[]? groups, bool identity)
    {
        long t0 = BoostProfile.Start();
        BuildCore(hist, start, count, features, groups, identity);
        BoostProfile.Stop(BoostProfile.Histogram, t0);
        BoostProfile.Count((long)count * features.Length);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildCore(double[] hist, int start, int count, int[] features, int[]? groups, bool identity)
    {
        int s = _stride;
        foreach (int f in features) Array.Clear(hist, f * BinnedMatrix.Slots * s, SlotsUsed(f) * s);
        if (count == 0) return;
        double* gh;
        fixed (double* ghAll = Gh)
        {
            if (identity) gh = ghAll;
            else
            {
                gh = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_ghOrdered));
                var rows = _rows.AsSpan(start, count);
                if (s == 2)
                    for (int i = 0; i < rows.Length; i++)
                        Vector128.Store(Vector128.Load(ghAll + 2 * rows[i]), gh + 2 * i);
                else
                    for (int i = 0; i < rows.Length; i++)
                        Vector256.Store(Vector256.Load(ghAll + 4 * rows[i]), gh + 4 * i);
            }
        }
        int* rowPtr = identity ? null : (int*)Unsafe.AsPointer(ref _rows[start]);
        double* h = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(hist));
        int units = groups?.Length ?? features.Length; // work units: groups, or single features
        int threads = Parallelism.Threads;
        long work = (long)count * features.Length;
        if (threads == 1 || work < ParallelMinWork || units < 2)
        {
            BuildUnits(features, groups, 0, units, rowPtr, gh, count, h);
            return;
        }
        int tasks = Math.Min(units, threads);
        var ghP = (nint)gh; var rowP = (nint)rowPtr; var hP = (nint)h;
        Parallelism.MapChunks(tasks, 1, (t, _) =>
        {
            int u0 = (int)((long)units * t / tasks), u1 = (int)((long)units * (t + 1) / tasks);
            BuildUnits(features, groups, u0, u1, (int*)rowP, (double*)ghP, count, (double*)hP);
            return 0;
        });
    }

    private const int RowBlock = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildUnits(int[] features, int[]? groups, int u0, int u1, int* rows, double* gh, int count, double* h)
    {
        int s = _stride, n = _data.Rows;
        for (int b0 = 0; b0 < count; b0 += RowBlock)
        {
            int len = Math.Min(RowBlock, count - b0);
            int* rb = rows == null ? null : rows + b0;
            double* gb = gh + (long)s * b0;
            for (int u = u0; u < u1; u++)
            {
                if (groups is not null)
                {
                    int g = groups[u];
                    ulong* words = (ulong*)(_bins + (long)g * n * BinnedMatrix.Group);
                    if (rows == null) words += b0;
                    HistogramKernels.AddGroup(s, words, rb, gb, len, h + (long)g * BinnedMatrix.Group * BinnedMatrix.Slots * s);
                }
                else
                {
                    int f = features[u];
                    byte* c = _bins + (long)(f >> 3) * n * BinnedMatrix.Group + (f & 7);
                    if (rows == null) c += (long)b0 * BinnedMatrix.Group;
                    HistogramKernels.AddOne(s, c, rb, gb, len, h + (long)f * BinnedMatrix.Slots * s);
                }
            }
        }
    }

    // ---- split search ----

    private Split FindSplit(double[] hist, int[] features, double G, double H, int count)
    {
        if (features.Length * 1024L < ParallelMinWork || Parallelism.Threads == 1)
            return FindSplitRange(hist, features, 0, features.Length, G, H, count);
        int chunk = (features.Length + 2 * Parallelism.Threads - 1) / (2 * Parallelism.Threads);
        var parts = Parallelism.MapChunks(features.Length, chunk, (a, b) => FindSplitRange(hist, features, a, b, G, H, count));
        var best = NoSplit;
        foreach (var p in parts) if (p.Feature >= 0 && (best.Feature < 0 || p.Gain > best.Gain)) best = p;
        return best;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Split FindSplitRange(double[] hist, int[] features, int a, int b, double G, double H, int count)
    {
        double lambda = _o.L2, mcw = _o.MinChildWeight, minRows = _minRows;
        double parent = Score(G, H, lambda);
        double minGain = Math.Max(_o.MinSplitGain, 1e-6);
        int s = _stride;
        var best = NoSplit;
        double bestGain = minGain;
        for (int fi = a; fi < b; fi++)
        {
            int f = features[fi];
            int off = f * BinnedMatrix.Slots * s, nb = _data.BinCount[f], miss = _data.MissingBin[f];
            int numeric = miss >= 0 ? nb - 1 : nb;
            double gm = 0, hm = 0, cm = 0;
            if (miss >= 0) { gm = hist[off + s * miss]; hm = hist[off + s * miss + 1]; cm = s == 4 ? hist[off + s * miss + 2] : 0; }
            bool anyMissing = miss >= 0 && (hm != 0 || gm != 0 || cm != 0);
            double gl = 0, hl = 0, cl = 0;
            for (int bin = 0; bin < numeric - 1; bin++)
            {
                int e = off + s * bin;
                double g = hist[e], h = hist[e + 1];
                if (h == 0 && g == 0 && (s == 2 || hist[e + 2] == 0)) continue; // same split as the previous bin
                gl += g; hl += h;
                if (s == 4) cl += hist[e + 2];
                // NaN right
                double gr = G - gl, hr = H - hl, cr = count - cl;
                if (hl >= mcw && hr >= mcw && (s == 2 || (cl >= minRows && cr >= minRows)))
                {
                    double gain = Score(gl, hl, lambda) + Score(gr, hr, lambda) - parent;
                    if (gain > bestGain) { bestGain = gain; best = new Split { Feature = f, Bin = bin, DefaultLeft = false, Gain = gain, GL = gl, HL = hl, CL = cl }; }
                }
                if (anyMissing)
                {
                    double gl2 = gl + gm, hl2 = hl + hm, cl2 = cl + cm;
                    gr = G - gl2; hr = H - hl2; cr = count - cl2;
                    if (hl2 >= mcw && hr >= mcw && (s == 2 || (cl2 >= minRows && cr >= minRows)))
                    {
                        double gain = Score(gl2, hl2, lambda) + Score(gr, hr, lambda) - parent;
                        if (gain > bestGain) { bestGain = gain; best = new Split { Feature = f, Bin = bin, DefaultLeft = true, Gain = gain, GL = gl2, HL = hl2, CL = cl2 }; }
                    }
                }
            }
        }
        return best;
    }

    private static double Score(double g, double h, double lambda)
    {
        double d = h + lambda;
        return d > 0 ? g * g / d : 0;
    }

    // ---- partition ----

    /// <summary>Stable partition of a node's rows: those going left first. Returns the left count.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int Partition(int start, int count, int feature, int bin, bool defaultLeft)
    {
        int miss = _data.MissingBin[feature];
        for (int b = 0; b < 256; b++) _goLeft[b] = (byte)(b == miss ? (defaultLeft ? 1 : 0) : b <= bin ? 1 : 0);
        byte* col = _bins + (long)(feature >> 3) * _data.Rows * BinnedMatrix.Group + (feature & 7);
        int l = 0, rc = 0;
        fixed (int* rows = &_rows[start], tmp = _tmp)
        fixed (byte* lut = _goLeft)
        {
            for (int i = 0; i < count; i++)
            {
                int r = rows[i];
                int left = lut[col[(long)r * BinnedMatrix.Group]];
                rows[l] = r; tmp[rc] = r;
                l += left; rc += 1 - left;
            }
        }
        Array.Copy(_tmp, 0, _rows, start + l, rc);
        return l;
    }

    // ---- output ----

    private DecisionTree ToTree()
    {
        int m = _nodes.Count;
        var feature = new int[m]; var threshold = new double[m]; var left = new int[m]; var right = new int[m];
        var defaultLeft = new bool[m]; var value = new double[m]; var cover = new double[m]; var gain = new double[m];
        double lr = _o.LearningRate, lambda = _o.L2;
        for (int k = 0; k < m; k++)
        {
            var nd = _nodes[k];
            double d = nd.H + lambda;
            value[k] = d > 0 ? -nd.G / d * lr : 0;
            cover[k] = nd.H;
            left[k] = nd.Left; right[k] = nd.Right;
            if (nd.Left >= 0)
            {
                feature[k] = nd.Best.Feature;
                threshold[k] = _data.Cuts[nd.Best.Feature][nd.Best.Bin];
                defaultLeft[k] = nd.Best.DefaultLeft;
                gain[k] = nd.Best.Gain;
            }
        }
        return new DecisionTree(feature, threshold, left, right, defaultLeft, value, cover, gain);
    }
}
