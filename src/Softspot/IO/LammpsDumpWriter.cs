using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Writes LAMMPS text dump frames (<c>ITEM: ATOMS id type [element] x y z ...</c>) with any extra per-atom columns,
/// so that OVITO or LAMMPS colour atoms by a descriptor or prediction. Numbers are written to full precision.
/// </summary>
public static class LammpsDumpWriter
{
    /// <summary>Writes one frame; call repeatedly on the same writer for a trajectory.</summary>
    /// <summary>A column name LAMMPS and OVITO accept: letters, digits, '_' and '.', other characters replaced by '_'.</summary>
    public static string ColumnName(string name) =>
        new string(name.Select(ch => char.IsLetterOrDigit(ch) || ch == '_' || ch == '.' ? ch : '_').ToArray()).Trim('_');

    public static void WriteFrame(TextWriter w, Snapshot s, IReadOnlyList<PerAtomColumn>? columns = null)
    {
        columns ??= s.Extra;
        foreach (var c in columns)
        {
            if (c.Values.Length != s.Count) throw new ArgumentException($"column '{c.Name}' has {c.Values.Length} values for {s.Count} atoms");
            if (c.Name.Any(char.IsWhiteSpace) || c.Name.Length == 0) throw new ArgumentException($"column name '{c.Name}' is empty or has spaces");
        }
        var cell = s.Cell;
        w.Write("ITEM: TIMESTEP\n"); w.Write(Numbers.Format(s.Timestep)); w.Write('\n');
        w.Write("ITEM: NUMBER OF ATOMS\n"); w.Write(Numbers.Format(s.Count)); w.Write('\n');
        string flags = string.Join(' ', cell.Periodic.Select(p => p ? "pp" : "ff"));
        var (xlo, xhi, ylo, yhi, zlo, zhi) = cell.LammpsBoundingBox();
        if (cell.IsTriclinic)
        {
            w.Write($"ITEM: BOX BOUNDS xy xz yz {flags}\n");
            w.Write($"{Numbers.Format(xlo)} {Numbers.Format(xhi)} {Numbers.Format(cell.Xy)}\n");
            w.Write($"{Numbers.Format(ylo)} {Numbers.Format(yhi)} {Numbers.Format(cell.Xz)}\n");
            w.Write($"{Numbers.Format(zlo)} {Numbers.Format(zhi)} {Numbers.Format(cell.Yz)}\n");
        }
        else
        {
            w.Write($"ITEM: BOX BOUNDS {flags}\n");
            w.Write($"{Numbers.Format(xlo)} {Numbers.Format(xhi)}\n");
            w.Write($"{Numbers.Format(ylo)} {Numbers.Format(yhi)}\n");
            w.Write($"{Numbers.Format(zlo)} {Numbers.Format(zhi)}\n");
        }
        bool element = s.Elements is not null && s.Elements.TypeCount >= s.MaxType;
        w.Write("ITEM: ATOMS id type");
        if (element) w.Write(" element");
        w.Write(" x y z");
        foreach (var c in columns) { w.Write(' '); w.Write(c.Name); }
        w.Write('\n');
        for (int i = 0; i < s.Count; i++)
        {
            w.Write(Numbers.Format(s.Ids[i])); w.Write(' ');
            w.Write(Numbers.Format(s.Types[i]));
            if (element) { w.Write(' '); w.Write(s.Elements![s.Types[i]]!.Symbol); }
            var p = s.Positions[i];
            w.Write(' '); w.Write(Numbers.Format(p.X));
            w.Write(' '); w.Write(Numbers.Format(p.Y));
            w.Write(' '); w.Write(Numbers.Format(p.Z));
            foreach (var c in columns) { w.Write(' '); w.Write(Numbers.Format(c.Values[i])); }
            w.Write('\n');
        }
    }

    /// <summary>Writes frames to a file atomically (.gz compresses).</summary>
    public static void Write(string path, IEnumerable<Snapshot> frames, Func<Snapshot, IReadOnlyList<PerAtomColumn>>? columns = null) =>
        AtomicFile.Write(path, w => { foreach (var s in frames) WriteFrame(w, s, columns?.Invoke(s)); });
}
