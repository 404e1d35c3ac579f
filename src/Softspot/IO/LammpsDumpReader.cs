using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Reads LAMMPS text dumps (dump atom / custom) frame by frame: any column order; positions from x y z, xu yu zu,
/// xs ys zs or xsu ysu zsu; boundary flags; orthogonal or triclinic boxes (bounding box converted to lo/hi as the
/// LAMMPS dump documentation gives it); gzip; every other numeric column kept by name.
/// </summary>
public static class LammpsDumpReader
{
    private static readonly (string X, string Y, string Z, bool Scaled)[] PositionSets =
    [
        ("x", "y", "z", false), ("xu", "yu", "zu", false), ("xs", "ys", "zs", true), ("xsu", "ysu", "zsu", true),
    ];

    /// <summary>Frames one at a time; only the current frame is in memory.</summary>
    public static IEnumerable<Snapshot> ReadFrames(string path, ElementMap? elements = null) =>
        LineReader.Frames(path, (r, first, frame) => ReadFrame(r, first, frame, elements, keep: true)!);

    /// <summary>
    /// Every frame's slot, in order: the frame when <paramref name="keep"/> (given its 0-based index) says so, else
    /// null, its atom lines passed over unparsed (the cheap way for a shard to step over other shards' frames).
    /// </summary>
    public static IEnumerable<Snapshot?> ReadFrames(string path, Func<int, bool> keep, ElementMap? elements = null) =>
        LineReader.Frames(path, (r, first, frame) => ReadFrame(r, first, frame, elements, keep(frame)));

    /// <summary>True when the file looks like a LAMMPS dump (first line "ITEM: ...").</summary>
    public static bool Sniff(string firstLine) => firstLine.TrimStart().StartsWith("ITEM:", StringComparison.Ordinal);

    private static Snapshot? ReadFrame(LineReader r, string first, int frame, ElementMap? userElements, bool keep)
    {
        if (frame > 0 && !first.StartsWith("ITEM:", StringComparison.Ordinal))
            throw r.Fail(InputProblem.AtomCount, $"expected 'ITEM: TIMESTEP' at the start of frame {frame}, found '{Shorten(first)}': frame {frame - 1} has more atom lines than its 'ITEM: NUMBER OF ATOMS' declares");
        if (!first.StartsWith("ITEM: TIMESTEP", StringComparison.Ordinal))
            throw r.Fail(InputProblem.Syntax, $"expected 'ITEM: TIMESTEP' at the start of frame {frame}, found '{Shorten(first)}'");
        long timestep = r.ParseLong(r.Require("the timestep").Trim(), "timestep");
        long natoms = -1, natomsLine = 0;
        Cell? cell = null;
        while (true)
        {
            string item = r.Require(natoms < 0 ? "'ITEM: NUMBER OF ATOMS'" : "'ITEM: ATOMS ...'");
            if (!item.StartsWith("ITEM:", StringComparison.Ordinal))
                throw r.Fail(InputProblem.Syntax, $"expected an 'ITEM:' line, found '{Shorten(item)}'");
            string head = item[5..].Trim();
            if (head.StartsWith("NUMBER OF ATOMS", StringComparison.Ordinal))
            {
                natoms = r.ParseLong(r.Require("the number of atoms").Trim(), "number of atoms");
                natomsLine = r.LineNumber;
                if (natoms < 0 || natoms > int.MaxValue) throw r.Fail(InputProblem.AtomCount, $"number of atoms {natoms} is out of range");
            }
            else if (head.StartsWith("BOX BOUNDS", StringComparison.Ordinal)) cell = ReadBox(r, head[10..]);
            else if (head.StartsWith("ATOMS", StringComparison.Ordinal))
            {
                if (natoms < 0) throw r.Fail(InputProblem.Syntax, "'ITEM: ATOMS' before 'ITEM: NUMBER OF ATOMS'");
                if (cell is null) throw r.Fail(InputProblem.Syntax, "'ITEM: ATOMS' before 'ITEM: BOX BOUNDS'");
                if (keep) return ReadAtoms(r, head[5..], (int)natoms, cell, timestep, frame, userElements, natomsLine);
                r.SkipAtomLines(natoms, "ITEM:", $"the frame at timestep {timestep}");
                return null;
            }
            else if (head.StartsWith("TIME", StringComparison.Ordinal) || head.StartsWith("UNITS", StringComparison.Ordinal))
                r.Require($"the value of '{item}'");
            else
                throw r.Fail(InputProblem.Unsupported, $"unknown dump section '{Shorten(item)}'");
        }
    }

    private static Cell ReadBox(LineReader r, string spec)
    {
        var words = Fields.SplitToStrings(spec);
        bool triclinic = words.Length >= 3 && words[0] == "xy" && words[1] == "xz" && words[2] == "yz";
        if (words.Contains("abc") || words.Contains("origin"))
            throw r.Fail(InputProblem.Unsupported, "general triclinic boxes ('BOX BOUNDS abc origin') are not supported; dump with a restricted triclinic box");
        var flags = words.Skip(triclinic ? 3 : 0).ToArray();
        var periodic = new bool[3] { true, true, true };
        if (flags.Length != 0)
        {
            if (flags.Length != 3) throw r.Fail(InputProblem.Syntax, $"expected 3 boundary flags (e.g. 'pp pp pp'), found '{spec.Trim()}'");
            for (int d = 0; d < 3; d++)
            {
                string f = flags[d];
                if (f.Length != 2 || f.Any(c => c is not ('p' or 'f' or 's' or 'm')) || (f.Contains('p') && f != "pp"))
                    throw r.Fail(InputProblem.Syntax, $"boundary flag '{f}' is not one of pp, ff, ss, mm or a mix of f, s, m");
                periodic[d] = f == "pp";
            }
        }
        Span<double> lo = stackalloc double[3], hi = stackalloc double[3], tilt = stackalloc double[3];
        Span<long> lineOf = stackalloc long[3];
        Span<Range> ranges = stackalloc Range[4];
        for (int d = 0; d < 3; d++)
        {
            string line = r.Require($"box bounds line {d + 1} of 3");
            lineOf[d] = r.LineNumber;
            int n = Fields.Split(line, ranges);
            int want = triclinic ? 3 : 2;
            if (n != want) throw r.Fail(InputProblem.ColumnCount, $"box bounds line should have {want} numbers, found {n}");
            lo[d] = r.ParseDouble(line.AsSpan()[ranges[0]], $"{"xyz"[d]}lo");
            hi[d] = r.ParseDouble(line.AsSpan()[ranges[1]], $"{"xyz"[d]}hi");
            tilt[d] = triclinic ? r.ParseDouble(line.AsSpan()[ranges[2]], new[] { "xy", "xz", "yz" }[d]) : 0.0;
        }
        try
        {
            return Cell.FromLammpsBoundingBox(lo[0], hi[0], lo[1], hi[1], lo[2], hi[2], tilt[0], tilt[1], tilt[2], periodic[0], periodic[1], periodic[2]);
        }
        catch (ArgumentException e)
        {
            // point at the bounds line of the first degenerate edge (lx and ly also depend on the tilts of later lines)
            double lx = hi[0] - lo[0] - Math.Max(Math.Max(0.0, tilt[0]), Math.Max(tilt[1], tilt[0] + tilt[1])) + Math.Min(Math.Min(0.0, tilt[0]), Math.Min(tilt[1], tilt[0] + tilt[1]));
            double ly = hi[1] - lo[1] - Math.Max(0.0, tilt[2]) + Math.Min(0.0, tilt[2]);
            int bad = !(lx > 0) ? 0 : !(ly > 0) ? 1 : 2;
            throw new InputFormatException(r.Path, lineOf[bad], InputProblem.DegenerateCell, e.Message);
        }
    }

    private static Snapshot ReadAtoms(LineReader r, string header, int n, Cell cell, long timestep, int frame, ElementMap? userElements, long natomsLine)
    {
        var lines = new AtomLines(r.LineNumber + 1) { Header = natomsLine };
        var names = Fields.SplitToStrings(header);
        if (names.Length == 0) throw r.Fail(InputProblem.MissingColumn, "'ITEM: ATOMS' names no columns");
        int Col(string name) => Array.IndexOf(names, name);
        for (int i = 0; i < names.Length; i++)
            if (Array.IndexOf(names, names[i]) != i) throw r.Fail(InputProblem.Syntax, $"column '{names[i]}' appears twice");

        int idCol = Col("id"), typeCol = Col("type"), elemCol = Col("element");
        int px = -1, py = -1, pz = -1; bool scaled = false;
        foreach (var set in PositionSets)
        {
            int a = Col(set.X), b = Col(set.Y), c = Col(set.Z);
            if (a >= 0 && b >= 0 && c >= 0) { px = a; py = b; pz = c; scaled = set.Scaled; break; }
        }
        if (px < 0)
            throw r.Fail(InputProblem.MissingColumn, $"no position columns among '{header.Trim()}': need x y z, xu yu zu, xs ys zs or xsu ysu zsu");
        if (typeCol < 0 && elemCol < 0)
            throw r.Fail(InputProblem.MissingColumn, $"no 'type' or 'element' column among '{header.Trim()}'");

        var role = new int[names.Length]; // -1 = used by a known role, >= 0 = extra column index
        var extraNames = new List<string>();
        for (int i = 0; i < names.Length; i++)
        {
            if (i == idCol || i == typeCol || i == elemCol || i == px || i == py || i == pz) role[i] = -1;
            else { role[i] = extraNames.Count; extraNames.Add(names[i]); }
        }

        r.RequireRoomFor(n, natomsLine, $"the frame at timestep {timestep}");
        var ids = new long[n]; var types = new int[n]; var pos = new Vec3[n];
        var extra = extraNames.Select(_ => new double[n]).ToArray();
        var dup = new DuplicateIdGuard(n);
        var typing = new ElementTyping(userElements);
        Span<Range> f = stackalloc Range[names.Length + 1];
        for (int k = 0; k < n; k++)
        {
            string? line = r.Next();
            if (line is null)
                throw new InputFormatException(r.Path, r.LineNumber + 1, InputProblem.Truncated,
                    $"unexpected end of file: the frame at timestep {timestep} declares {n} atoms but only {k} were read");
            if (line.StartsWith("ITEM:", StringComparison.Ordinal))
                throw r.Fail(InputProblem.AtomCount, $"the frame at timestep {timestep} declares {n} atoms but its ATOMS section has {k} lines");
            int count = Fields.Split(line, f);
            if (count != names.Length)
                throw r.Fail(InputProblem.ColumnCount, $"expected {names.Length} columns ({header.Trim()}), found {count}");
            var s = line.AsSpan();
            ids[k] = idCol >= 0 ? r.ParseLong(s[f[idCol]], "id") : k + 1;
            dup.Add(ids[k], r);
            if (typeCol >= 0)
            {
                long t = r.ParseLong(s[f[typeCol]], "type");
                if (t < 1 || t > 100000) throw r.Fail(InputProblem.Syntax, $"type: {t} is not a LAMMPS atom type (1, 2, ...)");
                types[k] = (int)t;
                if (elemCol >= 0) typing.Observe(types[k], s[f[elemCol]], r);
            }
            else types[k] = typing.TypeOf(s[f[elemCol]], r);
            var p = new Vec3(r.ParseDouble(s[f[px]], names[px]), r.ParseDouble(s[f[py]], names[py]), r.ParseDouble(s[f[pz]], names[pz]));
            pos[k] = scaled ? cell.ToCartesian(p) : p;
            for (int i = 0; i < names.Length; i++)
                if (role[i] >= 0) extra[role[i]][k] = r.ParseValue(s[f[i]], names[i]);
        }
        int maxType = n == 0 ? 0 : types.Max();
        var map = userElements ?? typing.Map(maxType);
        return new Snapshot(cell, ids, types, pos)
        {
            Elements = map,
            Extra = extraNames.Select((name, i) => new PerAtomColumn(name, extra[i])).ToArray(),
            Timestep = timestep,
            Frame = frame,
            Source = r.Path,
            Lines = lines,
        };
    }

    internal static string Shorten(string s) => s.Length > 60 ? s[..57] + "..." : s;
}
