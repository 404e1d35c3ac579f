using System.Text.Json;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Library;

/// <summary>
/// The library services give what the commands give: the commands are adapters over them, so a program that calls
/// the services in memory gets the same features, labels, scores and softness as the files the commands write.
/// </summary>
public sealed class ServicesTests
{
    private static readonly ElementMap CuZr = ElementMap.Parse("Cu,Zr");
    private static Snapshot Glass => StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), CuZr);
    private static Snapshot Sheared => StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump"), CuZr).ElementAt(2);

    private static void AssertSameValues(KeyedTable expected, KeyedTable actual, IEnumerable<string> columns)
    {
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var c in columns) Assert.Equal(expected.Column(c), actual.Column(c));
    }

    [Fact]
    public void InMemoryServicesMatchTheCommandsFileForFile()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv"), deformed = dir.File("def.dump"), model = dir.File("model"), softness = dir.File("s.csv");
        LammpsDumpWriter.Write(deformed, [Sheared]);
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", features, "--threads", "1").Code);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", deformed, "--elements", "Cu,Zr", "--out", labels).Code);
        Assert.Equal(0, CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "plastic", "--out", model, "--trees", "40", "--reduce", "0").Code);
        Assert.Equal(0, CliRunner.Run("predict", "--model", Path.Combine(model, "model.json"), Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", softness).Code);

        var context = new RunContext { Threads = 2 };
        var (table, recipe) = new Featurizer("interstice", context: context).Table(Glass);
        var fromFile = KeyedTable.Read(features);
        AssertSameValues(fromFile, table, fromFile.Columns);
        Assert.Equal(FeatureRecipe.Load(features.Replace(".csv", ".json")).Columns, recipe.Columns);

        var plastic = new PlasticLabeler(context: context).Label(Glass, Sheared).Table(asFrame: 0);
        AssertSameValues(KeyedTable.Read(labels), plastic, ["d2min", "shear_strain", "plastic"]);

        var trained = new Trainer(new TrainingSettings { Options = GradientBoostingOptions.Reference with { Trees = 40 }, Reduce = 0 }, context)
            .Train(table, plastic, "plastic", recipe);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json"))))
            Assert.Equal(metrics.RootElement.GetProperty("roc_auc").GetProperty("mean").GetDouble(), trained.Result.ClassificationScores!.Test.RocAuc.Mean);

        // the model in memory, saved and reloaded, and the command's model predict the same softness
        trained.Save(dir.File("mine"));
        var reloaded = SoftnessModel.Load(Path.Combine(dir.File("mine"), "model.json"));
        var predicted = KeyedTable.Read(softness).Column("softness");
        Assert.Equal(predicted, trained.Model.Predict(Glass, context));
        Assert.Equal(predicted, reloaded.Predict(Glass));
        Assert.Equal(predicted, SoftnessModel.Load(Path.Combine(model, "model.json")).Predict(table));
    }

    [Fact]
    public void TheModelRecordRoundTripsThroughTheFile()
    {
        var (table, recipe) = new Featurizer("voronoi-index").Table(Glass);
        var labels = new PlasticLabeler().Label(Glass, Sheared).Table(asFrame: 0);
        var trained = new Trainer(new TrainingSettings { Options = GradientBoostingOptions.Reference with { Trees = 10 }, Reduce = 0, Seed = 7 }).Train(table, labels, "plastic", recipe);
        using var dir = new TempDir();
        trained.Model.Save(dir.File("m.json"));
        var info = SoftnessModel.Load(dir.File("m.json")).Info;
        Assert.Equal("plastic", info.Target);
        Assert.True(info.Classification);
        Assert.Equal(TrainingEngine.Managed, info.Engine);
        Assert.Equal(10, info.Options!.Trees);
        Assert.Equal(7, info.Options.Seed);
        Assert.Equal(trained.Request.Rows, info.TrainingRows);
        Assert.Equal(recipe.Columns, info.FeatureRecipe!.Columns);
        Assert.Equal(recipe.Radii, info.FeatureRecipe.Radii);
        // the file keeps the keys older Softspot versions read
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("m.json")));
        var metadata = json.RootElement.GetProperty("metadata");
        Assert.Equal("classification", metadata.GetProperty("task").GetString());
        Assert.Equal("managed", metadata.GetProperty("engine").GetString());
        Assert.Equal("binary_logistic", metadata.GetProperty("options").GetProperty("objective").GetString());
    }

    [Fact]
    public void AModelFromARecipeRefusesStructuresOfOtherElements()
    {
        var (table, recipe) = new Featurizer("voronoi-index").Table(Glass);
        var labels = new PlasticLabeler().Label(Glass, Sheared).Table(asFrame: 0);
        var model = new Trainer(new TrainingSettings { Options = GradientBoostingOptions.Reference with { Trees = 5 }, Reduce = 0 }).Train(table, labels, "plastic", recipe).Model;
        var swapped = StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Zr,Cu"));
        var e = Assert.ThrowsAny<SoftspotException>(() => model.Predict(swapped));
        Assert.Contains("trained on elements Cu,Zr", e.Message);
        // without a recipe, a model predicts from tables only, and says so
        var bare = new SoftnessModel(model.Ensemble, model.Info with { FeatureRecipe = null });
        Assert.Contains("no feature recipe", Assert.ThrowsAny<SoftspotException>(() => bare.Predict(Glass)).Message);
        Assert.Equal(model.Predict(table), bare.Predict(table));
    }

    [Theory]
    [InlineData(1 << 20, "interstice", "voronoi-index")] // the index part yields the whole frame at once
    [InlineData(64, "interstice", "sro+mro")]             // both parts in blocks of 64 rows (and a preset named with '+')
    public void AComposedFeatureSetIsItsPartsSideBySideAndItsModelPredictsFromStructures(int blockRows, params string[] names)
    {
        string preset = string.Join('+', names);
        var set = Presets.Find(preset).Build(Glass.RequireElements());
        var context = new FrameContext(Glass);
        var whole = set.Compute(context);
        int covered = 0;
        foreach (var (first, rows) in set.ComputeBlocks(context, blockRows))
            for (int r = 0; r < rows.Rows; r++, covered++) Assert.Equal(whole.Row(first + r).ToArray(), rows.Row(r).ToArray());
        Assert.Equal(Glass.Count, covered);

        var (joined, recipe) = new Featurizer(preset).Table(Glass);
        Assert.Equal(preset, recipe.Preset);
        var parts = names.Select(n => new Featurizer(n).Table(Glass).Table).ToList();
        var expected = parts.SelectMany(t => t.Columns).Distinct().ToList();
        Assert.Equal(expected, joined.Columns);
        foreach (var c in expected) Assert.Equal(parts.First(t => t.IndexOf(c) >= 0).Column(c), joined.Column(c));

        // streamed in blocks (featurize) as computed whole
        using var dir = new TempDir();
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", preset, "--out", dir.File("f.csv")).Code);
        var written = KeyedTable.Read(dir.File("f.csv"));
        foreach (var c in expected) Assert.Equal(joined.Column(c), written.Column(c));

        var labels = new PlasticLabeler().Label(Glass, Sheared).Table(asFrame: 0);
        var model = new Trainer(new TrainingSettings { Options = GradientBoostingOptions.Reference with { Trees = 5 }, Reduce = 0 }).Train(joined, labels, "plastic", recipe).Model;
        model.Save(dir.File("m.json"));
        Assert.Equal(model.Predict(joined), SoftnessModel.Load(dir.File("m.json")).Predict(Glass));
    }

    [Fact]
    public void ServicesRefuseImpossibleSettingsWithUserFacingErrors()
    {
        Assert.ThrowsAny<SoftspotException>(() => new Featurizer("no-such-preset"));
        Assert.ThrowsAny<SoftspotException>(() => new Featurizer("interstice+nothing"));
        Assert.ThrowsAny<SoftspotException>(() => new Featurizer("boop+boop"));
        Assert.ThrowsAny<SoftspotException>(() => new PlasticLabeler(cutoff: 0));
        Assert.ThrowsAny<SoftspotException>(() => new PlasticLabeler(rule: new PlasticRule { Top = 1.5 }));
        Assert.ThrowsAny<SoftspotException>(() => new ActivationLabeler(tail: 0.7));
        Assert.ThrowsAny<SoftspotException>(() => new ActivationLabeler(minEvents: 0));
        Assert.ThrowsAny<SoftspotException>(() => new Trainer(new TrainingSettings { Reduce = -1 }));
        Assert.ThrowsAny<SoftspotException>(() => new RunContext { Threads = 0 });
    }
}
