using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

/// <summary>
/// The structure check every frame passes through (StructureFile): what parses but is no structure is an error naming
/// the file, the atom's line and the atom, in every format.
/// </summary>
public class StructureCheckTests
{
    private static string Dump(TempDir dir, string name, string bounds, params string[] atoms) =>
        IoAssert.WriteLines(dir.File(name),
            ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", $"{atoms.Length}", $"ITEM: BOX BOUNDS {bounds}", "0 5", "0 5", "0 5",
             "ITEM: ATOMS id type x y z", .. atoms]);

    private static InputFormatException Refused(string path) =>
        Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(path).ToList());

    [Fact]
    public void TwoAtomsAtOnePositionNameBothIdsTheLineAndTheDistance()
    {
        using var dir = new TempDir();
        string path = Dump(dir, "in.dump", "pp pp pp", "1 1 0.5 0.5 0.5", "2 2 3.0 0.5 0.5", "3 1 0.5 3.0 0.5", "7 2 0.5 0.5 0.5");
        var e = Refused(path);
        Assert.Equal($"{path}:13: atoms 1 (line 10) and 7 are 0 A apart (closer than 0.1 A): one atom written twice, or a broken structure", e.Message);
    }

    [Fact]
    public void CloseAcrossAPeriodicBoundaryIsClose()
    {
        using var dir = new TempDir();
        var e = Refused(Dump(dir, "in.dump", "pp pp pp", "1 1 0.02 2 2", "2 2 3.0 0.5 0.5", "3 1 4.97 2 2"));
        Assert.Contains("atoms 1 (line 10) and 3 are 0.05 A apart", e.Message);
        // not across a non-periodic one
        Assert.Equal(3, StructureFile.ReadFirst(Dump(dir, "ff.dump", "ff pp pp", "1 1 0.02 2 2", "2 2 3.0 0.5 0.5", "3 1 4.97 2 2")).Count);
        // unwrapped coordinates a few cells away are the same place
        var u = Refused(Dump(dir, "unwrapped.dump", "pp pp pp", "1 1 0.5 0.5 0.5", "2 2 3.0 0.5 0.5", "3 1 10.54 -9.5 15.5"));
        Assert.Contains("atoms 1 (line 10) and 3 are 0.04 A apart", u.Message);
    }

    [Fact]
    public void AtomsJustApartAreFine()
    {
        using var dir = new TempDir();
        Assert.Equal(2, StructureFile.ReadFirst(Dump(dir, "in.dump", "pp pp pp", "1 1 0.5 0.5 0.5", "2 2 0.5 0.5 0.61")).Count);
    }

    [Fact]
    public void TheCellListFindsExactlyThePairsBruteForceFinds()
    {
        // random atoms in periodic, mixed and strongly tilted cells, some with one close pair planted: the check
        // refuses a frame exactly when an O(N^2) minimum-image search finds a pair closer than 0.1 A
        var rng = new Random(7);
        int refused = 0, accepted = 0;
        for (int trial = 0; trial < 60; trial++)
        {
            bool tilt = trial % 3 == 0, mixed = trial % 4 == 1;
            double l = 2 + 6 * rng.NextDouble();
            var cell = new Cell(new Vec3(-1, 2, 0.5), l, l * (0.6 + rng.NextDouble()), l * (0.6 + rng.NextDouble()),
                tilt ? 0.4 * l : 0, tilt ? -0.3 * l : 0, tilt ? 0.45 * l : 0, periodicA: true, periodicB: !mixed, periodicC: true);
            int n = 5 + rng.Next(60);
            var pos = new Vec3[n];
            for (int i = 0; i < n; i++)
            {
                var f = new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble());
                var p = cell.ToCartesian(f);
                if (trial % 2 == 0 && i == n - 1) // a near twin of some atom, maybe through a boundary
                {
                    var d = new Vec3(rng.NextDouble() - 0.5, rng.NextDouble() - 0.5, rng.NextDouble() - 0.5) * (0.25 * rng.NextDouble());
                    p = pos[rng.Next(n - 1)] + d;
                    if (!mixed) p += cell.A * rng.Next(-1, 2) + cell.C * rng.Next(-1, 2);
                    if (mixed && cell.ToFractional(p).Y is < 0 or > 1) p = cell.ToCartesian(f);
                }
                pos[i] = p;
            }
            var s = new Snapshot(cell, [.. Enumerable.Range(1, n).Select(i => (long)i)], new int[n].Select(_ => 1).ToArray(), pos) { Source = "random" };
            double nearest = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
                for (int j = i + 1; j < n; j++)
                    nearest = Math.Min(nearest, cell.MinimumImage(pos[j] - pos[i]).Norm);
            if (nearest < StructureCheck.MinSeparation)
            {
                var e = Assert.Throws<InputFormatException>(() => StructureCheck.Validate(s));
                Assert.Contains("closer than 0.1 A", e.Message);
                refused++;
            }
            else
            {
                StructureCheck.Validate(s);
                accepted++;
            }
        }
        Assert.True(refused >= 10 && accepted >= 10, $"{refused} refused, {accepted} accepted");
    }

    [Fact]
    public void AnAtomOutsideANonPeriodicBoxIsNamed()
    {
        using var dir = new TempDir();
        string path = Dump(dir, "in.dump", "pp ff pp", "1 1 0.5 0.5 0.5", "2 2 3.0 0.5 0.5", "3 1 0.5 7.0 0.5");
        var e = Refused(path);
        Assert.Equal(InputProblem.Syntax, e.Kind);
        Assert.StartsWith($"{path}:12: atom 3 at y = 7 is outside the non-periodic box (outside ylo yhi = 0 5)", e.Message);
        // outside along a periodic direction is fine (wrapped), and so are fs, fm and ss boxes with every atom inside
        Assert.Equal(3, StructureFile.ReadFirst(Dump(dir, "p.dump", "pp fs pp", "1 1 0.5 0.5 0.5", "2 2 8.0 0.5 0.5", "3 1 0.5 4.9 0.5")).Count);
        foreach (var b in new[] { "fs ff fm", "ss ss ss", "mm ff ss" })
            Refused(Dump(dir, "b.dump", b, "1 1 0.5 0.5 0.5", "2 2 3.0 0.5 -0.5"));
        // an atom on a shrink-wrapped face printed with 6 digits ("%g") may read a hair outside
        Assert.Equal(2, StructureFile.ReadFirst(Dump(dir, "face.dump", "ss ss ss", "1 1 0 0 0", "2 2 5.00001 4.99999 5")).Count);
    }

    [Fact]
    public void AbsurdCoordinatesAreRefused()
    {
        using var dir = new TempDir();
        foreach (var x in new[] { "1e300", "-1e300", "1e20", "3e7" })
        {
            string path = Dump(dir, "in.dump", "pp pp pp", "1 1 0.5 0.5 0.5", $"2 2 {x} 0.5 0.5");
            var e = Refused(path);
            Assert.StartsWith($"{path}:11: atom 2 at (", e.Message);
            Assert.Contains("not a meaningful position", e.Message);
        }
        // NaN and infinities are no position at all
        foreach (var x in new[] { "nan", "inf", "-inf", "NaN" })
            Assert.Equal(InputProblem.NotANumber, Refused(Dump(dir, "nan.dump", "pp pp pp", "1 1 0.5 0.5 0.5", $"2 2 0.5 {x} 0.5")).Kind);
        // unwrapped coordinates of a long run are fine
        Assert.Equal(2, StructureFile.ReadFirst(Dump(dir, "far.dump", "pp pp pp", "1 1 0.5 0.5 0.5", "2 2 5000.25 -3000.5 0.5")).Count);
    }

    [Fact]
    public void FramesWithoutAtomsAndFilesWithoutFrames()
    {
        using var dir = new TempDir();
        string dump = Dump(dir, "zero.dump", "pp pp pp");
        Assert.Equal($"{dump}:4: the frame has no atoms", Refused(dump).Message);
        string xyz = IoAssert.WriteLines(dir.File("zero.xyz"), ["0", "Lattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3"]);
        Assert.Equal($"{xyz}:1: the frame has no atoms", Refused(xyz).Message);
        string data = IoAssert.WriteLines(dir.File("zero.data"), ["title", "", "0 atoms", "1 atom types", "0 5 xlo xhi", "0 5 ylo yhi", "0 5 zlo zhi"]);
        Assert.StartsWith($"{data}:3: the header declares 0 atoms", Refused(data).Message);
        // a second frame without atoms names its frame
        string two = dir.File("two.dump");
        File.WriteAllText(two, File.ReadAllText(Dump(dir, "one.dump", "pp pp pp", "1 1 0.5 0.5 0.5")) + File.ReadAllText(dump));
        Assert.Equal($"{two}:14: frame 1: the frame has no atoms", Refused(two).Message);
        foreach (var (name, text) in new[] { ("e.dump", ""), ("e.data", ""), ("e.xyz", ""), ("blank.dump", "\n\n  \n"), ("blank.data", "\n\n"), ("e", "") })
        {
            File.WriteAllText(dir.File(name), text);
            Assert.Equal($"{dir.File(name)}: empty, no frame found", Refused(dir.File(name)).Message);
            Assert.Equal($"{dir.File(name)}: empty, no frame found",
                Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(dir.File(name), _ => true).ToList()).Message);
        }
    }

    [Fact]
    public void TypesBeyondTheNamedElementsAreRefusedNamingTheType()
    {
        using var dir = new TempDir();
        string path = Dump(dir, "in.dump", "pp pp pp", "1 1 0.5 0.5 0.5", "2 2 3.0 0.5 0.5", "3 3 0.5 3.0 0.5");
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(path, ElementMap.Parse("Cu,Zr")).ToList());
        Assert.Equal($"{path}:12: atom 3 has type 3 but only 2 element(s) are named (1=Cu, 2=Zr): name one element per type with --elements", e.Message);
        // more names than types is fine
        Assert.Equal(4, StructureFile.ReadFirst(path, ElementMap.Parse("Cu,Zr,Al,Ni")).Elements!.TypeCount);
    }

    [Fact]
    public void ElementsNamedTwiceAreRefused()
    {
        var e = Assert.Throws<ElementListException>(() => ElementMap.Parse("Cu,Zr,cu"));
        Assert.Equal("--elements Cu,Zr,cu: Cu is named twice (types 1 and 3); name each type's element once, type 1 first", e.Message);
        Assert.IsAssignableFrom<SoftspotException>(e);
    }

    [Fact]
    public void DataFileLinesAreCountedThroughCommentsAndBlankLines()
    {
        using var dir = new TempDir();
        string path = IoAssert.WriteLines(dir.File("in.data"),
            ["title", "", "3 atoms", "2 atom types", "0 5 xlo xhi", "0 5 ylo yhi", "0 5 zlo zhi", "", "Atoms # atomic", "",
             "1 1 0.5 0.5 0.5", "# a comment", "", "2 2 3.0 0.5 0.5", "", "3 1 0.5 0.55 0.5"]);
        Assert.Equal($"{path}:16: atoms 1 (line 11) and 3 are 0.05 A apart (closer than 0.1 A): one atom written twice, or a broken structure", Refused(path).Message);
    }

    [Fact]
    public void ExtendedXyzAtomsAreNamedByTheirLine()
    {
        using var dir = new TempDir();
        string path = IoAssert.WriteLines(dir.File("in.xyz"),
            ["3", "Lattice=\"5 0 0 0 5 0 0 0 5\" Properties=species:S:1:pos:R:3 pbc=\"T T F\"", "Cu 0.5 0.5 0.5", "Zr 3 3 3", "Cu 1 1 6"]);
        Assert.StartsWith($"{path}:5: atom 3 at z = 6 is outside the non-periodic box", Refused(path).Message);
        // without a lattice the cell is the atoms' bounding box: every atom is inside
        string free = IoAssert.WriteLines(dir.File("free.xyz"), ["3", "", "Cu 0.5 0.5 0.5", "Zr 3 3 3", "Cu 1 1 6"]);
        Assert.Equal(3, StructureFile.ReadFirst(free).Count);
    }

    [Fact]
    public void CellsTiltedBeyondMeaningAreRefusedNotSearchedForever()
    {
        // found by fuzzing: a tilt factor of 100001 in a 6 A data file made every periodic-image search hang
        using var dir = new TempDir();
        string Data(string tilt) => IoAssert.WriteLines(dir.File("in.data"),
            ["title", "", "2 atoms", "2 atom types", "0 6 xlo xhi", "0 6 ylo yhi", "0 6 zlo zhi", $"{tilt} xy xz yz", "", "Atoms # atomic", "",
             "1 1 0.5 0.5 0.5", "2 2 3 3 3"]);
        var task = Task.Run(() => Refused(Data("100001 0.5 0.25")));
        Assert.True(task.Wait(TimeSpan.FromSeconds(10)), "no answer within 10 s");
        Assert.Equal($"{dir.File("in.data")}: the cell's tilt factor xy = 100001 is 16666.8 times lx = 6: no meaningful box is tilted that far (LAMMPS flips a box at half its length)", task.Result.Message);
        Assert.Contains("yz = -70", Refused(Data("0 0 -70")).Message);
        // strongly but not absurdly tilted cells (shear strain 900 %) are fine
        Assert.Equal(2, StructureFile.ReadFirst(Data("54 0 -3")).Count);
        // a periodic cell thinner than 0.1 A puts every atom on its own image
        string thin = IoAssert.WriteLines(dir.File("thin.dump"),
            ["ITEM: TIMESTEP", "0", "ITEM: NUMBER OF ATOMS", "1", "ITEM: BOX BOUNDS pp pp pp", "0 5", "0 0.05", "0 5", "ITEM: ATOMS id type x y z", "1 1 1 0.01 1"]);
        Assert.Equal($"{thin}: the periodic cell is 0.05 A wide along b: every atom would be closer than 0.1 A to its own periodic image", Refused(thin).Message);
    }

    [Fact]
    public void TheCheckIsLinearInTheAtoms()
    {
        // a perturbed simple-cubic crystal of 512,000 atoms is checked in well under the time it takes to read it
        int m = 80, n = m * m * m;
        var rng = new Random(3);
        var pos = new Vec3[n];
        for (int i = 0; i < n; i++)
            pos[i] = new Vec3(i % m + 0.2 * rng.NextDouble(), i / m % m + 0.2 * rng.NextDouble(), i / (m * m) + 0.2 * rng.NextDouble()) * 2.5;
        var s = new Snapshot(new Cell(Vec3.Zero, 2.5 * m, 2.5 * m, 2.5 * m), [.. Enumerable.Range(1, n).Select(i => (long)i)], new int[n], pos);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StructureCheck.Validate(s);
        Assert.True(clock.Elapsed.TotalSeconds < 20, $"{clock.Elapsed.TotalSeconds:F1} s for {n} atoms");
    }
}
