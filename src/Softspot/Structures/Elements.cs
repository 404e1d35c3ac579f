namespace Softspot.Structures;

/// <summary>One chemical element: symbol, atomic number, standard atomic weight (u) and Miracle radius (A, NaN when none).</summary>
public sealed record Element(string Symbol, int Z, double Mass, double MiracleRadius);

/// <summary>
/// The periodic table as far as Softspot needs it: standard atomic weights (to guess elements from LAMMPS masses)
/// and the "miracle" radii of Miracle et al. used by the interstice descriptors (descriptor-spec.md B.0).
/// </summary>
public static class Elements
{
    // Symbol, standard atomic weight (IUPAC abridged values; mass number of the longest-lived isotope otherwise).
    private static readonly (string Symbol, double Mass)[] Table =
    [
        ("H", 1.008), ("He", 4.0026), ("Li", 6.94), ("Be", 9.0122), ("B", 10.81), ("C", 12.011), ("N", 14.007),
        ("O", 15.999), ("F", 18.998), ("Ne", 20.180), ("Na", 22.990), ("Mg", 24.305), ("Al", 26.982), ("Si", 28.085),
        ("P", 30.974), ("S", 32.06), ("Cl", 35.45), ("Ar", 39.948), ("K", 39.098), ("Ca", 40.078), ("Sc", 44.956),
        ("Ti", 47.867), ("V", 50.942), ("Cr", 51.996), ("Mn", 54.938), ("Fe", 55.845), ("Co", 58.933), ("Ni", 58.693),
        ("Cu", 63.546), ("Zn", 65.38), ("Ga", 69.723), ("Ge", 72.630), ("As", 74.922), ("Se", 78.971), ("Br", 79.904),
        ("Kr", 83.798), ("Rb", 85.468), ("Sr", 87.62), ("Y", 88.906), ("Zr", 91.224), ("Nb", 92.906), ("Mo", 95.95),
        ("Tc", 98.0), ("Ru", 101.07), ("Rh", 102.91), ("Pd", 106.42), ("Ag", 107.87), ("Cd", 112.41), ("In", 114.82),
        ("Sn", 118.71), ("Sb", 121.76), ("Te", 127.60), ("I", 126.90), ("Xe", 131.29), ("Cs", 132.91), ("Ba", 137.33),
        ("La", 138.91), ("Ce", 140.12), ("Pr", 140.91), ("Nd", 144.24), ("Pm", 145.0), ("Sm", 150.36), ("Eu", 151.96),
        ("Gd", 157.25), ("Tb", 158.93), ("Dy", 162.50), ("Ho", 164.93), ("Er", 167.26), ("Tm", 168.93), ("Yb", 173.05),
        ("Lu", 174.97), ("Hf", 178.49), ("Ta", 180.95), ("W", 183.84), ("Re", 186.21), ("Os", 190.23), ("Ir", 192.22),
        ("Pt", 195.08), ("Au", 196.97), ("Hg", 200.59), ("Tl", 204.38), ("Pb", 207.2), ("Bi", 208.98), ("Po", 209.0),
        ("At", 210.0), ("Rn", 222.0), ("Fr", 223.0), ("Ra", 226.0), ("Ac", 227.0), ("Th", 232.04), ("Pa", 231.04),
        ("U", 238.03), ("Np", 237.0), ("Pu", 244.0),
    ];

    // Miracle radii (A), descriptor-spec.md B.0; every other element has none.
    private static readonly Dictionary<string, double> Miracle = new()
    {
        ["Li"] = 1.52, ["Be"] = 1.12, ["B"] = 0.88, ["C"] = 0.77, ["N"] = 0.72, ["O"] = 0.64, ["Na"] = 1.80,
        ["Mg"] = 1.60, ["Al"] = 1.41, ["Si"] = 1.10, ["P"] = 1.02, ["S"] = 1.03, ["K"] = 2.30, ["Ca"] = 2.01,
        ["Sc"] = 1.62, ["Ti"] = 1.42, ["V"] = 1.34, ["Cr"] = 1.30, ["Mn"] = 1.32, ["Fe"] = 1.25, ["Co"] = 1.25,
        ["Ni"] = 1.26, ["Cu"] = 1.26, ["Zn"] = 1.40, ["Ga"] = 1.34, ["Ge"] = 1.14, ["As"] = 1.15, ["Se"] = 1.18,
        ["Rb"] = 2.44, ["Sr"] = 2.12, ["Y"] = 1.79, ["Zr"] = 1.58, ["Nb"] = 1.43, ["Mo"] = 1.39, ["Tc"] = 1.36,
        ["Ru"] = 1.34, ["Rh"] = 1.32, ["Pd"] = 1.42, ["Ag"] = 1.44, ["Cd"] = 1.57, ["In"] = 1.55, ["Sn"] = 1.55,
        ["Sb"] = 1.55, ["Te"] = 1.40, ["Cs"] = 2.64, ["Ba"] = 2.23, ["La"] = 1.87, ["Ce"] = 1.82, ["Pr"] = 1.83,
        ["Nd"] = 1.82, ["Pm"] = 1.85, ["Sm"] = 1.85, ["Eu"] = 1.96, ["Gd"] = 1.76, ["Tb"] = 1.76, ["Dy"] = 1.75,
        ["Ho"] = 1.77, ["Er"] = 1.75, ["Tm"] = 1.75, ["Yb"] = 1.90, ["Lu"] = 1.75, ["Hf"] = 1.58, ["Ta"] = 1.45,
        ["W"] = 1.35, ["Re"] = 1.37, ["Os"] = 1.35, ["Ir"] = 1.36, ["Pt"] = 1.39, ["Au"] = 1.43, ["Hg"] = 1.52,
        ["Tl"] = 1.72, ["Pb"] = 1.74, ["Bi"] = 1.62, ["Po"] = 1.68, ["Th"] = 1.78, ["Pa"] = 1.65, ["U"] = 1.58,
        ["Np"] = 1.75, ["Pu"] = 1.75,
    };

    private static readonly Dictionary<string, Element> BySymbol = Table
        .Select((e, i) => new Element(e.Symbol, i + 1, e.Mass, Miracle.GetValueOrDefault(e.Symbol, double.NaN)))
        .ToDictionary(e => e.Symbol, StringComparer.OrdinalIgnoreCase);

    public static IEnumerable<Element> All => BySymbol.Values.OrderBy(e => e.Z);

    /// <summary>The element of a symbol (case-insensitive), or null.</summary>
    public static Element? Find(string symbol) => BySymbol.GetValueOrDefault(symbol.Trim());

    public static bool TryGet(string symbol, out Element element)
    {
        element = Find(symbol)!;
        return element is not null;
    }

    /// <summary>
    /// The element whose standard atomic weight is nearest to a mass, if within a relative tolerance (0.2 %: 63.55
    /// or 63.5 is Cu, but the reduced-unit mass 1.0 is not H); null when no element is that close or when two are.
    /// </summary>
    public static Element? GuessFromMass(double mass, double relativeTolerance = 0.002)
    {
        double tolerance = relativeTolerance * mass;
        Element? best = null;
        double bestDiff = double.PositiveInfinity, second = double.PositiveInfinity;
        foreach (var e in BySymbol.Values)
        {
            double diff = Math.Abs(e.Mass - mass);
            if (diff < bestDiff) { second = bestDiff; bestDiff = diff; best = e; }
            else if (diff < second) second = diff;
        }
        if (bestDiff > tolerance || second <= tolerance) return null;
        return best;
    }
}
