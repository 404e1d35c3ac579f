using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

public class BadInputTests
{
    public static TheoryData<string> Names => BadInputs.Names;

    [Theory]
    [MemberData(nameof(Names))]
    public void EachBadFileNamesItsKindFileAndLine(string name)
    {
        var bad = BadInputs.Get(name);
        using var dir = new TempDir();
        string path = bad.Write(dir.Path);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(path).ToList());
        Assert.Equal(bad.Kind, e.Kind);
        Assert.Equal(bad.Line, e.Line);
        Assert.Equal(path, e.File);
        Assert.StartsWith($"{path}:{bad.Line}: ", e.Message);
        Assert.Contains(bad.MessagePart, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void BadFilesAreAlsoCaughtWhenGzipped(string name)
    {
        var bad = BadInputs.Get(name);
        using var dir = new TempDir();
        string plain = bad.Write(dir.Path);
        string gz = plain + ".gz";
        IoAssert.Gzip(plain, gz);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(gz).ToList());
        Assert.Equal((bad.Kind, (long)bad.Line), (e.Kind, e.Line));
        Assert.StartsWith($"{gz}:{bad.Line}: ", e.Message);
    }

    [Fact]
    public void TheGoodPartsOfTheBadFilesAreGood()
    {
        // guards the catalogue: each bad file differs from a readable one only at its offending line
        using var dir = new TempDir();
        string dump = IoAssert.WriteLines(dir.File("good.dump"),
            ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", "2", "ITEM: BOX BOUNDS pp pp pp", "0 10", "0 11", "0 12",
             "ITEM: ATOMS id type x y z", "1 1 0.5 1.5 2.5", "2 2 1.5 2.5 3.5"]);
        var s = StructureFile.ReadFirst(dump);
        Assert.Equal((10.0, 11.0, 12.0), (s.Cell.Lx, s.Cell.Ly, s.Cell.Lz));
        Assert.Equal(new Vec3(1.5, 2.5, 3.5), s.Positions[1]);
        string data = IoAssert.WriteLines(dir.File("good.data"),
            ["LAMMPS data file written by hand", "", "2 atoms", "2 atom types", "0 10 xlo xhi", "0 11 ylo yhi", "0 12 zlo zhi", "",
             "Masses", "", "1 63.546", "2 91.224", "", "Atoms # atomic", "", "1 1 0.5 1.5 2.5", "2 2 1.5 2.5 3.5", "", "Velocities", "", "1 0 0 0", "2 0 0 0"]);
        var d = StructureFile.ReadFirst(data);
        Assert.Equal([1, 2], d.Types);
        Assert.Equal(["Cu", "Zr"], d.Elements!.ElementsByType.Select(e => e.Symbol));
    }

    [Fact]
    public void UnknownElementInTheElementsList()
    {
        var e = Assert.Throws<UnknownElementException>(() => ElementMap.Parse("Cu,Xx"));
        Assert.Contains("'Xx'", e.Message);
        Assert.Contains("--elements Cu,Xx", e.Message);
        Assert.Throws<UnknownElementException>(() => ElementMap.Parse("Cu,,Zr"));
        Assert.Throws<UnknownElementException>(() => ElementMap.Parse(""));
        var ok = ElementMap.Parse(" cu , ZR ");
        Assert.Equal(["Cu", "Zr"], ok.ElementsByType.Select(x => x.Symbol));
        Assert.Equal(2, ok.TypeCount);
        Assert.Null(ok[3]);
        Assert.Null(ok[0]);
        Assert.Equal(29, ok[1]!.Z);
    }

    [Fact]
    public void MassesAreRecognisedOnlyWhenUnambiguous()
    {
        Assert.Equal("Cu", Elements.GuessFromMass(63.546)!.Symbol);
        Assert.Equal("Zr", Elements.GuessFromMass(91.224)!.Symbol);
        Assert.Equal("Cu", Elements.GuessFromMass(63.55)!.Symbol);
        Assert.Equal("Ni", Elements.GuessFromMass(58.70)!.Symbol);
        Assert.Null(Elements.GuessFromMass(1.5));                      // nothing within 0.2 %
        Assert.Null(Elements.GuessFromMass(1.0));                      // a reduced-unit mass is not hydrogen (1.008)
        Assert.Equal("Ni", Elements.GuessFromMass(58.8)!.Symbol);      // Ni 0.107 u away (within 0.118), Co 0.133 u
        Assert.Null(Elements.GuessFromMass(58.813, relativeTolerance: 0.0025)); // Ni and Co both within 0.147 u: ambiguous
    }

    [Fact]
    public void DataFileWithUnknownMassesHasNoElements()
    {
        using var dir = new TempDir();
        string path = IoAssert.WriteLines(dir.File("lj.data"),
            ["LJ", "", "2 atoms", "2 atom types", "0 10 xlo xhi", "0 10 ylo yhi", "0 10 zlo zhi", "", "Masses", "", "1 2.0", "2 3.0", "",
             "Atoms", "", "1 1 0.5 1.5 2.5 0 0 1", "2 2 1.5 2.5 3.5 -1 0 0"]);
        var s = StructureFile.ReadFirst(path);
        Assert.Null(s.Elements);
        Assert.Equal(new Vec3(0.5, 1.5, 12.5), s.Positions[0]); // style told by 8 columns, image flags applied
        Assert.Equal(new Vec3(-8.5, 2.5, 3.5), s.Positions[1]);
        var m = Assert.Throws<MissingElementsException>(() => s.RequireElements());
        Assert.Contains("--elements", m.Message);
        // with comments naming the elements
        string named = IoAssert.WriteLines(dir.File("named.data"),
            ["LJ", "", "2 atoms", "2 atom types", "0 10 xlo xhi", "0 10 ylo yhi", "0 10 zlo zhi", "", "Masses", "", "1 1.0 # Ni", "2 1.0 # Al", "",
             "Atoms # charge", "", "1 1 -0.5 0.5 1.5 2.5", "2 2 0.5 1.5 2.5 3.5"]);
        var n = StructureFile.ReadFirst(named);
        Assert.Equal(["Ni", "Al"], n.Elements!.ElementsByType.Select(e => e.Symbol));
        Assert.Equal([-0.5, 0.5], n.Column("q")!.Values);
        // reduced (Lennard-Jones) units: masses of 1 are not hydrogen, and two types are not one element
        string lj = IoAssert.WriteLines(dir.File("reduced.data"),
            ["LJ", "", "2 atoms", "2 atom types", "0 10 xlo xhi", "0 10 ylo yhi", "0 10 zlo zhi", "", "Masses", "", "1 1.0", "2 1.0", "",
             "Atoms # atomic", "", "1 1 0.5 1.5 2.5", "2 2 1.5 2.5 3.5"]);
        Assert.Null(StructureFile.ReadFirst(lj).Elements);
        string same = IoAssert.WriteLines(dir.File("same.data"),
            ["two types, one mass", "", "2 atoms", "2 atom types", "0 10 xlo xhi", "0 10 ylo yhi", "0 10 zlo zhi", "", "Masses", "", "1 63.546", "2 63.546", "",
             "Atoms # atomic", "", "1 1 0.5 1.5 2.5", "2 2 1.5 2.5 3.5"]);
        Assert.Null(StructureFile.ReadFirst(same).Elements);
    }

    [Fact]
    public void MissingAndEmptyFiles()
    {
        using var dir = new TempDir();
        foreach (string name in new[] { "absent.dump", "absent" })
        {
            string path = dir.File(name);
            var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(path).ToList());
            Assert.Equal($"{path}: no such file", e.Message);
            Assert.Equal(0, e.Line);
        }
        string empty = dir.File("empty");
        File.WriteAllText(empty, "\n\n");
        var x = Assert.Throws<InputFormatException>(() => StructureFile.ReadFirst(empty));
        Assert.Equal(InputProblem.Truncated, x.Kind);
        Assert.StartsWith(empty + ": ", x.Message);
        string emptyDump = dir.File("empty.dump");
        File.WriteAllText(emptyDump, "");
        // an empty file is an error, not a file of no frames (a command would succeed with nothing to show)
        var z = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(emptyDump).ToList());
        Assert.Equal($"{emptyDump}: empty, no frame found", z.Message);
        var y = Assert.Throws<InputFormatException>(() => StructureFile.ReadFirst(emptyDump));
        Assert.Contains("no frame", y.Message);
    }

    [Fact]
    public void CorruptGzipIsAnInputError()
    {
        using var dir = new TempDir();
        string plain = IoAssert.WriteLines(dir.File("big.dump"),
            ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", "2000", "ITEM: BOX BOUNDS pp pp pp", "0 100", "0 100", "0 100", "ITEM: ATOMS id type x y z",
             .. Enumerable.Range(1, 2000).Select(i => $"{i} 1 {i % 97}.25 {i % 89}.5 {i % 83}.75")]);
        string gz = dir.File("big.dump.gz");
        IoAssert.Gzip(plain, gz);
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(gz).ToList());
        Assert.Contains(e.Kind, new[] { InputProblem.Truncated, InputProblem.ColumnCount });
        Assert.True(e.Line > 9, $"line {e.Line}");
    }

    [Fact]
    public void StructureFormatsAreDetectedByNameThenContent()
    {
        using var dir = new TempDir();
        string dumpText = "ITEM: TIMESTEP\n0\n";
        foreach (var (name, text, format) in new[]
        {
            ("a.dump", "", StructureFormat.LammpsDump), ("a.lammpstrj.gz", "", StructureFormat.LammpsDump),
            ("dump.glass", "", StructureFormat.LammpsDump), ("a.data", "", StructureFormat.LammpsData),
            ("a.lmp", "", StructureFormat.LammpsData), ("data.glass", "", StructureFormat.LammpsData),
            ("A.XYZ", "", StructureFormat.ExtendedXyz), ("a.extxyz", "", StructureFormat.ExtendedXyz),
            ("noext1", "\n  " + dumpText, StructureFormat.LammpsDump), ("noext2", "12\nLattice=\"1 0 0 0 1 0 0 0 1\"\n", StructureFormat.ExtendedXyz),
            ("noext3", "LAMMPS data file\n\n2 atoms\n", StructureFormat.LammpsData),
        })
        {
            string path = dir.File(name);
            File.WriteAllText(path, text);
            Assert.Equal(format, StructureFile.Detect(path));
        }
    }
}
