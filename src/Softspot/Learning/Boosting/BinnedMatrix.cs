using Softspot.Numerics;
using Softspot.Neighbours;

namespace Softspot.Learning;

/// <summary>
/// The training table quantised once: per feature, sorted cut values taken from the data (no midpoints), and the
/// bin of every value stored feature-major as bytes, in groups of 8 features (see <see cref="Bins"/>).
/// <para>
/// Bin convention: with cuts c[0] &lt; c[1] &lt; ... &lt; c[k-1], a value x falls in bin b = #{ c[j] &lt;= x } (0..k);
/// NaN falls in the extra bin k + 1 = <see cref="MissingBin"/> (only present when the feature has NaN in the
/// training rows). A split "bins 0..b go left" is therefore exactly "x &lt; c[b]", so the stored threshold c[b]
/// reproduces the training partition bit for bit on the raw doubles.
/// </para>
/// </summary>
internal sealed unsafe class BinnedMatrix
{
    /// <summary>Features quantised together (their values are 64 contiguous bytes of a row of the table).</summary>
    public const int Group = 8;
    /// <summary>Histogram entries reserved per feature (feature f's bins start at entry 256 f).</summary>
    public const int Slots = 256;

    public int Rows { get; }
    public int Columns { get; }
    /// <summary>Feature-major bins (pinned): the bin of feature f in row i is <c>Bins[f * Rows + i]</c>.</summary>
    public byte[] Bins { get; }
    public byte* BinPointer { get; }
    /// <summary>Cut values per feature (strictly increasing).</summary>
    public double[][] Cuts { get; }
    /// <summary>Number of bins of each feature, the NaN bin included.</summary>
    public int[] BinCount { get; }
    /// <summary>NaN bin of each feature, or -1 when the feature has no NaN in training.</summary>
    public int[] MissingBin { get; }
    /// <summary>Doubles in a histogram of <paramref name="stride"/> doubles per entry over every feature slot.</summary>
    public int HistogramLength(int stride) => Columns * Slots * stride;

    /// <summary>
    /// The same bins row-major (pinned): <c>RowBins[i * Columns + f]</c>. Small nodes, whose rows are scattered over
    /// the table, read a row's bins from one or two cache lines here instead of one line per feature.
    /// </summary>
    public byte[] RowBins { get; }
    public byte* RowBinPointer { get; }

    public byte Bin(int feature, int row) => BinPointer[(long)feature * Rows + row];

    /// <summary>Rows used to place the cuts (a seeded sample above this).</summary>
    public const int SampleRows = 200_000;

    public BinnedMatrix(double[] x, int rows, int columns, int maxBins, int seed, int threads)
    {
        Rows = rows; Columns = columns;
        Bins = GC.AllocateUninitializedArray<byte>((int)((long)columns * rows), pinned: true);
        BinPointer = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(Bins));
        RowBins = GC.AllocateUninitializedArray<byte>((int)((long)columns * rows), pinned: true);
        RowBinPointer = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(RowBins));
        Cuts = new double[columns][];
        BinCount = new int[columns];
        MissingBin = new int[columns];

        int[]? sample = null;
        if (rows > SampleRows)
        {
            // a seeded sample without replacement (partial Fisher-Yates), sorted to read the table in order
            var rng = new SplitMix64(seed, 8, 0);
            var all = new int[rows];
            for (int i = 0; i < rows; i++) all[i] = i;
            rng.PartialShuffle(all, SampleRows);
            sample = all[..SampleRows];
            Array.Sort(sample);
        }
        Parallelism.MapChunks((columns + Group - 1) / Group, 1, threads, (g, _) => { BinGroup(x, g, maxBins, sample); return 0; });
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private void BinGroup(double[] x, int g, int maxBins, int[]? sample)
    {
        int m = Columns, n = Rows, f0 = g * Group, width = Math.Min(Group, m - f0);
        int sampled = sample?.Length ?? n;
        var values = new double[width][];
        var counts = new int[width];
        var missing = new bool[width];
        for (int k = 0; k < width; k++) values[k] = new double[sampled];
        // the group's columns of the (sampled) rows: 64 contiguous bytes of each row
        for (int s = 0; s < sampled; s++)
        {
            long row = (long)(sample is null ? s : sample[s]) * m + f0;
            for (int k = 0; k < width; k++)
            {
                double v = x[row + k];
                if (double.IsNaN(v)) missing[k] = true; else values[k][counts[k]++] = v;
            }
        }
        if (sample is not null)
            for (int i = 0; i < n; i++)
                for (int k = 0; k < width; k++)
                    if (double.IsNaN(x[(long)i * m + f0 + k])) missing[k] = true;

        var padded = new double[width][];
        var top = new int[width];
        var missingBin = new byte[width];
        for (int k = 0; k < width; k++)
        {
            var v = values[k].AsSpan(0, counts[k]);
            SortValues(v);
            var cuts = ChooseCuts(v, missing[k] ? maxBins - 1 : maxBins);
            int f = f0 + k, c = cuts.Length;
            Cuts[f] = cuts;
            MissingBin[f] = missing[k] ? c + 1 : -1;
            BinCount[f] = c + 1 + (missing[k] ? 1 : 0);
            missingBin[k] = (byte)(c + 1);
            top[k] = c;
            // cuts padded with +inf to 256 for a branch-free search (clamped back to c)
            padded[k] = new double[256];
            Array.Fill(padded[k], double.PositiveInfinity);
            cuts.CopyTo(padded[k], 0);
        }
        byte* bins = BinPointer + (long)f0 * n, rowBins = RowBinPointer + f0;
        for (int i = 0; i < n; i++)
        {
            long row = (long)i * m + f0;
            for (int k = 0; k < width; k++)
            {
                double v = x[row + k];
                byte b;
                if (double.IsNaN(v)) b = missingBin[k];
                else
                {
                    b = (byte)Math.Min(CountAtMost(padded[k], v), top[k]);
                }
                bins[(long)k * n + i] = b;
                rowBins[row - f0 + k] = b;
            }
        }
    }

    /// <summary>Number of the 256 sorted values &lt;= v, without branches (a mispredicted branch per level is slow).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static int CountAtMost(double[] p, double v)
    {
        ref double c = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(p);
        int lo = (System.Runtime.CompilerServices.Unsafe.Add(ref c, 127) <= v ? 1 : 0) << 7;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 63) <= v ? 1 : 0) << 6;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 31) <= v ? 1 : 0) << 5;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 15) <= v ? 1 : 0) << 4;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 7) <= v ? 1 : 0) << 3;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 3) <= v ? 1 : 0) << 2;
        lo += (System.Runtime.CompilerServices.Unsafe.Add(ref c, lo + 1) <= v ? 1 : 0) << 1;
        lo += System.Runtime.CompilerServices.Unsafe.Add(ref c, lo) <= v ? 1 : 0;
        return lo + (lo < 256 && System.Runtime.CompilerServices.Unsafe.Add(ref c, lo) <= v ? 1 : 0);
    }

    /// <summary>Sorts finite-or-infinite doubles (no NaN) ascending: LSD radix sort on order-preserving keys.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void SortValues(Span<double> values)
    {
        int n = values.Length;
        if (n < 2048) { values.Sort(); return; }
        var keys = new ulong[n];
        var tmp = new ulong[n];
        const int Bits = 11, Buckets = 1 << Bits, Passes = 6;
        var counts = new int[Passes * Buckets];
        for (int i = 0; i < n; i++)
        {
            ulong b = BitConverter.DoubleToUInt64Bits(values[i]);
            ulong key = (b >> 63) != 0 ? ~b : b | 0x8000_0000_0000_0000UL;
            keys[i] = key;
            for (int p = 0; p < Passes; p++) counts[p * Buckets + (int)((key >> (p * Bits)) & (Buckets - 1))]++;
        }
        for (int p = 0; p < Passes; p++)
        {
            var c = counts.AsSpan(p * Buckets, Buckets);
            int shift = p * Bits;
            if (c[(int)((keys[0] >> shift) & (Buckets - 1))] == n) continue; // every key has this digit
            int sum = 0;
            for (int d = 0; d < Buckets; d++) { int t = c[d]; c[d] = sum; sum += t; }
            for (int i = 0; i < n; i++) { ulong key = keys[i]; tmp[c[(int)((key >> shift) & (Buckets - 1))]++] = key; }
            (keys, tmp) = (tmp, keys);
        }
        for (int i = 0; i < n; i++)
        {
            ulong key = keys[i];
            ulong b = (key >> 63) != 0 ? key & 0x7FFF_FFFF_FFFF_FFFFUL : ~key;
            values[i] = BitConverter.UInt64BitsToDouble(b);
        }
    }

    /// <summary>
    /// Cuts from sorted values: every distinct value but the smallest when they fit, else equal-count quantiles
    /// (the value at rank floor(j n / bins) for j = 1 .. bins - 1, repeats dropped). Each cut is a data value.
    /// </summary>
    internal static double[] ChooseCuts(Span<double> values, int bins)
    {
        if (values.Length == 0) return [];
        int n = values.Length; // sorted by the caller
        var distinct = new List<double>();
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || values[i] != values[i - 1]) distinct.Add(values[i]);
            if (distinct.Count > bins) break;
        }
        if (distinct.Count <= bins) return [.. distinct.Skip(1)];
        var cuts = new List<double>(bins);
        double last = values[0];
        for (int j = 1; j < bins; j++)
        {
            double c = values[(int)((long)j * n / bins)];
            if (c > last) { cuts.Add(c); last = c; }
        }
        return [.. cuts];
    }

    /// <summary>Number of cuts &lt;= v (the bin of a non-NaN value).</summary>
    internal static int UpperBound(double[] cuts, double v)
    {
        int lo = 0, hi = cuts.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >> 1;
            if (cuts[mid] <= v) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
