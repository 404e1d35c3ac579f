using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// The SOAP power spectrum as dscribe computes it (rbf "gto", crossover on, no weighting, no averaging):
/// p^{Z1 Z2}_{n n' l} = π √(8/(2l+1)) Σ_m c^{Z1}_{nlm} c^{Z2}_{n'lm}, with c^Z_{nlm} the <see cref="SoapExpansion"/>
/// of the Gaussians (width σ, unit weight) of the atoms of species Z around the atom, the atom itself included.
/// Neighbours are the atoms closer than r_cut + σ √(2 ln 1000) (dscribe's cutoff padding: a Gaussian there has
/// decayed to 10⁻³ at r_cut), with no cutoff function; r_cut also sets the radial basis (<see cref="GtoRadialBasis"/>).
/// </summary>
/// <remarks>
/// Species are the system's elements in order of atomic number (dscribe sorts them so): for Cu and Zr, Cu first.
/// Columns <c>soap_{Z1}_{Z2}_n{n}_n{n'}_l{l}</c> for the species pairs Z1 ≤ Z2 (Cu_Cu, Cu_Zr, Zr_Zr), then n, then
/// n', then l innermost. Within a same-species block n' ≥ n (the rest are equal by symmetry). In a cross-species
/// block dscribe ≤ 0.3 also kept only n' ≥ n (the count of the 2020 paper: 3 × 9 × 21 = 567 for two species,
/// n_max = 6, l_max = 8), which is the default; <see cref="FullCrossSpecies"/> keeps every (n, n') there, as
/// dscribe does today (702 for the same settings).
/// </remarks>
public sealed class Soap : Descriptor
{
    /// <summary>The radial basis size of the 2020 paper's count (567 columns for two species).</summary>
    public const int PaperNMax = 6;

    /// <summary>The highest degree of the 2020 paper's count.</summary>
    public const int PaperLMax = 8;

    /// <summary>Gaussians farther than r_cut by this many σ have decayed below 10⁻³ at r_cut: √(2 ln 1000).</summary>
    public static readonly double PaddingInSigmas = Math.Sqrt(-2 * Math.Log(GtoRadialBasis.Threshold));

    private readonly FeatureColumn[] _columns;
    private readonly int[] _speciesOfType;    // index = type (0 unused)
    private readonly (int A, int B)[] _pairs; // species pairs a ≤ b in column order
    private readonly int[] _columnOf;         // [((pair · (l_max+1) + l) · PaddedN + n) · PaddedN + n'] → column, or −1

    /// <summary>The expansion (basis, harmonics and σ).</summary>
    public SoapExpansion Expansion { get; }

    /// <summary>The species symbols in order of atomic number.</summary>
    public IReadOnlyList<string> Species { get; }

    /// <summary>Every (n, n') in cross-species blocks (dscribe today), not only n' ≥ n (dscribe ≤ 0.3, the paper).</summary>
    public bool FullCrossSpecies { get; }

    /// <summary>Atoms closer than this (A) are neighbours: r_cut + σ √(2 ln 1000).</summary>
    public double NeighbourCutoff { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<FeatureColumn> Columns => _columns;

    /// <summary>SOAP of a system's elements with basis radius <paramref name="cutoff"/> and Gaussian width <paramref name="sigma"/> (A).</summary>
    /// <exception cref="SoftspotException">A parameter is out of range.</exception>
    public Soap(ElementMap elements, double cutoff, double sigma, bool fullCrossSpecies = false, int nMax = PaperNMax, int lMax = PaperLMax)
    {
        Expansion = new SoapExpansion(new GtoRadialBasis(nMax, lMax, cutoff), sigma);
        FullCrossSpecies = fullCrossSpecies;
        NeighbourCutoff = cutoff + PaddingInSigmas * sigma;
        var species = elements.ElementsByType.DistinctBy(e => e.Symbol).OrderBy(e => e.Z).Select(e => e.Symbol).ToArray();
        Species = species;
        _speciesOfType = new int[elements.TypeCount + 1];
        for (int t = 1; t <= elements.TypeCount; t++) _speciesOfType[t] = Array.IndexOf(species, elements[t]!.Symbol);

        int padded = Expansion.PaddedN;
        var columns = new List<FeatureColumn>();
        var pairs = new List<(int, int)>();
        _columnOf = new int[species.Length * (species.Length + 1) / 2 * (lMax + 1) * padded * padded];
        Array.Fill(_columnOf, -1);
        for (int a = 0; a < species.Length; a++)
            for (int b = a; b < species.Length; b++)
            {
                int pair = pairs.Count;
                pairs.Add((a, b));
                for (int n = 0; n < nMax; n++)
                    for (int n2 = a != b && fullCrossSpecies ? 0 : n; n2 < nMax; n2++)
                        for (int l = 0; l <= lMax; l++)
                        {
                            _columnOf[((pair * (lMax + 1) + l) * padded + n) * padded + n2] = columns.Count;
                            string name = string.Create(CultureInfo.InvariantCulture, $"soap_{species[a]}_{species[b]}_n{n}_n{n2}_l{l}");
                            columns.Add(new FeatureColumn(name, string.Create(CultureInfo.InvariantCulture,
                                $"SOAP power spectrum pi*sqrt(8/(2l+1)) sum_m c^{species[a]}_(n={n},l={l},m) c^{species[b]}_(n={n2},l={l},m) (dscribe GTO basis, r_cut {cutoff:G6} A, sigma {sigma:G6} A)")));
                        }
            }
        _columns = [.. columns];
        _pairs = [.. pairs];
    }

    /// <summary>The <c>soap</c> preset's descriptor for a system's elements and settings (r_cut, σ, full cross-species blocks).</summary>
    public static Soap FromSettings(ElementMap elements, FeaturizeSettings settings) =>
        new(elements, settings.SoapCutoff, settings.SoapSigma, settings.SoapFull);

    /// <summary>
    /// Writes the power spectrum of coefficients c[species · <see cref="SoapExpansion.Length"/> + n (l_max+1)² + l² + l + m]
    /// (species in the order of <see cref="Species"/>) to <paramref name="values"/> in column order.
    /// </summary>
    public void PowerSpectrum(ReadOnlySpan<double> coefficients, Span<double> values)
    {
        int length = Expansion.Length, packedLength = Expansion.PackedLength;
        var packed = new double[Species.Count * packedLength];
        for (int s = 0; s < Species.Count; s++)
            Expansion.Pack(coefficients.Slice(s * length, length), packed.AsSpan(s * packedLength, packedLength));
        PowerSpectrumPacked(packed, values, new double[Expansion.PaddedN * Expansion.PaddedN]);
    }

    /// <summary>The power spectrum of packed coefficients (<see cref="SoapExpansion.Add"/>, one block per species).</summary>
    private void PowerSpectrumPacked(ReadOnlySpan<double> packed, Span<double> values, Span<double> product)
    {
        int padded = Expansion.PaddedN, lMax = Expansion.LMax, packedLength = Expansion.PackedLength, lanes = Vector<double>.Count;
        int vectors = padded / lanes;
        var productV = MemoryMarshal.Cast<double, Vector<double>>(product);
        for (int pair = 0; pair < _pairs.Length; pair++)
        {
            var (a, b) = _pairs[pair];
            var ca = packed.Slice(a * packedLength, packedLength);
            var cb = MemoryMarshal.Cast<double, Vector<double>>(packed.Slice(b * packedLength, packedLength));
            for (int l = 0; l <= lMax; l++)
            {
                // product[n][n'] = Σ_m c^a_{nlm} c^b_{n'lm}
                productV.Clear();
                for (int lm = l * l; lm < (l + 1) * (l + 1); lm++)
                    for (int n = 0; n < padded; n++)
                    {
                        var x = new Vector<double>(ca[lm * padded + n]);
                        for (int q = 0; q < vectors; q++) productV[n * vectors + q] += x * cb[lm * vectors + q];
                    }
                double factor = Math.PI * Math.Sqrt(8.0 / (2 * l + 1));
                var columnOf = _columnOf.AsSpan((pair * (lMax + 1) + l) * padded * padded, padded * padded);
                for (int i = 0; i < columnOf.Length; i++)
                    if (columnOf[i] >= 0) values[columnOf[i]] = factor * product[i];
            }
        }
    }

    /// <inheritdoc/>
    public override AtomKernel Bind(FrameContext frame)
    {
        var types = frame.Snapshot.Types;
        for (int i = 0; i < types.Length; i++)
            if (types[i] < 1 || types[i] >= _speciesOfType.Length)
                throw new SoftspotException($"atom {frame.Snapshot.Ids[i]} has type {types[i]}, but SOAP was set up for types 1..{_speciesOfType.Length - 1}");
        var list = frame.WithinCutoff(NeighbourCutoff);
        var expansion = Expansion;
        int length = expansion.PackedLength, total = Species.Count * length;
        var buffers = new ThreadLocal<(double[] C, double[] Scratch, double[] Product)>(
            () => (new double[total], new double[expansion.ScratchLength], new double[expansion.PaddedN * expansion.PaddedN]));
        var speciesOfType = _speciesOfType;
        return (atom, values) =>
        {
            var (c, scratch, product) = buffers.Value;
            Array.Clear(c);
            expansion.Add(0, 0, 0, 1, c.AsSpan(speciesOfType[types[atom]] * length, length), scratch);
            for (int k = list.Offsets[atom], end = list.Offsets[atom + 1]; k < end; k++)
            {
                var v = list.Vectors[k];
                expansion.Add(v.X, v.Y, v.Z, 1, c.AsSpan(speciesOfType[types[list.Index[k]]] * length, length), scratch);
            }
            PowerSpectrumPacked(c, values, product);
        };
    }
}
