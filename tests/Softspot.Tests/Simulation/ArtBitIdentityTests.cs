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
/// events bit for bit: these pin a search's numbers and coordinates (recorded with the search of version 2,
/// <see cref="ArtSettings.Version"/>, 2026-12-06) and the native engine's energy and forces (recorded with the code of
/// 2026-11-28, commit 356df49, before the force-kernel speed-ups). Any change to the order or values of the
/// floating-point operations of a search shows up here; a deliberate change of the search is a new version.
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
        Assert.Equal("86000,86,0,1,0.2945554941311457,0.28897216182713237,19,1.0252816863333507,11,saddle,-0.3487510095120244,"
                     + "0.09908577085241287,0.005583093393888272,0.11232539782247292,31,1.047553238020227,1054,5,90",
            string.Join(',', row.Split(',')[..^1]));
        Assert.Equal("B36ECB38A994833F15F369BA488E616E59124C8A85BC2B02732F2935007CAA81", Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(dir.File("events.moved.csv")))));
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
        var o = new ArtSearch(surface, new ArtSettings()).Run(x0, e0, initial, new SplitMix64(1, 15));
        Assert.Equal("saddle 961 7 83 4005DB0115565A00 4003D5591C3EF900 BFF080C47300956A 3FA1C5D965524FB7", $"{o.Status} {o.ForceCalls} {o.BasinSteps} {o.ActivationSteps} {Bits(o.Eact)} {Bits(o.Efinal)} {Bits(o.Eigenvalue)} {Bits(o.SecondEigenvalue)}");
        Assert.Equal("42AEDA6F72C69166F846979E6DF43CC2168F6D453C294B6C136052469C2B47D7", Hash(o.Saddle, o.Final));
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
