using System.Globalization;
using System.Security.Cryptography;
using Softspot.Numerics;
using Softspot.Simulation;
using Softspot.Simulation.Art;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Tests.Support;

namespace Softspot.Tests.Simulation;

/// <summary>
/// The ART campaign on the shipped glasses is resumed across versions, so the same seed must keep giving the same
/// events bit for bit: these pin a search's numbers and coordinates, and the native engine's energy and forces, to
/// values recorded with the code of 2026-11-28 (commit 356df49, before the force-kernel speed-ups). Any change to the
/// order or values of the floating-point operations of a search shows up here.
/// </summary>
public class ArtBitIdentityTests
{
    /// <summary>SHA-256 of the bytes of the doubles, in order (little-endian IEEE 754).</summary>
    private static string Hash(params double[][] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var p in parts) sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(p.AsSpan()));
        return Convert.ToHexString(sha.GetHashAndReset());
    }

    private static string Bits(double v) => BitConverter.DoubleToInt64Bits(v).ToString("X16", CultureInfo.InvariantCulture);

    [Fact]
    public void TheCampaignSearchOnTheShippedGlassIsUnchanged()
    {
        // search 86000 of `simulate art --atoms sample:6 --searches 3 --seed 11 --mobile-radius 13` on Cu64Zr36
        using var dir = new TempDir();
        var r = CliRunner.Run("simulate", "art", "--structure", Paths.Data("glasses/Cu64Zr36/glass.dump.gz"), "--potential", "CuZr_mm.eam.fs",
            "--atoms", "86", "--searches", "1", "--seed", "11", "--mobile-radius", "13", "--threads", "1", "--out", dir.File("events.csv"));
        Assert.True(r.Code == 0, r.Err);
        var row = File.ReadAllLines(dir.File("events.csv"))[1];
        Assert.Equal("86000,86,0,1,1.7475571964109804,1.0177364870978636,35,1.7136346126922322,11,saddle,-0.4795440592226408,"
                     + "0.17329455292072748,0.005207969682818999,0.24124305667759147,28,2.8085139620739548,1680,4,90",
            string.Join(',', row.Split(',')[..^1]));
        Assert.Equal("C11AD20C53FE577F61E4043567DADF3BC669A425AE4937FE8FEEBF49573309E1", Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(dir.File("events.moved.csv")))));
    }

    [Fact]
    public void ALocalSearchOnTheSmallGlassIsUnchanged()
    {
        var glass = EamReference.Glass;
        var engine = new EamForceEngine(glass, SetflPotential.Read(EamReference.Potential("CuZr_mm.eam.fs")), ["Cu", "Zr"]);
        var x = EamReference.Flat(glass);
        int centre = glass.IndexById()[15];
        var mobile = Enumerable.Range(0, glass.Count).Where(i => Distance(glass, x, i, centre) <= 8).ToArray();
        var surface = new EamLocalSurface(engine, x, mobile);
        var x0 = FlatCoordinates.Gather(x, mobile);
        var f = new double[x0.Length];
        double e0 = surface.Compute(x0, f);
        var initial = Enumerable.Range(0, mobile.Length).Where(k => Distance(glass, x, mobile[k], centre) <= 3.7).ToList();
        var o = new ArtSearch(surface, new ArtSettings()).Run(x0, e0, initial, new SplitMix64(2, 15));
        Assert.Equal("saddle 1003 6 49 40007ECC91638F00 400008847D8C8900 BFCFA1E9B507B893 3FCE9BE09BCF85F8", $"{o.Status} {o.ForceCalls} {o.BasinSteps} {o.ActivationSteps} {Bits(o.Eact)} {Bits(o.Efinal)} {Bits(o.Eigenvalue)} {Bits(o.SecondEigenvalue)}");
        Assert.Equal("104686733CD13C0824D744AD71E9D4C1735620793E3737FA0A1F5A31D8ECE652", Hash(o.Saddle, o.Final));
    }

    [Fact]
    public void TheWholeBoxEngineIsUnchanged()
    {
        var glass = EamReference.Perturbed(EamReference.Glass, 0.1, 5);
        var engine = new EamForceEngine(glass, SetflPotential.Read(EamReference.Potential("CuZr_mm.eam.fs")), ["Cu", "Zr"]);
        var x = EamReference.Flat(glass);
        var f = new double[x.Length];
        var pe = new double[glass.Count];
        double e = engine.Compute(x, f, pe);
        Assert.Equal("C0A123B08144AF99 3828449E1BE61F45F546F750B53F90901B3B858AEB51F311350E9528724C3340", $"{Bits(e)} {Hash(f, pe)}");
    }

    private static double Distance(Structures.Snapshot s, double[] x, int i, int j) =>
        s.Cell.MinimumImage(new Structures.Vec3(x[3 * i] - x[3 * j], x[3 * i + 1] - x[3 * j + 1], x[3 * i + 2] - x[3 * j + 2])).Norm;
}
