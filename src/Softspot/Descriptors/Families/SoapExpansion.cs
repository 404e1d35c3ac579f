using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Softspot.Descriptors;

/// <summary>
/// The expansion coefficients c_nlm = ∫ g_nl(r) Y_lm(r̂) ρ(r) d³r of a neighbour density of unnormalised Gaussians,
/// ρ(r) = Σ_j w_j exp(−|r − r_j|² / 2σ²), on a <see cref="GtoRadialBasis"/> and the real harmonics of
/// <see cref="RealSolidHarmonics"/>, in closed form. With exp(κ cos γ) = 4π Σ_lm i_l(κ) Y_lm(r̂) Y_lm(r̂_j) and
/// ∫₀^∞ r^{l+2} e^{−p r²} i_l(q r) dr = √π q^l e^{q²/4p} / (2^{l+2} p^{l+3/2}), each neighbour at distance d adds
/// c_nlm += w Σ_k β_{nkl} C_{kl} exp(−γ_{kl} d²) · d^l Y_lm(r̂_j), with p_{kl} = α_{kl} + 1/2σ²,
/// γ_{kl} = α_{kl} / (1 + 2σ²α_{kl}) and C_{kl} = 4π √π / (2^{l+2} p_{kl}^{l+3/2} σ^{2l}): one exponential per
/// (l, k) and the solid harmonics per neighbour, no Bessel functions and no numerical integration.
/// </summary>
/// <remarks>
/// <see cref="Coefficients"/> returns them as [n · (l_max+1)² + l² + l + m]. <see cref="Add"/> accumulates them packed
/// for vector arithmetic, [(l² + l + m) · <see cref="PaddedN"/> + n] (n padded to whole vectors, the padding zero).
/// Instances are immutable and thread-safe.
/// </remarks>
public sealed class SoapExpansion
{
    private static readonly int Lanes = Vector<double>.Count;
    private readonly double[] _decay;   // γ_{kl} at [l · NMax + k], padded to whole vectors with 0
    private readonly double[] _weight;  // β_{nkl} C_{kl} at [(l · NMax + k) · PaddedN + n], 0 for n ≥ NMax

    /// <summary>The radial basis.</summary>
    public GtoRadialBasis Basis { get; }

    /// <summary>The harmonics.</summary>
    public RealSolidHarmonics Harmonics { get; }

    /// <summary>The Gaussian width σ (A).</summary>
    public double Sigma { get; }

    /// <summary>n_max.</summary>
    public int NMax => Basis.NMax;

    /// <summary>l_max.</summary>
    public int LMax => Basis.LMax;

    /// <summary>n_max rounded up to whole SIMD vectors: the stride of the packed layout.</summary>
    public int PaddedN { get; }

    /// <summary>Coefficients per species: n_max (l_max + 1)².</summary>
    public int Length => NMax * Harmonics.Count;

    /// <summary>Packed coefficients per species (<see cref="Add"/>): <see cref="PaddedN"/> (l_max + 1)².</summary>
    public int PackedLength => PaddedN * Harmonics.Count;

    /// <summary>Doubles of scratch space <see cref="Add"/> needs.</summary>
    public int ScratchLength => Harmonics.Count + _decay.Length + (LMax + 1) * PaddedN;

    /// <summary>The expansion on <paramref name="basis"/> of Gaussians of width <paramref name="sigma"/> (A).</summary>
    /// <exception cref="SoftspotException">σ is not positive and finite.</exception>
    public SoapExpansion(GtoRadialBasis basis, double sigma)
    {
        if (!(sigma > 0) || double.IsInfinity(sigma)) throw new SoftspotException($"the SOAP Gaussian width sigma must be positive and finite (got {sigma})");
        Basis = basis; Sigma = sigma;
        Harmonics = new RealSolidHarmonics(basis.LMax);
        int nMax = basis.NMax, radial = (basis.LMax + 1) * nMax;
        PaddedN = (nMax + Lanes - 1) / Lanes * Lanes;
        _decay = new double[(radial + Lanes - 1) / Lanes * Lanes];
        _weight = new double[radial * PaddedN];
        double s2 = sigma * sigma;
        for (int l = 0; l <= basis.LMax; l++)
            for (int k = 0; k < nMax; k++)
            {
                double alpha = basis.Alpha(l, k), p = alpha + 1 / (2 * s2);
                _decay[l * nMax + k] = alpha / (1 + 2 * s2 * alpha);
                double logC = Math.Log(4 * Math.PI * Math.Sqrt(Math.PI)) - (l + 2) * Math.Log(2) - (l + 1.5) * Math.Log(p) - 2 * l * Math.Log(sigma);
                double c = Math.Exp(logC);
                for (int n = 0; n < nMax; n++) _weight[(l * nMax + k) * PaddedN + n] = basis.Beta(l, n, k) * c;
            }
    }

    /// <summary>
    /// Adds the Gaussian at displacement (x, y, z) from the centre, of weight <paramref name="weight"/>, to one
    /// species' <see cref="PackedLength"/> packed coefficients. The centre atom itself is the displacement (0, 0, 0).
    /// </summary>
    public void Add(double x, double y, double z, double weight, Span<double> packed, Span<double> scratch)
    {
        int nMax = NMax, lMax = LMax, vectorsPerN = PaddedN / Lanes;
        int count = Harmonics.Count;
        if (packed.Length < PackedLength || scratch.Length < ScratchLength) throw new ArgumentException("packed coefficients or scratch too short");
        var harmonics = scratch[..count];
        var exps = scratch.Slice(count, _decay.Length);
        var radial = MemoryMarshal.Cast<double, Vector<double>>(scratch.Slice(count + _decay.Length, (lMax + 1) * PaddedN));
        Harmonics.Evaluate(x, y, z, harmonics);
        var minusD2 = new Vector<double>(-(x * x + y * y + z * z));
        var decayV = MemoryMarshal.Cast<double, Vector<double>>(_decay.AsSpan());
        var expV = MemoryMarshal.Cast<double, Vector<double>>(exps);
        for (int v = 0; v < decayV.Length; v++) expV[v] = Vector.Exp(decayV[v] * minusD2);
        // radial[l][n] = w Σ_k β_{nkl} C_{kl} exp(−γ_{kl} d²), n in vectors
        var weightV = MemoryMarshal.Cast<double, Vector<double>>(_weight.AsSpan());
        ref var r0 = ref MemoryMarshal.GetReference(radial);
        ref var w0 = ref MemoryMarshal.GetReference(weightV);
        for (int l = 0; l <= lMax; l++)
            for (int q = 0; q < vectorsPerN; q++)
            {
                var sum = Vector<double>.Zero;
                for (int k = 0; k < nMax; k++)
                    sum += new Vector<double>(exps[l * nMax + k]) * Unsafe.Add(ref w0, (l * nMax + k) * vectorsPerN + q);
                Unsafe.Add(ref r0, l * vectorsPerN + q) = sum * weight;
            }
        // packed[lm][n] += radial[l][n] · Y_lm
        ref var c0 = ref MemoryMarshal.GetReference(MemoryMarshal.Cast<double, Vector<double>>(packed));
        ref double h0 = ref MemoryMarshal.GetReference(harmonics);
        for (int l = 0; l <= lMax; l++)
            for (int lm = l * l; lm < (l + 1) * (l + 1); lm++)
            {
                var h = new Vector<double>(Unsafe.Add(ref h0, lm));
                for (int q = 0; q < vectorsPerN; q++)
                    Unsafe.Add(ref c0, lm * vectorsPerN + q) += h * Unsafe.Add(ref r0, l * vectorsPerN + q);
            }
    }

    /// <summary>Packed coefficients (<see cref="Add"/>) of one species as [n · (l_max+1)² + l² + l + m].</summary>
    public void Unpack(ReadOnlySpan<double> packed, Span<double> coefficients)
    {
        int count = Harmonics.Count;
        for (int n = 0; n < NMax; n++)
            for (int lm = 0; lm < count; lm++)
                coefficients[n * count + lm] = packed[lm * PaddedN + n];
    }

    /// <summary>Coefficients of one species [n · (l_max+1)² + l² + l + m] in the packed layout of <see cref="Add"/>.</summary>
    public void Pack(ReadOnlySpan<double> coefficients, Span<double> packed)
    {
        int count = Harmonics.Count;
        packed[..PackedLength].Clear();
        for (int n = 0; n < NMax; n++)
            for (int lm = 0; lm < count; lm++)
                packed[lm * PaddedN + n] = coefficients[n * count + lm];
    }

    /// <summary>
    /// The coefficients of the Gaussians at <paramref name="displacements"/> from the centre (weights default 1), as
    /// [n · (l_max+1)² + l² + l + m] in a new array of <see cref="Length"/> values.
    /// </summary>
    public double[] Coefficients(ReadOnlySpan<Structures.Vec3> displacements, ReadOnlySpan<double> weights = default)
    {
        var packed = new double[PackedLength];
        var scratch = new double[ScratchLength];
        for (int j = 0; j < displacements.Length; j++)
            Add(displacements[j].X, displacements[j].Y, displacements[j].Z, weights.IsEmpty ? 1 : weights[j], packed, scratch);
        var c = new double[Length];
        Unpack(packed, c);
        return c;
    }
}
