using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Reads a LAMMPS data file (as written by write_data): header counts and box (with the xy xz yz tilt line),
/// Masses (element names from a trailing comment such as "# Cu", else guessed from the mass) and Atoms in styles
/// atomic, charge, molecular (bond, angle) and full, with or without image flags. The style comes from the
/// "Atoms # style" comment, else from the column count. Data files do not record boundaries: the cell is taken
/// as periodic in all three directions.
/// </summary>
public static class LammpsDataReader
{
    // columns before x y z, per atom style
    private static readonly Dictionary<string, string[]> Styles = new()
    {
        ["atomic"] = ["id", "type"],
        ["charge"] = ["id", "type", "q"],
        ["molecular"] = ["id", "mol", "type"],
        ["bond"] = ["id", "mol", "type"],
        ["angle"] = ["id", "mol", "type"],
        ["full"] = ["id", "mol", "type", "q"],
    };

    private static readonly HashSet<string> Sections =
    [
        "Atoms", "Velocities", "Masses", "Ellipsoids", "Lines", "Triangles", "Bodies", "Bonds", "Angles", "Dihedrals",
        "Impropers", "Pair Coeffs", "PairIJ Coeffs", "Bond Coeffs", "Angle Coeffs", "Dihedral Coeffs",
        "Improper Coeffs", "BondBond Coeffs", "BondAngle Coeffs", "MiddleBondTorsion Coeffs", "EndBondTorsion Coeffs",
        "AngleTorsion Coeffs", "AngleAngleTorsion Coeffs", "BondBond13 Coeffs", "AngleAngle Coeffs",
    ];

    public static Snapshot Read(string path, ElementMap? elements = null)
    {
        using var r = new LineReader(path);
        string? titleLine = r.Next();
        if (titleLine is null) throw new InputFormatException(path, 0, InputProblem.Truncated, "empty, no frame found");
        bool content = false;
        long natoms = -1, natomsLine = 0; int ntypes = -1;
        double[]? xb = null, yb = null, zb = null; double xy = 0, xz = 0, yz = 0;
        long xLine = 0, yLine = 0, zLine = 0;
        string? section = null;
        while (NextContent(r, out string line, out string raw))
        {
            content = true;
            if (IsSection(line)) { section = raw.Trim(); break; }
            var w = Fields.SplitToStrings(line);
            if (Ends(w, "atoms") && w.Length == 2) { natoms = r.ParseLong(w[0], "atoms"); natomsLine = r.LineNumber; }
            else if (Ends(w, "atom", "types") && w.Length == 3) ntypes = (int)r.ParseLong(w[0], "atom types");
            else if (Ends(w, "xlo", "xhi")) { xb = Bounds(w, r, "xlo xhi"); xLine = r.LineNumber; }
            else if (Ends(w, "ylo", "yhi")) { yb = Bounds(w, r, "ylo yhi"); yLine = r.LineNumber; }
            else if (Ends(w, "zlo", "zhi")) { zb = Bounds(w, r, "zlo zhi"); zLine = r.LineNumber; }
            else if (Ends(w, "xy", "xz", "yz"))
            {
                if (w.Length != 6) throw r.Fail(InputProblem.ColumnCount, "the tilt line should read 'XY XZ YZ xy xz yz'");
                xy = r.ParseDouble(w[0], "xy"); xz = r.ParseDouble(w[1], "xz"); yz = r.ParseDouble(w[2], "yz");
            }
            // other header keywords (bonds, extra/atom, ellipsoids, ...) do not concern the structure
        }
        if (!content && titleLine.Trim().Length == 0) throw new InputFormatException(path, 0, InputProblem.Truncated, "empty, no frame found");
        if (natoms < 0) throw r.Fail(InputProblem.MissingColumn, "the header has no 'N atoms' line");
        if (natoms == 0) throw new InputFormatException(path, natomsLine, InputProblem.AtomCount, "the header declares 0 atoms: the structure has no atoms");
        if (natoms > int.MaxValue) throw r.Fail(InputProblem.AtomCount, $"{natoms} atoms is more than Softspot can hold");
        if (xb is null || yb is null || zb is null) throw r.Fail(InputProblem.MissingColumn, "the header lacks one of the 'xlo xhi', 'ylo yhi', 'zlo zhi' lines");
        Cell cell;
        try { cell = new Cell(new Vec3(xb[0], yb[0], zb[0]), xb[1] - xb[0], yb[1] - yb[0], zb[1] - zb[0], xy, xz, yz); }
        catch (ArgumentException e)
        {
            long line = !(xb[1] - xb[0] > 0) ? xLine : !(yb[1] - yb[0] > 0) ? yLine : zLine;
            throw new InputFormatException(path, line, InputProblem.DegenerateCell, e.Message);
        }

        var masses = new Dictionary<int, (double Mass, string? Comment)>();
        Snapshot? snapshot = null;
        while (section is not null)
        {
            string? next = null;
            string title = StripComment(section).Trim();
            if (title == "Masses") next = ReadMasses(r, ntypes, masses);
            else if (title == "Atoms")
            {
                if (snapshot is not null) throw r.Fail(InputProblem.Syntax, "a second Atoms section");
                (snapshot, next) = ReadAtoms(r, section, (int)natoms, cell, natomsLine);
            }
            else next = SkipSection(r);
            section = next;
        }
        if (snapshot is null)
            throw new InputFormatException(path, r.LineNumber + 1, InputProblem.Truncated, $"unexpected end of file: no Atoms section (the header declares {natoms} atoms)");
        if (ntypes > 0 && snapshot.MaxType > ntypes)
            throw new InputFormatException(path, 0, InputProblem.Syntax, $"atom type {snapshot.MaxType} occurs but the header declares {ntypes} atom types");
        return snapshot.With(elements ?? ElementsFromMasses(masses, Math.Max(ntypes, snapshot.MaxType)));
    }

    private static ElementMap? ElementsFromMasses(Dictionary<int, (double Mass, string? Comment)> masses, int ntypes)
    {
        if (ntypes < 1) return null;
        var list = new List<Element>();
        for (int t = 1; t <= ntypes; t++)
        {
            if (!masses.TryGetValue(t, out var m)) return null;
            var e = (m.Comment is { } c ? Elements.Find(c) : null) ?? Elements.GuessFromMass(m.Mass);
            if (e is null) return null;
            list.Add(e);
        }
        // two types guessed as one element means the masses are not element masses (e.g. reduced units)
        if (list.Select(e => e.Symbol).Distinct().Count() != list.Count && masses.Values.All(m => m.Comment is null)) return null;
        return new ElementMap(list);
    }

    private static string? ReadMasses(LineReader r, int ntypes, Dictionary<int, (double, string?)> masses)
    {
        while (NextContent(r, out string line, out string raw))
        {
            if (IsSection(line)) return raw.Trim();
            var w = Fields.SplitToStrings(line);
            if (w.Length != 2) throw r.Fail(InputProblem.ColumnCount, $"a Masses line should be 'type mass', found {w.Length} fields");
            int t = (int)r.ParseLong(w[0], "type");
            if (t < 1 || (ntypes > 0 && t > ntypes)) throw r.Fail(InputProblem.Syntax, $"Masses: type {t} is outside 1..{ntypes}");
            int hash = raw.IndexOf('#');
            string? comment = hash >= 0 ? raw[(hash + 1)..].Trim() : null;
            masses[t] = (r.ParseDouble(w[1], "mass"), string.IsNullOrEmpty(comment) ? null : comment);
        }
        return null;
    }

    private static (Snapshot, string?) ReadAtoms(LineReader r, string header, int n, Cell cell, long natomsLine)
    {
        var lines = new AtomLines(r.LineNumber + 1) { Header = natomsLine };
        int hash = header.IndexOf('#');
        string? style = hash >= 0 ? header[(hash + 1)..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() : null;
        string[]? before = null;
        if (style is not null && !Styles.TryGetValue(style, out before))
            throw r.Fail(InputProblem.Unsupported, $"atom style '{style}' is not supported (atomic, charge, molecular, bond, angle, full)");
        r.RequireRoomFor(n, natomsLine, "the data file");
        var ids = new long[n]; var types = new int[n]; var pos = new Vec3[n];
        var dup = new DuplicateIdGuard(n);
        double[]? q = null, mol = null;
        Span<Range> f = stackalloc Range[16];
        int k = 0;
        while (k < n)
        {
            string? raw = r.Next();
            if (raw is null)
                throw new InputFormatException(r.Path, r.LineNumber + 1, InputProblem.Truncated,
                    $"unexpected end of file: the header declares {n} atoms but the Atoms section has {k}");
            string line = StripComment(raw);
            int count = Fields.Split(line, f);
            if (count == 0) continue;
            if (IsSection(line.Trim()))
                throw r.Fail(InputProblem.AtomCount, $"the header declares {n} atoms but the Atoms section has {k}");
            if (before is null)
            {
                // no style comment: atomic (5 or 8 columns) or charge (6 or 9)
                before = count switch
                {
                    5 or 8 => Styles["atomic"],
                    6 or 9 => Styles["charge"],
                    _ => throw r.Fail(InputProblem.ColumnCount, $"cannot tell the atom style from {count} columns; write 'Atoms # atomic' (or charge, full, ...) as the section title"),
                };
            }
            int expected = before.Length + 3;
            if (count != expected && count != expected + 3)
                throw r.Fail(InputProblem.ColumnCount, $"expected {expected} columns (or {expected + 3} with image flags) for this atom style, found {count}");
            var s = line.AsSpan();
            double x = 0, y = 0, z = 0;
            for (int c = 0; c < before.Length; c++)
            {
                var field = s[f[c]];
                switch (before[c])
                {
                    case "id": ids[k] = r.ParseLong(field, "id"); dup.Add(ids[k], r); break;
                    case "type":
                        long t = r.ParseLong(field, "type");
                        if (t < 1 || t > 100000) throw r.Fail(InputProblem.Syntax, $"type: {t} is not a LAMMPS atom type");
                        types[k] = (int)t; break;
                    case "q": (q ??= new double[n])[k] = r.ParseDouble(field, "q"); break;
                    case "mol": (mol ??= new double[n])[k] = r.ParseLong(field, "molecule id"); break;
                }
            }
            x = r.ParseDouble(s[f[before.Length]], "x"); y = r.ParseDouble(s[f[before.Length + 1]], "y"); z = r.ParseDouble(s[f[before.Length + 2]], "z");
            var p = new Vec3(x, y, z);
            if (count == expected + 3)
            {
                long ix = r.ParseLong(s[f[expected]], "ix"), iy = r.ParseLong(s[f[expected + 1]], "iy"), iz = r.ParseLong(s[f[expected + 2]], "iz");
                p = p + ix * cell.A + iy * cell.B + iz * cell.C; // unwrapped, as the image flags say
            }
            pos[k] = p;
            lines.Record(k, r.LineNumber);
            k++;
        }
        var extra = new List<PerAtomColumn>();
        if (mol is not null) extra.Add(new PerAtomColumn("mol", mol));
        if (q is not null) extra.Add(new PerAtomColumn("q", q));
        string? next = SkipSectionBody(r, expectAtomsEnd: n);
        return (new Snapshot(cell, ids, types, pos) { Extra = extra, Source = r.Path, Lines = lines }, next);
    }

    /// <summary>After the Atoms rows: the next section title, or null; an extra atom row is an error.</summary>
    private static string? SkipSectionBody(LineReader r, int expectAtomsEnd)
    {
        if (!NextContent(r, out string line, out string raw)) return null;
        if (IsSection(line)) return raw.Trim();
        throw r.Fail(InputProblem.AtomCount, $"the header declares {expectAtomsEnd} atoms but the Atoms section has more lines");
    }

    private static string? SkipSection(LineReader r)
    {
        while (NextContent(r, out string line, out string raw))
            if (IsSection(line)) return raw.Trim();
        return null;
    }

    /// <summary>The next line with content (comment stripped, trimmed) and its raw text; false at the end of the file.</summary>
    private static bool NextContent(LineReader r, out string line, out string raw)
    {
        while (r.Next() is { } next)
        {
            raw = next;
            line = StripComment(next).Trim();
            if (line.Length != 0) return true;
        }
        line = raw = "";
        return false;
    }

    private static bool IsSection(string line)
    {
        if (line.Length == 0 || !char.IsLetter(line[0])) return false;
        string title = StripComment(line).Trim();
        return Sections.Contains(title);
    }

    private static string StripComment(string line)
    {
        int hash = line.IndexOf('#');
        return hash >= 0 ? line[..hash] : line;
    }

    private static bool Ends(string[] w, params string[] tail) =>
        w.Length >= tail.Length && tail.Select((t, i) => w[w.Length - tail.Length + i] == t).All(b => b);

    private static double[] Bounds(string[] w, LineReader r, string what)
    {
        if (w.Length != 4) throw r.Fail(InputProblem.ColumnCount, $"the '{what}' line should have 2 numbers");
        return [r.ParseDouble(w[0], what.Split(' ')[0]), r.ParseDouble(w[1], what.Split(' ')[1])];
    }
}
