using System.Globalization;
using System.Text;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Tests.Support;
using Softspot.Voronoi;
using Xunit.Abstractions;

namespace Softspot.Tests.Voronoi;

/// <summary>
/// Softspot's tessellation of a sheared (triclinic) periodic glass against LAMMPS's compute voronoi/atom (voro++
/// linked as a library, full double precision): per-atom volume and face count.
/// </summary>
public class LammpsVoronoiTriclinicTests(ITestOutputHelper output)
{
    [Fact]
    public void ShearedGlassMatchesLammpsVoronoiAtom()
    {
        var inv = CultureInfo.InvariantCulture;
        var g = TestSystems.Glass;
        using var dir = new TempDir();

        // the glass as a LAMMPS data file (full precision), then sheared by LAMMPS itself
        var data = new StringBuilder();
        data.Append("CuZr glass for compute voronoi/atom\n\n").Append(g.Count.ToString(inv)).Append(" atoms\n2 atom types\n\n");
        var lo = g.Cell.Origin; var hi = g.Cell.Hi;
        data.Append(inv, $"{lo.X:R} {hi.X:R} xlo xhi\n{lo.Y:R} {hi.Y:R} ylo yhi\n{lo.Z:R} {hi.Z:R} zlo zhi\n");
        data.Append("\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n");
        for (int i = 0; i < g.Count; i++)
            data.Append(inv, $"{g.Ids[i]} {g.Types[i]} {g.Positions[i].X:R} {g.Positions[i].Y:R} {g.Positions[i].Z:R}\n");
        File.WriteAllText(dir.File("glass.data"), data.ToString());
        const string script = """
            units metal
            atom_style atomic
            boundary p p p
            read_data glass.data
            change_box all triclinic
            change_box all xy final 3.0 xz final -2.0 yz final 1.5 remap units box
            pair_style zero 6.0
            pair_coeff * *
            comm_modify cutoff 12.0
            compute v all voronoi/atom
            dump d all custom 1 voro.dump id type x y z c_v[1] c_v[2]
            dump_modify d format float %.17g sort id
            run 0
            """;
        ExternalTool.RunLammps(dir.Path, script);

        var s = LammpsDumpReader.ReadFrames(dir.File("voro.dump"), ElementMap.Parse("Cu,Zr")).First();
        Assert.Equal(500, s.Count);
        Assert.True(s.Cell.IsTriclinic);
        Assert.Equal(3.0, s.Cell.Xy);
        Assert.Equal(-2.0, s.Cell.Xz);
        Assert.Equal(1.5, s.Cell.Yz);
        Assert.Equal(g.Cell.Lx, s.Cell.Lx, 12);
        var lammpsVolume = s.Column("c_v[1]")!.Values;
        var lammpsFaces = s.Column("c_v[2]")!.Values;

        var t = VoronoiTessellator.Compute(s);
        var problems = new List<string>();
        double worst = 0;
        for (int i = 0; i < s.Count; i++)
        {
            double rel = Math.Abs(t.Volume[i] - lammpsVolume[i]) / lammpsVolume[i];
            worst = Math.Max(worst, rel);
            if (rel > 1e-9)
                problems.Add(string.Format(inv, "atom {0}: volume {1:R}, LAMMPS {2:R} (relative {3:G3})", s.Ids[i], t.Volume[i], lammpsVolume[i], rel));
            if (t.FaceCount(i) != (int)lammpsFaces[i])
            {
                var areas = string.Join(", ", Enumerable.Range(t.FaceOffsets[i], t.FaceCount(i)).Select(f => t.Area[f]).Order().Take(3).Select(a => a.ToString("G4", inv)));
                problems.Add($"atom {s.Ids[i]}: {t.FaceCount(i)} faces, LAMMPS {lammpsFaces[i]} (our smallest areas {areas})");
            }
        }
        output.WriteLine(string.Format(inv, "worst relative volume difference {0:G3}", worst));
        Assert.True(problems.Count == 0, $"{problems.Count} differences from LAMMPS:\n{string.Join("\n", problems.Take(40))}");

        // the volumes tile the sheared cell, and shearing changed the cells (the test is not trivially the cubic box)
        double cellVolume = s.Cell.Volume;
        Assert.True(Math.Abs(t.Volume.Sum() - cellVolume) <= 1e-9 * cellVolume, $"sum {t.Volume.Sum():R} vs cell {cellVolume:R}");
        Assert.True(Math.Abs(lammpsVolume.Sum() - cellVolume) <= 1e-9 * cellVolume, $"LAMMPS sum {lammpsVolume.Sum():R} vs cell {cellVolume:R}");
        var unsheared = VoronoiTessellator.Compute(g);
        int changed = Enumerable.Range(0, 500).Count(i => Math.Abs(unsheared.Volume[i] - t.Volume[i]) > 1e-3);
        Assert.True(changed > 250, $"only {changed} atoms changed volume under the shear");
    }

    /// <summary>
    /// Random atoms in a strongly tilted box (tilts near the LAMMPS limits), plain and radical (LAMMPS
    /// compute voronoi/atom radius v_r): volumes to 1e-9 and face counts exact. The last case has a strong radius
    /// contrast (0.3 / 2.2 A) and no minimum separation, so some small atoms have an empty power cell (LAMMPS reports
    /// volume 0 and 0 faces).
    /// </summary>
    [Theory]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(1.26, 1.58, 1.0)]
    [InlineData(0.3, 2.2, 0.0)]
    public void TiltedRandomBoxMatchesLammpsVoronoiAtom(double r1, double r2, double minSeparation)
    {
        var inv = CultureInfo.InvariantCulture;
        bool radical = r1 > 0;
        var cell = TestSystems.TiltedCell();
        var r = TestSystems.RandomAtoms(cell, 300, seed: 53, out var inCell, minSeparation: minSeparation);
        using var dir = new TempDir();
        var data = new StringBuilder();
        data.Append("random atoms in a tilted box\n\n300 atoms\n2 atom types\n\n");
        var o = cell.Origin;
        data.Append(inv, $"{o.X:R} {o.X + cell.Lx:R} xlo xhi\n{o.Y:R} {o.Y + cell.Ly:R} ylo yhi\n{o.Z:R} {o.Z + cell.Lz:R} zlo zhi\n{cell.Xy:R} {cell.Xz:R} {cell.Yz:R} xy xz yz\n");
        data.Append("\nMasses\n\n1 63.546\n2 91.224\n\nAtoms # atomic\n\n");
        for (int i = 0; i < r.Count; i++)
            data.Append(inv, $"{r.Ids[i]} {r.Types[i]} {inCell[i].X:R} {inCell[i].Y:R} {inCell[i].Z:R}\n");
        File.WriteAllText(dir.File("random.data"), data.ToString());
        string script = $$"""
            units metal
            atom_style atomic
            boundary p p p
            read_data random.data
            pair_style zero 6.0
            pair_coeff * *
            comm_modify cutoff 12.0
            variable r atom {{r1.ToString("R", inv)}}*(type==1)+{{r2.ToString("R", inv)}}*(type==2)
            compute v all voronoi/atom {{(radical ? "radius v_r" : "")}}
            dump d all custom 1 voro.dump id type x y z c_v[1] c_v[2]
            dump_modify d format float %.17g sort id
            run 0
            """;
        ExternalTool.RunLammps(dir.Path, script);
        var s = LammpsDumpReader.ReadFrames(dir.File("voro.dump"), ElementMap.Parse("Cu,Zr")).First();
        Assert.Equal(cell.Xy, s.Cell.Xy);
        Assert.Equal(cell.Xz, s.Cell.Xz);
        Assert.Equal(cell.Yz, s.Cell.Yz);
        Assert.Equal(r.Ids, s.Ids);
        var lammpsVolume = s.Column("c_v[1]")!.Values;
        var lammpsFaces = s.Column("c_v[2]")!.Values;
        var t = VoronoiTessellator.Compute(s, radical ? new VoronoiOptions { RadiusByType = [0, r1, r2] } : null);
        var problems = new List<string>();
        double worst = 0;
        int empty = 0;
        for (int i = 0; i < s.Count; i++)
        {
            if (lammpsVolume[i] == 0)
            {
                empty++;
                if (t.Volume[i] != 0 || t.FaceCount(i) != 0)
                    problems.Add(string.Format(inv, "atom {0}: empty cell in LAMMPS, ours has volume {1:R} and {2} faces", s.Ids[i], t.Volume[i], t.FaceCount(i)));
                continue;
            }
            double rel = Math.Abs(t.Volume[i] - lammpsVolume[i]) / lammpsVolume[i];
            worst = Math.Max(worst, rel);
            if (!(rel <= 1e-9))
                problems.Add(string.Format(inv, "atom {0}: volume {1:R}, LAMMPS {2:R}", s.Ids[i], t.Volume[i], lammpsVolume[i]));
            if (t.FaceCount(i) != (int)lammpsFaces[i])
                problems.Add($"atom {s.Ids[i]}: {t.FaceCount(i)} faces, LAMMPS {lammpsFaces[i]}");
        }
        output.WriteLine(string.Format(inv, "worst relative volume difference {0:G3}, {1} empty cells", worst, empty));
        Assert.True(problems.Count == 0, $"{problems.Count} differences from LAMMPS:\n{string.Join("\n", problems.Take(40))}");
        Assert.True(Math.Abs(lammpsVolume.Sum() - cell.Volume) <= 1e-9 * cell.Volume);
        Assert.True(Math.Abs(t.Volume.Sum() - cell.Volume) <= 1e-9 * cell.Volume);
        if (minSeparation == 0) Assert.True(empty > 0, "the radius contrast should leave some power cells empty");
        else Assert.Equal(0, empty);
    }
}
