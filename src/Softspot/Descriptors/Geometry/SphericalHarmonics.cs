using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Softspot.Descriptors.Geometry;

/// <summary>
/// Orthonormal complex spherical harmonics Y_lm with the Condon–Shortley phase (the physics convention; equal to
/// scipy's <c>sph_harm(m, l, φ, θ)</c>), for every 0 ≤ m ≤ l ≤ <see cref="MaxL"/> of one direction at once.
/// Negative orders follow from Y_l,−m = (−1)^m conj(Y_lm).
/// <para>
/// The direction is used as a vector, never as angles: with z = cos θ and u = sin θ e^{iφ} = (x + iy)/r,
/// Y_lm = P̃_lm(z) u^m, where P̃_lm = P̄_lm / sin^m θ is the normalised associated Legendre function with the
/// sin^m θ factor taken out (a polynomial in z). P̃ follows from the standard stable recurrences
/// P̃_00 = 1/√(4π), P̃_mm = −√((2m+1)/(2m)) P̃_{m−1,m−1}, P̃_{m+1,m} = √(2m+3) z P̃_mm,
/// P̃_lm = a_lm (z P̃_{l−1,m} − b_lm P̃_{l−2,m}) with a_lm = √((4l²−1)/(l²−m²)), b_lm = √(((l−1)²−m²)/(4(l−1)²−1)).
/// No atan2 or trigonometric call is needed, and directions on the z axis (u = 0) are exact, never NaN.
/// </para>
/// Values are stored in triangular order: (l, m) at <see cref="Index"/>(l, m) = l(l+1)/2 + m.
/// </summary>
public sealed class SphericalHarmonics
{
    private readonly double[] _diagonal; // P̃_mm
    private readonly double[] _a, _b;    // recurrence coefficients at Index(l, m), for l ≥ m + 2 (a also holds √(2m+3) at l = m + 1)

    public int MaxL { get; }

    /// <summary>Number of (l, m ≥ 0) pairs: (MaxL + 1)(MaxL + 2)/2.</summary>
    public int Count { get; }

    public SphericalHarmonics(int maxL)
    {
        if (maxL < 0 || maxL > 100) throw new ArgumentOutOfRangeException(nameof(maxL), "maxL must be in [0, 100]");
        MaxL = maxL;
        Count = (maxL + 1) * (maxL + 2) / 2;
        _diagonal = new double[maxL + 1];
        _a = new double[Count];
        _b = new double[Count];
        _diagonal[0] = 1 / Math.Sqrt(4 * Math.PI);
        for (int m = 1; m <= maxL; m++) _diagonal[m] = -Math.Sqrt((2.0 * m + 1) / (2.0 * m)) * _diagonal[m - 1];
        for (int m = 0; m <= maxL; m++)
        {
            if (m + 1 <= maxL) _a[Index(m + 1, m)] = Math.Sqrt(2.0 * m + 3);
            for (int l = m + 2; l <= maxL; l++)
            {
                double l2 = (double)l * l, m2 = (double)m * m, k2 = (double)(l - 1) * (l - 1);
                _a[Index(l, m)] = Math.Sqrt((4 * l2 - 1) / (l2 - m2));
                _b[Index(l, m)] = Math.Sqrt((k2 - m2) / (4 * k2 - 1));
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Index(int l, int m) => l * (l + 1) / 2 + m;

    /// <summary>
    /// Writes Y_lm of the direction of (x, y, z) (any non-zero length) for all 0 ≤ m ≤ l ≤ MaxL into
    /// <paramref name="re"/> and <paramref name="im"/> (length ≥ <see cref="Count"/>, triangular order).
    /// </summary>
    public void Evaluate(double x, double y, double z, Span<double> re, Span<double> im)
    {
        re[..Count].Clear(); im[..Count].Clear();
        Accumulate(x, y, z, re, im);
    }

    /// <summary>Adds Y_lm of the direction of (x, y, z) to <paramref name="re"/> and <paramref name="im"/> (triangular order).</summary>
    public void Accumulate(double x, double y, double z, Span<double> re, Span<double> im)
    {
        if (re.Length < Count || im.Length < Count) throw new ArgumentException("the output spans are shorter than Count");
        double r2 = x * x + y * y + z * z;
        if (!(r2 > 0) || !double.IsFinite(r2)) throw new ArgumentException("a direction needs a finite non-zero vector");
        double inv = 1 / Math.Sqrt(r2);
        double cz = z * inv, ux = x * inv, uy = y * inv;
        // bounds were checked above: walk the triangular arrays by reference (this is the hot loop of BOOP)
        ref double reBase = ref MemoryMarshal.GetReference(re), imBase = ref MemoryMarshal.GetReference(im);
        ref double aBase = ref MemoryMarshal.GetArrayDataReference(_a), bBase = ref MemoryMarshal.GetArrayDataReference(_b);
        int maxL = MaxL;
        double pr = 1, pi = 0; // u^m
        for (int m = 0; m <= maxL; m++)
        {
            // l = m
            double p2 = _diagonal[m];
            int k = Index(m, m);
            Unsafe.Add(ref reBase, k) += p2 * pr; Unsafe.Add(ref imBase, k) += p2 * pi;
            if (m < maxL)
            {
                // l = m + 1
                k += m + 1; // Index(m + 1, m)
                double p1 = Unsafe.Add(ref aBase, k) * cz * p2;
                Unsafe.Add(ref reBase, k) += p1 * pr; Unsafe.Add(ref imBase, k) += p1 * pi;
                for (int l = m + 2; l <= maxL; l++)
                {
                    k += l; // Index(l, m) = Index(l - 1, m) + l
                    double p = Unsafe.Add(ref aBase, k) * (cz * p1 - Unsafe.Add(ref bBase, k) * p2);
                    Unsafe.Add(ref reBase, k) += p * pr; Unsafe.Add(ref imBase, k) += p * pi;
                    p2 = p1; p1 = p;
                }
            }
            double nr = pr * ux - pi * uy;
            pi = pr * uy + pi * ux;
            pr = nr;
        }
    }

    /// <summary>One Y_lm (any −l ≤ m ≤ l) of the direction of (x, y, z); convenient, not fast.</summary>
    public System.Numerics.Complex Y(int l, int m, double x, double y, double z)
    {
        if (l < 0 || l > MaxL || Math.Abs(m) > l) throw new ArgumentOutOfRangeException(nameof(m), $"need 0 <= l <= {MaxL} and |m| <= l");
        Span<double> re = Count <= 512 ? stackalloc double[Count] : new double[Count];
        Span<double> im = Count <= 512 ? stackalloc double[Count] : new double[Count];
        Evaluate(x, y, z, re, im);
        int k = Index(l, Math.Abs(m));
        var v = new System.Numerics.Complex(re[k], im[k]);
        return m >= 0 ? v : ((m & 1) == 0 ? 1 : -1) * System.Numerics.Complex.Conjugate(v);
    }
}
