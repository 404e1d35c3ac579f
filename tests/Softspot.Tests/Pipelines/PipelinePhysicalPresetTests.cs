using Softspot.Descriptors;
using Softspot.Pipelines;
using Softspot.Tests.Support;

namespace Softspot.Tests.Pipelines;

/// <summary>
/// Pipelines with the physical representations (computed with an interatomic potential) and composed presets: the
/// potential is required and checked before any work, recorded only in the recipes of the presets that use it, and a
/// glass whose elements the potential lacks is left without those features, with the reason.
/// </summary>
public class PipelinePhysicalPresetTests
{
    private static string Yaml(string presets, string? potential) => $"""
        presets: {presets}
        {(potential is null ? "" : $"potential: {potential}")}
        glasses:
          - name: A
            structure: {Paths.RepoRoot}/data/glasses/Cu64Zr36/glass.dump.gz
            elements: Cu,Zr
        """;

    private static PipelineConfig Parse(string yaml) => PipelineFile.Parse(yaml, "test.yaml", Paths.RepoRoot);

    private static string Problems(string yaml) => string.Join("\n", Assert.Throws<PipelineConfigException>(() => Parse(yaml)).Problems);

    [Fact]
    public void A_physical_preset_needs_a_potential_that_exists()
    {
        Assert.Contains("presets: atomic-shear-modulus is computed with an interatomic potential: give potential:", Problems(Yaml("[interstice, atomic-shear-modulus]", null)));
        Assert.Contains("presets: interstice+flexibility-volume is computed with an interatomic potential", Problems(Yaml("[interstice+flexibility-volume]", null)));
        Assert.Contains("potential: Nowhere.eam.fs: no such potential file", Problems(Yaml("[atomic-shear-modulus]", "Nowhere.eam.fs")));
        Assert.Contains("unknown preset 'interstice+soapp'", Problems(Yaml("[interstice+soapp]", null)));
    }

    [Fact]
    public void Only_physical_presets_record_the_potential_and_a_glass_it_cannot_describe_is_left_without_them()
    {
        var settings = new FeaturizeSettings { Potential = Softspot.Simulation.Potentials.PotentialFile.Open("CuZr_mm.eam.fs") };
        var fep = new PipelineGlass(new GlassConfig { Name = "FeP", Structure = Paths.Data("glasses/Fe80P20/glass.dump.gz"), Elements = "Fe,P" });
        fep.Featurize(["voronoi-index", "coarse-grained-shear-modulus"], settings);
        Assert.Equal("the potential CuZr_mm.eam.fs has no Fe, P", fep.Unavailable["coarse-grained-shear-modulus"]);
        Assert.False(fep.Features.ContainsKey("coarse-grained-shear-modulus"));
        // the structural preset is computed, and its recipe does not ask for the potential
        Assert.Equal(2000, fep.Features["voronoi-index"].Rows);
        Assert.Null(fep.Recipes["voronoi-index"].Settings.Potential);
    }

    [Fact]
    public void Composed_presets_are_accepted_and_physical_when_a_part_is()
    {
        Assert.Equal(["interstice+soap"], Parse(Yaml("[interstice+soap]", null)).Presets);
        Assert.True(Presets.Find("interstice+flexibility-volume").Physical);
        Assert.False(Presets.Find("interstice+soap").Physical);
        Assert.Contains("give --potential", Assert.Throws<SoftspotException>(() => new Featurizer("shear-modulus")).Message);
        // only a vibrational preset keeps the vibration recipe (so only its recipes record it)
        var given = new FeaturizeSettings { Potential = Softspot.Simulation.Potentials.PotentialFile.Open("CuZr_mm.eam.fs"), Vibration = new() { Seed = 9 } };
        Assert.Equal(9, Presets.Find("interstice+flexibility-volume").Settings(given).Vibration!.Seed);
        Assert.Null(Presets.Find("shear-modulus").Settings(given).Vibration);
        Assert.Null(Presets.Find("soap").Settings(given).Vibration);
    }
}
