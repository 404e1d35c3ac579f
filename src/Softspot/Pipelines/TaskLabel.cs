using System.Globalization;

namespace Softspot.Pipelines;

public enum LabelKind { HighActivation, LowActivation, Plastic }

/// <summary>
/// A 0/1 label a pipeline task learns: <c>h_eact</c> and <c>l_eact</c> (the tails of the pooled activation-energy
/// spectrum) or <c>plastic@STRAIN</c> (top D2min in the frame sheared to STRAIN).
/// </summary>
public sealed record TaskLabel(LabelKind Kind, double Strain = double.NaN)
{
    public static TaskLabel Parse(string text) =>
        TryParse(text) ?? throw new SoftspotException($"label '{text}': expected h_eact, l_eact or plastic@STRAIN (e.g. plastic@0.1)");

    /// <summary>The label a name stands for, or null when it names none (e.g. eact_mean, d2min@0.1).</summary>
    public static TaskLabel? TryParse(string text)
    {
        string t = text.Trim();
        if (t == "h_eact") return new(LabelKind.HighActivation);
        if (t == "l_eact") return new(LabelKind.LowActivation);
        if (t.StartsWith("plastic@", StringComparison.Ordinal)
            && double.TryParse(t["plastic@".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0)
            return new(LabelKind.Plastic, s);
        return null;
    }

    public bool NeedsEvents => Kind != LabelKind.Plastic;

    /// <summary>The label's column name in the label tables.</summary>
    public override string ToString() => Kind switch
    {
        LabelKind.HighActivation => "h_eact",
        LabelKind.LowActivation => "l_eact",
        _ => "plastic@" + Strain.ToString("G", CultureInfo.InvariantCulture),
    };

    /// <summary>Whether two strains name the same frame: within 5e-4, half the smallest spacing of snapshots worth labelling.</summary>
    public static bool SameStrain(double a, double b) => Math.Abs(a - b) <= 5e-4;
}
