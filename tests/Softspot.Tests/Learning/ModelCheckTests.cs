using System.Text.Json.Nodes;
using Softspot.Learning;
using Softspot.Tests.Support;

namespace Softspot.Tests.Learning;

/// <summary>The one validation of a model read from a file (ModelCheck through TreeEnsemble.Load).</summary>
public class ModelCheckTests
{
    private static JsonObject Model() => JsonNode.Parse("""
        {"format":"softspot-trees","version":1,"objective":"squared_error","base_margin":0.5,"features":["a","b"],"metadata":{},
         "trees":[{"feature":[0,0,0],"threshold":[0.5,0,0],"left":[1,-1,-1],"right":[2,-1,-1],"default_left":[true,false,false],
                   "value":[0,-0.25,0.25],"cover":[2,1,1],"gain":[1,0,0]}]}
        """)!.AsObject();

    private static ModelFormatException Refused(JsonObject model)
    {
        using var dir = new TempDir();
        string path = dir.File("model.json");
        File.WriteAllText(path, model.ToJsonString());
        var e = Assert.Throws<ModelFormatException>(() => TreeEnsemble.Load(path));
        Assert.StartsWith(path + ":", e.Message);
        return e;
    }

    private static JsonObject Tree0(JsonObject m) => m["trees"]![0]!.AsObject();

    [Fact]
    public void AValidHandWrittenModelLoadsAndPredicts()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("m.json"), Model().ToJsonString());
        var m = TreeEnsemble.Load(dir.File("m.json"));
        Assert.Equal(0.25, m.Predict([0.1, 0]));
        Assert.Equal(0.75, m.Predict([0.9, 0]));
        Assert.Equal(0.25, m.Predict([double.NaN, 0])); // default_left
    }

    [Fact]
    public void ACycleIsRefusedInsteadOfLoopingForEver()
    {
        var m = Model();
        Tree0(m)["left"] = new JsonArray(1, 0, -1);
        Tree0(m)["right"] = new JsonArray(2, 2, -1);
        Assert.Contains("tree 0, node 1: child index 0 is the root: a cycle", Refused(m).Message);
    }

    [Fact]
    public void ChildIndexOutOfRangeNamesTreeAndNode()
    {
        var m = Model();
        Tree0(m)["left"] = new JsonArray(99, -1, -1);
        Assert.EndsWith("tree 0, node 0: child index 99 out of range (the tree has 3 nodes)", Refused(m).Message);
    }

    [Fact]
    public void SharedAndOrphanNodesAreRefused()
    {
        var m = Model();
        var t = Tree0(m);
        t["feature"] = new JsonArray(0, 0, 0, 0); t["threshold"] = new JsonArray(0.5, 0, 0, 0); t["left"] = new JsonArray(1, -1, -1, -1);
        t["right"] = new JsonArray(2, -1, -1, -1); t["default_left"] = new JsonArray(true, true, true, true);
        t["value"] = new JsonArray(0, 1, 1, 1); t["cover"] = new JsonArray(1, 1, 1, 1); t["gain"] = new JsonArray(0, 0, 0, 0);
        Assert.Contains("tree 0, node 3: not reachable from the root", Refused(m).Message);
        t["left"] = new JsonArray(1, 3, -1, -1); t["right"] = new JsonArray(2, 3, -1, -1);
        Assert.Contains("both children are node 3", Refused(m).Message);
    }

    [Theory]
    [InlineData("feature", "[7,0,0]", "splits on feature 7, but the model has 2 features")]
    [InlineData("threshold", "[\"NaN\",0,0]", "threshold is NaN")]
    [InlineData("value", "[0,\"Infinity\",0]", "value is Infinity")]
    [InlineData("cover", "[-1,1,1]", "cover is -1")]
    [InlineData("right", "[2,2,-1]", "left is -1 (a leaf) but right is 2")]
    [InlineData("gain", "[1,0]", "\"gain\" has 2 entries but \"left\" has 3")]
    public void BadNodesAreRefused(string field, string json, string expected)
    {
        var m = Model();
        Tree0(m)[field] = JsonNode.Parse(json);
        Assert.Contains(expected, Refused(m).Message);
    }

    [Theory]
    [InlineData("version", "2", "format version 2 is not supported")]
    [InlineData("format", "\"xgboost\"", "format 'xgboost'")]
    [InlineData("objective", "\"poisson\"", "unknown objective 'poisson'")]
    [InlineData("base_margin", "\"NaN\"", "base_margin is NaN")]
    [InlineData("features", "[\"a\",\"a\"]", "feature 'a' appears twice")]
    [InlineData("trees", "[]", "the model has no trees")]
    [InlineData("metadata", "{\"task\":\"classification\"}", "metadata.task is \"classification\" but the objective is squared_error")]
    public void BadTopLevelFieldsAreRefused(string field, string json, string expected)
    {
        var m = Model();
        m[field] = JsonNode.Parse(json);
        Assert.Contains(expected, Refused(m).Message);
    }

    [Fact]
    public void MissingGarbledAndEmptyFilesGiveOneMessageNamingTheFile()
    {
        using var dir = new TempDir();
        Assert.Equal(dir.File("no.json") + ": no such file", Assert.Throws<ModelFormatException>(() => TreeEnsemble.Load(dir.File("no.json"))).Message);
        File.WriteAllText(dir.File("e.json"), "");
        Assert.Contains("empty file", Assert.Throws<ModelFormatException>(() => TreeEnsemble.Load(dir.File("e.json"))).Message);
        File.WriteAllText(dir.File("t.json"), Model().ToJsonString()[..60]);
        var e = Assert.Throws<ModelFormatException>(() => TreeEnsemble.Load(dir.File("t.json")));
        Assert.Contains("ends early", e.Message);
        Assert.DoesNotContain("System.", e.Message);
        var m = Model();
        Tree0(m)["left"] = JsonNode.Parse("[\"x\",-1,-1]");
        var w = Refused(m);
        Assert.Contains("a value of the wrong kind at $.trees[0].left[0]", w.Message);
        Assert.DoesNotContain("System.", w.Message);
    }

    [Fact]
    public void TrainedModelsRoundTrip()
    {
        var request = new TrainingRequest(["a", "b"], [.. Enumerable.Range(0, 80).SelectMany(i => new double[] { i % 7, i % 3 })],
            [.. Enumerable.Range(0, 80).Select(i => i % 7 > 3 ? 1.0 : 0.0)], "y") { Options = GradientBoostingOptions.Reference with { Trees = 5 }, Reduce = 0 };
        var model = TrainingPipeline.Run(request).Model;
        var back = TreeEnsemble.FromJson(model.ToJson(), "m.json");
        Assert.Equal(model.ToJson(), back.ToJson());
    }

    [Fact]
    public void ReachableDropsOrphansWithoutChangingPredictions()
    {
        var t = new DecisionTree([0, 0, 0, 0, 0], [0.5, 0, 0, 0, 0], [3, -1, -1, -1, -1], [4, -1, -1, -1, -1], [true, true, true, true, true],
            [0, 9, 9, -1, 1], [1, 1, 1, 1, 1], [0, 0, 0, 0, 0]);
        var r = t.Reachable();
        Assert.Equal(3, r.NodeCount);
        foreach (double x in new[] { 0.1, 0.9, double.NaN }) Assert.Equal(t.Predict([x]), r.Predict([x]));
    }
}
