using System.Globalization;
using System.Text;
using System.Text.Json;
using Softspot.Learning;
using Softspot.Tests.Support;

namespace Softspot.Tests.Learning;

/// <summary>
/// A tail label scored from a regression of the value it is a tail of (<see cref="TrainingPipeline.CrossValidateTail"/>,
/// the demo's "regression" diagnostic), against Python's xgboost (the same libxgboost, trained by xgboost.train on the
/// same splits with the engine's parameters) scored by scikit-learn.
/// </summary>
public class TailRegressionTests
{
    private const int Rows = 1200, Columns = 8;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ScoresEqualXgboostAndScikitLearn(bool low)
    {
        var (x, _, score) = SyntheticTask.Generate(Rows, Columns, seed: 31);
        // the label: the top (or bottom) 10 % of the value, as h_eact / l_eact of the per-atom mean E_act
        var sorted = score.Order().ToArray();
        double cut = low ? sorted[Rows / 10 - 1] : sorted[Rows - Rows / 10];
        var labels = score.Select(v => (low ? v <= cut : v >= cut) ? 1.0 : 0.0).ToArray();
        var options = GradientBoostingOptions.Reference with { Trees = 40, MinSamplesLeaf = 0, Seed = 9 };
        var request = new TrainingRequest(Gbdt.Names(Columns), x, labels, "tail") { Options = options, Engine = TrainingEngine.Xgboost, Seed = 9 };
        var splits = Validation.RepeatedStratifiedKFold(labels.Select(v => (int)v).ToArray(), repeats: 2, folds: 3, seed: 9);
        var ours = TrainingPipeline.CrossValidateTail(request, score, low, splits);

        // every row tested once per repeat, trained on in the other folds: no undersampling
        Assert.Equal(6, ours.Splits.Count);
        foreach (var repeat in splits.GroupBy(s => s.Subset))
            Assert.Equal(Enumerable.Range(0, Rows), repeat.SelectMany(s => s.Test).Order());
        Assert.All(splits, s => Assert.Equal(Rows, s.Train.Length + s.Test.Length));

        using var dir = new TempDir();
        var data = new StringBuilder();
        for (int i = 0; i < Rows; i++)
            data.AppendLine(string.Join(" ", x.Skip(i * Columns).Take(Columns).Append(score[i]).Append(labels[i]).Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
        File.WriteAllText(dir.File("data.txt"), data.ToString());
        var parameters = XgboostEngine.Parameters(options with { Objective = Objective.SquaredError, Threads = 1 }, Columns, 0)
            .Where(p => p.Name != "base_score").ToDictionary(p => p.Name, p => p.Value);
        File.WriteAllText(dir.File("splits.json"), JsonSerializer.Serialize(new
        {
            parameters, trees = options.Trees, low,
            splits = splits.Select(s => new { train = s.Train, test = s.Test }),
        }));
        File.WriteAllText(dir.File("reference.py"), Script);
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3-xgboost");
        var reference = JsonDocument.Parse(ExternalTool.Run(python, [dir.File("reference.py")], dir.Path)).RootElement;
        var auc = reference.GetProperty("auc").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var f1 = reference.GetProperty("f1").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int k = 0; k < splits.Count; k++)
        {
            Assert.True(Math.Abs(ours.Splits[k].Test.RocAuc - auc[k]) < 1e-9, $"split {k}: ROC-AUC {ours.Splits[k].Test.RocAuc} vs xgboost + scikit-learn {auc[k]}");
            Assert.True(Math.Abs(ours.Splits[k].Test.F1 - f1[k]) < 1e-9, $"split {k}: F1 {ours.Splits[k].Test.F1} vs {f1[k]}");
        }
        // it learned the value: the tails are well ranked, and not by chance
        Assert.InRange(ours.Test.RocAuc.Mean, 0.7, 1);
    }

    [Fact]
    public void RefusesRowsWithoutAValue()
    {
        var (x, labels, score) = SyntheticTask.Generate(100, Columns, seed: 3, positiveFraction: 0.2);
        score[5] = double.NaN;
        var request = new TrainingRequest(Gbdt.Names(Columns), x, labels, "h_eact");
        var splits = Validation.RepeatedStratifiedKFold(labels.Select(v => (int)v).ToArray());
        var e = Assert.Throws<ArgumentException>(() => TrainingPipeline.CrossValidateTail(request, score, low: false, splits));
        Assert.Equal("h_eact: a labelled row has no value to regress", e.Message);
        Assert.Throws<ArgumentException>(() => TrainingPipeline.CrossValidateTail(request, score[..50], low: false, splits));
    }

    private const string Script = """
import json
import numpy as np
import xgboost
from sklearn.metrics import f1_score, roc_auc_score

d = np.loadtxt("data.txt")
x, value, label = d[:, :-2], d[:, -2], d[:, -1].astype(int)
spec = json.load(open("splits.json"))
sign = -1.0 if spec["low"] else 1.0
auc, f1 = [], []
for s in spec["splits"]:
    train, test = np.array(s["train"]), np.array(s["test"])
    params = dict(spec["parameters"], base_score=float(np.mean(value[train])))
    booster = xgboost.train(params, xgboost.DMatrix(x[train], label=value[train]), num_boost_round=spec["trees"])
    fit = sign * booster.predict(xgboost.DMatrix(x[train])).astype(float)
    score = sign * booster.predict(xgboost.DMatrix(x[test])).astype(float)
    # positive: above all but as many training scores as the training rows have positives
    threshold = np.sort(fit)[::-1][label[train].sum()]
    auc.append(roc_auc_score(label[test], score))
    f1.append(f1_score(label[test], (score > threshold).astype(int)))
print(json.dumps({"auc": auc, "f1": f1}))
""";
}
