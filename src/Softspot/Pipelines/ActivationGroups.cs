namespace Softspot.Pipelines;

/// <summary>
/// The three groups of the activation-labelled atoms that the 2020 paper's violin plots compare: H, the top tail of
/// the pooled per-atom mean E_act (the H-Eact positives), L, the bottom tail (the L-Eact positives), and the middle,
/// every other labelled atom.
/// </summary>
public static class ActivationGroups
{
    /// <summary>The groups in the order of the indices <see cref="Of"/> gives: H, middle, L.</summary>
    public static IReadOnlyList<string> Names { get; } = ["H", "middle", "L"];

    /// <summary>The group index of each atom (glass, atom index), from its glass's h_eact and l_eact columns.</summary>
    public static int[] Of(IEnumerable<(PipelineGlass Glass, int Atom)> atoms) => [.. atoms.Select(a =>
    {
        double high = a.Glass.Values(new TaskLabel(LabelKind.HighActivation))?[a.Atom] ?? double.NaN;
        double low = a.Glass.Values(new TaskLabel(LabelKind.LowActivation))?[a.Atom] ?? double.NaN;
        if (double.IsNaN(high) || double.IsNaN(low))
            throw new InvalidOperationException($"glass {a.Glass.Name}: atom {a.Glass.Structure.Ids[a.Atom]} has no activation label");
        return high == 1 ? 0 : low == 1 ? 2 : 1;
    })];
}
