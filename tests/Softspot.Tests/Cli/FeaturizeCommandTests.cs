using System.Globalization;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

public class FeaturizeCommandTests
{
    [Theory]
    [InlineData("interstice")]
    [InlineData("all")]
    public void ExtraUnusedElementNamesGiveTheSameFeatures(string preset)
    {
        // --elements Cu,Zr,Al on a Cu-Zr glass (and Cu,Zr on a glass of type 1 only) once crashed in FeatureRecipe: the
        // named types that do not occur are valid, their columns (if any) zero, every other column as without them
        using var dir = new TempDir();
        string glass = Paths.Data("CuZr_500.dump");
        string onlyOne = dir.File("one.dump");
        File.WriteAllLines(onlyOne, File.ReadAllLines(glass).Select((l, i) => i < 9 ? l : string.Join(' ', l.Split(' ').Select((w, k) => k == 1 ? "1" : w))));
        foreach (var (input, fewer, more) in new[] { (glass, "Cu,Zr", "Cu,Zr,Al"), (onlyOne, "Cu", "Cu,Zr") })
        {
            string a = dir.File("a.csv"), b = dir.File("b.csv");
            Assert.Equal(0, CliRunner.Run("featurize", input, "--elements", fewer, "--preset", preset, "--out", a).Code);
            var (code, _, error) = CliRunner.Run("featurize", input, "--elements", more, "--preset", preset, "--out", b);
            Assert.Equal("", error);
            Assert.Equal(0, code);
            var ta = ReadCsv(a); var tb = ReadCsv(b);
            Assert.Equal(ta["id"], tb["id"]);
            foreach (var (name, values) in ta) Assert.Equal(values, tb[name]);
            foreach (var name in tb.Keys.Except(ta.Keys)) Assert.All(tb[name], v => Assert.Equal("0", v));
            var recipe = FeatureRecipe.Load(dir.File("b.json"));
            Assert.Equal(more.Split(','), recipe.Elements);
            Assert.Equal(more.Split(',').Length, recipe.Radii.Count);
        }
    }

    [Fact]
    public void FlexibilityVolumeRecordsItsOptionsAndRefusesBadOnes()
    {
        using var dir = new TempDir();
        string glass = Paths.Data("CuZr_500.dump"), output = dir.File("flex.csv");
        var (code, _, error) = CliRunner.Run("featurize", glass, "--elements", "Cu,Zr", "--preset", "flexibility-volume", "--potential", "CuZr_mm.eam.fs",
            "--flex-temperature", "5", "--flex-duration", "0.2", "--flex-equilibration", "0.1", "--flex-timestep", "0.001", "--flex-damping", "0.2", "--flex-seed", "3", "--out", output);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var table = ReadCsv(output);
        Assert.All(table["msd"], v => Assert.True(double.Parse(v, CultureInfo.InvariantCulture) > 0));
        Assert.Equal(500, table["v_flex"].Length);
        var v = FeatureRecipe.Load(dir.File("flex.json")).Settings.Vibration!;
        Assert.Equal(new Softspot.Simulation.Vibration.VibrationSettings { Temperature = 5, Duration = 0.2, Equilibration = 0.1, Timestep = 0.001, Damping = 0.2, Seed = 3 }, v);
        // without the potential, or with an unknown method: one clear line
        (code, _, error) = CliRunner.Run("featurize", glass, "--elements", "Cu,Zr", "--preset", "flexibility-volume", "--out", dir.File("x.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("--potential", error);
        (code, _, error) = CliRunner.Run("featurize", glass, "--elements", "Cu,Zr", "--preset", "flexibility-volume", "--potential", "CuZr_mm.eam.fs", "--flex-method", "exact", "--out", dir.File("y.csv"));
        Assert.NotEqual(0, code);
        Assert.Contains("'harmonic'", error);
    }

    private static Dictionary<string, string[]> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path).Select(SplitCsv).ToList();
        return lines[0].Select((h, c) => (h, lines.Skip(1).Select(l => l[c]).ToArray())).ToDictionary(x => x.h, x => x.Item2);
    }

    /// <summary>Splits a CSV line, quoted fields (column names such as "is_&lt;0,0,12,0&gt;_voro") kept whole.</summary>
    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        bool quoted = false;
        foreach (char ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted) { fields.Add(current.ToString()); current.Clear(); }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return [.. fields];
    }

    [Fact]
    public void ElementsNamedTwiceOrTooFewAreOneLineErrors()
    {
        string glass = Paths.Data("CuZr_500.dump");
        using var dir = new TempDir();
        var twice = CliRunner.AssertOneLineError(CliRunner.Run("featurize", glass, "--elements", "Cu,Cu", "--out", dir.File("x.csv")));
        Assert.Contains("--elements Cu,Cu: Cu is named twice", twice);
        var few = CliRunner.AssertOneLineError(CliRunner.Run("featurize", glass, "--elements", "Cu", "--out", dir.File("x.csv")));
        Assert.Contains("CuZr_500.dump:", few);
        Assert.Contains("has type 2 but only 1 element(s) are named", few);
        Assert.False(File.Exists(dir.File("x.csv")));
    }

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
