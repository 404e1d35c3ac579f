using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>Atomic radii per type for radical tessellations and interstice descriptors.</summary>
public static class Radii
{
    /// <summary>
    /// Radii by type (index = type) from the Miracle table, with optional overrides "Cu=1.28,Zr=1.6" by element or
    /// "1=1.28,2=1.6" by type. Named types that do not occur get their radius too (NaN when none is known).
    /// </summary>
    public static double[] ByType(Snapshot s, string? overrides = null)
    {
        // every named type, those that do not occur included (a recipe records the radius of every element it names)
        int occurs = s.MaxType, max = Math.Max(occurs, s.Elements?.TypeCount ?? 0);
        var radii = new double[max + 1];
        radii[0] = double.NaN;
        var byElement = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        var byType = new Dictionary<int, double>();
        if (!string.IsNullOrWhiteSpace(overrides))
        {
            foreach (var part in overrides.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var kv = part.Split('=', StringSplitOptions.TrimEntries);
                if (kv.Length != 2 || !double.TryParse(kv[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double r) || !(r >= 0))
                    throw new ArgumentException($"--radii {overrides}: '{part}' is not NAME=RADIUS with a non-negative radius in A");
                if (int.TryParse(kv[0], out int t)) byType[t] = r;
                else if (Elements.Find(kv[0]) is { } e) byElement[e.Symbol] = r;
                else throw new UnknownElementException($"--radii {overrides}: '{kv[0]}' is neither an atom type nor an element");
            }
        }
        for (int t = 1; t <= max; t++)
        {
            if (byType.TryGetValue(t, out double r)) { radii[t] = r; continue; }
            var e = s.Elements?[t];
            if (e is not null && byElement.TryGetValue(e.Symbol, out r)) { radii[t] = r; continue; }
            if (t > occurs && (e is null || double.IsNaN(e.MiracleRadius))) { radii[t] = double.NaN; continue; } // unused, no radius known
            if (e is null)
                throw new MissingElementsException($"{s.Source ?? "structure"}: no radius for atom type {t}: name the elements with --elements (Miracle radii) or give --radii {t}=R");
            if (double.IsNaN(e.MiracleRadius))
                throw new ArgumentException($"{e.Symbol} has no Miracle radius; give one with --radii {e.Symbol}=R");
            radii[t] = e.MiracleRadius;
        }
        return radii;
    }
}
