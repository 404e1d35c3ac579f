namespace Softspot.Structures;

/// <summary>
/// One frame of an atomistic structure: atoms as parallel arrays (ids, types, Cartesian positions in A), the
/// simulation cell, the element of each type when known, and any extra per-atom columns by name.
/// Positions are kept as read (they may be unwrapped); algorithms wrap them as they need.
/// </summary>
public sealed class Snapshot
{
    /// <summary>The atom ids, in the file's order (the order of every per-atom array).</summary>
    public long[] Ids { get; }
    /// <summary>The atom types (1-based, as LAMMPS numbers them).</summary>
    public int[] Types { get; }
    /// <summary>Cartesian positions (A).</summary>
    public Vec3[] Positions { get; }
    /// <summary>The periodic (or not) simulation cell.</summary>
    public Cell Cell { get; }
    /// <summary>Element of each type, or null when the input did not say and the user did not either.</summary>
    public ElementMap? Elements { get; init; }
    /// <summary>Extra per-atom columns, in input order (e.g. c_pe, vx, q).</summary>
    public IReadOnlyList<PerAtomColumn> Extra { get; init; } = [];
    /// <summary>The frame's timestep (0 when the format has none).</summary>
    public long Timestep { get; init; }
    /// <summary>0-based index of the frame in its file.</summary>
    public int Frame { get; init; }
    /// <summary>The file the frame came from (for messages), or null.</summary>
    public string? Source { get; init; }
    /// <summary>The line of the file each atom came from (for messages), or null.</summary>
    public Softspot.IO.AtomLines? Lines { get; init; }

    /// <summary>A snapshot of atoms in a cell; the arrays are per atom and of one length.</summary>
    public Snapshot(Cell cell, long[] ids, int[] types, Vec3[] positions)
    {
        if (ids.Length != types.Length || ids.Length != positions.Length)
            throw new ArgumentException("ids, types and positions must have the same length");
        Cell = cell; Ids = ids; Types = types; Positions = positions;
    }

    /// <summary>The number of atoms.</summary>
    public int Count => Ids.Length;

    /// <summary>The largest type number present.</summary>
    public int MaxType => Types.Length == 0 ? 0 : Types.Max();

    /// <summary>The same atoms with other element names by type.</summary>
    public Snapshot With(ElementMap? elements) => new(Cell, Ids, Types, Positions)
    {
        Elements = elements, Extra = Extra, Timestep = Timestep, Frame = Frame, Source = Source, Lines = Lines,
    };

    /// <summary>An extra per-atom column read from the file (e.g. c_pe), or null.</summary>
    public PerAtomColumn? Column(string name) => Extra.FirstOrDefault(c => c.Name == name);

    /// <summary>
    /// The element of every type that occurs, or an exception that says how to name them
    /// (commands that need elements call this).
    /// </summary>
    public ElementMap RequireElements()
    {
        if (Elements is null)
            throw new MissingElementsException(
                $"{Source ?? "structure"}: the element of each atom type is not known; name them with --elements (e.g. --elements Cu,Zr for type 1 = Cu, type 2 = Zr)");
        int max = MaxType;
        if (Elements.TypeCount < max)
            throw new MissingElementsException(
                $"{Source ?? "structure"}: atom type {max} occurs but only {Elements.TypeCount} element(s) are named ({Elements}); name one per type with --elements");
        return Elements;
    }

    /// <summary>A map from atom id to index (throws on duplicates, which readers already reject).</summary>
    public Dictionary<long, int> IndexById()
    {
        var map = new Dictionary<long, int>(Count);
        for (int i = 0; i < Count; i++) map.Add(Ids[i], i);
        return map;
    }

    /// <summary>
    /// A copy replicated na x nb x nc times along the cell vectors (ids renumbered 1..N in image-major order),
    /// e.g. to build large benchmark glasses from a small one.
    /// </summary>
    public Snapshot Replicate(int na, int nb, int nc)
    {
        if (na < 1 || nb < 1 || nc < 1) throw new ArgumentOutOfRangeException(nameof(na), "replication counts must be at least 1");
        int n = Count, total = checked(n * na * nb * nc);
        var ids = new long[total]; var types = new int[total]; var pos = new Vec3[total];
        int k = 0;
        for (int c = 0; c < nc; c++)
        for (int b = 0; b < nb; b++)
        for (int a = 0; a < na; a++)
        {
            var shift = a * Cell.A + b * Cell.B + c * Cell.C;
            for (int i = 0; i < n; i++)
            {
                ids[k] = k + 1; types[k] = Types[i]; pos[k] = Cell.Wrap(Positions[i]) + shift; k++;
            }
        }
        var cell = new Cell(Cell.Origin, Cell.Lx * na, Cell.Ly * nb, Cell.Lz * nc, Cell.Xy * nb, Cell.Xz * nc, Cell.Yz * nc,
            Cell.Periodic[0], Cell.Periodic[1], Cell.Periodic[2]);
        return new Snapshot(cell, ids, types, pos) { Elements = Elements, Timestep = Timestep, Source = Source };
    }
}

/// <summary>A named per-atom column of numbers.</summary>
public sealed record PerAtomColumn(string Name, double[] Values);

/// <summary>Elements are needed but the input does not name them.</summary>
public sealed class MissingElementsException(string message) : SoftspotException(message);
