using Softspot.Cli;
using Softspot.Tests.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

public class InfoCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args) => CliRunner.Run(args);

    private static string AssertOneLineError((int Code, string Out, string Err) r) => CliRunner.AssertOneLineError(r);

    [Fact]
    public void InfoOnTheShippedGlass()
    {
        string glass = Paths.Data("CuZr_500.dump");
        var (code, output, error) = Run("info", glass);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Equal(glass, lines[0]);
        Assert.Contains("  format    LammpsDump", lines);
        Assert.Contains("  frames    1 (timestep 0)", lines);
        Assert.Contains("  atoms     500", lines);
        Assert.Contains("  types     1=? (320, 64.0%)  2=? (180, 36.0%)", lines);
        Assert.Contains("  elements  unknown (name them with --elements)", lines);
        Assert.Contains("  cell      orthogonal 20.132082 x 20.132082 x 20.132082 A, origin (0.0989591, 0.0989591, 0.0989591), periodic ppp", lines);
        Assert.Contains("  volume    8159.5472 A^3 (16.3191 A^3/atom)", lines);
    }

    [Fact]
    public void InfoWithElementsAndSeveralFiles()
    {
        string glass = Paths.Data("CuZr_500.dump");
        using var dir = new TempDir();
        string xyz = IoAssert.WriteLines(dir.File("pair.xyz"),
        [
            "2", "Lattice=\"10 0 0 2 11 0 0 0 12\" Properties=species:S:1:pos:R:3:c_pe:R:1 pbc=\"T T F\" Timestep=40", "Zr 0 0 0 -6.5", "Cu 1 1 1 -3.5",
            "2", "Lattice=\"10 0 0 2 11 0 0 0 12\" Properties=species:S:1:pos:R:3:c_pe:R:1 pbc=\"T T F\" Timestep=50", "Zr 0 0 0 -6.5", "Cu 1 1 1 -3.5",
        ]);
        var (code, output, error) = Run("info", glass, xyz, "--elements", "Cu,Zr");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Contains("  types     1=Cu (320, 64.0%)  2=Zr (180, 36.0%)", lines);
        Assert.DoesNotContain("  elements  unknown (name them with --elements)", lines);
        Assert.Contains(xyz, lines);
        Assert.Contains("  format    ExtendedXyz", lines);
        Assert.Contains("  frames    2 (timesteps 40 .. 50)", lines);
        Assert.Contains("  types     1=Cu (1, 50.0%)  2=Zr (1, 50.0%)", lines);
        Assert.Contains("  cell      triclinic 10 x 11 x 12 A, tilts xy=2 xz=0 yz=0, origin (0, 0, 0), periodic ppf", lines);
        Assert.Contains("  columns   c_pe", lines);
    }

    [Fact]
    public void InfoOnAnEventsFileSaysHowFarTheCampaignHasGot()
    {
        string events = Paths.Data("glasses/Cu50Zr50/art/events.csv");
        var (code, output, error) = Run("info", events);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var s = Softspot.Simulation.Art.ArtCampaignSummary.Read(events);
        var lines = output.Split('\n');
        Assert.Equal(events, lines[0]);
        Assert.Equal("  format     ART events of simulate art, search version 1", lines[1]);
        Assert.StartsWith(FormattableString.Invariant($"  searches   {s.Searches:N0} around {s.PerAtom.Count} atoms of 420 selected ("), lines[2]);
        Assert.EndsWith("; at most 40 per atom, until 10 converge", lines[2]);
        Assert.StartsWith(FormattableString.Invariant($"  converged  {s.Converged:N0} ({100.0 * s.Converged / s.Searches:F1} %); E_act median {s.EactQuantile(0.5):F3} eV"), lines[3]);
        Assert.StartsWith(FormattableString.Invariant($"  cost       {s.ForceCallsPerSaddle:N0} force calls per converged saddle"), lines[4]);
        Assert.StartsWith("  outcomes   no convergence to a saddle ", lines[5]);
        Assert.Equal(FormattableString.Invariant($"  per atom   420 atoms with >= 1 converged, {s.AtomsWithConverged(5)} atoms with >= 5 converged, {s.AtomsWithConverged(10)} atoms with >= 10 converged, 0 atoms with >= 20 converged"), lines[6]);
        Assert.Equal("  progress   420 of 420 atoms done; about 0 searches left (at each atom's converged fraction so far)", lines[7]);
    }

    [Fact]
    public void InfoOnAFreshEventsFileHasNothingToAverage()
    {
        using var dir = new TempDir();
        string events = IoAssert.WriteLines(dir.File("events.csv"), [string.Join(',', Softspot.Simulation.Art.EventsFile.Columns)]);
        var (code, output, error) = Run("info", events);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = output.Split('\n');
        Assert.Equal("  format     ART events of simulate art (no readable .json record beside it: no plan, no progress)", lines[1]);
        Assert.Equal("  searches   0 around 0 atoms", lines[2]);
        Assert.Equal("  converged  0 (-)", lines[3]);
        Assert.StartsWith("  cost       - force calls per converged saddle", lines[4]);
        Assert.DoesNotContain("NaN", output);
        Assert.DoesNotContain("  progress", output);
    }

    [Fact]
    public void ATableIsNotReadAsAStructure()
    {
        using var dir = new TempDir();
        string labels = IoAssert.WriteLines(dir.File("labels.csv"), ["frame,id,h_eact", "0,1,1"]);
        Assert.Equal($"softspot: error: {labels}: a csv file, not a structure: give a LAMMPS dump (.dump, .lammpstrj) or data file (.data, .lmp) or extended XYZ (.xyz)",
            AssertOneLineError(Run("info", labels)));
    }

    public static TheoryData<string> BadNames => BadInputs.Names;

    [Theory]
    [MemberData(nameof(BadNames))]
    public void EachBadFileGivesOneErrorLineWithFileAndLine(string name)
    {
        var bad = BadInputs.Get(name);
        using var dir = new TempDir();
        string path = bad.Write(dir.Path);
        string line = AssertOneLineError(Run("info", path));
        Assert.Contains($"{path}:{bad.Line}: ", line);
        Assert.Contains(bad.MessagePart, line);
        Assert.Equal($"softspot: error: {path}:{bad.Line}: ", line[..$"softspot: error: {path}:{bad.Line}: ".Length]);
    }

    [Fact]
    public void UnknownElementGivesOneErrorLine()
    {
        string line = AssertOneLineError(Run("info", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Xx"));
        Assert.Equal("softspot: error: --elements Cu,Xx: unknown element 'Xx'", line);
    }

    [Fact]
    public void MissingFileGivesOneErrorLine()
    {
        using var dir = new TempDir();
        foreach (string name in new[] { "missing.dump", "missing" })
        {
            string path = dir.File(name);
            string line = AssertOneLineError(Run("info", path));
            Assert.Equal($"softspot: error: {path}: no such file", line);
        }
        string folder = dir.File("sub");
        Directory.CreateDirectory(Path.Combine(folder, "x"));
        Assert.Equal($"softspot: error: {folder}: is a folder, not a file", AssertOneLineError(Run("info", folder)));
    }

    [Fact]
    public void ABadFileAfterAGoodOneStillFails()
    {
        var bad = BadInputs.Get("dump-duplicate-id");
        using var dir = new TempDir();
        string path = bad.Write(dir.Path);
        var (code, output, error) = Run("info", Paths.Data("CuZr_500.dump"), path);
        Assert.Equal(2, code);
        Assert.Contains("  atoms     500", output);
        Assert.Single(error.TrimEnd('\n').Split('\n'));
        Assert.StartsWith($"softspot: error: {path}:13: duplicate atom id 2", error);
    }
}
