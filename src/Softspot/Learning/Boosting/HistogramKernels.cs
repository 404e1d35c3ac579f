using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Softspot.Learning;

/// <summary>
/// The inner loops of histogram building. A histogram entry is a (gradient, hessian) pair of doubles (stride 2,
/// added as one 128-bit vector) or (gradient, hessian, count, 0) (stride 4, one 256-bit vector); feature f's entries
/// start at entry 256 f. <see cref="AddGroup"/> reads the 8 bins of a row in one 64-bit load and updates 8
/// independent histograms with the row's gradient pair (loaded once), which also hides the store-to-load latency
/// of rows that fall in the same bin.
/// </summary>
internal static unsafe class HistogramKernels
{
    /// <summary>For the rows rows[i] (or i when rows is null), i in [0, count): hist_k[bin_k(row)] += gh[i], k = 0..7.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddGroup(int stride, ulong* words, int* rows, double* gh, int count, double* h)
    {
        if (stride == 2)
        {
            // feature k's entries are 512 doubles (4096 bytes) after feature k-1's
            byte* hb = (byte*)h;
            if (rows == null)
                for (int i = 0; i < count; i++)
                {
                    ulong w = words[i];
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
            else
                for (int i = 0; i < count; i++)
                {
                    ulong w = words[rows[i]];
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
        else
        {
            byte* hb = (byte*)h;
            for (int i = 0; i < count; i++)
            {
                ulong w = rows == null ? words[i] : words[rows[i]];
                var v = Vector256.Load(gh + 4 * i);
                for (int k = 0; k < 8; k++)
                    Add4(hb + k * 8192 + (((w >> (8 * k)) & 0xFF) << 5), v);
            }
        }
    }

    /// <summary>One feature whose bins are 8 bytes apart (a byte of the group words).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddOne(int stride, byte* column, int* rows, double* gh, int count, double* h)
    {
        if (stride == 2)
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                Add2((byte*)h + ((nuint)column[8 * r] << 4), Vector128.Load(gh + 2 * i));
            }
        else
            for (int i = 0; i < count; i++)
            {
                long r = rows == null ? i : rows[i];
                Add4((byte*)h + ((nuint)column[8 * r] << 5), Vector256.Load(gh + 4 * i));
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add2(byte* p, Vector128<double> v) => Vector128.Store(Vector128.Load((double*)p) + v, (double*)p);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add4(byte* p, Vector256<double> v) => Vector256.Store(Vector256.Load((double*)p) + v, (double*)p);
}
