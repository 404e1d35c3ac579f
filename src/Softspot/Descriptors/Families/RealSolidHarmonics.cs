using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Softspot.Descriptors;

/// <summary>
/// Real solid harmonics r^l Y_lm(r̂) for l = 0 … l_max, from Cartesian components by recurrence (no angles, smooth at
/// the origin, where only l = 0 is non-zero). Y_lm are the orthonormal real (tesseral) harmonics dscribe integrates
/// against: Y_l0 = Y_l^0, Y_lm = √2 (−1)^m Re Y_l^m and Y_l,−m = √2 (−1)^m Im Y_l^m (m &gt; 0), Y_l^m the complex
/// harmonics with the Condon–Shortley phase; so Y_11 ∝ x, Y_1,−1 ∝ y, Y_10 ∝ z, all with positive factors. Values go
/// to index l² + l + m (m = −l … l in order).
/// </summary>
public sealed class RealSolidHarmonics
{
    // The normalised recurrence: Q_lm = N_lm Π_l^m(z, r²) with Π_l^m = r^{l−m} P_l^m(cos θ) / sin^m θ (no Condon–Shortley
    // phase), N_lm = √((2l+1)/4π) for m = 0 and √(2 (2l+1)/4π (l−m)!/(l+m)!) for m > 0. Then Y_lm = Q_lm Re (x+iy)^m,
    // Y_l,−m = Q_lm Im (x+iy)^m. Q_mm = N_mm (2m−1)!!, Q_{m+1,m} = A z Q_mm, Q_lm = A z Q_{l−1,m} − B r² Q_{l−2,m}.
    private readonly double[] _diagonal; // [m]: N_mm (2m−1)!!
    private readonly double[] _a, _b;    // [l² + l + m]: the recurrence's factors with the normalisation folded in

    /// <summary>Highest degree l_max.</summary>
    public int LMax { get; }

    /// <summary>The number of values, (l_max + 1)².</summary>
    public int Count => (LMax + 1) * (LMax + 1);

    /// <summary>Harmonics of degrees 0 … <paramref name="lMax"/>.</summary>
    public RealSolidHarmonics(int lMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(lMax);
        LMax = lMax;
        _diagonal = new double[lMax + 1];
        _a = new double[Count];
        _b = new double[Count];
        double doubleFactorial = 1;
        for (int m = 0; m <= lMax; m++)
        {
            if (m > 0) doubleFactorial *= 2 * m - 1;
            _diagonal[m] = Norm(m, m) * doubleFactorial;
            for (int l = m + 1; l <= lMax; l++)
            {
                int i = l * l + l + m;
                if (l == m + 1) _a[i] = (2 * m + 1) * Norm(l, m) / Norm(m, m);
                else
                {
                    _a[i] = (2.0 * l - 1) / (l - m) * Norm(l, m) / Norm(l - 1, m);
                    _b[i] = (l + m - 1.0) / (l - m) * Norm(l, m) / Norm(l - 2, m);
                }
            }
        }
    }

    private static double Norm(int l, int m)
    {
        double ratio = 1; // (l−m)!/(l+m)!
        for (int k = l - m + 1; k <= l + m; k++) ratio /= k;
        return Math.Sqrt((m == 0 ? 1 : 2) * (2 * l + 1) / (4 * Math.PI) * ratio);
    }

    /// <summary>Writes r^l Y_lm(r̂) of the vector (x, y, z) to <paramref name="values"/>[l² + l + m].</summary>
    public void Evaluate(double x, double y, double z, Span<double> values)
    {
        int lMax = LMax;
        if (values.Length < Count) throw new ArgumentException($"need {Count} values", nameof(values));
        ref double v = ref MemoryMarshal.GetReference(values);
        ref double a = ref MemoryMarshal.GetArrayDataReference(_a);
        ref double b = ref MemoryMarshal.GetArrayDataReference(_b);
        double r2 = x * x + y * y + z * z;
        double cosM = 1, sinM = 0;        // Re and Im of (x + iy)^m
        for (int m = 0; m <= lMax; m++)
        {
            if (m > 0)
            {
                double c = x * cosM - y * sinM;
                sinM = x * sinM + y * cosM;
                cosM = c;
            }
            double previous = 0, current = _diagonal[m];
            for (int l = m; l <= lMax; l++)
            {
                int centre = l * l + l;
                if (l > m)
                {
                    double next = Unsafe.Add(ref a, centre + m) * z * current - Unsafe.Add(ref b, centre + m) * r2 * previous;
                    previous = current; current = next;
                }
                if (m == 0) Unsafe.Add(ref v, centre) = current;
                else
                {
                    Unsafe.Add(ref v, centre + m) = current * cosM;
                    Unsafe.Add(ref v, centre - m) = current * sinM;
                }
            }
        }
    }
}
