using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Simulation;

/// <summary>
/// The native EAM engine against LAMMPS (Debian lmp, pair_style eam/fs and eam/alloy with the potentials of
/// lammps-data): total energy, per-atom forces and per-atom energies to 1e-8 relative (in practice ~1e-14), on the
/// shipped Cu-Zr glass as is, perturbed (large forces), sheared into a triclinic cell, in a cell smaller than twice
/// the cutoff, relabelled and rescaled for other potentials, and with a synthetic file probing the table edges.
/// </summary>
public class EamLammpsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-8;

    private void Check(Snapshot s, string potentialPath, string[] elementsByType, string label)
    {
        var potential = SetflPotential.Read(potentialPath);
        var lammps = EamReference.Lammps(s, potentialPath, potential.Style, elementsByType);
        using var engine = new EamForceEngine(s, potential, elementsByType);
        var native = EamReference.Native(engine, s);
        output.WriteLine($"{label}: {EamReference.AssertClose(lammps, native, Tolerance)}");
    }

    [Fact]
    public void CuZrGlassMatchesLammps()
    {
        string cuzr = EamReference.Potential("CuZr_mm.eam.fs");
        var glass = EamReference.Glass;
        Check(glass, cuzr, ["Cu", "Zr"], "relaxed glass");
        Check(EamReference.Perturbed(glass, 0.3, seed: 1), cuzr, ["Cu", "Zr"], "perturbed glass");
        // types mapped the other way round (type 1 = Zr): the file's element order is not the structure's
        Check(EamReference.Perturbed(glass, 0.3, seed: 2), cuzr, ["Zr", "Cu"], "perturbed glass, types swapped");
    }

    [Fact]
    public void ShearedTriclinicGlassMatchesLammps()
    {
        string cuzr = EamReference.Potential("CuZr_mm.eam.fs");
        var sheared = EamReference.Deformed(EamReference.Glass, 1.0, xy: 2.5, xz: -1.5, yz: 1.0);
        Assert.True(sheared.Cell.IsTriclinic);
        Check(sheared, cuzr, ["Cu", "Zr"], "sheared glass");
        Check(EamReference.Perturbed(sheared, 0.2, seed: 3), cuzr, ["Cu", "Zr"], "sheared perturbed glass");
    }

    /// <summary>A 45-atom triclinic cell narrower than twice the cutoff: atoms see several images of a neighbour and their own images.</summary>
    [Fact]
    public void SmallCellWithSelfImagesMatchesLammps()
    {
        var cell = new Cell(new Vec3(0.5, -1, 2), 9.0, 8.5, 9.5, 1.5, -1.0, 0.8);
        var rng = new Random(7);
        var positions = new List<Vec3>();
        while (positions.Count < 45)
        {
            var p = cell.ToCartesian(new Vec3(rng.NextDouble(), rng.NextDouble(), rng.NextDouble()));
            if (positions.All(q => cell.MinimumImage(q - p).Norm > 2.0)) positions.Add(p);
        }
        var s = new Snapshot(cell, Enumerable.Range(1, 45).Select(i => (long)i).ToArray(),
            Enumerable.Range(0, 45).Select(i => i % 3 == 0 ? 2 : 1).ToArray(), positions.ToArray()) { Elements = ElementMap.Parse("Cu,Zr") };
        Assert.True(2 * 7.6 > cell.MinPeriodicWidth);
        Check(s, EamReference.Potential("CuZr_mm.eam.fs"), ["Cu", "Zr"], "small cell");
    }

    [Fact]
    public void FePGlassMatchesLammps()
    {
        // the glass relabelled Fe (type 1) and P (type 2), squeezed to 13 A^3 per atom
        var glass = EamReference.Relabelled(EamReference.Glass, "Fe,P");
        double scale = Math.Cbrt(13.0 * glass.Count / glass.Cell.Volume);
        var fep = EamReference.Perturbed(EamReference.Deformed(glass, scale, xy: 1.0), 0.1, seed: 4);
        Check(fep, EamReference.Potential("FeP_mm.eam.fs"), ["Fe", "P"], "Fe-P glass");
    }

    [Fact]
    public void EamAlloyFileMatchesLammps()
    {
        // CuNi.eam.alloy lists Ni before Cu; the structure's types are Cu, Ni
        var glass = EamReference.Relabelled(EamReference.Glass, "Cu,Ni");
        double scale = Math.Cbrt(11.8 * glass.Count / glass.Cell.Volume);
        var cuni = EamReference.Perturbed(EamReference.Deformed(glass, scale), 0.1, seed: 5);
        Check(cuni, EamReference.Potential("CuNi.eam.alloy"), ["Cu", "Ni"], "Cu-Ni alloy");
    }

    /// <summary>
    /// NiAlH_jea.eam.fs repeats each element's density function in its eam/fs block, so it only agrees with LAMMPS
    /// if the block of element b is read as the density b gives each host (not the density each element gives b).
    /// </summary>
    [Fact]
    public void ThreeElementFinnisSinclairFileMatchesLammps()
    {
        var glass = EamReference.Relabelled(EamReference.Glass, "Ni,Al");
        double scale = Math.Cbrt(12.5 * glass.Count / glass.Cell.Volume);
        var nial = EamReference.Perturbed(EamReference.Deformed(glass, scale), 0.1, seed: 6);
        Check(nial, EamReference.Potential("NiAlH_jea.eam.fs"), ["Ni", "Al"], "Ni-Al (eam/fs)");
        Check(nial, EamReference.Potential("NiAlH_jea.eam.alloy"), ["Ni", "Al"], "Ni-Al (eam/alloy)");
    }

    /// <summary>
    /// A synthetic eam/fs file with short tables: about half the atoms have densities beyond the embedding table
    /// (linear extrapolation), pairs between the last distance knot and the cutoff use the held last value, the
    /// densities are asymmetric, and the numbers wrap lines irregularly. The same as eam/alloy too.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SyntheticTablesMatchLammpsAtTheirEdges(bool alloy)
    {
        using var dir = new TempDir();
        var s = EamReference.Perturbed(EamReference.Deformed(EamReference.Glass, 0.97, xy: 1.0, yz: -0.5), 0.15, seed: 8);
        string name = alloy ? "synthetic.eam.alloy" : "synthetic.eam.fs";
        // first learn the densities, then put the end of the embedding table at their median
        var probe = SetflPotential.Read(EamReference.SyntheticFs(dir.File(name), 1e4, alloy));
        var rho = EamReference.BruteForce(s, probe, ["Cu", "Zr"]).Density;
        double median = rho.Order().ElementAt(rho.Length / 2);
        string path = EamReference.SyntheticFs(dir.File(name), median, alloy);
        var potential = SetflPotential.Read(path);
        Assert.Equal(median, potential.Embedding(0).End, 10);
        Assert.True(potential.DistanceSpacing * (potential.DistanceKnots - 1) < potential.Cutoff);
        if (!alloy) Assert.NotEqual(potential.Density(0, 1).Value(3.0), potential.Density(1, 0).Value(3.0));
        Check(s, path, ["Cu", "Zr"], alloy ? "synthetic eam/alloy" : "synthetic eam/fs");
    }
}
