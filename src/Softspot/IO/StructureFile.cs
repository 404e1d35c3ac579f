using Softspot.Structures;

namespace Softspot.IO;

public enum StructureFormat { Auto, LammpsDump, LammpsData, ExtendedXyz }

/// <summary>
/// Opens any structure file Softspot reads, by name or, failing that, by content. Every frame it hands out has passed
/// <see cref="StructureCheck.Validate"/>, and a file without a frame is an error: every command reads structures here.
/// </summary>
public static class StructureFile
{
    /// <summary>The frames of a file, one at a time.</summary>
    public static IEnumerable<Snapshot> ReadFrames(string path, ElementMap? elements = null, StructureFormat format = StructureFormat.Auto) =>
        Checked(path, Parse(path, elements, format))!;

    private static IEnumerable<Snapshot> Parse(string path, ElementMap? elements, StructureFormat format)
    {
        if (format == StructureFormat.Auto) format = Detect(path);
        return format switch
        {
            StructureFormat.LammpsDump => LammpsDumpReader.ReadFrames(path, elements),
            StructureFormat.ExtendedXyz => ExtendedXyzReader.ReadFrames(path, elements),
            StructureFormat.LammpsData => [LammpsDataReader.Read(path, elements)],
            _ => throw new ArgumentOutOfRangeException(nameof(format)),
        };
    }

    /// <summary>
    /// Every frame's slot, in order: the frame when <paramref name="keep"/> (given its 0-based index in the file) says
    /// so, else null; dumps and extended XYZ pass over the atom lines of the other frames without parsing them.
    /// </summary>
    public static IEnumerable<Snapshot?> ReadFrames(string path, Func<int, bool> keep, ElementMap? elements = null)
    {
        return Checked(path, Detect(path) switch
        {
            StructureFormat.LammpsDump => LammpsDumpReader.ReadFrames(path, keep, elements),
            StructureFormat.ExtendedXyz => ExtendedXyzReader.ReadFrames(path, keep, elements),
            _ => [keep(0) ? LammpsDataReader.Read(path, elements) : null],
        });
    }

    /// <summary>Validates each frame read (a null slot is a frame passed over); no frame at all is an error.</summary>
    private static IEnumerable<Snapshot?> Checked(string path, IEnumerable<Snapshot?> frames)
    {
        int count = 0;
        foreach (var s in frames)
        {
            count++;
            yield return s is null ? null : StructureCheck.Validate(s);
        }
        if (count == 0) throw new InputFormatException(path, 0, InputProblem.Truncated, "empty, no frame found");
    }

    /// <summary>The first frame of a file.</summary>
    public static Snapshot ReadFirst(string path, ElementMap? elements = null, StructureFormat format = StructureFormat.Auto)
    {
        foreach (var s in ReadFrames(path, elements, format)) return s;
        throw new InputFormatException(path, 0, InputProblem.Truncated, "empty, no frame found");
    }

    public static StructureFormat Detect(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz")) name = name[..^3];
        string ext = Path.GetExtension(name);
        switch (ext)
        {
            case ".dump" or ".lammpstrj": return StructureFormat.LammpsDump;
            case ".data" or ".lmp": return StructureFormat.LammpsData;
            case ".xyz" or ".extxyz": return StructureFormat.ExtendedXyz;
        }
        if (ext is ".csv" or ".tsv" or ".parquet" or ".json" or ".yaml" or ".yml" or ".md" or ".html")
            throw new InputFormatException(path, 0, InputProblem.Unsupported, $"a {ext[1..]} file, not a structure: give a LAMMPS dump (.dump, .lammpstrj) or data file (.data, .lmp) or extended XYZ (.xyz)");
        if (name.StartsWith("dump.")) return StructureFormat.LammpsDump;
        if (name.StartsWith("data.")) return StructureFormat.LammpsData;
        using var r = new LineReader(path);
        string? first;
        do { first = r.Next(); } while (first is not null && first.Trim().Length == 0);
        if (first is null) throw new InputFormatException(path, 0, InputProblem.Truncated, "empty, no frame found");
        if (LammpsDumpReader.Sniff(first)) return StructureFormat.LammpsDump;
        if (long.TryParse(first.Trim(), out _)) return StructureFormat.ExtendedXyz;
        return StructureFormat.LammpsData;
    }

    /// <summary>Writes frames as extended XYZ (.xyz, .extxyz) or else as a LAMMPS dump, atomically.</summary>
    public static void Write(string path, IEnumerable<Snapshot> frames, Func<Snapshot, IReadOnlyList<PerAtomColumn>>? columns = null)
    {
        string name = path.ToLowerInvariant();
        if (name.EndsWith(".gz")) name = name[..^3];
        if (name.EndsWith(".xyz") || name.EndsWith(".extxyz")) ExtendedXyzWriter.Write(path, frames, columns);
        else LammpsDumpWriter.Write(path, frames, columns);
    }
}
