namespace Softspot.Structures;

/// <summary>The element of each atom type (LAMMPS types are 1-based): type t is <c>this[t]</c>.</summary>
public sealed class ElementMap
{
    private readonly Element[] _byType; // index 0 = type 1

    /// <summary>A map from the elements of types 1, 2, ... in order.</summary>
    public ElementMap(IEnumerable<Element> byType)
    {
        _byType = byType.ToArray();
        if (_byType.Length == 0) throw new ArgumentException("an element map needs at least one element");
    }

    /// <summary>The number of types named.</summary>
    public int TypeCount => _byType.Length;
    /// <summary>The element of each type, type 1 first.</summary>
    public IReadOnlyList<Element> ElementsByType => _byType;

    /// <summary>The element of a 1-based type, or null when the map does not cover it.</summary>
    public Element? this[int type] => type >= 1 && type <= _byType.Length ? _byType[type - 1] : null;

    /// <summary>Parses a comma-separated list such as "Cu,Zr" (type 1 = Cu, type 2 = Zr).</summary>
    /// <exception cref="UnknownElementException">a symbol is not a chemical element.</exception>
    public static ElementMap Parse(string list, string origin = "--elements")
    {
        var parts = list.Split(',', StringSplitOptions.TrimEntries);
        var elements = new List<Element>();
        foreach (var p in parts)
        {
            if (p.Length == 0) throw new UnknownElementException($"{origin} {list}: empty element name in the list");
            var e = Elements.Find(p) ?? throw new UnknownElementException($"{origin} {list}: unknown element '{p}'");
            int twice = elements.FindIndex(x => x.Symbol == e.Symbol);
            if (twice >= 0)
                throw new ElementListException($"{origin} {list}: {e.Symbol} is named twice (types {twice + 1} and {elements.Count + 1}); name each type's element once, type 1 first");
            elements.Add(e);
        }
        return new ElementMap(elements);
    }

    public override string ToString() =>
        string.Join(", ", _byType.Select((e, i) => $"{i + 1}={e.Symbol}"));
}

/// <summary>A list of elements that cannot be a map from types (an element named twice).</summary>
public sealed class ElementListException(string message) : SoftspotException(message);

/// <summary>A name that is not a chemical element symbol.</summary>
public sealed class UnknownElementException(string message) : SoftspotException(message);
