using System.Globalization;
using Softspot.Tests.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

public class LabelCommandTests
{
    [Fact]
    public void D2minOnTheShippedShearRun()
    {
        using var dir = new TempDir();
        string sheared = Paths.Data("CuZr_500_shear.dump"), csv = dir.File("d2min.csv"), dump = dir.File("d2min.dump");
        var (code, output, error) = CliRunner.Run("label", "d2min", "--reference", sheared, "--deformed", sheared, "--out", csv, "--dump", dump);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var lines = File.ReadAllLines(csv);
        Assert.Equal("frame,id,d2min,shear_strain,plastic", lines[0]);
        int frames = output.Split('\n').Count(l => l.StartsWith("frame "));
        Assert.Equal(frames * 500 + 1, lines.Length);
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        // frame 0 is the reference itself: no non-affine displacement
        Assert.All(rows.Where(r => r[0] == "0"), r => Assert.Equal(0, double.Parse(r[2], CultureInfo.InvariantCulture), 12));
        Assert.All(rows.Where(r => r[0] == "0"), r => Assert.Equal("0", r[4])); // and so no plastic atom
        // later frames: the top 5 % of 500 atoms (25) are plastic
        foreach (var g in rows.Where(r => r[0] != "0").GroupBy(r => r[0]))
            Assert.Equal(25, g.Count(r => r[4] == "1"));
        var json = File.ReadAllText(dir.File("d2min.json"));
        Assert.Contains("\"threshold\"", json);
        Assert.Contains("\"cell_shear_xy\": 0.1", json); // the last frame is at 10 % strain
        Assert.Contains("d2min shear_strain plastic", File.ReadLines(dump).First(l => l.StartsWith("ITEM: ATOMS")));
    }

    [Fact]
    public void ActivationLabelsWithTheStructure()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "search,atom_id,converged,eact,efinal,moved_atoms,max_displacement,seed" };
        int search = 0;
        for (int id = 1; id <= 100; id++)
            for (int k = 0; k < (id == 50 ? 2 : 5); k++)
                lines.Add(FormattableString.Invariant($"{search++},{id},1,{id / 100.0},0.01,10,1.0,{search}"));
        string events = IoAssert.WriteLines(dir.File("events.csv"), lines.ToArray());
        string csv = dir.File("eact.csv");
        var (code, output, error) = CliRunner.Run("label", "activation", "--events", events, "--structure", Paths.Data("CuZr_500.dump"), "--out", csv, "--dump", dir.File("eact.dump"));
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var rows = File.ReadAllLines(csv);
        Assert.Equal("frame,id,eact_mean,eact_min,events,h_eact,l_eact", rows[0]);
        Assert.Equal(501, rows.Length); // every atom of the structure
        var byId = rows[1..].Select(r => r.Split(',')).ToDictionary(r => int.Parse(r[1], CultureInfo.InvariantCulture));
        Assert.Equal(["0", "200", "", "", "0", "", ""], byId[200]); // no events: unlabelled
        Assert.Equal("", byId[50][5]); // 2 events < 5: unlabelled
        Assert.Equal("1", byId[100][5]); Assert.Equal("1", byId[96][5]); Assert.Equal("0", byId[95][5]); // top 5 of 99
        Assert.Equal("1", byId[1][6]); Assert.Equal("0", byId[6][6]);
        Assert.Contains("99 atoms with >= 5 events labelled", output);
    }

    [Fact]
    public void MissingColumnIsAOneLineErrorWithTheLine()
    {
        using var dir = new TempDir();
        string events = IoAssert.WriteLines(dir.File("bad.csv"), ["search,atom_id,converged", "1,2,1"]);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("label", "activation", "--events", events, "--out", dir.File("x.csv")));
        Assert.Contains($"{events}:1:", line);
        Assert.False(File.Exists(dir.File("x.csv")));
    }
}
