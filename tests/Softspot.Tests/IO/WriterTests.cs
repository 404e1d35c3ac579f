using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;
using static Softspot.Tests.IO.IoAssert;

namespace Softspot.Tests.IO;

public class WriterTests
{
    /// <summary>Random atoms in a triclinic cell, with elements Cu, Zr and a per-atom "softness".</summary>
    private static Snapshot RandomTriclinic(int n, int seed, Cell cell)
    {
        var rng = new Random(seed);
        var ids = new long[n]; var types = new int[n]; var pos = new Vec3[n]; var soft = new double[n];
        for (int i = 0; i < n; i++)
        {
            ids[i] = 1000 + 3 * (n - i); // not 1..N, not sorted
            types[i] = rng.NextDouble() < 0.64 ? 1 : 2;
            pos[i] = cell.ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()));
            soft[i] = rng.NextDouble() * 4 - 2;
        }
        return new Snapshot(cell, ids, types, pos)
        {
            Elements = ElementMap.Parse("Cu,Zr"),
            Extra = [new PerAtomColumn("softness", soft)],
            Timestep = 0,
        };
    }

    private static readonly Cell Tilted = new(new Vec3(-3.1, 0.7, 2.3), 21.3, 19.7, 18.9, 6.2, -5.5, 4.1);

    public static TheoryData<string> Structures => ["glass", "triclinic"];

    private static Snapshot Structure(string which) => which == "glass"
        ? StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Cu,Zr"))
        : RandomTriclinic(300, 17, Tilted);

    [Theory]
    [MemberData(nameof(Structures))]
    public void LammpsReadsOurDumpBack(string which)
    {
        var s = Structure(which);
        if (which == "glass")
            s = new Snapshot(s.Cell, s.Ids, s.Types, s.Positions)
            {
                Elements = s.Elements,
                Extra = [new PerAtomColumn("softness", s.Positions.Select(p => p.X - 2 * p.Y).ToArray())],
            };
        using var dir = new TempDir();
        string ours = dir.File("ours.dump");
        LammpsDumpWriter.Write(ours, [s]);
        string header = File.ReadAllLines(ours)[8];
        Assert.Equal("ITEM: ATOMS id type element x y z softness", header);

        string region = s.Cell.IsTriclinic ? "prism 0 1 0 1 0 1 0 0 0" : "block 0 1 0 1 0 1";
        ExternalTool.RunLammps(dir.Path, $"""
            units metal
            atom_style atomic
            boundary p p p
            region box {region}
            create_box 2 box
            read_dump ours.dump 0 x y z box yes add keep
            mass * 1.0
            print "$(count(all)) 0 $(xlo:%.17g) $(xhi:%.17g) $(ylo:%.17g) $(yhi:%.17g) $(zlo:%.17g) $(zhi:%.17g) $(xy:%.17g) $(xz:%.17g) $(yz:%.17g)" file box.txt screen no
            group one type 1
            print "$(count(one))" file ones.txt screen no
            write_dump all custom back.dump id type x y z modify format float %.17g sort id
            """);
        var box = NumbersIn(dir.File("box.txt"));
        Assert.Equal(s.Count, (int)box[0]);
        Assert.Equal(s.Types.Count(t => t == 1), (int)NumbersIn(dir.File("ones.txt"))[0]);
        var c = s.Cell;
        Close(c.Origin.X, box[2], 1e-14, "xlo"); Close(c.Origin.X + c.Lx, box[3], 1e-14, "xhi");
        Close(c.Origin.Y, box[4], 1e-14, "ylo"); Close(c.Origin.Y + c.Ly, box[5], 1e-14, "yhi");
        Close(c.Origin.Z, box[6], 1e-14, "zlo"); Close(c.Origin.Z + c.Lz, box[7], 1e-14, "zhi");
        Close(c.Xy, box[8], 1e-14, "xy"); Close(c.Xz, box[9], 1e-14, "xz"); Close(c.Yz, box[10], 1e-14, "yz");

        var back = StructureFile.ReadFirst(dir.File("back.dump"));
        Assert.Equal(s.Ids.Order(), back.Ids);
        var byId = back.IndexById();
        for (int i = 0; i < s.Count; i++)
        {
            int j = byId[s.Ids[i]];
            Assert.Equal(s.Types[i], back.Types[j]);
            Close(s.Positions[i], back.Positions[j], 1e-13, $"atom {s.Ids[i]}");
        }
    }

    [Fact]
    public void LammpsReadsOurGzippedDump()
    {
        var s = RandomTriclinic(50, 3, Tilted);
        using var dir = new TempDir();
        LammpsDumpWriter.Write(dir.File("ours.dump.gz"), [s]);
        Assert.Equal(new byte[] { 0x1f, 0x8b }, File.ReadAllBytes(dir.File("ours.dump.gz"))[..2]);
        ExternalTool.RunLammps(dir.Path, """
            units metal
            atom_style atomic
            region box prism 0 1 0 1 0 1 0 0 0
            create_box 2 box
            read_dump ours.dump.gz 0 x y z box yes add keep
            mass * 1.0
            write_dump all custom back.dump id type x y z modify format float %.17g sort id
            """);
        var back = StructureFile.ReadFirst(dir.File("back.dump"));
        Assert.Equal(50, back.Count);
        var byId = back.IndexById();
        for (int i = 0; i < s.Count; i++) Close(s.Positions[i], back.Positions[byId[s.Ids[i]]], 1e-13, $"atom {s.Ids[i]}");
    }

    [Fact]
    public void OurDumpReadsBackExactlyWithColumnsByName()
    {
        var s = RandomTriclinic(200, 5, Tilted);
        var energy = s.Positions.Select(p => Math.Sin(p.X) / 3).ToArray();
        var s2 = new Snapshot(s.Cell, s.Ids, s.Types, s.Positions.Select(p => p + new Vec3(0.1, 0.2, 0.3)).ToArray())
        {
            Elements = s.Elements, Timestep = 250,
        };
        using var dir = new TempDir();
        foreach (string name in new[] { "out.dump", "out.lammpstrj.gz", "out.txt" })
        {
            string path = dir.File(name);
            StructureFile.Write(path, [s, s2], f => f == s ? [s.Extra[0], new PerAtomColumn("c_pe", energy)] : [new PerAtomColumn("softness", new double[200])]);
            var frames = StructureFile.ReadFrames(path, format: StructureFormat.LammpsDump).ToList();
            Assert.Equal(2, frames.Count);
            var r = frames[0];
            Assert.Equal(s.Ids, r.Ids);
            Assert.Equal(s.Types, r.Types);
            Assert.Equal(s.Positions, r.Positions);
            Assert.Equal(["softness", "c_pe"], r.Extra.Select(c => c.Name));
            Assert.Equal(s.Extra[0].Values, r.Column("softness")!.Values);
            Assert.Equal(energy, r.Column("c_pe")!.Values);
            Assert.Equal(["Cu", "Zr"], r.Elements!.ElementsByType.Select(e => e.Symbol));
            Close(s.Cell.Origin, r.Cell.Origin, 1e-15, "origin");
            Close(s.Cell.Lx, r.Cell.Lx, 1e-15, "lx"); Close(s.Cell.Ly, r.Cell.Ly, 1e-15, "ly"); Close(s.Cell.Lz, r.Cell.Lz, 1e-15, "lz");
            Assert.Equal((s.Cell.Xy, s.Cell.Xz, s.Cell.Yz), (r.Cell.Xy, r.Cell.Xz, r.Cell.Yz));
            Assert.Equal(250, frames[1].Timestep);
            Assert.Equal(s2.Positions, frames[1].Positions);
            Assert.Equal(new double[200], frames[1].Column("softness")!.Values);
        }
    }

    [Fact]
    public void ExtendedXyzRoundTripOfATriclinicCellIsExact()
    {
        var cell = new Cell(new Vec3(0.1 + 0.2, -1.0 / 3, 1e-7), Math.PI * 5, Math.E * 7, Math.Sqrt(2) * 11, -1.0 / 7, 2.0 / 3, Math.Sqrt(3),
            periodicA: true, periodicB: false, periodicC: true);
        var s = RandomTriclinic(120, 11, cell);
        s = new Snapshot(s.Cell, s.Ids, s.Types, s.Positions.Select((p, i) => i % 7 == 0 ? p + 1.5 * cell.C : p).ToArray())
        {
            Elements = s.Elements,
            Extra = [s.Extra[0], new PerAtomColumn("c_pe", s.Positions.Select(p => -Math.Exp(p.Y / 10)).ToArray())],
            Timestep = 123456,
        };
        var second = new Snapshot(cell, [7, 3], [2, 2], [new Vec3(1, 2, 3), new Vec3(1e-300, -0.0, 5e15)])
        {
            Elements = ElementMap.Parse("Ni,Zr"), Timestep = 9,
            Extra = [new PerAtomColumn("softness", [double.Epsilon, -1.7976931348623157e308]), new PerAtomColumn("c_pe", [0, 1])],
        };
        using var dir = new TempDir();
        foreach (string name in new[] { "out.xyz", "out.extxyz.gz" })
        {
            string path = dir.File(name);
            StructureFile.Write(path, [s, second]);
            // the parser itself: the second frame's extreme values (an atom 1e14 cells along c) are written and read
            // exactly, though StructureFile refuses them as no meaningful structure (StructureCheckTests)
            var frames = ExtendedXyzReader.ReadFrames(path).ToList();
            Assert.Equal(2, frames.Count);
            foreach (var (expected, r, k) in new[] { (s, frames[0], 0), (second, frames[1], 1) })
            {
                Assert.Equal(k, r.Frame);
                Assert.Equal(expected.Timestep, r.Timestep);
                Assert.Equal(expected.Cell.Origin, r.Cell.Origin);
                Assert.Equal((cell.Lx, cell.Ly, cell.Lz, cell.Xy, cell.Xz, cell.Yz), (r.Cell.Lx, r.Cell.Ly, r.Cell.Lz, r.Cell.Xy, r.Cell.Xz, r.Cell.Yz));
                Assert.Equal([true, false, true], r.Cell.Periodic);
                Assert.Equal(expected.Ids, r.Ids);
                Assert.Equal(expected.Types, r.Types);
                Assert.Equal(expected.Positions, r.Positions);
                Assert.Equal(["softness", "c_pe"], r.Extra.Select(c => c.Name));
                Assert.Equal(expected.Extra[0].Values, r.Extra[0].Values);
                Assert.Equal(expected.Extra[1].Values, r.Extra[1].Values);
            }
            Assert.Equal(["Cu", "Zr"], frames[0].Elements!.ElementsByType.Select(e => e.Symbol));
            // the second frame has only type 2 = Zr: type 1 is unnamed, so no complete map
            Assert.Null(frames[1].Elements);
        }
    }

    [Fact]
    public void GeneralLatticeIsRotatedIntoLammpsConvention()
    {
        // a restricted-triclinic cell and fractional positions, rotated about (1, 2, 3) by 0.7 rad
        var cell = new Cell(Vec3.Zero, 10.5, 9.25, 8.75, 2.5, -1.75, 1.25);
        var axis = new Vec3(1, 2, 3) / Math.Sqrt(14);
        Vec3 Rot(Vec3 v)
        {
            double c = Math.Cos(0.7), sn = Math.Sin(0.7);
            return c * v + sn * axis.Cross(v) + (1 - c) * axis.Dot(v) * axis;
        }
        var origin = new Vec3(1.5, -2.5, 0.25);
        var rng = new Random(99);
        var frac = Enumerable.Range(0, 12).Select(_ => new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble())).ToArray();
        Vec3 a = Rot(cell.A), b = Rot(cell.B), c3 = Rot(cell.C);
        string V(Vec3 v) => $"{F(v.X)} {F(v.Y)} {F(v.Z)}";
        var lines = new List<string>
        {
            "12",
            $"Lattice=\"{V(a)} {V(b)} {V(c3)}\" Origin=\"{V(origin)}\" Properties=species:S:1:pos:R:3:charge:R:1 pbc=\"T T F\" energy=-3.5 name=glass",
        };
        var rotated = frac.Select(f => origin + Rot(cell.FractionalToDisplacement(f))).ToArray();
        for (int i = 0; i < 12; i++) lines.Add($"{(i % 3 == 0 ? "Zr" : "Cu")} {V(rotated[i])} {F(i * 0.25)}");
        using var dir = new TempDir();
        var s = StructureFile.ReadFirst(WriteLines(dir.File("rotated.xyz"), lines));

        Assert.Equal([true, true, false], s.Cell.Periodic);
        Close(cell.Lx, s.Cell.Lx, 1e-13, "lx"); Close(cell.Ly, s.Cell.Ly, 1e-13, "ly"); Close(cell.Lz, s.Cell.Lz, 1e-13, "lz");
        Close(cell.Xy, s.Cell.Xy, 1e-13, "xy"); Close(cell.Xz, s.Cell.Xz, 1e-13, "xz"); Close(cell.Yz, s.Cell.Yz, 1e-13, "yz");
        Close(Math.Abs(a.Dot(b.Cross(c3))), s.Cell.Volume, 1e-13, "volume");
        for (int i = 0; i < 12; i++)
        {
            Close(frac[i], s.Cell.ToFractional(s.Positions[i]), 1e-13, $"fractional position {i}");
            for (int j = 0; j < i; j++)
                Close((rotated[i] - rotated[j]).Norm, (s.Positions[i] - s.Positions[j]).Norm, 1e-13, $"distance {i}-{j}");
        }
        Assert.Equal([1, 2, 2, 1, 2, 2, 1, 2, 2, 1, 2, 2], s.Types); // Zr first: order of first appearance
        Assert.Equal(["Zr", "Cu"], s.Elements!.ElementsByType.Select(e => e.Symbol));
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), s.Ids);
        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 0.25), s.Column("charge")!.Values);
    }

    [Fact]
    public void HandWrittenGeneralLatticeSwapsAxes()
    {
        // a along +y, b along -x: a quarter turn about z brings it to a along +x, b along +y
        using var dir = new TempDir();
        string path = WriteLines(dir.File("turned.extxyz"),
        [
            "3",
            "Lattice=\"0 5 0 -5 0 0 0 0 6\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"",
            "Cu 0 2.5 0",
            "Cu -1 0 3",
            "Zr -4 4 5",
        ]);
        var s = StructureFile.ReadFirst(path);
        Assert.Equal((5.0, 5.0, 6.0), (s.Cell.Lx, s.Cell.Ly, s.Cell.Lz));
        Assert.False(s.Cell.IsTriclinic);
        Close(new Vec3(2.5, 0, 0), s.Positions[0], 1e-15, "atom 1");
        Close(new Vec3(0, 1, 3), s.Positions[1], 1e-15, "atom 2");
        Close(new Vec3(4, 4, 5), s.Positions[2], 1e-15, "atom 3");
        Assert.Equal([1, 1, 2], s.Types);
    }

    [Fact]
    public void SpeciesGiveTypesInOrderOfAppearanceOrByElements()
    {
        using var dir = new TempDir();
        string path = WriteLines(dir.File("species.xyz"),
        [
            "4",
            "Lattice=\"10 0 0 0 10 0 0 0 10\" Properties=species:S:1:pos:R:3",
            "Zr 0 0 0",
            "Cu 1 1 1",
            "zr 2 2 2",
            "Al 3 3 3",
        ]);
        var plain = StructureFile.ReadFirst(path);
        Assert.Equal([1, 2, 1, 3], plain.Types);
        Assert.Equal(["Zr", "Cu", "Al"], plain.Elements!.ElementsByType.Select(e => e.Symbol));
        Assert.Equal([true, true, true], plain.Cell.Periodic);
        Assert.Equal(0, plain.Timestep);

        var ordered = StructureFile.ReadFirst(path, ElementMap.Parse("Cu,Al,Zr"));
        Assert.Equal([3, 1, 3, 2], ordered.Types);
        Assert.Equal(["Cu", "Al", "Zr"], ordered.Elements!.ElementsByType.Select(e => e.Symbol));

        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFirst(path, ElementMap.Parse("Cu,Zr")));
        Assert.Equal(InputProblem.UnknownElement, e.Kind);
        Assert.Equal(6, e.Line);
        Assert.Contains("'Al'", e.Message);

        // the same with a LAMMPS dump 'element' column and no type column
        string dump = WriteLines(dir.File("elements.dump"),
        [
            "ITEM: TIMESTEP", "5", "ITEM: NUMBER OF ATOMS", "3", "ITEM: BOX BOUNDS pp pp pp", "0 10", "0 10", "0 10",
            "ITEM: ATOMS id element x y z", "1 Zr 0 0 0", "2 Cu 1 1 1", "3 Zr 2 2 2",
        ]);
        var d = StructureFile.ReadFirst(dump);
        Assert.Equal([1, 2, 1], d.Types);
        Assert.Equal(["Zr", "Cu"], d.Elements!.ElementsByType.Select(x => x.Symbol));
        Assert.Equal([2, 1, 2], StructureFile.ReadFirst(dump, ElementMap.Parse("Cu,Zr")).Types);
    }

    [Fact]
    public void ExtendedXyzWithoutLatticeIsANonPeriodicBoundingBox()
    {
        using var dir = new TempDir();
        string path = WriteLines(dir.File("molecule.xyz"),
        [
            "3", "a plain xyz comment", "Cu 0 0 0", "Zr 2 0 0", "Cu 0 3 0",
        ]);
        var s = StructureFile.ReadFirst(path);
        Assert.Equal([false, false, false], s.Cell.Periodic);
        Assert.Equal([1, 2, 1], s.Types);
        Assert.Equal((2.0, 3.0, 1.0), (s.Cell.Lx, s.Cell.Ly, s.Cell.Lz));
        Assert.All(s.Positions, p => Assert.Equal(p, s.Cell.Wrap(p)));
    }

    [Fact]
    public void WritersRejectColumnsThatDoNotFit()
    {
        var s = RandomTriclinic(4, 1, Tilted);
        foreach (var column in new[] { new PerAtomColumn("short", new double[3]), new PerAtomColumn("long", new double[5]), new PerAtomColumn("a b", new double[4]), new PerAtomColumn("", new double[4]) })
        {
            var dump = new StringWriter();
            Assert.Throws<ArgumentException>(() => LammpsDumpWriter.WriteFrame(dump, s, [column]));
            Assert.Equal("", dump.ToString());
            var xyz = new StringWriter();
            Assert.Throws<ArgumentException>(() => ExtendedXyzWriter.WriteFrame(xyz, s, [column]));
            Assert.Equal("", xyz.ToString());
        }
        Assert.Throws<ArgumentException>(() => ExtendedXyzWriter.WriteFrame(new StringWriter(), s, [new PerAtomColumn("a:b", new double[4])]));
    }

    [Fact]
    public void CsvWriterQuotesAndRoundTripsNumbers()
    {
        using var dir = new TempDir();
        string path = dir.File("sub/table.csv");
        CsvTableWriter.Write(path, ["id", "name", "value"], csv =>
        {
            csv.Number(1).Text("plain").Number(0.1 + 0.2).EndRow();
            csv.Number(-2).Text("a,b \"c\"").Number(-1e-300).EndRow();
        });
        Assert.Equal("id,name,value\n1,plain,0.30000000000000004\n-2,\"a,b \"\"c\"\"\",-1E-300\n", File.ReadAllText(path));
        Assert.Empty(Directory.GetFiles(dir.File("sub"), ".*.tmp"));
        var bad = new CsvTableWriter(new StringWriter(), ["a", "b"]);
        bad.Number(1);
        Assert.Throws<InvalidOperationException>(() => bad.EndRow());
    }

    [Fact]
    public void AtomicFileLeavesTheOldFileWhenWritingFails()
    {
        using var dir = new TempDir();
        string path = dir.File("out.dump");
        File.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, w => { w.Write("partial"); throw new InvalidOperationException("boom"); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
