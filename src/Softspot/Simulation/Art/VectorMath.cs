using System.Runtime.Intrinsics;

namespace Softspot.Simulation.Art;

/// <summary>The few vector operations the saddle search needs, on flat coordinate arrays.</summary>
internal static class VectorMath
{
    public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors of different lengths");
        // four fixed lanes: the same summation order (and bits) on every machine
        var sum = Vector256<double>.Zero;
        int i = 0;
        for (; i <= a.Length - 4; i += 4) sum += Vector256.Create(a.Slice(i, 4)) * Vector256.Create(b.Slice(i, 4));
        double s = (sum[0] + sum[1]) + (sum[2] + sum[3]);
        for (; i < a.Length; i++) s += a[i] * b[i];
        return s;
    }

    public static double Norm(ReadOnlySpan<double> a) => Math.Sqrt(Dot(a, a));

    /// <summary>y += s x (four lanes at a time: each element's operations, and bits, are the scalar ones).</summary>
    public static void Axpy(double s, ReadOnlySpan<double> x, Span<double> y)
    {
        if (x.Length < y.Length) throw new ArgumentException("vectors of different lengths");
        var sv = Vector256.Create(s);
        int i = 0;
        for (; i <= y.Length - 4; i += 4) (Vector256.Create(y.Slice(i, 4)) + sv * Vector256.Create(x.Slice(i, 4))).CopyTo(y.Slice(i, 4));
        for (; i < y.Length; i++) y[i] += s * x[i];
    }

    /// <summary>a *= s (four lanes at a time, bit-identical to the scalar loop).</summary>
    public static void Scale(Span<double> a, double s)
    {
        var sv = Vector256.Create(s);
        int i = 0;
        for (; i <= a.Length - 4; i += 4) (Vector256.Create(a.Slice(i, 4)) * sv).CopyTo(a.Slice(i, 4));
        for (; i < a.Length; i++) a[i] *= s;
    }

    /// <summary>Normalises in place; returns the former norm.</summary>
    public static double Normalize(Span<double> a)
    {
        double n = Norm(a);
        if (n > 0) Scale(a, 1 / n);
        return n;
    }

    /// <summary>Removes the component along the unit vector <paramref name="unit"/>.</summary>
    public static void RemoveComponent(Span<double> a, ReadOnlySpan<double> unit) => Axpy(-Dot(a, unit), unit, a);

    /// <summary>The largest force on one atom.</summary>
    public static double MaxAtomNorm(ReadOnlySpan<double> f)
    {
        double max = 0;
        for (int i = 0; i < f.Length; i += 3) max = Math.Max(max, f[i] * f[i] + f[i + 1] * f[i + 1] + f[i + 2] * f[i + 2]);
        return Math.Sqrt(max);
    }
}
