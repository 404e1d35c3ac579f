using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Softspot.Learning;

/// <summary>
/// The inner loops of histogram building over feature-major byte bins. A histogram entry is a (gradient, hessian)
/// pair of doubles (stride 2, added as one 128-bit vector) or (gradient, hessian, count, 0) (stride 4, one 256-bit
/// vector); feature f's entries start at entry 256 f. Four features are processed per pass over the rows, so the
/// row index and the gradient pair are loaded once for four independent histograms (which also hides the
/// store-to-load latency of rows falling in the same bin). Rows are <c>rows[i]</c>, or i when rows is null; the
/// gradient pairs are ordered like the rows (gathered beforehand).
/// </summary>
internal static unsafe class HistogramKernels
{
    /// <summary>Four consecutive features: their histograms are 256 entries apart from <paramref name="h"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddFour(int stride, byte* c0, byte* c1, byte* c2, byte* c3, int* rows, double* gh, int count, double* h)
    {
        byte* hb = (byte*)h;
        if (stride == 2)
        {
            // feature k's entries start 4096 bytes after feature k-1's
            if (rows == null)
                for (int i = 0; i < count; i++)
                {
                    var v = Vector128.Load(gh + 2 * i);
                    Add2(hb + ((nuint)c0[i] << 4), v);
                    Add2(hb + 4096 + ((nuint)c1[i] << 4), v);
                    Add2(hb + 8192 + ((nuint)c2[i] << 4), v);
                    Add2(hb + 12288 + ((nuint)c3[i] << 4), v);
                }
            else
                for (int i = 0; i < count; i++)
                {
                    long r = rows[i];
                    var v = Vector128.Load(gh + 2 * i);
                    Add2(hb + ((nuint)c0[r] << 4), v);
                    Add2(hb + 4096 + ((nuint)c1[r] << 4), v);
                    Add2(hb + 8192 + ((nuint)c2[r] << 4), v);
                    Add2(hb + 12288 + ((nuint)c3[r] << 4), v);
                }
        }
        else
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                var v = Vector256.Load(gh + 4 * i);
                Add4(hb + ((nuint)c0[r] << 5), v);
                Add4(hb + 8192 + ((nuint)c1[r] << 5), v);
                Add4(hb + 16384 + ((nuint)c2[r] << 5), v);
                Add4(hb + 24576 + ((nuint)c3[r] << 5), v);
            }
    }

    /// <summary>Any four features, each with its own histogram.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddFour(int stride, byte* c0, byte* c1, byte* c2, byte* c3, int* rows, double* gh, int count,
        double* h0, double* h1, double* h2, double* h3)
    {
        if (stride == 2)
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                var v = Vector128.Load(gh + 2 * i);
                Add2((byte*)h0 + ((nuint)c0[r] << 4), v);
                Add2((byte*)h1 + ((nuint)c1[r] << 4), v);
                Add2((byte*)h2 + ((nuint)c2[r] << 4), v);
                Add2((byte*)h3 + ((nuint)c3[r] << 4), v);
            }
        else
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                var v = Vector256.Load(gh + 4 * i);
                Add4((byte*)h0 + ((nuint)c0[r] << 5), v);
                Add4((byte*)h1 + ((nuint)c1[r] << 5), v);
                Add4((byte*)h2 + ((nuint)c2[r] << 5), v);
                Add4((byte*)h3 + ((nuint)c3[r] << 5), v);
            }
    }

    /// <summary>
    /// Features [f0, f1) of row-major bins (<paramref name="rowBins"/>[r * columns + f]), all of them for each row in
    /// turn: for nodes whose rows are scattered, a row's bins are one or two cache lines.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddRowMajor(int stride, byte* rowBins, int columns, int f0, int f1, int* rows, double* gh, int count, double* h)
    {
        nuint slot = (nuint)(stride * 8 * 256); // bytes per feature's histogram
        // blocks of 8 features (a 32 KB histogram block stays in L1) over all the node's rows
        int f = f0;
        if (stride == 2)
            for (; f + 8 <= f1; f += 8)
            {
                byte* hb = (byte*)h + (nuint)f * slot;
                byte* pf = rowBins + f;
                for (int i = 0; i < count; i++)
                {
                    ulong w = *(ulong*)(pf + (long)rows[i] * columns);
                    var v = Vector128.Load(gh + 2 * i);
                    Add2(hb + ((w & 0xFF) << 4), v);
                    Add2(hb + 4096 + (((w >> 8) & 0xFF) << 4), v);
                    Add2(hb + 8192 + (((w >> 16) & 0xFF) << 4), v);
                    Add2(hb + 12288 + (((w >> 24) & 0xFF) << 4), v);
                    Add2(hb + 16384 + (((w >> 32) & 0xFF) << 4), v);
                    Add2(hb + 20480 + (((w >> 40) & 0xFF) << 4), v);
                    Add2(hb + 24576 + (((w >> 48) & 0xFF) << 4), v);
                    Add2(hb + 28672 + ((w >> 56) << 4), v);
                }
            }
        for (; f < f1; f++)
        {
            byte* hb = (byte*)h + (nuint)f * slot;
            byte* pf = rowBins + f;
            for (int i = 0; i < count; i++)
            {
                byte b = pf[(long)rows[i] * columns];
                if (stride == 2) Add2(hb + ((nuint)b << 4), Vector128.Load(gh + 2 * i));
                else Add4(hb + ((nuint)b << 5), Vector256.Load(gh + 4 * i));
            }
        }
    }

    /// <summary>One feature.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOne(int stride, byte* column, int* rows, double* gh, int count, double* h)
    {
        if (stride == 2)
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                Add2((byte*)h + ((nuint)column[r] << 4), Vector128.Load(gh + 2 * i));
            }
        else
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                Add4((byte*)h + ((nuint)column[r] << 5), Vector256.Load(gh + 4 * i));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add2(byte* p, Vector128<double> v) => Vector128.Store(Vector128.Load((double*)p) + v, (double*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add4(byte* p, Vector256<double> v) => Vector256.Store(Vector256.Load((double*)p) + v, (double*)p);
}
