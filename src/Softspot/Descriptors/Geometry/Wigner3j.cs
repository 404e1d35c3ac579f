namespace Softspot.Descriptors.Geometry;

/// <summary>
/// Wigner 3j symbols (j1 j2 j3; m1 m2 m3) for integer angular momenta, by the Racah formula with factorials held
/// in double precision (exact up to 22!, correctly rounded beyond). The alternating Racah sum loses a few digits
/// for large j; for the j ≤ 10 of bond-orientational order the result is good to about 1e-14 (checked by the
/// orthogonality relation in the tests). Values are meant to be computed once and tabulated.
/// </summary>
public static class Wigner3j
{
    private const int MaxFactorial = 170; // 171! overflows double
    private static readonly double[] Factorials = BuildFactorials();

    private static double[] BuildFactorials()
    {
        var f = new double[MaxFactorial + 1];
        f[0] = 1;
        for (int n = 1; n <= MaxFactorial; n++) f[n] = f[n - 1] * n;
        return f;
    }

    /// <summary>n! in double precision (0 ≤ n ≤ 170).</summary>
    public static double Factorial(int n) =>
        n >= 0 && n <= MaxFactorial ? Factorials[n] : throw new ArgumentOutOfRangeException(nameof(n), "n must be in [0, 170]");

    /// <summary>
    /// (j1 j2 j3; m1 m2 m3); 0 when the selection rules fail (m1 + m2 + m3 ≠ 0, |m_i| &gt; j_i, or no triangle).
    /// </summary>
    public static double Symbol(int j1, int j2, int j3, int m1, int m2, int m3)
    {
        if (j1 < 0 || j2 < 0 || j3 < 0) throw new ArgumentOutOfRangeException(nameof(j1), "angular momenta must be non-negative");
        if (j1 + j2 + j3 + 1 > MaxFactorial) throw new ArgumentOutOfRangeException(nameof(j1), "angular momenta too large for double factorials");
        if (m1 + m2 + m3 != 0 || Math.Abs(m1) > j1 || Math.Abs(m2) > j2 || Math.Abs(m3) > j3) return 0;
        if (j3 < Math.Abs(j1 - j2) || j3 > j1 + j2) return 0;

        double triangle = Factorials[j1 + j2 - j3] * Factorials[j1 - j2 + j3] * Factorials[-j1 + j2 + j3] / Factorials[j1 + j2 + j3 + 1];
        double projections = Factorials[j1 + m1] * Factorials[j1 - m1] * Factorials[j2 + m2] * Factorials[j2 - m2]
                             * Factorials[j3 + m3] * Factorials[j3 - m3];

        int kMin = Math.Max(0, Math.Max(j2 - j3 - m1, j1 - j3 + m2));
        int kMax = Math.Min(j1 + j2 - j3, Math.Min(j1 - m1, j2 + m2));
        double sum = 0;
        for (int k = kMin; k <= kMax; k++)
        {
            double term = 1 / (Factorials[k] * Factorials[j3 - j2 + k + m1] * Factorials[j3 - j1 + k - m2]
                               * Factorials[j1 + j2 - j3 - k] * Factorials[j1 - k - m1] * Factorials[j2 - k + m2]);
            sum += (k & 1) == 0 ? term : -term;
        }
        int phase = j1 - j2 - m3;
        double value = Math.Sqrt(triangle * projections) * sum;
        return (phase & 1) == 0 ? value : -value;
    }
}
