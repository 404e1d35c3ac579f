namespace Softspot.Descriptors;

/// <summary>
/// dscribe's orthonormalised Gaussian-type radial basis of SOAP: for each degree l,
/// g_nl(r) = Σ_k β_{nkl} r^l exp(−α_{kl} r²), n, k = 0 … n_max − 1, where the primitive k decays to 10⁻³ at
/// a_k = linspace(1, r_cut, n_max)[k] (α_{kl} = −ln(10⁻³ / a_k^l) / a_k²) and β_l = S_l^{−1/2} (Löwdin), S_l the
/// overlap ∫ r² r^{2l} exp(−(α_{kl} + α_{k'l}) r²) dr = Γ(l + 3/2) / (2 (α_{kl} + α_{k'l})^{l+3/2}). Then
/// ∫₀^∞ g_nl g_n'l r² dr = δ_nn'.
/// </summary>
public sealed class GtoRadialBasis
{
    /// <summary>The decay threshold of the primitives at their radii a_k (dscribe's 10⁻³).</summary>
    public const double Threshold = 1e-3;

    private readonly double[] _alpha;  // [l * NMax + k]
    private readonly double[] _beta;   // [(l * NMax + n) * NMax + k]

    /// <summary>Number of radial functions n_max.</summary>
    public int NMax { get; }

    /// <summary>Highest degree l_max.</summary>
    public int LMax { get; }

    /// <summary>The basis radius r_cut (A): the last primitive decays to 10⁻³ there.</summary>
    public double Cutoff { get; }

    /// <summary>The basis for n_max radial functions, degrees 0 … l_max and radius r_cut (A, above 1 A as in dscribe).</summary>
    /// <exception cref="SoftspotException">n_max &lt; 1, l_max &lt; 0, r_cut ≤ 1 A, or the overlap is numerically singular.</exception>
    public GtoRadialBasis(int nMax, int lMax, double cutoff)
    {
        if (nMax < 1) throw new SoftspotException($"SOAP n_max must be at least 1 (got {nMax})");
        if (lMax < 0) throw new SoftspotException($"SOAP l_max must not be negative (got {lMax})");
        if (!(cutoff > 1) || double.IsInfinity(cutoff)) throw new SoftspotException($"the SOAP cutoff must be finite and above 1 A for the GTO basis (got {cutoff})");
        NMax = nMax; LMax = lMax; Cutoff = cutoff;
        _alpha = new double[(lMax + 1) * nMax];
        _beta = new double[(lMax + 1) * nMax * nMax];
        for (int l = 0; l <= lMax; l++)
        {
            for (int k = 0; k < nMax; k++)
            {
                double a = nMax == 1 ? 1 : 1 + (cutoff - 1) * k / (nMax - 1);
                _alpha[l * nMax + k] = -Math.Log(Threshold / Math.Pow(a, l)) / (a * a);
            }
            var overlap = new double[nMax, nMax];
            double gamma = GammaHalfInteger(l);
            for (int k = 0; k < nMax; k++)
                for (int q = 0; q < nMax; q++)
                    overlap[k, q] = 0.5 * gamma * Math.Pow(_alpha[l * nMax + k] + _alpha[l * nMax + q], -(l + 1.5));
            var inverseRoot = SymmetricMatrix.InverseSquareRoot(overlap)
                ?? throw new SoftspotException($"the SOAP GTO overlap matrix for l = {l} is numerically singular (n_max {nMax}, r_cut {cutoff}): choose a smaller n_max");
            for (int n = 0; n < nMax; n++)
                for (int k = 0; k < nMax; k++)
                    _beta[(l * nMax + n) * nMax + k] = inverseRoot[n, k];
        }
    }

    /// <summary>α_{kl}: the decay of primitive k at degree l (A⁻²).</summary>
    public double Alpha(int l, int k) => _alpha[l * NMax + k];

    /// <summary>β_{nkl}: the weight of primitive k in radial function n at degree l.</summary>
    public double Beta(int l, int n, int k) => _beta[(l * NMax + n) * NMax + k];

    /// <summary>g_nl(r).</summary>
    public double Value(int n, int l, double r)
    {
        double sum = 0;
        for (int k = 0; k < NMax; k++) sum += Beta(l, n, k) * Math.Exp(-Alpha(l, k) * r * r);
        return sum * Math.Pow(r, l);
    }

    /// <summary>Γ(l + 3/2) = (2l + 1)!! √π / 2^{l+1}.</summary>
    public static double GammaHalfInteger(int l)
    {
        double g = Math.Sqrt(Math.PI) / 2; // Γ(3/2)
        for (int j = 1; j <= l; j++) g *= j + 0.5;
        return g;
    }
}

/// <summary>Small dense symmetric matrices: eigen-decomposition by cyclic Jacobi rotations.</summary>
internal static class SymmetricMatrix
{
    /// <summary>S^{−1/2} of a symmetric positive definite matrix, or null when its condition number exceeds 1e13.</summary>
    public static double[,]? InverseSquareRoot(double[,] s)
    {
        var (values, vectors) = Eigen(s);
        int n = values.Length;
        double max = values.Max(), min = values.Min();
        if (!(min > 0) || max / min > 1e13) return null;
        var result = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int k = 0; k < n; k++) sum += vectors[i, k] * vectors[j, k] / Math.Sqrt(values[k]);
                result[i, j] = sum;
            }
        return result;
    }

    /// <summary>Eigenvalues and eigenvectors (columns) of a symmetric matrix.</summary>
    public static (double[] Values, double[,] Vectors) Eigen(double[,] s)
    {
        int n = s.GetLength(0);
        var m = (double[,])s.Clone();
        var v = new double[n, n];
        for (int i = 0; i < n; i++) v[i, i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, diag = 0;
            for (int p = 0; p < n; p++)
            {
                diag += m[p, p] * m[p, p];
                for (int q = p + 1; q < n; q++) off += m[p, q] * m[p, q];
            }
            if (off <= 1e-32 * diag) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (m[p, q] == 0) continue;
                    double theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = theta == 0 ? 1 : Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    double c = 1 / Math.Sqrt(t * t + 1), sn = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - sn * mkq; m[k, q] = sn * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - sn * mqk; m[q, k] = sn * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - sn * vkq; v[k, q] = sn * vkp + c * vkq;
                    }
                }
        }
        var values = new double[n];
        for (int i = 0; i < n; i++) values[i] = m[i, i];
        return (values, v);
    }
}
