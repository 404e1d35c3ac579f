using System.Globalization;
using System.Text.RegularExpressions;
using Softspot.Structures;

namespace Softspot.Simulation.Glass;

/// <summary>
/// An alloy composition such as Cu64Zr36 or Fe80P20: elements in the order written (type 1 = first element) with
/// their atomic fractions. The numbers are at.% (or any proportions: they are normalised).
/// </summary>
public sealed partial class Composition
{
    public IReadOnlyList<(Element Element, double Fraction)> Parts { get; }

    private Composition(IReadOnlyList<(Element, double)> parts) => Parts = parts;

    [GeneratedRegex(@"([A-Z][a-z]?)(\d+(?:\.\d+)?)")]
    private static partial Regex Part();

    public static Composition Parse(string text)
    {
        var matches = Part().Matches(text);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != text)
            throw new SoftspotException($"composition '{text}': expected element symbols with amounts, e.g. Cu64Zr36");
        var parts = new List<(Element, double)>();
        foreach (Match m in matches)
        {
            var element = Elements.Find(m.Groups[1].Value) ?? throw new SoftspotException($"composition '{text}': unknown element '{m.Groups[1].Value}'");
            if (parts.Any(p => p.Item1 == element)) throw new SoftspotException($"composition '{text}': {element.Symbol} appears twice");
            double amount = double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            if (amount <= 0) throw new SoftspotException($"composition '{text}': {element.Symbol} has no atoms");
            parts.Add((element, amount));
        }
        double total = parts.Sum(p => p.Item2);
        return new Composition(parts.Select(p => (p.Item1, p.Item2 / total)).ToList());
    }

    public IReadOnlyList<Element> ElementsInOrder => Parts.Select(p => p.Element).ToList();

    /// <summary>Atoms of each element for <paramref name="atoms"/> in all (largest remainders, so they sum exactly).</summary>
    public int[] Counts(int atoms)
    {
        var exact = Parts.Select(p => p.Fraction * atoms).ToArray();
        var counts = exact.Select(x => (int)Math.Floor(x)).ToArray();
        foreach (int k in Enumerable.Range(0, exact.Length).OrderByDescending(k => exact[k] - counts[k]).ThenBy(k => k).Take(atoms - counts.Sum()))
            counts[k]++;
        if (counts.Any(c => c == 0)) throw new SoftspotException($"{atoms} atoms are too few for {this}: some element gets none");
        return counts;
    }

    /// <summary>
    /// A volume per atom (A^3) for a hot liquid start: close-packed spheres of the elements' radii, 10 % expanded.
    /// Only a starting point: the melt runs at zero pressure.
    /// </summary>
    public double LiquidVolumePerAtom => 1.1 * Parts.Sum(p => p.Fraction * 4.0 / 3.0 * Math.PI * Math.Pow(p.Element.MiracleRadius, 3) / 0.74);

    public override string ToString() =>
        string.Concat(Parts.Select(p => p.Element.Symbol + (p.Fraction * 100).ToString("0.##", CultureInfo.InvariantCulture)));
}
