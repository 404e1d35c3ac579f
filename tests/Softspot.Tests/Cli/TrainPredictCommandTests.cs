using System.Text.Json;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

public class TrainPredictCommandTests
{
    [Fact]
    public void TrainOnShippedDataThenPredictNewStructures()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv"), deformed = dir.File("def.dump"), model = dir.File("model");
        // the structure before shear, and plastic sites at 5 % strain (frame 2 of the shipped shear run)
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", features).Code);
        LammpsDumpWriter.Write(deformed, [StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump")).ElementAt(2)]);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", deformed, "--out", labels).Code);

        var (code, output, error) = CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "plastic", "--out", model, "--trees", "60");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("over 15 splits", output);
        using (var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json"))))
        {
            var root = metrics.RootElement;
            foreach (var key in new[] { "roc_auc", "average_precision", "mcc", "f1" })
            {
                double mean = root.GetProperty(key).GetProperty("mean").GetDouble();
                Assert.InRange(mean, -1, 1);
                Assert.True(root.GetProperty(key).GetProperty("std").GetDouble() >= 0);
            }
            Assert.InRange(root.GetProperty("roc_auc").GetProperty("mean").GetDouble(), 0.6, 1); // structure predicts plasticity
            Assert.Equal(15, root.GetProperty("n_splits").GetInt32());
            Assert.Equal(80, root.GetProperty("features").GetArrayLength());
            Assert.Equal(10, root.GetProperty("reduced").GetProperty("features").GetArrayLength());
            var importance = root.GetProperty("importance");
            Assert.Equal(80, importance.GetArrayLength());
            Assert.Contains(importance.EnumerateArray(), e => e.GetProperty("permutation").GetDouble() > 0); // shuffling some column costs AUC
        }
        var m = TreeEnsemble.Load(Path.Combine(model, "model.json"));
        Assert.Equal(60, m.Trees.Count);
        Assert.True(m.Metadata.ContainsKey("feature_recipe"));
        string report = File.ReadAllText(Path.Combine(model, "report.html"));
        Assert.Contains("<svg", report);
        Assert.Equal(15, System.Text.RegularExpressions.Regex.Matches(report, "<polyline class=\"roc-fold\"").Count);

        // predict: from the structure (featurized with the model's recipe) and from the table: the same numbers
        string a = dir.File("a.csv"), b = dir.File("b.csv"), dump = dir.File("soft.dump");
        Assert.Equal(0, CliRunner.Run("predict", "--model", Path.Combine(model, "model.json"), Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", a, "--dump", dump).Code);
        Assert.Equal(0, CliRunner.Run("predict", "--model", Path.Combine(model, "model.json"), "--features", features, "--out", b).Code);
        Assert.Equal(File.ReadAllText(a), File.ReadAllText(b));
        var rows = File.ReadAllLines(a);
        Assert.Equal("frame,id,softness", rows[0]);
        Assert.Equal(501, rows.Length);
        var soft = StructureFile.ReadFirst(dump).Column("softness")!.Values;
        Assert.All(soft, s => Assert.InRange(s, 0, 1));
    }

    [Fact]
    public void PredictRefusesOtherElements()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "voronoi-index", "--out", features).Code);
        File.WriteAllLines(labels, ["frame,id,y", .. Enumerable.Range(1, 500).Select(i => $"0,{i},{(i % 10 == 0 ? 1 : 0)}")]);
        Assert.Equal(0, CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "y", "--out", dir.File("m"), "--trees", "20", "--reduce", "0").Code);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("predict", "--model", dir.File("m/model.json"), Paths.Data("CuZr_500.dump"), "--elements", "Ni,Nb", "--out", dir.File("p.csv")));
        Assert.Contains("trained on elements Cu,Zr", line);
    }

    [Fact]
    public void MinEventsKeepsTheAtomsWithEnoughSearches()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "voronoi-index", "--out", features).Code);
        // label activation's shape: atom i has i % 7 converged searches (none: no mean)
        File.WriteAllLines(labels, ["frame,id,eact_mean,eact_min,events,h_eact,l_eact",
            .. Enumerable.Range(1, 500).Select(i => i % 7 == 0 ? $"0,{i},,,0,," : $"0,{i},{0.5 + (i * 37 % 100) / 50.0},0.3,{i % 7},,")]);
        string[] train = ["train", "--features", features, "--labels", labels, "--target", "eact_mean", "--trees", "20", "--reduce", "0"];
        var (code, output, error) = CliRunner.Run([.. train, "--out", dir.File("all")]);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains($"(regression), {Enumerable.Range(1, 500).Count(i => i % 7 != 0)} atoms", output);
        (code, output, error) = CliRunner.Run([.. train, "--min-events", "5", "--out", dir.File("five")]);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains($"(regression), {Enumerable.Range(1, 500).Count(i => i % 7 >= 5)} atoms", output);

        var line = CliRunner.AssertOneLineError(CliRunner.Run([.. train, "--min-events", "7", "--out", dir.File("none")]));
        Assert.Contains("l.csv", line);
        Assert.Contains("no row has 'events' of at least 7 (the largest is 6)", line);
        File.WriteAllLines(dir.File("y.csv"), ["frame,id,eact_mean", .. Enumerable.Range(1, 500).Select(i => $"0,{i},{i % 3}")]);
        line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--features", features, "--labels", dir.File("y.csv"), "--target", "eact_mean", "--min-events", "5", "--out", dir.File("y")));
        Assert.Contains("y.csv:1", line);
        Assert.Contains("no column 'events'", line);
    }
}

public class TransferCommandTests
{
    [Fact]
    public void ScoresAModelOnAnotherStrainsLabels()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), l5 = dir.File("l5.csv"), l10 = dir.File("l10.csv"), model = dir.File("m"), out2 = dir.File("t");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", features).Code);
        var frames = StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump")).ToList();
        LammpsDumpWriter.Write(dir.File("d5.dump"), [frames[2]]);
        LammpsDumpWriter.Write(dir.File("d10.dump"), [frames[3]]);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", dir.File("d5.dump"), "--out", l5).Code);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", dir.File("d10.dump"), "--out", l10).Code);
        Assert.Equal(0, CliRunner.Run("train", "--features", features, "--labels", l5, "--target", "plastic", "--out", model, "--trees", "40", "--reduce", "0").Code);
        var (code, output, error) = CliRunner.Run("transfer", "--model", Path.Combine(model, "model.json"), "--features", features, "--labels", l10, "--target", "plastic", "--out", out2);
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("over 3 balanced subsets", output);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(out2, "metrics.json")));
        var root = doc.RootElement;
        Assert.Equal(3, root.GetProperty("n_splits").GetInt32());
        Assert.InRange(root.GetProperty("roc_auc").GetProperty("mean").GetDouble(), 0, 1);
        // the all-rows AUC is the model's AUC on the new labels, computed independently here
        var m = TreeEnsemble.Load(Path.Combine(model, "model.json"));
        var table = KeyedTable.Read(features);
        var (rows, y) = table.Join(KeyedTable.Read(l10), "plastic");
        var idx = m.FeatureNames.Select(table.IndexOf).ToArray();
        var scores = rows.Select(r => m.Predict(idx.Select(c => table[r, c]).ToArray())).ToArray();
        Assert.Equal(Metrics.RocAuc(scores, y.Select(v => (int)v).ToArray()), root.GetProperty("all_rows").GetProperty("roc_auc").GetDouble(), 12);
    }
}

public class GroupedTrainingTests
{
    [Fact]
    public void GroupByFrameKeepsEachFrameOnOneSide()
    {
        using var dir = new TempDir();
        string def = dir.File("def3.dump"), features = dir.File("f.csv"), labels = dir.File("l.csv"), model = dir.File("m");
        // three sheared frames (2, 5, 10 %): features of each frame, plastic sites of each frame
        LammpsDumpWriter.Write(def, StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump")).Skip(1).ToList());
        Assert.Equal(0, CliRunner.Run("featurize", def, "--elements", "Cu,Zr", "--preset", "voronoi-index", "--out", features).Code);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", def, "--out", labels).Code);
        var (code, _, error) = CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "plastic", "--out", model, "--trees", "20", "--reduce", "0", "--group-by-frame");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json")));
        Assert.Equal(3, doc.RootElement.GetProperty("n_splits").GetInt32()); // one fold per frame
        // a single frame cannot be grouped
        string oneF = dir.File("one.csv"), oneL = dir.File("onel.csv");
        File.WriteAllLines(oneF, File.ReadLines(features).Where((l, i) => i == 0 || l.StartsWith("0,")));
        File.WriteAllLines(oneL, File.ReadLines(labels).Where((l, i) => i == 0 || l.StartsWith("0,")));
        var line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--features", oneF, "--labels", oneL, "--target", "plastic", "--out", dir.File("x"), "--group-by-frame"));
        Assert.Contains("at least 2 frames", line);
    }
}
