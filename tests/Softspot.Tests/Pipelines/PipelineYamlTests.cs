using Softspot.IO;
using Softspot.Pipelines;
using Softspot.Tests.Support;

namespace Softspot.Tests.Pipelines;

/// <summary>Pipeline YAML problems are told in YAML terms: file, line, key; an empty value is an error, never 0; a shear series may be split over files.</summary>
public class PipelineYamlTests
{
    private static string Glass(string name) => Path.Combine(Paths.RepoRoot, "data", "glasses", name);

    private static string Valid(string extra = "", string deformed = "") => $"""
        seed: 7
        glasses:
          - name: a
            structure: {Glass("Cu64Zr36")}/glass.dump.gz
            elements: Cu,Zr
            shear:
              reference: {Glass("Cu64Zr36")}/shear/reference.dump.gz
              deformed: {(deformed.Length > 0 ? deformed : Glass("Cu64Zr36") + "/shear/sheared.dump.gz")}
        {extra}
        """;

    private static InputFormatException Bad(string yaml) =>
        Assert.Throws<InputFormatException>(() => PipelineFile.Parse(yaml, "pipeline.yaml", Paths.RepoRoot));

    [Theory]
    [InlineData("seed:", 1, "'seed' is empty: give a whole number, or leave the key out for its default")]
    [InlineData("seed: ~", 1, "'seed' is empty")]
    [InlineData("seed: seven", 1, "'seed' must be a whole number, not 'seven'")]
    [InlineData("seed: 1.5", 1, "'seed' must be a whole number, not '1.5'")]
    [InlineData("threads: [1, 2]", 1, "'threads' must be a whole number, not a list")]
    [InlineData("presets: interstice", 1, "'presets' must be a list of names, e.g. [a, b], not 'interstice'")]
    [InlineData("labels:\n  plastic:\n    strains: 0.02", 3, "'labels.plastic.strains' must be a list of numbers, not '0.02'")]
    [InlineData("labels:\n  plastic:\n    strains: [0.02, two]", 3, "'labels.plastic.strains[1]' must be a number, not 'two'")]
    [InlineData("labels:\n  plastic:\n    top: NaN", 3, "'labels.plastic.top' must be a number, not 'NaN'")]
    [InlineData("labels:\n  plastic:\n    top: 1e999", 3, "'labels.plastic.top' must be a number, not '1e999'")]
    [InlineData("labels:", 1, "'labels' is empty")]
    [InlineData("learning: fast", 1, "'learning' must be a mapping (engine, trees, depth, learning_rate, reduce), not 'fast'")]
    [InlineData("glasses: {name: a}", 1, "'glasses' must be a list of mappings")]
    [InlineData("tasks:\n  - name: t\n    glasses: a", 3, "'tasks[0].glasses' must be a list of names")]
    [InlineData("learning:\n  tres: 3", 2, "unknown key 'tres' in learning (expected one of: engine, trees, depth, learning_rate, reduce)")]
    [InlineData("- a\n- b", 1, "a pipeline file is a mapping of keys")]
    [InlineData("seed: 1\n---\nseed: 2", 3, "a second YAML document")]
    [InlineData("output: [a]", 1, "'output' must be one value (text), not a list")]
    [InlineData("diagnostics:\n  participants: yes", 2, "'diagnostics.participants' must be true or false, not 'yes'")]
    [InlineData("diagnostics:\n  blocked_cutoff: near", 2, "'diagnostics.blocked_cutoff' must be a number, not 'near'")]
    public void ShapeProblemsNameTheLineAndTheKey(string yaml, int line, string problem)
    {
        var e = Bad(yaml);
        Assert.Equal($"pipeline.yaml:{line}: {problem}", e.Message[..Math.Min(e.Message.Length, $"pipeline.yaml:{line}: {problem}".Length)]);
        Assert.DoesNotContain("System.", e.Message);
    }

    [Fact]
    public void AKeyInsideAGlassIsNamedWithItsPlaceAndLine()
    {
        var e = Bad(Valid().Replace("elements: Cu,Zr", "elements: [Cu, Zr]"));
        Assert.Equal("pipeline.yaml:5: 'glasses[0].elements' must be one value (text), not a list", e.Message);
        Assert.Contains("pipeline.yaml:8: 'seed' is empty", Bad(Valid("seed:").Replace("seed: 7\n", "")).Message);
    }

    [Theory]
    [InlineData("diagnostics: {blocked_cutoff: 0}", "diagnostics: ask for participants: true, a blocked_cutoff, atom_fractions, search_fractions or regression: true (or leave diagnostics out)")]
    [InlineData("diagnostics: {atom_fractions: [0.5, 1]}", "diagnostics.atom_fractions: fractions must lie between 0 and 1 (exclusive), e.g. [0.25, 0.5]")]
    [InlineData("diagnostics: {search_fractions: [0]}", "diagnostics.search_fractions: fractions must lie between 0 and 1 (exclusive), e.g. [0.25, 0.5]")]
    [InlineData("diagnostics: {blocked_cutoff: -1}", "diagnostics.blocked_cutoff: must be 0 (off) or a positive distance in A")]
    [InlineData("flexibility: {method: exact}", "flexibility.method: 'exact' (choose md or harmonic)")]
    [InlineData("flexibility: {temperature: 0}", "flexibility.temperature: must be positive (K)")]
    [InlineData("flexibility: {timestep: 0}", "flexibility.timestep: must be positive (ps)")]
    [InlineData("flexibility: {duration: 0.001}", "flexibility.duration: must be at least one time step (ps)")]
    [InlineData("flexibility: {equilibration: -1}", "flexibility.equilibration: cannot be negative (ps)")]
    [InlineData("flexibility: {damping: 0}", "flexibility.damping: must be positive (ps)")]
    [InlineData("diagnostics: {blocked_cutoff: 5, presets: [soap]}", "diagnostics.presets: 'soap' is not one of the pipeline's presets")]
    [InlineData("diagnostics: {participants: true}", "diagnostics.participants: needs an activation task (h_eact or l_eact)")]
    [InlineData("diagnostics: {search_fractions: [0.5]}", "diagnostics.search_fractions: needs an activation task (h_eact or l_eact)")]
    public void OptionalSectionProblemsAreNamed(string yaml, string problem)
    {
        var e = Assert.Throws<PipelineConfigException>(() => PipelineFile.Parse(Valid(yaml), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains(problem, e.Problems);
    }

    [Fact]
    public void ADefaultComesFromLeavingTheKeyOut()
    {
        var c = PipelineFile.Parse(Valid().Replace("seed: 7\n", ""), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal(Softspot.Learning.Validation.DefaultSeed, c.Seed);
        Assert.NotEqual(0, c.Seed);
    }

    [Fact]
    public void TheFlexibilitySectionTakesEveryKeyOfFeaturizesFlexOptions()
    {
        var c = PipelineFile.Parse(Valid("flexibility: {method: md, temperature: 20, duration: 5, equilibration: 1, timestep: 0.001, damping: 0.2, seed: 3}"), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal(new Softspot.Simulation.Vibration.VibrationSettings { Temperature = 20, Duration = 5, Equilibration = 1, Timestep = 0.001, Damping = 0.2, Seed = 3 }, c.Flexibility!.Settings());
        // left out, each key is featurize's default
        var d = PipelineFile.Parse(Valid("flexibility: {method: harmonic}"), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal(new Softspot.Simulation.Vibration.VibrationSettings { Method = Softspot.Simulation.Vibration.MsdMethod.Harmonic }, d.Flexibility!.Settings());
    }

    [Fact]
    public void DeformedTakesOneFileOrAListOfFiles()
    {
        string sheared = Glass("Cu64Zr36") + "/shear/sheared.dump.gz";
        var one = PipelineFile.Parse(Valid(), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal([sheared], one.Glasses[0].Shear!.Deformed);
        var two = PipelineFile.Parse(Valid(deformed: $"[{sheared}, {sheared}]"), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal([sheared, sheared], two.Glasses[0].Shear!.Deformed);
        var relative = PipelineFile.Parse(Valid(deformed: "\n        - data/glasses/Cu64Zr36/shear/sheared.dump.gz"), "pipeline.yaml", Paths.RepoRoot);
        Assert.Equal([Path.GetFullPath(sheared)], relative.Glasses[0].Shear!.Deformed);

        var missing = Assert.Throws<PipelineConfigException>(() => PipelineFile.Parse(Valid(deformed: $"[{sheared}, nosuch.dump]"), "pipeline.yaml", Paths.RepoRoot));
        Assert.Contains("glasses[0] (a).shear.deformed[1]: no such file", missing.Message);
        Assert.Contains("'glasses[0].shear.deformed' is an empty list", Bad(Valid(deformed: "[]")).Message);
    }

    [Fact]
    public void ASplitShearSeriesGivesTheLabelsOfTheWholeFile()
    {
        using var dir = new TempDir();
        // data/CuZr_500_shear.dump: frames at strains 0, 0.02, 0.05, 0.1; split after the second
        string whole = Paths.Data("CuZr_500_shear.dump");
        var lines = File.ReadAllLines(whole);
        var starts = Enumerable.Range(0, lines.Length).Where(i => lines[i] == "ITEM: TIMESTEP").ToList();
        Assert.True(starts.Count >= 3);
        File.WriteAllLines(dir.File("part1.dump"), lines[..starts[2]]);
        File.WriteAllLines(dir.File("part2.dump"), lines[starts[2]..]);
        var plastic = new PlasticLabelConfig { Strains = [0.02, 0.1] };
        PipelineGlass Labelled(FileList deformed)
        {
            var g = new PipelineGlass(new GlassConfig { Name = "g", Structure = whole, Elements = "Cu,Zr", Shear = new ShearConfig { Reference = whole, Deformed = deformed } });
            PipelineLabels.AddPlastic(g, plastic);
            return g;
        }
        var one = Labelled([whole]);
        var split = Labelled([dir.File("part1.dump"), dir.File("part2.dump")]);
        Assert.Equal(one.Labels.Keys.Order(), split.Labels.Keys.Order());
        Assert.Contains("plastic@0.1", split.Labels.Keys); // from the second file
        foreach (var k in one.Labels.Keys) Assert.Equal(one.Labels[k], split.Labels[k]);
        // a strain in neither file names both
        var e = Assert.Throws<InputFormatException>(() => PipelineLabels.AddPlastic(
            new PipelineGlass(new GlassConfig { Name = "g", Structure = whole, Elements = "Cu,Zr", Shear = new ShearConfig { Reference = whole, Deformed = [dir.File("part1.dump"), dir.File("part2.dump")] } }),
            new PlasticLabelConfig { Strains = [0.07] }));
        Assert.Contains("part1.dump, " + dir.File("part2.dump"), e.Message);
    }

    [Fact]
    public void TheCliSaysFileLineAndKey()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("p.yaml"), "seed: 1\nlabels:\n  plastic:\n    strains: abc\n");
        string line = CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("p.yaml")));
        Assert.Equal($"softspot: error: {dir.File("p.yaml")}:4: 'labels.plastic.strains' must be a list of numbers, not 'abc'", line);
    }
}
