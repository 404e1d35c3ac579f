using Softspot.Numerics;
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

    private readonly BinnedMatrix _data;
    private readonly GradientBoostingOptions _o;
    private readonly TreeGrowerTuning _tuning;
    private readonly int _threads;
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

    public TreeGrower(BinnedMatrix data, GradientBoostingOptions options, TreeGrowerTuning tuning)
    {
        _data = data; _o = options; _tuning = tuning; _threads = options.Threads;
        int n = data.Rows;
        // a fraction of the training rows, rounded up (as scikit-learn), or a count; 1 row or fewer: no check
        double m = options.MinSamplesLeaf;
        _minRows = m > 0 && m < 1 ? Math.Ceiling(m * n) : Math.Floor(m);
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
    public DecisionTree Grow(int[]? activeRows, int activeCount, int[] treeFeatures, SplitMix64 rng)
    {
        int n = _data.Rows;
        bool identityRoot = activeRows is null;
        if (activeRows is null) { activeCount = n; for (int i = 0; i < n; i++) _rows[i] = i; }
        else Array.Copy(activeRows, _rows, activeCount);

        foreach (var node in _nodes) Release(node.Hist);
        _nodes.Clear();

        // root sums, in row order (fixed chunks: the same whatever the thread count)
        var sums = Parallelism.MapChunks(activeCount, 65536, _threads, (a, b) =>
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
        var ctx = new Context(treeFeatures, splitFeatures, perSplit, direct, identityRoot, rng);

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

    private sealed record Context(int[] TreeFeatures, int SplitFeatures, bool PerSplit, bool Direct, bool IdentityRoot, SplitMix64 Rng);

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
    internal static int[] SampleSorted(SplitMix64 rng, int m, int k)
    {
        var all = new int[m];
        for (int i = 0; i < m; i++) all[i] = i;
        rng.PartialShuffle(all, k);
        var s = all[..k];
        Array.Sort(s);
        return s;
    }

    /// <summary>Builds the histogram of a node from its rows (the root, or any node with direct per-split features) and finds its split.</summary>
    private void Prepare(Context ctx, int k, bool isRoot)
    {
        var nd = _nodes[k];
        nd.Features = DrawFeatures(ctx);
        nd.Hist = Rent();
        var built = ctx.Direct ? nd.Features : ctx.TreeFeatures;
        bool fused = ReferenceEquals(built, nd.Features);
        var (best, _) = Step(nd.Hist, nd.Start, nd.Count, isRoot && ctx.IdentityRoot, built, null,
            fused ? (nd.G, nd.H, nd.Count) : null, null);
        nd.Best = fused ? best : FindSplit(nd.Hist, nd.Features, nd.G, nd.H, nd.Count);
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

        // the smaller child built from its rows, the other one by subtraction from the parent (in place)
        int small = _nodes[l].Count <= _nodes[r].Count ? l : r, big = small == l ? r : l;
        var sn = _nodes[small]; var bn = _nodes[big];
        bool bigSplits = big == l ? canL : canR, smallSplits = small == l ? canL : canR;
        // feature draws in node order (left first), whichever child is the smaller
        var fl = canL ? DrawFeatures(ctx) : null;
        var fr = canR ? DrawFeatures(ctx) : null;
        sn.Features = small == l ? fl : fr;
        bn.Features = small == l ? fr : fl;
        bool fuseSmall = smallSplits && ReferenceEquals(sn.Features, ctx.TreeFeatures);
        bool fuseBig = bigSplits && ReferenceEquals(bn.Features, ctx.TreeFeatures);
        sn.Hist = Rent();
        var (a, b) = Step(sn.Hist, sn.Start, sn.Count, false, ctx.TreeFeatures, bigSplits ? parentHist : null,
            fuseSmall ? (sn.G, sn.H, sn.Count) : null, fuseBig ? (bn.G, bn.H, bn.Count) : null);
        if (bigSplits) bn.Hist = parentHist; else Release(parentHist);
        if (smallSplits) sn.Best = fuseSmall ? a : FindSplit(sn.Hist, sn.Features!, sn.G, sn.H, sn.Count);
        if (bigSplits) bn.Best = fuseBig ? b : FindSplit(bn.Hist!, bn.Features!, bn.G, bn.H, bn.Count);
        if (sn.Best.Feature < 0) { Release(sn.Hist); sn.Hist = null; }
        if (bn.Hist is not null && bn.Best.Feature < 0) { Release(bn.Hist); bn.Hist = null; }
        _nodes[small] = sn; _nodes[big] = bn;
        return (l, r);
    }

    // ---- histograms ----

    private double[] Rent() => _pool.Count > 0 ? _pool.Pop() : GC.AllocateArray<double>(_data.HistogramLength(_stride), pinned: true);

    private void Release(double[]? h) { if (h is not null) _pool.Push(h); }

    /// <summary>Histogram entries in use for a feature.</summary>
    private int SlotsUsed(int f) => _data.BinCount[f];

    private static void SubtractInPlace(Span<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; i + 4 <= a.Length; i += 4)
                (Vector256.Create<double>(a[i..]) - Vector256.Create<double>(b[i..])).CopyTo(a[i..]);
        for (; i < a.Length; i++) a[i] -= b[i];
    }

    /// <summary>
    /// One parallel step over chunks of features: the histogram of rows _rows[start..start+count) over
    /// <paramref name="features"/> (other features untouched); then, when <paramref name="sibling"/> is given (the
    /// parent's histogram), sibling -= hist, turning it into the other child's; then the best split among these
    /// features of the node in <paramref name="hist"/> (stats <paramref name="evalA"/>) and of the node in
    /// <paramref name="sibling"/> (<paramref name="evalB"/>). Each feature's work is the same on any thread and the
    /// chunks' best splits are reduced in feature order, so the result does not depend on the thread count.
    /// </summary>
    private (Split A, Split B) Step(double[] hist, int start, int count, bool identity, int[] features, double[]? sibling,
        (double G, double H, int C)? evalA, (double G, double H, int C)? evalB)
    {
        long t0 = BoostProfile.Start();
        BoostProfile.Count((long)count * features.Length);
        int s = _stride;
        double* gh;
        fixed (double* ghAll = Gh)
        {
            if (identity || count == 0) gh = ghAll;
            else
            {
                // the node's gradient pairs in row order, contiguous
                gh = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_ghOrdered));
                var ghP = (nint)gh; var allP = (nint)ghAll;
                if (count >= 2 * _tuning.GatherChunk && _threads > 1)
                    Parallelism.MapChunks(count, _tuning.GatherChunk, _threads, (a, b) => { Gather((double*)allP, (double*)ghP, start, a, b); return 0; });
                else Gather(ghAll, gh, start, 0, count);
            }
        }
        int* rowPtr = identity || count == 0 ? null : (int*)Unsafe.AsPointer(ref _rows[start]);
        double* h = (double*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(hist));
        int units = (features.Length + 3) / 4; // work units: four features (the last one may have fewer)
        int threads = _threads;
        long work = (long)count * features.Length + features.Length * 1024L;
        // scattered rows of every feature: row-major bins (features 0..m-1 in order, so chunks are ranges)
        bool rowMajor = !identity && features.Length == _data.Columns && (long)count * _tuning.RowMajorDensity < _data.Rows;
        (Split, Split) Chunk(int u0, int u1, int* rows, double* g, double* hp)
        {
            int f0 = 4 * u0, f1 = Math.Min(features.Length, 4 * u1);
            for (int i = f0; i < f1; i++) Array.Clear(hist, features[i] * BinnedMatrix.Slots * s, SlotsUsed(features[i]) * s);
            if (count > 0)
            {
                if (rowMajor) HistogramKernels.AddRowMajor(s, _data.RowBinPointer, _data.Columns, f0, f1, rows, g, count, hp);
                else BuildUnits(features, u0, u1, rows, g, count, hp);
            }
            if (sibling is not null)
                for (int i = f0; i < f1; i++)
                {
                    int a = features[i] * BinnedMatrix.Slots * s, len = SlotsUsed(features[i]) * s;
                    SubtractInPlace(sibling.AsSpan(a, len), hist.AsSpan(a, len));
                }
            long ts = BoostProfile.Start();
            var bestA = evalA is { } ea ? FindSplitRange(hist, features, f0, f1, ea.G, ea.H, ea.C) : NoSplit;
            var bestB = evalB is { } eb ? FindSplitRange(sibling!, features, f0, f1, eb.G, eb.H, eb.C) : NoSplit;
            BoostProfile.Stop(BoostProfile.Split, ts);
            return (bestA, bestB);
        }
        (Split, Split) result;
        if (threads == 1 || work < _tuning.ParallelMinWork || units < 2)
            result = Chunk(0, units, rowPtr, gh, h);
        else
        {
            int tasks = Math.Min(units, 2 * threads);
            var ghP = (nint)gh; var rowP = (nint)rowPtr; var hP = (nint)h;
            var parts = Parallelism.MapChunks(tasks, 1, threads, (t, _) =>
                Chunk((int)((long)units * t / tasks), (int)((long)units * (t + 1) / tasks), (int*)rowP, (double*)ghP, (double*)hP));
            var best = (NoSplit, NoSplit);
            foreach (var (a, b) in parts)
            {
                if (Better(a, best.Item1)) best.Item1 = a;
                if (Better(b, best.Item2)) best.Item2 = b;
            }
            result = best;
        }
        BoostProfile.Stop(BoostProfile.Histogram, t0);
        return result;
    }

    /// <summary>Strictly larger gain (ties keep the earlier feature).</summary>
    private static bool Better(Split a, Split than) => a.Feature >= 0 && (than.Feature < 0 || a.Gain > than.Gain);

    private void Gather(double* all, double* ordered, int start, int a, int b)
    {
        if (_stride == 2)
            for (int i = a; i < b; i++) Vector128.Store(Vector128.Load(all + 2 * _rows[start + i]), ordered + 2 * i);
        else
            for (int i = a; i < b; i++) Vector256.Store(Vector256.Load(all + 4 * _rows[start + i]), ordered + 4 * i);
    }

    private const int RowBlock = 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void BuildUnits(int[] features, int u0, int u1, int* rows, double* gh, int count, double* h)
    {
        int s = _stride, n = _data.Rows;
        const int slot = BinnedMatrix.Slots;
        for (int b0 = 0; b0 < count; b0 += RowBlock)
        {
            int len = Math.Min(RowBlock, count - b0);
            int* rb = rows == null ? null : rows + b0;
            double* gb = gh + (long)s * b0;
            long shift = rows == null ? b0 : 0; // without a row list, the block starts at row b0
            for (int u = u0; u < u1; u++)
            {
                int i0 = 4 * u, i1 = Math.Min(features.Length, i0 + 4);
                if (i1 - i0 == 4)
                {
                    int f0 = features[i0], f1 = features[i0 + 1], f2 = features[i0 + 2], f3 = features[i0 + 3];
                    byte* c0 = _bins + (long)f0 * n + shift, c1 = _bins + (long)f1 * n + shift, c2 = _bins + (long)f2 * n + shift, c3 = _bins + (long)f3 * n + shift;
                    if (f1 == f0 + 1 && f2 == f0 + 2 && f3 == f0 + 3)
                        HistogramKernels.AddFour(s, c0, c1, c2, c3, rb, gb, len, h + (long)f0 * slot * s);
                    else
                        HistogramKernels.AddFour(s, c0, c1, c2, c3, rb, gb, len,
                            h + (long)f0 * slot * s, h + (long)f1 * slot * s, h + (long)f2 * slot * s, h + (long)f3 * slot * s);
                }
                else
                    for (int i = i0; i < i1; i++)
                    {
                        int f = features[i];
                        HistogramKernels.AddOne(s, _bins + (long)f * n + shift, rb, gb, len, h + (long)f * slot * s);
                    }
            }
        }
    }

    // ---- split search ----

    private Split FindSplit(double[] hist, int[] features, double G, double H, int count)
    {
        if (features.Length * 1024L < _tuning.ParallelMinWork || _threads == 1)
            return FindSplitRange(hist, features, 0, features.Length, G, H, count);
        int chunk = (features.Length + 2 * _threads - 1) / (2 * _threads);
        var parts = Parallelism.MapChunks(features.Length, chunk, _threads, (a, b) => FindSplitRange(hist, features, a, b, G, H, count));
        var best = NoSplit;
        foreach (var p in parts) if (Better(p, best)) best = p;
        return best;
    }

    /// <summary>
    /// Best split of features[a..b) from a node's histogram. Candidates, in order: for each feature, for each bin b
    /// ("bins 0..b left"), NaN right then NaN left (only when the node has NaN rows). The first candidate with the
    /// largest gain wins (ties keep the earlier one). Gains are evaluated four bins at a time from prefix sums; the
    /// arithmetic is the scalar one, so the result is the same as a bin-by-bin scan.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private Split FindSplitRange(double[] hist, int[] features, int a, int b, double G, double H, int count)
    {
        double lambda = _o.L2, mcw = _o.MinChildWeight, minRows = _minRows;
        double parent = Score(G, H, lambda);
        int s = _stride;
        var best = NoSplit;
        double bestGain = Math.Max(_o.MinSplitGain, 1e-6);
        // prefix sums of the candidate bins, padded to a multiple of 4
        Span<double> pg = stackalloc double[BinnedMatrix.Slots + 4], ph = stackalloc double[BinnedMatrix.Slots + 4], pc = stackalloc double[BinnedMatrix.Slots + 4];
        var vG = Vector256.Create(G); var vH = Vector256.Create(H); var vC = Vector256.Create((double)count);
        var vL = Vector256.Create(lambda); var vMcw = Vector256.Create(mcw); var vMin = Vector256.Create(minRows);
        var vParent = Vector256.Create(parent); var zero = Vector256<double>.Zero;
        var lane = Vector256.Create(0.0, 1, 2, 3);
        for (int fi = a; fi < b; fi++)
        {
            int f = features[fi];
            int off = f * BinnedMatrix.Slots * s, nb = _data.BinCount[f], miss = _data.MissingBin[f];
            int candidates = (miss >= 0 ? nb - 1 : nb) - 1; // split after bin 0 .. numeric - 2
            if (candidates <= 0) continue;
            double gm = 0, hm = 0, cm = 0;
            if (miss >= 0) { gm = hist[off + s * miss]; hm = hist[off + s * miss + 1]; cm = s == 4 ? hist[off + s * miss + 2] : 0; }
            bool anyMissing = miss >= 0 && (hm != 0 || gm != 0 || cm != 0);
            double gl = 0, hl = 0, cl = 0;
            for (int bin = 0; bin < candidates; bin++)
            {
                int e = off + s * bin;
                gl += hist[e]; hl += hist[e + 1];
                pg[bin] = gl; ph[bin] = hl;
                if (s == 4) { cl += hist[e + 2]; pc[bin] = cl; }
            }
            int padded = (candidates + 3) & ~3;
            for (int bin = candidates; bin < padded; bin++) { pg[bin] = 0; ph[bin] = 0; pc[bin] = 0; }
            // per lane: best gain so far (starting from the best of the earlier features) and its candidate key 2 bin + (NaN left)
            var laneGain = Vector256.Create(bestGain);
            var laneKey = Vector256.Create(-1.0);
            var vCand = Vector256.Create((double)candidates);
            var vGm = Vector256.Create(gm); var vHm = Vector256.Create(hm); var vCm = Vector256.Create(cm);
            for (int b0 = 0; b0 < padded; b0 += 4)
            {
                var idx = lane + Vector256.Create((double)b0);
                var inRange = Vector256.LessThan(idx, vCand);
                var vgl = Vector256.Create<double>(pg[b0..]); var vhl = Vector256.Create<double>(ph[b0..]);
                var vcl = s == 4 ? Vector256.Create<double>(pc[b0..]) : zero;
                Evaluate(vgl, vhl, vcl, idx + idx, inRange);
                if (anyMissing) Evaluate(vgl + vGm, vhl + vHm, vcl + vCm, idx + idx + Vector256<double>.One, inRange);
            }
            void Evaluate(Vector256<double> l, Vector256<double> hl_, Vector256<double> cl_, Vector256<double> key, Vector256<double> ok)
            {
                var gr = vG - l; var hr = vH - hl_;
                var valid = ok & Vector256.GreaterThanOrEqual(hl_, vMcw) & Vector256.GreaterThanOrEqual(hr, vMcw);
                if (s == 4) valid &= Vector256.GreaterThanOrEqual(cl_, vMin) & Vector256.GreaterThanOrEqual(vC - cl_, vMin);
                var dl = hl_ + vL; var dr = hr + vL;
                var sl = Vector256.ConditionalSelect(Vector256.GreaterThan(dl, zero), l * l / dl, zero);
                var sr = Vector256.ConditionalSelect(Vector256.GreaterThan(dr, zero), gr * gr / dr, zero);
                var gain = sl + sr - vParent;
                var take = valid & Vector256.GreaterThan(gain, laneGain);
                laneGain = Vector256.ConditionalSelect(take, gain, laneGain);
                laneKey = Vector256.ConditionalSelect(take, key, laneKey);
            }
            // the lanes' best: largest gain, then smallest key
            double fGain = bestGain, fKey = -1;
            for (int k = 0; k < 4; k++)
            {
                double g = laneGain.GetElement(k), key = laneKey.GetElement(k);
                if (key < 0) continue;
                if (fKey < 0 || g > fGain || (g == fGain && key < fKey)) { fGain = g; fKey = key; }
            }
            if (fKey < 0 || !(fGain > bestGain)) continue;
            int bBin = (int)fKey >> 1;
            bool nanLeft = ((int)fKey & 1) == 1;
            bestGain = fGain;
            best = new Split
            {
                Feature = f, Bin = bBin, DefaultLeft = nanLeft, Gain = fGain,
                GL = nanLeft ? pg[bBin] + gm : pg[bBin], HL = nanLeft ? ph[bBin] + hm : ph[bBin], CL = s == 4 ? (nanLeft ? pc[bBin] + cm : pc[bBin]) : 0,
            };
        }
        return best;
    }

    private static double Score(double g, double h, double lambda)
    {
        double d = h + lambda;
        return d > 0 ? g * g / d : 0;
    }

    // ---- partition ----

    /// <summary>
    /// Stable partition of a node's rows, those going left first; returns the left count. Large nodes are cut in
    /// fixed chunks of rows (partitioned in parallel, then joined in order), so the result never depends on threads.
    /// </summary>
    private int Partition(int start, int count, int feature, int bin, bool defaultLeft)
    {
        int miss = _data.MissingBin[feature];
        for (int b = 0; b < 256; b++) _goLeft[b] = (byte)(b == miss ? (defaultLeft ? 1 : 0) : b <= bin ? 1 : 0);
        int chunk = _tuning.PartitionChunk;
        if (count < 2 * chunk || _threads == 1 || (long)count < _tuning.ParallelMinWork / 4)
        {
            int l = PartitionRange(start, count, feature, 0, copyBack: true);
            return l;
        }
        var lefts = Parallelism.MapChunks(count, chunk, _threads, (a, b) => PartitionRange(start + a, b - a, feature, start + a, copyBack: false));
        // join: the chunks' left rows (already in _rows, at each chunk's start) then their right rows (in _tmp)
        int pos = start;
        for (int c = 0; c < lefts.Length; c++)
        {
            Array.Copy(_rows, start + c * chunk, _rows, pos, lefts[c]);
            pos += lefts[c];
        }
        int left = pos - start;
        for (int c = 0; c < lefts.Length; c++)
        {
            int a = c * chunk, len = Math.Min(chunk, count - a) - lefts[c];
            Array.Copy(_tmp, start + a, _rows, pos, len);
            pos += len;
        }
        return left;
    }

    /// <summary>
    /// Partitions _rows[start..start+count): left rows stay at its front, in order; right rows go to _tmp[tmpStart..]
    /// (and, with <paramref name="copyBack"/>, back behind the left ones). Returns the left count.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private int PartitionRange(int start, int count, int feature, int tmpStart, bool copyBack)
    {
        byte* col = _bins + (long)feature * _data.Rows;
        int l = 0, rc = 0;
        fixed (int* rows = _rows, t = _tmp)
        fixed (byte* lut = _goLeft)
        {
            int* rp = rows + start, tp = t + tmpStart;
            for (int i = 0; i < count; i++)
            {
                int r = rp[i];
                int left = lut[col[r]];
                rp[l] = r; tp[rc] = r;
                l += left; rc += 1 - left;
            }
        }
        if (copyBack) Array.Copy(_tmp, tmpStart, _rows, start + l, rc);
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
