using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Resolves element names read per atom (an <c>element</c> column, extended-XYZ species) into LAMMPS-style types,
/// and checks them against types read from the same file or given by the user (--elements), with the file and
/// line of any conflict.
/// </summary>
internal sealed class ElementTyping(ElementMap? user)
{
    private readonly Dictionary<string, int> _typeBySymbol = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<int, Element> _elementByType = [];

    /// <summary>The type of an element name: its position in --elements when given, else order of first appearance.</summary>
    public int TypeOf(ReadOnlySpan<char> name, LineReader r)
    {
        var lookup = _typeBySymbol.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(name, out int t)) return t;
        var e = Resolve(name, r);
        if (user is not null)
        {
            int idx = user.ElementsByType.ToList().FindIndex(x => x.Symbol == e.Symbol);
            if (idx < 0) throw r.Fail(InputProblem.UnknownElement, $"element '{name}' is not among --elements {string.Join(',', user.ElementsByType.Select(x => x.Symbol))}");
            t = idx + 1;
        }
        else t = _typeBySymbol.Count + 1;
        _typeBySymbol[e.Symbol] = t;
        _elementByType[t] = e;
        return t;
    }

    /// <summary>Records that an atom of a given type is the named element; a type with two elements is an error.</summary>
    public void Observe(int type, ReadOnlySpan<char> name, LineReader r)
    {
        if (_elementByType.TryGetValue(type, out var known))
        {
            if (!name.Equals(known.Symbol, StringComparison.OrdinalIgnoreCase))
                throw r.Fail(InputProblem.UnknownElement, $"atom type {type} is '{name}' here but '{known.Symbol}' earlier in the file");
            return;
        }
        _elementByType[type] = Resolve(name, r);
    }

    private static Element Resolve(ReadOnlySpan<char> name, LineReader r) =>
        Elements.Find(name.ToString()) ?? throw r.Fail(InputProblem.UnknownElement, $"unknown element '{name}'");

    /// <summary>The map built from what was read, or null when nothing named an element (or a type was left unnamed).</summary>
    public ElementMap? Map(int maxType)
    {
        if (_elementByType.Count == 0) return null;
        var list = new List<Element>();
        for (int t = 1; t <= maxType; t++)
        {
            if (!_elementByType.TryGetValue(t, out var e)) return null;
            list.Add(e);
        }
        return new ElementMap(list);
    }
}

/// <summary>Rejects a repeated atom id, naming the line of its first appearance.</summary>
internal sealed class DuplicateIdGuard(int capacity)
{
    private readonly Dictionary<long, long> _lineById = new(capacity);

    public void Add(long id, LineReader r)
    {
        if (!_lineById.TryAdd(id, r.LineNumber))
            throw r.Fail(InputProblem.DuplicateId, $"duplicate atom id {id} (first at line {_lineById[id]})");
    }
}
