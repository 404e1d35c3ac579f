using Softspot.IO;

namespace Softspot.Tests.IO;

/// <summary>A hand-written bad structure file and what the readers must say about it.</summary>
public sealed record BadInput(string Name, string FileName, string[] Lines, InputProblem Kind, int Line, string MessagePart)
{
    public string Write(string dir) => IoAssert.WriteLines(Path.Combine(dir, FileName), Lines);
    public override string ToString() => Name;
}

/// <summary>
/// The catalogue of bad inputs shared by the reader tests and the CLI tests. Every file is written so that the
/// offending line is obvious; <see cref="BadInput.Line"/> is its 1-based number.
/// </summary>
public static class BadInputs
{
    private static readonly string[] DumpHead5 =
    [
        "ITEM: TIMESTEP",          // 1
        "0",                       // 2
        "ITEM: NUMBER OF ATOMS",   // 3
        "5",                       // 4
        "ITEM: BOX BOUNDS pp pp pp", // 5
        "0 10",                    // 6
        "0 11",                    // 7
        "0 12",                    // 8
        "ITEM: ATOMS id type x y z", // 9
    ];

    private static string[] Atoms(int n, int firstId = 1) =>
        Enumerable.Range(0, n).Select(i => $"{firstId + i} {1 + i % 2} {0.5 + i} {1.5 + i} {2.5 + i}").ToArray();

    private static string[] Dump5(params string[] atoms) => [.. DumpHead5, .. atoms];

    private static string[] Data(int declared, string[] atoms, string? tail = null, string xline = "0 10 xlo xhi") =>
    [
        "LAMMPS data file written by hand", // 1
        "",                                 // 2
        $"{declared} atoms",                // 3
        "2 atom types",                     // 4
        xline,                              // 5
        "0 11 ylo yhi",                     // 6
        "0 12 zlo zhi",                     // 7
        "",                                 // 8
        "Masses",                           // 9
        "",                                 // 10
        "1 63.546",                         // 11
        "2 91.224",                         // 12
        "",                                 // 13
        "Atoms # atomic",                   // 14
        "",                                 // 15
        .. atoms,                           // 16 ...
        .. tail is null ? Array.Empty<string>() : ["", tail, "", "1 0 0 0"],
    ];

    private const string XyzComment = "Lattice=\"10 0 0 0 11 0 0 0 12\" Properties=species:S:1:pos:R:3:id:I:1";

    private static string[] Xyz(int declared, params string[] atoms) => [$"{declared}", XyzComment, .. atoms];

    private static string[] XyzAtoms(int n, int firstId = 1) =>
        Enumerable.Range(0, n).Select(i => $"{(i % 2 == 0 ? "Cu" : "Zr")} {0.5 + i} {1.5 + i} {2.5 + i} {firstId + i}").ToArray();

    public static readonly BadInput[] All =
    [
        // LAMMPS dumps
        new("dump-truncated", "truncated.dump", Dump5(Atoms(3)), InputProblem.Truncated, 13, "declares 5 atoms but only 3 were read"),
        new("dump-truncated-mid-line", "cut.dump", Dump5([.. Atoms(2), "3 1 2.5 3."]), InputProblem.ColumnCount, 12, "expected 5 columns"),
        new("dump-column-count", "columns.dump", Dump5([.. Atoms(1), "2 1 1.5 2.5", .. Atoms(3, 3)]), InputProblem.ColumnCount, 11, "found 4"),
        new("dump-extra-column", "columns6.dump", Dump5([.. Atoms(3), "4 1 1.5 2.5 3.5 7", .. Atoms(1, 5)]), InputProblem.ColumnCount, 13, "found 6"),
        new("dump-not-a-number", "nan.dump", Dump5([.. Atoms(2), "3 1 2.5 abc 4.5", .. Atoms(2, 4)]), InputProblem.NotANumber, 12, "'abc'"),
        new("dump-nan-value", "nanvalue.dump", Dump5([.. Atoms(4), "5 1 nan 1 1"]), InputProblem.NotANumber, 14, "'nan'"),
        new("dump-bad-id", "badid.dump", Dump5([.. Atoms(1), "2.5 1 2.5 3 4.5", .. Atoms(3, 3)]), InputProblem.NotANumber, 11, "id"),
        new("dump-too-few-atoms", "fewer.dump", [.. Dump5(Atoms(3)), "ITEM: TIMESTEP", "1"], InputProblem.AtomCount, 13, "declares 5 atoms but its ATOMS section has 3 lines"),
        new("dump-too-many-atoms", "more.dump", Dump5(Atoms(7)), InputProblem.AtomCount, 15, "more atom lines"),
        new("dump-missing-positions", "nopos.dump", [.. DumpHead5[..8], "ITEM: ATOMS id type vx vy vz", .. Atoms(5)], InputProblem.MissingColumn, 9, "no position columns"),
        new("dump-duplicate-id", "dup.dump", Dump5([.. Atoms(3), "2 2 9 9 9", .. Atoms(1, 5)]), InputProblem.DuplicateId, 13, "duplicate atom id 2 (first at line 11)"),
        new("dump-zero-volume", "flat.dump", [.. DumpHead5[..5], "3.5 3.5", .. DumpHead5[6..], .. Atoms(5)], InputProblem.DegenerateCell, 6, "zero or negative volume"),
        new("dump-zero-volume-z", "flatz.dump", [.. DumpHead5[..7], "4 -4", .. DumpHead5[8..], .. Atoms(5)], InputProblem.DegenerateCell, 8, "zero or negative volume"),
        new("dump-unknown-element", "qq.dump", [.. DumpHead5[..8], "ITEM: ATOMS id type element x y z", "1 1 Cu 0 0 0", "2 2 Qq 1 1 1", "3 1 Cu 2 2 2", "4 2 Zr 3 3 3", "5 1 Cu 4 4 4"],
            InputProblem.UnknownElement, 11, "unknown element 'Qq'"),
        new("dump-second-frame-truncated", "frames.dump", [.. Dump5(Atoms(5)), .. DumpHead5, .. Atoms(4)], InputProblem.Truncated, 28, "timestep 0 declares 5 atoms but only 4"),

        // LAMMPS data files
        new("data-too-few-atoms", "fewer.data", Data(5, Atoms(3), tail: "Velocities"), InputProblem.AtomCount, 20, "declares 5 atoms but the Atoms section has 3"),
        new("data-truncated", "truncated.data", Data(5, Atoms(4)), InputProblem.Truncated, 20, "declares 5 atoms but the Atoms section has 4"),
        new("data-too-many-atoms", "more.data", Data(3, Atoms(4)), InputProblem.AtomCount, 19, "more lines"),
        new("data-column-count", "columns.data", Data(3, [.. Atoms(1), "2 1 1.5 2.5 3.5 0 0", .. Atoms(1, 3)]), InputProblem.ColumnCount, 17, "found 7"),
        new("data-not-a-number", "nan.data", Data(3, [.. Atoms(2), "3 1 2.5 3.5 4.5x"]), InputProblem.NotANumber, 18, "'4.5x'"),
        new("data-duplicate-id", "dup.data", Data(3, [.. Atoms(2), "1 2 7 7 7"]), InputProblem.DuplicateId, 18, "duplicate atom id 1 (first at line 16)"),
        new("data-zero-volume", "flat.data", Data(3, Atoms(3), xline: "2.5 2.5 xlo xhi"), InputProblem.DegenerateCell, 5, "zero or negative volume"),

        // extended XYZ
        new("xyz-too-few-atoms", "fewer.xyz", [.. Xyz(4, XyzAtoms(3)), .. Xyz(3, XyzAtoms(3))], InputProblem.AtomCount, 6, "declares 4 atoms"),
        new("xyz-too-many-atoms", "more.xyz", Xyz(2, XyzAtoms(3)), InputProblem.AtomCount, 5, "more atom lines"),
        new("xyz-truncated", "truncated.xyz", Xyz(5, XyzAtoms(3)), InputProblem.Truncated, 6, "declares 5 atoms but only 3"),
        new("xyz-column-count", "columns.xyz", Xyz(3, [.. XyzAtoms(1), "Zr 1 2 3", .. XyzAtoms(1, 3)]), InputProblem.ColumnCount, 4, "found 4"),
        new("xyz-not-a-number", "nan.xyz", Xyz(3, [.. XyzAtoms(2), "Cu 1 2 three 3"]), InputProblem.NotANumber, 5, "'three'"),
        new("xyz-unknown-species", "qq.xyz", Xyz(3, [.. XyzAtoms(1), "Qq 1 2 3 2", .. XyzAtoms(1, 3)]), InputProblem.UnknownElement, 4, "unknown element 'Qq'"),
        new("xyz-duplicate-id", "dup.xyz", Xyz(3, [.. XyzAtoms(2), "Cu 7 7 7 1"]), InputProblem.DuplicateId, 5, "duplicate atom id 1 (first at line 3)"),
        new("xyz-missing-positions", "nopos.xyz", ["2", "Lattice=\"10 0 0 0 11 0 0 0 12\" Properties=species:S:1:vel:R:3", "Cu 0 0 0", "Zr 1 1 1"], InputProblem.MissingColumn, 2, "pos:R:3"),
        new("xyz-zero-volume", "flat.xyz", ["2", "Lattice=\"10 0 0 20 0 0 0 0 12\" Properties=species:S:1:pos:R:3", "Cu 0 0 0", "Zr 1 1 1"], InputProblem.DegenerateCell, 2, "zero volume"),
        new("xyz-bad-timestep", "timestep.xyz", ["2", XyzComment + " Timestep=soon", .. XyzAtoms(2)], InputProblem.NotANumber, 2, "'soon'"),
    ];

    public static TheoryData<string> Names => [.. All.Select(b => b.Name)];

    public static BadInput Get(string name) => All.Single(b => b.Name == name);
}
