using Softspot.Pipelines;

namespace Softspot.Reporting;

/// <summary>
/// Table 1 of Wang, Ding and Ma, npj Comput. Mater. 6, 194 (2020): ROC-AUC (mean ± std over 3 x 5 splits) of each
/// per-atom representation on the H-Eact and L-Eact tasks, pooled over six Cu-Zr glasses, and the Softspot preset
/// that computes it. Feature counts are the paper's (without the element flag it adds to every row but the
/// interstice one).
/// </summary>
public static class PaperTable1
{
    /// <summary>One row of the paper's table.</summary>
    /// <param name="Preset">The Softspot preset of this representation.</param>
    /// <param name="Representation">The paper's name for it.</param>
    /// <param name="Features">The paper's feature count (element flag not counted).</param>
    /// <param name="High">H-Eact ROC-AUC (mean, std).</param>
    /// <param name="Low">L-Eact ROC-AUC (mean, std).</param>
    public sealed record Row(string Preset, string Representation, int Features, (double Mean, double Std) High, (double Mean, double Std) Low)
    {
        /// <summary>The paper's AUC of a task label (<c>h_eact</c> or <c>l_eact</c>); null for other labels.</summary>
        public (double Mean, double Std)? For(string label) => TaskLabel.TryParse(label)?.Kind switch
        {
            LabelKind.HighActivation => High,
            LabelKind.LowActivation => Low,
            _ => null,
        };
    }

    /// <summary>The twelve rows, in the paper's order.</summary>
    public static IReadOnlyList<Row> Rows { get; } =
    [
        new("interstice", "Interstice distribution", 80, (0.942, 0.004), (0.888, 0.012)),
        new("motifs", "<0,0,12,0,0> + <0,0,12,4,0> (baseline 1)", 2, (0.673, 0.010), (0.557, 0.006)),
        new("voronoi-index", "Voronoi index (baseline 2)", 5, (0.750, 0.009), (0.628, 0.016)),
        new("sro", "A group of SRO features", 18, (0.807, 0.010), (0.634, 0.017)),
        new("sro+mro", "SRO + MRO features", 72, (0.908, 0.005), (0.801, 0.011)),
        new("radial-sf", "Radial symmetry functions", 70, (0.905, 0.008), (0.770, 0.009)),
        new("bispectrum", "Bispectrum coefficients", 30, (0.901, 0.008), (0.761, 0.010)),
        new("mtp", "Moment tensor potential (MTP)", 288, (0.918, 0.008), (0.784, 0.011)),
        new("soap", "SOAP", 567, (0.927, 0.007), (0.812, 0.011)),
        new("flexibility-volume", "Flexibility volume V_flex", 1, (0.845, 0.009), (0.784, 0.010)),
        new("atomic-shear-modulus", "Atomic shear modulus G", 1, (0.690, 0.012), (0.629, 0.013)),
        new("coarse-grained-shear-modulus", "Coarse-grained G", 1, (0.736, 0.014), (0.674, 0.015)),
    ];

    /// <summary>The paper's row of a preset; null when the paper has none (e.g. <c>boop</c> or a composed preset).</summary>
    public static Row? Of(string preset) => Rows.FirstOrDefault(r => r.Preset.Equals(preset, StringComparison.OrdinalIgnoreCase));
}
