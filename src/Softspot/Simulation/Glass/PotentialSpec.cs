using Softspot.Simulation.Lammps;

namespace Softspot.Simulation.Glass;

/// <summary>
/// An interatomic potential as LAMMPS needs it: the file, its pair style (eam/fs, eam/alloy: from the file name
/// unless given) and the file's element names for the structure's types in order.
/// </summary>
public sealed record PotentialSpec(string File, string PairStyle, IReadOnlyList<string> Elements)
{
    public static PotentialSpec Resolve(string nameOrPath, IReadOnlyList<string> elements, string? pairStyle = null)
    {
        string file = LammpsInstallation.ResolvePotential(nameOrPath);
        string style = pairStyle ?? PairStyleOf(file)
            ?? throw new ArgumentException($"{file}: cannot tell the pair style from the name (expected .eam.fs or .eam.alloy); give --pair-style");
        return new PotentialSpec(file, style, elements);
    }

    /// <summary>eam/fs for *.eam.fs, eam/alloy for *.eam.alloy and *.setfl; null otherwise.</summary>
    public static string? PairStyleOf(string file)
    {
        string name = Path.GetFileName(file).ToLowerInvariant();
        if (name.EndsWith(".gz")) name = name[..^3];
        return name.EndsWith(".eam.fs") || name.EndsWith(".fs") ? "eam/fs"
            : name.EndsWith(".eam.alloy") || name.EndsWith(".alloy") || name.EndsWith(".setfl") ? "eam/alloy" : null;
    }

    /// <summary>The pair_style and pair_coeff lines.</summary>
    public string Commands => $"pair_style      {PairStyle}\npair_coeff      * * {File} {string.Join(' ', Elements)}\n";
}
