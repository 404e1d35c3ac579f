using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Extended XYZ (as written by ASE, OVITO, quippy): a count line, a comment line of key=value pairs (Lattice,
/// Properties, pbc, Origin, Timestep), then one line per atom. A general lattice is rotated into the LAMMPS
/// restricted-triclinic frame (a along x, b in the xy plane), positions with it; an already restricted lattice is
/// used as is, bit for bit.
/// </summary>
public static class ExtendedXyzReader
{
    public static IEnumerable<Snapshot> ReadFrames(string path, ElementMap? elements = null) =>
        LineReader.Frames(path, (r, first, frame) => ReadFrame(r, first, frame, elements, keep: true)!);

    /// <summary>Every frame's slot: the frame when <paramref name="keep"/> says so, else null (its atom lines passed over unparsed).</summary>
    public static IEnumerable<Snapshot?> ReadFrames(string path, Func<int, bool> keep, ElementMap? elements = null) =>
        LineReader.Frames(path, (r, first, frame) => ReadFrame(r, first, frame, elements, keep(frame)));

    private sealed record Property(string Name, char Type, int Count, int FirstField);

    private static Snapshot? ReadFrame(LineReader r, string countLine, int frame, ElementMap? userElements, bool keep)
    {
        if (frame > 0 && Fields.SplitToStrings(countLine).Length > 1)
            throw r.Fail(InputProblem.AtomCount, $"expected the atom count of frame {frame}, found '{LammpsDumpReader.Shorten(countLine.Trim())}': frame {frame - 1} has more atom lines than its count declares");
        long n = r.ParseLong(countLine.Trim(), "atom count");
        long countLineNumber = r.LineNumber;
        if (n < 0 || n > int.MaxValue) throw r.Fail(InputProblem.AtomCount, $"atom count {n} is out of range");
        string comment = r.Require("the extended XYZ comment line");
        if (!keep)
        {
            r.SkipAtomLines(n, "", $"frame {frame}");
            return null;
        }
        var kv = ParseKeyValues(comment, r);

        var props = ParseProperties(kv.GetValueOrDefault("properties") ?? "species:S:1:pos:R:3", r);
        int nFields = props.Sum(p => p.Count);
        var species = props.FirstOrDefault(p => p.Name.Equals("species", StringComparison.OrdinalIgnoreCase) && p.Type == 'S');
        var pos = props.FirstOrDefault(p => p.Name.Equals("pos", StringComparison.OrdinalIgnoreCase) && p.Type == 'R' && p.Count == 3)
            ?? throw r.Fail(InputProblem.MissingColumn, "the Properties list has no position column 'pos:R:3'");
        var idP = props.FirstOrDefault(p => p.Name == "id" && p.Type == 'I' && p.Count == 1);
        var typeP = props.FirstOrDefault(p => p.Name == "type" && p.Type == 'I' && p.Count == 1);
        var zP = props.FirstOrDefault(p => p.Name == "Z" && p.Type == 'I' && p.Count == 1);
        if (species is null && typeP is null && zP is null)
            throw r.Fail(InputProblem.MissingColumn, "the Properties list names no species, type or Z column");
        var extras = props.Where(p => p != species && p != pos && p != idP && p != typeP && p != zP && p.Type != 'S').ToArray();
        var extraNames = extras.SelectMany(p => p.Count == 1 ? [p.Name]
            : p.Count == 3 ? new[] { p.Name + "_x", p.Name + "_y", p.Name + "_z" }
            : Enumerable.Range(1, p.Count).Select(k => $"{p.Name}_{k}")).ToArray();

        var (cell, rotation) = ReadCell(kv, r);
        var lines = new AtomLines(r.LineNumber + 1) { Header = countLineNumber };
        long timestep = kv.TryGetValue("timestep", out var ts) ? r.ParseLong(ts, "Timestep") : frame;
        r.RequireRoomFor(n, countLineNumber, $"frame {frame}");
        int count = (int)n;
        var ids = new long[count]; var types = new int[count]; var positions = new Vec3[count];
        var extra = extraNames.Select(_ => new double[count]).ToArray();
        var dup = new DuplicateIdGuard(count);
        var typing = new ElementTyping(userElements);
        Span<Range> f = stackalloc Range[nFields + 1];
        var zElements = Elements.All.ToDictionary(e => e.Z);
        for (int k = 0; k < count; k++)
        {
            string? line = r.Next();
            if (line is null)
                throw new InputFormatException(r.Path, r.LineNumber + 1, InputProblem.Truncated,
                    $"unexpected end of file: frame {frame} declares {count} atoms but only {k} were read");
            var s = line.AsSpan();
            int got = Fields.Split(s, f);
            if (got != nFields)
            {
                if (got == 1 && k > 0) throw r.Fail(InputProblem.AtomCount, $"frame {frame} declares {count} atoms but the next frame starts after {k}");
                throw r.Fail(InputProblem.ColumnCount, $"expected {nFields} columns (from Properties), found {got}");
            }
            ids[k] = idP is null ? k + 1 : r.ParseLong(s[f[idP.FirstField]], "id");
            dup.Add(ids[k], r);
            if (typeP is not null)
            {
                long t = r.ParseLong(s[f[typeP.FirstField]], "type");
                if (t < 1 || t > 100000) throw r.Fail(InputProblem.Syntax, $"type: {t} is not an atom type (1, 2, ...)");
                types[k] = (int)t;
                if (species is not null) typing.Observe(types[k], s[f[species.FirstField]], r);
            }
            else if (species is not null) types[k] = typing.TypeOf(s[f[species.FirstField]], r);
            else
            {
                long z = r.ParseLong(s[f[zP!.FirstField]], "Z");
                if (!zElements.TryGetValue((int)z, out var el)) throw r.Fail(InputProblem.UnknownElement, $"Z: no element with atomic number {z}");
                types[k] = typing.TypeOf(el.Symbol, r);
            }
            var p = new Vec3(r.ParseDouble(s[f[pos.FirstField]], "pos x"), r.ParseDouble(s[f[pos.FirstField + 1]], "pos y"),
                r.ParseDouble(s[f[pos.FirstField + 2]], "pos z"));
            positions[k] = rotation is null ? p : Rotate(rotation, p);
            int e = 0;
            foreach (var prop in extras)
                for (int c = 0; c < prop.Count; c++, e++)
                {
                    var field = s[f[prop.FirstField + c]];
                    extra[e][k] = prop.Type == 'L' ? ParseLogical(field, r, prop.Name) : r.ParseValue(field, extraNames[e]);
                }
        }
        if (cell is null) cell = BoundingCell(positions);
        int maxType = count == 0 ? 0 : types.Max();
        return new Snapshot(cell, ids, types, positions)
        {
            Elements = userElements ?? typing.Map(maxType),
            Extra = extraNames.Select((name, i) => new PerAtomColumn(name, extra[i])).ToArray(),
            Timestep = timestep, Frame = frame, Source = r.Path, Lines = lines,
        };
    }

    private static double ParseLogical(ReadOnlySpan<char> field, LineReader r, string name) => field switch
    {
        "T" or "True" or "true" or "1" => 1,
        "F" or "False" or "false" or "0" => 0,
        _ => throw r.Fail(InputProblem.NotANumber, $"{name}: '{field}' is not a logical (T or F)"),
    };

    /// <summary>key=value pairs of the comment line; keys lower-cased; values unquoted.</summary>
    internal static Dictionary<string, string> ParseKeyValues(string line, LineReader r)
    {
        var kv = new Dictionary<string, string>();
        int i = 0, n = line.Length;
        while (i < n)
        {
            while (i < n && char.IsWhiteSpace(line[i])) i++;
            if (i >= n) break;
            int ks = i;
            while (i < n && line[i] != '=' && !char.IsWhiteSpace(line[i])) i++;
            string key = line[ks..i].ToLowerInvariant();
            while (i < n && line[i] == ' ') i++;
            if (i >= n || line[i] != '=') { kv[key] = "T"; continue; }
            i++;
            while (i < n && line[i] == ' ') i++;
            string value;
            if (i < n && (line[i] == '"' || line[i] == '\''))
            {
                char q = line[i++];
                int vs = i;
                while (i < n && line[i] != q) i++;
                if (i >= n) throw r.Fail(InputProblem.Syntax, $"unterminated quote in the value of '{key}'");
                value = line[vs..i]; i++;
            }
            else
            {
                int vs = i;
                while (i < n && !char.IsWhiteSpace(line[i])) i++;
                value = line[vs..i];
            }
            kv[key] = value;
        }
        return kv;
    }

    private static List<Property> ParseProperties(string spec, LineReader r)
    {
        var parts = spec.Split(':');
        if (parts.Length % 3 != 0) throw r.Fail(InputProblem.Syntax, $"Properties '{spec}' is not a list of name:type:count triples");
        var list = new List<Property>();
        int field = 0;
        for (int i = 0; i < parts.Length; i += 3)
        {
            char type = parts[i + 1].Length == 1 ? parts[i + 1][0] : '?';
            if (type is not ('S' or 'R' or 'I' or 'L')) throw r.Fail(InputProblem.Syntax, $"Properties: type '{parts[i + 1]}' of '{parts[i]}' is not S, R, I or L");
            if (!int.TryParse(parts[i + 2], out int count) || count < 1) throw r.Fail(InputProblem.Syntax, $"Properties: count '{parts[i + 2]}' of '{parts[i]}' is not a positive integer");
            list.Add(new Property(parts[i], type, count, field));
            field += count;
        }
        return list;
    }

    private static (Cell? Cell, double[]? Rotation) ReadCell(Dictionary<string, string> kv, LineReader r)
    {
        if (!kv.TryGetValue("lattice", out var lat)) return (null, null);
        var v = Fields.SplitToStrings(lat);
        if (v.Length != 9) throw r.Fail(InputProblem.Syntax, $"Lattice should have 9 numbers, found {v.Length}");
        var x = v.Select((t, i) => r.ParseDouble(t, $"Lattice value {i + 1}")).ToArray();
        Vec3 a = new(x[0], x[1], x[2]), b = new(x[3], x[4], x[5]), c = new(x[6], x[7], x[8]);
        var pbc = new[] { true, true, true };
        if (kv.TryGetValue("pbc", out var p))
        {
            var flags = Fields.SplitToStrings(p);
            if (flags.Length != 3) throw r.Fail(InputProblem.Syntax, $"pbc should have 3 flags, found '{p}'");
            for (int d = 0; d < 3; d++)
                pbc[d] = flags[d] switch
                {
                    "T" or "True" or "true" or "1" => true,
                    "F" or "False" or "false" or "0" => false,
                    _ => throw r.Fail(InputProblem.Syntax, $"pbc flag '{flags[d]}' is not T or F"),
                };
        }
        Vec3 origin = Vec3.Zero;
        if (kv.TryGetValue("origin", out var o))
        {
            var ov = Fields.SplitToStrings(o);
            if (ov.Length != 3) throw r.Fail(InputProblem.Syntax, $"Origin should have 3 numbers, found {ov.Length}");
            origin = new Vec3(r.ParseDouble(ov[0], "Origin x"), r.ParseDouble(ov[1], "Origin y"), r.ParseDouble(ov[2], "Origin z"));
        }
        double volume = a.Dot(b.Cross(c));
        if (!(Math.Abs(volume) > 1e-12 * Math.Max(1e-300, a.Norm * b.Norm * c.Norm)) || !double.IsFinite(volume))
            throw r.Fail(InputProblem.DegenerateCell, "Lattice has zero volume");
        if (volume < 0) throw r.Fail(InputProblem.Unsupported, "Lattice vectors are left-handed; LAMMPS cells need a right-handed a, b, c");
        try
        {
            if (a.Y == 0 && a.Z == 0 && b.Z == 0 && a.X > 0 && b.Y > 0 && c.Z > 0)
                return (new Cell(origin, a.X, b.Y, c.Z, b.X, c.X, c.Y, pbc[0], pbc[1], pbc[2]), null);
            // rotate so that a is along x and b in the xy plane
            double lx = a.Norm; var ax = a / lx;
            double xy = b.Dot(ax); var byv = b - xy * ax; double ly = byv.Norm; var ay = byv / ly;
            var az = ax.Cross(ay);
            double xz = c.Dot(ax), yz = c.Dot(ay), lz = c.Dot(az);
            double[] rot = [ax.X, ax.Y, ax.Z, ay.X, ay.Y, ay.Z, az.X, az.Y, az.Z];
            return (new Cell(Rotate(rot, origin), lx, ly, lz, xy, xz, yz, pbc[0], pbc[1], pbc[2]), rot);
        }
        catch (ArgumentException e) { throw r.Fail(InputProblem.DegenerateCell, e.Message); }
    }

    private static Vec3 Rotate(double[] m, Vec3 p) =>
        new(m[0] * p.X + m[1] * p.Y + m[2] * p.Z, m[3] * p.X + m[4] * p.Y + m[5] * p.Z, m[6] * p.X + m[7] * p.Y + m[8] * p.Z);

    /// <summary>A non-periodic cell around atoms with no lattice (a 1 A slab where all atoms share a coordinate).</summary>
    private static Cell BoundingCell(Vec3[] p)
    {
        if (p.Length == 0) return new Cell(Vec3.Zero, 1, 1, 1, 0, 0, 0, false, false, false);
        double x0 = p.Min(v => v.X), y0 = p.Min(v => v.Y), z0 = p.Min(v => v.Z);
        double x1 = p.Max(v => v.X), y1 = p.Max(v => v.Y), z1 = p.Max(v => v.Z);
        static (double, double) Span(double lo, double hi) => hi > lo ? (lo, hi - lo) : (lo - 0.5, 1.0);
        var (ox, lx) = Span(x0, x1); var (oy, ly) = Span(y0, y1); var (oz, lz) = Span(z0, z1);
        return new Cell(new Vec3(ox, oy, oz), lx, ly, lz, 0, 0, 0, false, false, false);
    }
}

/// <summary>Writes extended XYZ frames readable by ASE and OVITO (Lattice, Origin, Properties, pbc).</summary>
public static class ExtendedXyzWriter
{
    public static void WriteFrame(TextWriter w, Snapshot s, IReadOnlyList<PerAtomColumn>? columns = null)
    {
        columns ??= s.Extra;
        foreach (var col in columns)
        {
            if (col.Values.Length != s.Count) throw new ArgumentException($"column '{col.Name}' has {col.Values.Length} values for {s.Count} atoms");
            if (col.Name.Length == 0 || col.Name.Contains(':') || col.Name.Any(char.IsWhiteSpace)) throw new ArgumentException($"column name '{col.Name}' cannot be written to extended XYZ");
        }
        var c = s.Cell;
        bool species = s.Elements is not null && s.Elements.TypeCount >= s.MaxType;
        string F(double v) => Numbers.Format(v);
        w.Write(Numbers.Format(s.Count)); w.Write('\n');
        w.Write($"Lattice=\"{F(c.Lx)} 0 0 {F(c.Xy)} {F(c.Ly)} 0 {F(c.Xz)} {F(c.Yz)} {F(c.Lz)}\" ");
        w.Write($"Origin=\"{F(c.Origin.X)} {F(c.Origin.Y)} {F(c.Origin.Z)}\" ");
        w.Write("Properties=");
        if (species) w.Write("species:S:1:");
        w.Write("pos:R:3:id:I:1:type:I:1");
        foreach (var col in columns)
        {
            w.Write($":{col.Name}:R:1");
        }
        w.Write($" pbc=\"{string.Join(' ', c.Periodic.Select(p => p ? "T" : "F"))}\" Timestep={s.Timestep}\n");
        for (int i = 0; i < s.Count; i++)
        {
            if (species) { w.Write(s.Elements![s.Types[i]]!.Symbol); w.Write(' '); }
            var p = s.Positions[i];
            w.Write(F(p.X)); w.Write(' '); w.Write(F(p.Y)); w.Write(' '); w.Write(F(p.Z)); w.Write(' ');
            w.Write(Numbers.Format(s.Ids[i])); w.Write(' '); w.Write(Numbers.Format(s.Types[i]));
            foreach (var col in columns) { w.Write(' '); w.Write(F(col.Values[i])); }
            w.Write('\n');
        }
    }

    public static void Write(string path, IEnumerable<Snapshot> frames, Func<Snapshot, IReadOnlyList<PerAtomColumn>>? columns = null) =>
        AtomicFile.Write(path, w => { foreach (var s in frames) WriteFrame(w, s, columns?.Invoke(s)); });
}
