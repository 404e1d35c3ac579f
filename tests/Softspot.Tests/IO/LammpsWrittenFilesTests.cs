using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;
using static Softspot.Tests.IO.IoAssert;

namespace Softspot.Tests.IO;

/// <summary>
/// Files written by LAMMPS itself (one lmp run, shared by the tests of <see cref="LammpsWrittenFilesTests"/>):
/// the shipped glass with per-atom energies and velocities in shuffled dump columns, wrapped / scaled / unwrapped
/// positions in an orthogonal and in a triclinic box, a short trajectory, write_data files (atomic and charge,
/// with and without nocoeff) and shrink-wrapped / fixed boundaries. The box LAMMPS holds is printed to text
/// files with %.17g so the cells we read can be compared with it.
/// </summary>
public sealed class LammpsWrittenFiles : IDisposable
{
    public const double Dt = 0.0001; // ps
    public static readonly Vec3 Shift = new(7.25, -3.5, 26.0);

    private readonly TempDir _dir = new();
    public string File(string name) => _dir.File(name);

    public LammpsWrittenFiles()
    {
        string glass = Paths.Data("CuZr_500.dump");
        string potential = "/usr/share/lammps/potentials/CuZr_mm.eam.fs";
        Assert.True(System.IO.File.Exists(potential), $"{potential} is missing (apt-get install lammps-data)");
        const string box = "$(xlo:%.17g) $(xhi:%.17g) $(ylo:%.17g) $(yhi:%.17g) $(zlo:%.17g) $(zhi:%.17g) $(xy:%.17g) $(xz:%.17g) $(yz:%.17g)";
        string RandomAtoms(string style, string boundary) => $"""
            clear
            units metal
            atom_style {style}
            boundary {boundary}
            region box block 0 12 0 11 0 10
            create_box 2 box
            create_atoms 1 random 40 4321 NULL
            create_atoms 2 random 20 8765 NULL
            mass 1 63.546
            mass 2 91.224

            """;
        string Boundary(string name, string boundary) => RandomAtoms("atomic", boundary) + $"""
            run 0
            write_dump all custom {name}.dump id type x y z modify format float %.17g
            print "{box}" file {name}.txt screen no

            """;
        string script = $"""
            units metal
            atom_style atomic
            boundary p p p
            region box block 0 1 0 1 0 1
            create_box 2 box
            read_dump {glass} 0 x y z box yes add keep
            mass 1 63.546
            mass 2 91.224
            pair_style eam/fs
            pair_coeff * * {potential} Cu Zr
            compute pe all pe/atom
            velocity all create 300 12345 dist gaussian
            displace_atoms all move {Shift.X} {Shift.Y} {Shift.Z} units box
            dump o1 all custom 1 ortho_custom.dump x type id z y c_pe vx vz vy
            dump_modify o1 format float %.17g
            dump o2 all custom 1 ortho_x.dump id type x y z ix iy iz
            dump_modify o2 format float %.17g
            dump o3 all custom 1 ortho_xs.dump id type xs ys zs
            dump_modify o3 format float %.17g
            dump o4 all custom 1 ortho_xu.dump id type xu yu zu
            dump_modify o4 format float %.17g
            dump o5 all custom 1 ortho_xsu.dump id type xsu ysu zsu
            dump_modify o5 format float %.17g
            run 0
            print "{box} $(pe:%.17g) $(temp:%.17g)" file ortho_box.txt screen no
            undump o1
            undump o2
            undump o3
            undump o4
            undump o5
            write_data ortho.data
            reset_timestep 100
            fix 1 all nve
            timestep {Dt}
            dump t all custom 1 traj.dump id type x y z
            dump_modify t format float %.17g
            run 3
            undump t
            unfix 1
            change_box all triclinic
            change_box all xy final 2.0 xz final -1.5 yz final 1.0 remap units box
            print "{box}" file tri_box.txt screen no
            write_dump all custom tri_x.dump id type x y z ix iy iz modify format float %.17g
            write_dump all custom tri_xs.dump id type xs ys zs modify format float %.17g
            write_dump all custom tri_xu.dump id type xu yu zu modify format float %.17g
            write_dump all custom tri_xsu.dump id type xsu ysu zsu modify format float %.17g
            pair_style lj/cut 2.5
            pair_coeff * * 0.01 2.0
            write_data tri.data
            write_data tri_nocoeff.data nocoeff

            """
            + RandomAtoms("charge", "p p p") + """
            set type 1 charge 0.5
            pair_style lj/cut 2.5
            pair_coeff * * 0.01 2.0
            displace_atoms all move 5.5 -13.25 21.0 units box
            write_data charge.data
            write_data charge_nocoeff.data nocoeff
            write_dump all custom charge.dump id type q xu yu zu modify format float %.17g

            """
            + RandomAtoms("atomic", "p p p") + """
            pair_style lj/cut 2.5
            pair_coeff * * 0.01 2.0
            displace_atoms all move -4.5 13.25 -31.0 units box
            write_data atomic.data
            write_data atomic_nocoeff.data nocoeff
            write_dump all custom atomic.dump id type xu yu zu modify format float %.17g

            """
            + RandomAtoms("full", "p p p") + """
            set type 2 charge -0.25
            set atom 5*9 mol 3
            displace_atoms all move 0 0 10.5 units box
            write_data full.data
            write_dump all custom full.dump id mol type q xu yu zu modify format float %.17g

            """
            + Boundary("bc_ppf", "p p f") + Boundary("bc_psp", "p s p") + Boundary("bc_mmp", "m m p");
        ExternalTool.RunLammps(_dir.Path, script);
    }

    public void Dispose() => _dir.Dispose();
}

public class LammpsWrittenFilesTests(LammpsWrittenFiles lmp) : IClassFixture<LammpsWrittenFiles>
{
    private static Snapshot One(string path, ElementMap? elements = null)
    {
        var frames = StructureFile.ReadFrames(path, elements).ToList();
        Assert.Single(frames);
        return frames[0];
    }

    /// <summary>The cell LAMMPS printed: xlo xhi ylo yhi zlo zhi xy xz yz.</summary>
    private static void AssertCellIs(double[] box, Cell cell, bool exactTilts = true)
    {
        Close(box[0], cell.Origin.X, 1e-14, "xlo"); Close(box[1], cell.Origin.X + cell.Lx, 1e-14, "xhi");
        Close(box[2], cell.Origin.Y, 1e-14, "ylo"); Close(box[3], cell.Origin.Y + cell.Ly, 1e-14, "yhi");
        Close(box[4], cell.Origin.Z, 1e-14, "zlo"); Close(box[5], cell.Origin.Z + cell.Lz, 1e-14, "zhi");
        if (exactTilts) { Assert.Equal(box[6], cell.Xy); Assert.Equal(box[7], cell.Xz); Assert.Equal(box[8], cell.Yz); }
        else { Close(box[6], cell.Xy, 1e-14, "xy"); Close(box[7], cell.Xz, 1e-14, "xz"); Close(box[8], cell.Yz, 1e-14, "yz"); }
    }

    /// <summary>Positions (by id) of two snapshots agree to a relative tolerance of the cell size.</summary>
    private static void AssertSamePositions(Snapshot expected, Snapshot actual, double rel, Func<int, Vec3>? expectedOf = null)
    {
        Assert.Equal(expected.Count, actual.Count);
        var index = actual.IndexById();
        double scale = Math.Max(expected.Cell.Lx, Math.Max(expected.Cell.Ly, expected.Cell.Lz));
        for (int i = 0; i < expected.Count; i++)
        {
            int j = index[expected.Ids[i]];
            Assert.Equal(expected.Types[i], actual.Types[j]);
            var e = expectedOf?.Invoke(i) ?? expected.Positions[i];
            var d = actual.Positions[j] - e;
            Assert.True(d.Norm <= rel * scale, $"atom {expected.Ids[i]}: expected {e}, read {actual.Positions[j]} ({d.Norm:G3} apart)");
        }
    }

    /// <summary>Unwrapped positions from x y z and the image flags ix iy iz read as extra columns.</summary>
    private static Func<int, Vec3> Unwrapped(Snapshot withImages)
    {
        var ix = withImages.Column("ix")!.Values; var iy = withImages.Column("iy")!.Values; var iz = withImages.Column("iz")!.Values;
        var c = withImages.Cell;
        return i => withImages.Positions[i] + ix[i] * c.A + iy[i] * c.B + iz[i] * c.C;
    }

    [Fact]
    public void CustomDumpWithShuffledColumnsKeepsEveryColumnByName()
    {
        var s = One(lmp.File("ortho_custom.dump"));
        var reference = One(lmp.File("ortho_x.dump"));
        Assert.Equal(500, s.Count);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), s.Ids.Order());
        Assert.Equal(320, s.Types.Count(t => t == 1));
        Assert.Equal(180, s.Types.Count(t => t == 2));
        Assert.Equal(["c_pe", "vx", "vz", "vy"], s.Extra.Select(c => c.Name));
        Assert.Null(s.Elements);
        Assert.Equal(0, s.Timestep);
        Assert.False(s.Cell.IsTriclinic);

        // the same doubles printed with %.17g in another column order read back bit for bit
        var byId = reference.IndexById();
        for (int i = 0; i < s.Count; i++)
        {
            int j = byId[s.Ids[i]];
            Assert.Equal(reference.Positions[j], s.Positions[i]);
            Assert.Equal(reference.Types[j], s.Types[i]);
        }

        // the per-atom energies sum to the potential energy LAMMPS printed
        var box = NumbersIn(lmp.File("ortho_box.txt"));
        double pe = box[9], temp = box[10];
        Close(pe, s.Column("c_pe")!.Values.Sum(), 1e-12, "sum of c_pe");
        Assert.True(s.Column("c_pe")!.Values.All(e => e < -2 && e > -8), "c_pe of a CuZr glass is a few eV per atom below zero");

        // velocities: vx, vy, vz (read from shuffled columns) with the mass of each type give LAMMPS' temperature
        const double mvv2e = 1.0364269e-4, boltz = 8.617343e-5; // LAMMPS metal units
        double[] mass = [0, 63.546, 91.224];
        var vx = s.Column("vx")!.Values; var vy = s.Column("vy")!.Values; var vz = s.Column("vz")!.Values;
        double twoKe = 0;
        for (int i = 0; i < s.Count; i++) twoKe += mass[s.Types[i]] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        Close(temp, twoKe * mvv2e / ((3 * s.Count - 3) * boltz), 1e-9, "temperature from vx vy vz");
        Close(300, temp, 1e-9, "LAMMPS temperature");
    }

    [Fact]
    public void PositionsMatchTheShippedGlassDisplacedAndWrappedByLammps()
    {
        var glass = One(Paths.Data("CuZr_500.dump"));
        var s = One(lmp.File("ortho_x.dump"));
        AssertCellIs(NumbersIn(lmp.File("ortho_box.txt")), s.Cell);
        Close(glass.Cell.Lx, s.Cell.Lx, 1e-15, "Lx");
        AssertSamePositions(glass, s, 1e-12, i => s.Cell.Wrap(glass.Positions[i] + LammpsWrittenFiles.Shift));
        Assert.Contains(s.Column("iz")!.Values, v => v != 0); // the shift crossed the boundary
    }

    [Theory]
    [InlineData("ortho")]
    [InlineData("tri")]
    public void ScaledAndUnwrappedPositionsAgreeWithXyz(string box)
    {
        var x = One(lmp.File($"{box}_x.dump"));
        var printed = NumbersIn(lmp.File($"{box}_box.txt"));
        AssertCellIs(printed, x.Cell);
        Assert.Equal(box == "tri", x.Cell.IsTriclinic);
        var ix = x.Column("ix")!.Values; var iy = x.Column("iy")!.Values; var iz = x.Column("iz")!.Values;
        Assert.Contains(ix, v => v != 0); Assert.Contains(iy, v => v != 0); Assert.Contains(iz, v => v != 0);

        var xs = One(lmp.File($"{box}_xs.dump"));
        var xu = One(lmp.File($"{box}_xu.dump"));
        var xsu = One(lmp.File($"{box}_xsu.dump"));
        foreach (var other in new[] { xs, xu, xsu })
        {
            AssertCellIs(printed, other.Cell);
            Assert.Empty(other.Extra);
        }
        AssertSamePositions(x, xs, 1e-9);
        AssertSamePositions(x, xu, 1e-9, Unwrapped(x));
        AssertSamePositions(x, xsu, 1e-9, Unwrapped(x));
        // wrapped positions lie in the cell (LAMMPS keeps them there)
        foreach (var p in x.Positions)
        {
            var f = x.Cell.ToFractional(p);
            for (int d = 0; d < 3; d++) Assert.InRange(f[d], -1e-12, 1 + 1e-12);
        }
    }

    [Fact]
    public void TriclinicBoxBoundsAreConvertedAsLammpsDocumentsThem()
    {
        string path = lmp.File("tri_x.dump");
        var lines = File.ReadAllLines(path);
        Assert.Equal("ITEM: BOX BOUNDS xy xz yz pp pp pp", lines[4]);
        var s = One(path);
        Assert.Equal(2.0, s.Cell.Xy); Assert.Equal(-1.5, s.Cell.Xz); Assert.Equal(1.0, s.Cell.Yz);
        var box = NumbersIn(lmp.File("tri_box.txt"));
        // the bounding box LAMMPS wrote is the one Cell computes from lo/hi/tilt
        var (xloB, xhiB, yloB, yhiB, zloB, zhiB) = s.Cell.LammpsBoundingBox();
        double[] written = ParseNumbers(string.Join(' ', lines[5..8]));
        Close(written[0], xloB, 1e-15, "xlo_bound"); Close(written[1], xhiB, 1e-15, "xhi_bound");
        Close(written[3], yloB, 1e-15, "ylo_bound"); Close(written[4], yhiB, 1e-15, "yhi_bound");
        Close(written[6], zloB, 1e-15, "zlo_bound"); Close(written[7], zhiB, 1e-15, "zhi_bound");
        Close(box[0] - 1.5, written[0], 1e-15, "xlo_bound = xlo + min(0, xy, xz, xy + xz)");
        Close(box[1] + 2.0, written[1], 1e-15, "xhi_bound = xhi + max(0, xy, xz, xy + xz)");
        Close(box[3] + 1.0, written[4], 1e-15, "yhi_bound = yhi + max(0, yz)");
        // remapping the orthogonal box into the tilted one keeps the volume
        var ortho = One(lmp.File("ortho_x.dump"));
        Close(ortho.Cell.Volume, s.Cell.Volume, 1e-12, "volume");
    }

    [Fact]
    public void TrajectoryIsReadFrameByFrameWithItsTimesteps()
    {
        var frames = StructureFile.ReadFrames(lmp.File("traj.dump")).ToList();
        Assert.Equal([100L, 101L, 102L, 103L], frames.Select(f => f.Timestep));
        Assert.Equal([0, 1, 2, 3], frames.Select(f => f.Frame));
        Assert.All(frames, f => Assert.Equal(500, f.Count));
        Assert.All(frames, f => Assert.Equal(lmp.File("traj.dump"), f.Source));

        // frame 0 is the structure dumped before the run
        var start = One(lmp.File("ortho_custom.dump"));
        AssertSamePositions(start, frames[0], 1e-13);

        // each step moves every atom by v dt (the acceleration term is ~1e-6 A for this step)
        var vx = start.Column("vx")!.Values; var vy = start.Column("vy")!.Values; var vz = start.Column("vz")!.Values;
        var byId1 = frames[1].IndexById();
        double largest = 0;
        for (int i = 0; i < start.Count; i++)
        {
            var moved = start.Cell.MinimumImage(frames[1].Positions[byId1[start.Ids[i]]] - start.Positions[i]);
            var expected = LammpsWrittenFiles.Dt * new Vec3(vx[i], vy[i], vz[i]);
            Close(expected, moved, 2e-5, $"step of atom {start.Ids[i]}");
            largest = Math.Max(largest, moved.Norm);
        }
        Assert.True(largest > 5e-4, "atoms move");
        // later frames move on
        var byId3 = frames[3].IndexById();
        var d3 = start.Cell.MinimumImage(frames[3].Positions[byId3[start.Ids[0]]] - start.Positions[0]);
        Close(3 * LammpsWrittenFiles.Dt * new Vec3(vx[0], vy[0], vz[0]), d3, 5e-5, "three steps of the first atom");
    }

    [Theory]
    [InlineData("bc_ppf", "pp pp ff", true, true, false)]
    [InlineData("bc_psp", "pp ss pp", true, false, true)]
    [InlineData("bc_mmp", "mm mm pp", false, false, true)]
    public void BoundaryFlagsSetPeriodicity(string name, string flags, bool pa, bool pb, bool pc)
    {
        string path = lmp.File(name + ".dump");
        Assert.Equal($"ITEM: BOX BOUNDS {flags}", File.ReadAllLines(path)[4]);
        var s = One(path);
        Assert.Equal([pa, pb, pc], s.Cell.Periodic);
        Assert.Equal(pa || pb || pc, s.Cell.AnyPeriodic);
        AssertCellIs(NumbersIn(lmp.File(name + ".txt")), s.Cell);
        Assert.Equal(60, s.Count);
        Assert.Equal(40, s.Types.Count(t => t == 1));
        if (name == "bc_psp")
        {
            // shrink-wrapped: the box hugs the atoms along y (LAMMPS pads by 1e-4 of the length)
            Assert.InRange(s.Positions.Min(p => p.Y) - s.Cell.Origin.Y, 0, 2e-3);
            Assert.InRange(s.Cell.Origin.Y + s.Cell.Ly - s.Positions.Max(p => p.Y), 0, 2e-3);
            Assert.True(s.Cell.Ly < 11);
        }
        // the same random atoms in every file (create_atoms random places them in the box it holds, which the
        // shrink-wrapped boundary pads by 1e-4 of its length)
        AssertSamePositions(One(lmp.File("bc_ppf.dump")), s, name == "bc_psp" ? 1e-4 : 1e-15);
        foreach (var p in s.Positions)
        {
            var f = s.Cell.ToFractional(p);
            for (int d = 0; d < 3; d++) Assert.InRange(f[d], 0, 1);
        }
    }

    [Fact]
    public void GzippedDumpsAreReadWhateverTheirName()
    {
        string plain = lmp.File("ortho_custom.dump");
        using var dir = new TempDir();
        string gz = dir.File("glass.dump.gz"), anonymous = dir.File("frames.bin"), traj = dir.File("traj.lammpstrj.gz");
        Gzip(plain, gz); Gzip(plain, anonymous); Gzip(lmp.File("traj.dump"), traj);
        Assert.Equal(0x1f, File.ReadAllBytes(anonymous)[0]);
        Assert.Equal(StructureFormat.LammpsDump, StructureFile.Detect(anonymous));
        Assert.Equal(StructureFormat.LammpsDump, StructureFile.Detect(gz));

        var expected = One(plain);
        foreach (var path in new[] { gz, anonymous })
        {
            var s = One(path);
            Assert.Equal(expected.Ids, s.Ids);
            Assert.Equal(expected.Types, s.Types);
            Assert.Equal(expected.Positions, s.Positions);
            Assert.Equal(expected.Extra.Select(c => c.Name), s.Extra.Select(c => c.Name));
            for (int c = 0; c < expected.Extra.Count; c++) Assert.Equal(expected.Extra[c].Values, s.Extra[c].Values);
            Assert.Equal(expected.Cell.Origin, s.Cell.Origin);
            Assert.Equal(expected.Cell.Lx, s.Cell.Lx);
        }
        var frames = StructureFile.ReadFrames(traj).ToList();
        Assert.Equal([100L, 101L, 102L, 103L], frames.Select(f => f.Timestep));
        var plainFrames = StructureFile.ReadFrames(lmp.File("traj.dump")).ToList();
        Assert.Equal(plainFrames[3].Positions, frames[3].Positions);

        // a gzipped data file too
        string data = dir.File("glass.data.gz");
        Gzip(lmp.File("ortho.data"), data);
        var d = One(data);
        Assert.Equal(One(lmp.File("ortho.data")).Positions, d.Positions);
    }

    [Theory]
    [InlineData("tri.data", true)]
    [InlineData("tri_nocoeff.data", false)]
    public void TriclinicDataFileGivesTheUnwrappedStructure(string name, bool coeffs)
    {
        string path = lmp.File(name);
        string text = File.ReadAllText(path);
        Assert.Equal(coeffs, text.Contains("Pair Coeffs # lj/cut"));
        Assert.Contains("\n2 -1.5 1 xy xz yz\n", text);
        Assert.Contains("\nVelocities\n", text);
        Assert.Contains("\nAtoms # atomic\n", text);
        Assert.Equal(StructureFormat.LammpsData, StructureFile.Detect(path));

        var s = One(path);
        AssertCellIs(NumbersIn(lmp.File("tri_box.txt")), s.Cell);
        Assert.Equal([true, true, true], s.Cell.Periodic);
        Assert.NotNull(s.Elements);
        Assert.Equal(["Cu", "Zr"], s.Elements!.ElementsByType.Select(e => e.Symbol));
        Assert.Empty(s.Extra);
        // write_data writes wrapped positions and image flags; we apply the flags
        var xu = One(lmp.File("tri_xu.dump"));
        AssertSamePositions(xu, s, 1e-12);
        Assert.Contains(s.Positions, p => s.Cell.ToFractional(p).Z > 1); // flags did matter
    }

    [Theory]
    [InlineData("charge.data", true, true)]
    [InlineData("charge_nocoeff.data", true, false)]
    [InlineData("atomic.data", false, true)]
    [InlineData("atomic_nocoeff.data", false, false)]
    public void DataFilesInAtomicAndChargeStyle(string name, bool charge, bool coeffs)
    {
        string path = lmp.File(name);
        string text = File.ReadAllText(path);
        Assert.Equal(coeffs, text.Contains("Pair Coeffs # lj/cut"));
        Assert.Contains(charge ? "\nAtoms # charge\n" : "\nAtoms # atomic\n", text);

        var s = One(path);
        Assert.Equal(60, s.Count);
        Assert.Equal(40, s.Types.Count(t => t == 1));
        Assert.Equal(20, s.Types.Count(t => t == 2));
        Assert.Equal(Vec3.Zero, s.Cell.Origin);
        Assert.Equal((12.0, 11.0, 10.0), (s.Cell.Lx, s.Cell.Ly, s.Cell.Lz));
        Assert.False(s.Cell.IsTriclinic);
        Assert.Equal(["Cu", "Zr"], s.Elements!.ElementsByType.Select(e => e.Symbol));
        var dump = One(lmp.File(charge ? "charge.dump" : "atomic.dump"));
        AssertSamePositions(dump, s, 1e-13);
        Assert.Contains(s.Positions, p => p.Z < 0 || p.Z > 10);
        if (charge)
        {
            var q = Assert.Single(s.Extra);
            Assert.Equal("q", q.Name);
            for (int i = 0; i < s.Count; i++) Assert.Equal(s.Types[i] == 1 ? 0.5 : 0.0, q.Values[i]);
            var byId = dump.IndexById();
            for (int i = 0; i < s.Count; i++) Assert.Equal(dump.Column("q")!.Values[byId[s.Ids[i]]], q.Values[i]);
        }
        else Assert.Empty(s.Extra);

        // --elements overrides the masses
        var named = LammpsDataReader.Read(path, ElementMap.Parse("Ni,Al"));
        Assert.Equal(["Ni", "Al"], named.Elements!.ElementsByType.Select(e => e.Symbol));
    }

    [Fact]
    public void DataFileInFullStyleKeepsMoleculeAndCharge()
    {
        string path = lmp.File("full.data");
        Assert.Contains("\nAtoms # full\n", File.ReadAllText(path));
        var s = One(path);
        var dump = One(lmp.File("full.dump"));
        AssertSamePositions(dump, s, 1e-13);
        Assert.Equal(["mol", "q"], s.Extra.Select(c => c.Name));
        var byId = dump.IndexById();
        for (int i = 0; i < s.Count; i++)
        {
            Assert.Equal(s.Ids[i] is >= 5 and <= 9 ? 3.0 : 0.0, s.Column("mol")!.Values[i]);
            Assert.Equal(s.Types[i] == 2 ? -0.25 : 0.0, s.Column("q")!.Values[i]);
            Assert.Equal(dump.Column("mol")!.Values[byId[s.Ids[i]]], s.Column("mol")!.Values[i]);
        }
    }

    [Fact]
    public void OrthogonalDataFileMatchesUnwrappedDump()
    {
        var s = One(lmp.File("ortho.data"));
        var xu = One(lmp.File("ortho_xu.dump"));
        AssertCellIs(NumbersIn(lmp.File("ortho_box.txt")), s.Cell);
        AssertSamePositions(xu, s, 1e-12);
        Assert.Equal("Cu", s.Elements![1]!.Symbol);
        Assert.Equal("Zr", s.Elements![2]!.Symbol);
    }
}
