using System.Globalization;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

public class FeaturizeCommandTests
{
    [Fact]
    public void IntersticePresetWritesEightyColumnsForEveryAtomWithItsRecipe()
    {
        using var dir = new TempDir();
        string csv = dir.File("f.csv"), dump = dir.File("f.dump");
        var (code, output, error) = CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "interstice", "--out", csv, "--dump", dump);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("80 features", output);

        var lines = File.ReadAllLines(csv);
        var header = lines[0].Split(',');
        Assert.Equal(["frame", "id", "type", "element"], header[..4]);
        Assert.Equal(84, header.Length);
        Assert.Equal(501, lines.Length);
        Assert.All(lines[1..], l => Assert.Equal(84, l.Split(',').Length));

        // the CSV holds the same numbers as the library, to the last bit
        var glass = ReferenceTable.Glass();
        var table = Presets.Find("interstice").Build(glass.Elements!).Compute(glass);
        var first = lines[1].Split(',');
        Assert.Equal("0", first[0]); Assert.Equal(glass.Ids[0].ToString(CultureInfo.InvariantCulture), first[1]);
        Assert.Equal(glass.Elements![glass.Types[0]]!.Symbol, first[3]);
        for (int c = 0; c < 80; c++) Assert.Equal(table[0, c], double.Parse(first[4 + c], CultureInfo.InvariantCulture));

        var recipe = FeatureRecipe.Load(dir.File("f.json"));
        Assert.Equal("interstice", recipe.Preset);
        Assert.Equal(header[4..], recipe.Columns);
        Assert.Equal(["Cu", "Zr"], recipe.Elements);
        Assert.Equal(1.26, recipe.Radii["Cu"]);
        Assert.Equal(5.0, recipe.Settings.VoronoiCutoff);
        Assert.Equal(0.05, recipe.Settings.SmallFaceFraction);
        Assert.Equal(4.0, recipe.Settings.DistanceCutoff);
        Assert.Single(recipe.Inputs);

        // the dump carries the features by name, readable again (OVITO reads the same format)
        var back = StructureFile.ReadFirst(dump);
        Assert.Equal(glass.Count, back.Count);
        Assert.Equal(table.Column("Volume_interstice_mean_voro"), back.Column("Volume_interstice_mean_voro")!.Values);
    }

    [Fact]
    public void SameSettingsFromTheRecipeGiveTheSameTable()
    {
        using var dir = new TempDir();
        string a = dir.File("a.csv"), b = dir.File("b.csv");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "interstice", "--radii", "Cu=1.3", "--out", a).Code);
        var recipe = FeatureRecipe.Load(dir.File("a.json"));
        Assert.Equal(1.3, recipe.Radii["Cu"]);
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", recipe.Preset, "--radii", recipe.RadiiSpec(), "--out", b).Code);
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
    }

    [Fact]
    public void WithoutElementsTheErrorSaysHowToNameThem()
    {
        using var dir = new TempDir();
        var line = CliRunner.AssertOneLineError(CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--out", dir.File("x.csv")));
        Assert.Contains("--elements", line);
        Assert.False(File.Exists(dir.File("x.csv"))); // nothing half-written
    }

    [Fact]
    public void UnknownPresetIsAOneLineError()
    {
        using var dir = new TempDir();
        var line = CliRunner.AssertOneLineError(CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "nope", "--out", dir.File("x.csv")));
        Assert.Contains("unknown preset 'nope'", line);
    }

    [Fact]
    public void DescribeListsEveryColumnWithADefinition()
    {
        var (code, output, _) = CliRunner.Run("describe", "--preset", "interstice");
        Assert.Equal(0, code);
        var rows = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("# preset interstice: 80 columns", rows[0]);
        Assert.Equal(81, rows.Length);
        Assert.All(rows[1..], r => Assert.True(r.Split("  ", 2, StringSplitOptions.RemoveEmptyEntries).Length == 2, r));
    }
}
