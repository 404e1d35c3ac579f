using System.Globalization;
using System.Text.Json;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Learning.Interpretation;
using Softspot.Tests.Support;

namespace Softspot.Tests.Learning;

/// <summary>
/// Three xgboost models trained once per test class by Debian's python3-xgboost (1.7) on a seeded synthetic set with
/// missing values: binary logistic (depth 5, 50 trees, base_score 0.3, feature names), squared-error regression (depth
/// 4, 50 trees, unnamed features) and a dart binary model (depth 3, 20 trees, dropout weights). For each: the saved
/// JSON, the evaluation rows (the 500 training rows plus, per tree, a row whose root-split feature is the double just
/// above the midpoint between the float32 threshold and the float below it, where a double comparison with the
/// threshold would go the other way), xgboost's margins, pred_contribs, total gain and split counts; plus numpy's
/// pairwise-complete Pearson correlations of the training columns.
/// </summary>
public sealed class XgboostReference : IDisposable
{
    public TempDir Dir { get; } = new();
    public JsonElement Out { get; }
    public double[] TrainingRows { get; }
    public const int Features = 8;

    public XgboostReference()
    {
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3-xgboost");
        File.WriteAllText(Dir.File("reference.py"), Script);
        Out = JsonDocument.Parse(ExternalTool.Run(python, [Dir.File("reference.py")], Dir.Path)).RootElement.Clone();
        TrainingRows = ReadRows(Dir.File("X.txt"));
    }

    public string ModelPath(string name) => Dir.File(name + ".json");
    public double[] Rows(string name) => ReadRows(Dir.File(name + ".X.txt"));
    public double[] Array(string name, string key) => [.. Out.GetProperty(name).GetProperty(key).EnumerateArray().Select(e => e.GetDouble())];

    private static double[] ReadRows(string path) =>
        [.. File.ReadAllLines(path).SelectMany(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(t => t == "nan" ? double.NaN : double.Parse(t, CultureInfo.InvariantCulture))];

    public void Dispose() => Dir.Dispose();

    private const string Script = """
import sys, json
import numpy as np
import xgboost as xgb

rng = np.random.default_rng(20240917)
n, nf = 500, 8
X = rng.normal(size=(n, nf))
X[:, 5] = 0.8 * X[:, 0] + 0.2 * rng.normal(size=n)          # a correlated pair
X[rng.random((n, nf)) < 0.08] = np.nan                      # missing values everywhere
x0, x1, x2, x3 = (np.nan_to_num(X[:, k]) for k in range(4))
y_cls = ((x0 + x1 * x2 + 0.5 * np.sin(3 * x3) + 0.3 * rng.normal(size=n)) > 0.6).astype(float)
y_reg = x0 ** 2 + x1 - 0.5 * x3 + 0.1 * rng.normal(size=n)
names = ["a", "b", "c", "d", "e", "f", "g", "h"]

def root_rows(booster, base):
    # per tree with a root split (feature f, float32 threshold t): x_f = the double just above the midpoint between
    # t and the float below it, so xgboost (float32) goes right while a plain double x < t goes left
    rows = []
    g = json.loads(booster.save_raw("json"))["learner"]["gradient_booster"]
    for k, t in enumerate((g["gbtree"] if g["name"] == "dart" else g)["model"]["trees"]):
        if t["left_children"][0] < 0: continue
        f, thr = t["split_indices"][0], np.float32(t["split_conditions"][0])
        mid = (np.float64(np.nextafter(thr, np.float32(-np.inf))) + np.float64(thr)) / 2
        x = np.nextafter(mid, np.inf)
        assert np.float32(x) == thr and x < np.float64(thr)
        r = base[k % len(base)].copy(); r[f] = x
        rows.append(r)
    return np.array(rows)

out = {}
specs = {
    "logistic": ({"objective": "binary:logistic", "max_depth": 5, "eta": 0.3, "base_score": 0.3, "seed": 1}, y_cls, 50, names),
    "regression": ({"objective": "reg:squarederror", "max_depth": 4, "eta": 0.2, "seed": 1}, y_reg, 50, None),
    "dart": ({"booster": "dart", "objective": "binary:logistic", "max_depth": 3, "eta": 0.3, "rate_drop": 0.3,
              "one_drop": 1, "seed": 1}, y_cls, 20, names),
}
for name, (params, y, rounds, fn) in specs.items():
    b = xgb.train(dict(params, nthread=1), xgb.DMatrix(X, label=y, feature_names=fn), rounds)
    b.save_model(name + ".json")
    E = np.vstack([X, root_rows(b, X[~np.isnan(X).any(axis=1)])])
    np.savetxt(name + ".X.txt", E, fmt="%.17g")
    d = xgb.DMatrix(E, feature_names=fn)
    gain = b.get_score(importance_type="total_gain")
    weight = b.get_score(importance_type="weight")
    keys = fn or ["f%d" % k for k in range(nf)]
    out[name] = {
        "margin": [float(v) for v in b.predict(d, output_margin=True)],
        "contribs": [float(v) for v in b.predict(d, pred_contribs=True).ravel()],
        "prediction": [float(v) for v in b.predict(d)],
        "total_gain": [float(gain.get(k, 0.0)) for k in keys],
        "splits": [float(weight.get(k, 0.0)) for k in keys],
    }
    if name == "dart":
        w = json.loads(b.save_raw("json"))["learner"]["gradient_booster"]["weight_drop"]
        out[name]["weights_not_one"] = int(sum(1 for v in w if v != 1.0))

C = np.eye(nf)   # Pearson, pairwise deletion of missing values
for i in range(nf):
    for j in range(nf):
        if i != j:
            m = ~np.isnan(X[:, i]) & ~np.isnan(X[:, j])
            C[i, j] = np.corrcoef(X[m, i], X[m, j])[0, 1]
np.savetxt("X.txt", X, fmt="%.17g")
out["corr"] = C.ravel().tolist()
print(json.dumps(out))
""";
}

public sealed class XgboostImportTests(XgboostReference xgb) : IClassFixture<XgboostReference>
{
    public static TheoryData<string> Models => ["logistic", "regression", "dart"];

    [Theory]
    [MemberData(nameof(Models))]
    public void MarginsAndPredictionsEqualXgboost(string name)
    {
        var model = XgboostImport.FromJson(xgb.ModelPath(name));
        double[] rows = xgb.Rows(name), margin = xgb.Array(name, "margin"), prediction = xgb.Array(name, "prediction");
        int f = model.FeatureNames.Count;
        Assert.Equal(XgboostReference.Features, f);
        Assert.Equal(margin.Length, rows.Length / f);
        for (int i = 0; i < margin.Length; i++)
        {
            var row = rows.AsSpan(i * f, f);
            Assert.True(Math.Abs(model.Margin(row) - margin[i]) <= 1e-5, $"{name} row {i}: margin {model.Margin(row)} vs xgboost {margin[i]}");
            Assert.True(Math.Abs(model.Predict(row) - prediction[i]) <= 1e-5, $"{name} row {i}: prediction {model.Predict(row)} vs xgboost {prediction[i]}");
        }
    }

    [Fact]
    public void ObjectivesBaseMarginsAndNamesAreRead()
    {
        var logistic = XgboostImport.FromJson(xgb.ModelPath("logistic"));
        Assert.Equal(Objective.BinaryLogistic, logistic.Objective);
        Assert.Equal(Math.Log(0.3 / 0.7), logistic.BaseMargin, 1e-7); // base_score 0.3 as float32
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h"], logistic.FeatureNames);
        Assert.Equal(50, logistic.Trees.Count);
        Assert.True(logistic.Trees.Max(t => t.Depth) == 5);

        var regression = XgboostImport.FromJson(File.ReadAllText(xgb.ModelPath("regression"))); // the JSON text itself
        Assert.Equal(Objective.SquaredError, regression.Objective);
        Assert.Equal(0.5, regression.BaseMargin);
        Assert.Equal([.. Enumerable.Range(0, 8).Select(k => "f" + k)], regression.FeatureNames);

        var renamed = XgboostImport.FromJson(xgb.ModelPath("regression"), [.. "ABCDEFGH".Select(c => c.ToString())]);
        Assert.Equal("H", renamed.FeatureNames[7]);
        Assert.Throws<ArgumentException>(() => XgboostImport.FromJson(xgb.ModelPath("regression"), ["x"]));

        Assert.True(xgb.Out.GetProperty("dart").GetProperty("weights_not_one").GetInt32() > 0, "the dart model should have dropout weights other than 1");
    }

    [Fact]
    public void ImportedThresholdsRouteDoublesAsXgboostsFloat32Comparison()
    {
        // the same model with the stored float32 thresholds compared in double misroutes the crafted rows
        var model = XgboostImport.FromJson(xgb.ModelPath("logistic"));
        var naive = new TreeEnsemble(model.Objective, model.BaseMargin, [.. model.Trees.Select(t => new DecisionTree(t.Feature,
            [.. t.Threshold.Select(v => (double)(float)v)], t.Left, t.Right, t.DefaultLeft, t.Value, t.Cover, t.Gain))], model.FeatureNames);
        double[] rows = xgb.Rows("logistic"), margin = xgb.Array("logistic", "margin");
        int f = model.FeatureNames.Count, misrouted = 0;
        for (int i = 500; i < margin.Length; i++)
        {
            Assert.True(Math.Abs(model.Margin(rows.AsSpan(i * f, f)) - margin[i]) <= 1e-5);
            if (Math.Abs(naive.Margin(rows.AsSpan(i * f, f)) - margin[i]) > 1e-4) misrouted++;
        }
        Assert.True(misrouted > 10, $"only {misrouted} crafted rows are misrouted by a plain double threshold");
    }

    [Fact]
    public void ThresholdForDoubleInputsMatchesFloatConversion()
    {
        var rng = new Random(7);
        var ts = new List<float> { 0f, -0f, float.Epsilon, -float.Epsilon, 1f, -1f, 0.1f, float.MaxValue, -float.MaxValue,
            float.PositiveInfinity, 1.17549435e-38f, 3e-39f, 16777216f, 0.5391222f };
        for (int i = 0; i < 2000; i++) ts.Add((float)((rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-40, 39))));
        foreach (float t in ts)
        {
            double T = XgboostImport.ThresholdForDoubleInputs(t);
            double below = MathF.BitDecrement(t);
            double mid = float.IsPositiveInfinity(t) ? float.MaxValue + Math.Pow(2, 103)
                : t == -float.MaxValue ? -(float.MaxValue + Math.Pow(2, 103)) : (below + t) / 2;
            var xs = new List<double> { t, below, mid, T, double.MaxValue, -double.MaxValue, 0, -0.0 };
            for (int s = 1; s <= 3; s++)
            {
                double up = mid, down = mid, tu = t, td = t;
                for (int k = 0; k < s; k++) { up = Math.BitIncrement(up); down = Math.BitDecrement(down); tu = Math.BitIncrement(tu); td = Math.BitDecrement(td); }
                xs.AddRange([up, down, tu, td]);
            }
            foreach (double x in xs)
                Assert.True(((float)x < t) == (x < T), $"t = {t:R}, x = {x:R}: float says {(float)x < t}, threshold {T:R} says {x < T}");
            if (float.IsFinite(t)) Assert.Equal(t, (float)T); // still reads as the stored threshold
        }
    }

    [Fact]
    public void UnsupportedAndMalformedModelsAreRejected()
    {
        string good = File.ReadAllText(xgb.ModelPath("regression"));
        var multi = Assert.Throws<InputFormatException>(() => XgboostImport.FromJson(good.Replace("\"num_class\":\"0\"", "\"num_class\":\"3\"")));
        Assert.Equal(InputProblem.Unsupported, multi.Kind);
        var objective = Assert.Throws<InputFormatException>(() => XgboostImport.FromJson(good.Replace("reg:squarederror", "count:poisson")));
        Assert.Equal(InputProblem.Unsupported, objective.Kind);
        Assert.Throws<InputFormatException>(() => XgboostImport.FromJson("{\"learner\": 3"));
        Assert.Throws<InputFormatException>(() => XgboostImport.FromJson("{\"learner\": {}}"));
        Assert.Throws<FileNotFoundException>(() => XgboostImport.FromJson(xgb.Dir.File("missing.json")));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void TreeShapEqualsXgboostPredContribs(string name)
    {
        var model = XgboostImport.FromJson(xgb.ModelPath(name));
        double[] rows = xgb.Rows(name), contribs = xgb.Array(name, "contribs");
        var shap = new TreeShap(model).ExplainRows(rows);
        int w = shap.Width;
        Assert.Equal(contribs.Length, shap.Values.Length);
        double worst = 0;
        for (int k = 0; k < contribs.Length; k++) worst = Math.Max(worst, Math.Abs(shap.Values[k] - contribs[k]));
        Assert.True(worst <= 1e-5, $"{name}: largest difference from xgboost's pred_contribs {worst:E2}");
        // efficiency on our double-precision trees: features + bias = margin
        for (int i = 0; i < shap.Rows; i++)
        {
            double sum = 0;
            foreach (double v in shap.Row(i)) sum += v;
            double margin = model.Margin(rows.AsSpan(i * model.FeatureNames.Count, model.FeatureNames.Count));
            Assert.True(Math.Abs(sum - margin) <= 1e-9, $"{name} row {i}: sum of contributions {sum:R} vs margin {margin:R}");
            Assert.Equal(shap.Bias(0), shap.Bias(i));
        }
    }

    [Fact]
    public void MeanAbsoluteShapOfSeveralModelsIsTheMeanOfXgboostsPredContribs()
    {
        // the logistic and dart models share the 8 named features; both explain the 500 training rows (the first of their evaluation rows)
        string[] names = ["logistic", "dart"];
        var models = names.Select(n => XgboostImport.FromJson(xgb.ModelPath(n))).ToList();
        var ours = Importance.MeanAbsoluteShap(models, xgb.TrainingRows, threads: 2);
        int f = XgboostReference.Features, w = f + 1, n = xgb.TrainingRows.Length / f;
        Assert.Equal(500, n);
        for (int k = 0; k < f; k++)
        {
            double expected = names.Average(name => { var c = xgb.Array(name, "contribs"); return Enumerable.Range(0, n).Average(i => Math.Abs(c[i * w + k])); });
            Assert.True(Math.Abs(ours[k] - expected) <= 1e-5, $"feature {k}: mean |SHAP| {ours[k]:R} vs xgboost's {expected:R}");
        }
        // models of other features (the regression model's are f0 ... f7) are not averaged together
        Assert.Throws<ArgumentException>(() => Importance.MeanAbsoluteShap([models[0], XgboostImport.FromJson(xgb.ModelPath("regression"))], xgb.TrainingRows));
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void GainImportanceEqualsXgboostsScores(string name)
    {
        var gain = Importance.Gain(XgboostImport.FromJson(xgb.ModelPath(name)));
        double[] total = xgb.Array(name, "total_gain"), splits = xgb.Array(name, "splits");
        for (int f = 0; f < total.Length; f++)
        {
            Assert.Equal(splits[f], gain.Splits[f]);
            Assert.True(Math.Abs(gain.Total[f] - total[f]) <= 1e-5 * Math.Max(1, total[f]), $"{name} feature {f}: {gain.Total[f]} vs {total[f]}");
            Assert.Equal(splits[f] > 0 ? gain.Total[f] / splits[f] : 0, gain.Average[f], 1e-12);
        }
        Assert.Equal(1, gain.Share.Sum(), 1e-12);
    }

    [Fact]
    public void CorrelationEqualsNumpyWithPairwiseDeletion()
    {
        var r = Importance.Correlation(xgb.TrainingRows, XgboostReference.Features);
        var numpy = xgb.Out.GetProperty("corr").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int i = 0; i < 8; i++)
            for (int j = 0; j < 8; j++)
                Assert.True(Math.Abs(r[i, j] - numpy[i * 8 + j]) <= 1e-12, $"r[{i},{j}] = {r[i, j]:R} vs numpy {numpy[i * 8 + j]:R}");
        Assert.True(r[0, 5] > 0.9); // the constructed pair
    }
}

public sealed class TreeShapTests
{
    /// <summary>Element-wise |a − b| ≤ eps for Assert.Equal on arrays.</summary>
    private sealed class Tolerance(double eps) : IEqualityComparer<double>
    {
        public bool Equals(double a, double b) => Math.Abs(a - b) <= eps;
        public int GetHashCode(double v) => 0;
    }

    /// <summary>
    /// Root: x0 &lt; 0.5 (cover 10). Left (cover 6): x1 &lt; 0.5 → leaf 1 (cover 2) | leaf 3 (cover 4).
    /// Right (cover 4): x1 &lt; 0.5 → leaf 5 (cover 1) | leaf 9 (cover 3). Base margin 0.25.
    /// </summary>
    private static TreeEnsemble HandTree() => new(Objective.SquaredError, 0.25, [new DecisionTree(
        feature: [0, 1, 1, 0, 0, 0, 0], threshold: [0.5, 0.5, 0.5, 0, 0, 0, 0],
        left: [1, 3, 5, -1, -1, -1, -1], right: [2, 4, 6, -1, -1, -1, -1], defaultLeft: [true, false, false, false, false, false, false],
        value: [0, 0, 0, 1, 3, 5, 9], cover: [10, 6, 4, 2, 4, 1, 3], gain: [7, 2, 1, 0, 0, 0, 0])], ["x0", "x1"]);

    [Fact]
    public void HandCheckedTwoFeatureTree()
    {
        // E = 0.6 (2/6·1 + 4/6·3) + 0.4 (1/4·5 + 3/4·9) = 1.4 + 3.2 = 4.6. For x = (0.7, 0.2), the leaf is 5:
        // v{} = 4.6, v{0} = 1/4·5 + 3/4·9 = 8, v{1} = 0.6·1 + 0.4·5 = 2.6, v{0,1} = 5.
        // phi0 = ½(8 − 4.6) + ½(5 − 2.6) = 2.9, phi1 = ½(2.6 − 4.6) + ½(5 − 8) = −2.5; 2.9 − 2.5 + 4.6 = 5.
        var shap = new TreeShap(HandTree());
        Assert.Equal(4.85, shap.ExpectedValue, 1e-12);
        var phi = shap.Explain([0.7, 0.2]);
        Assert.Equal(2.9, phi[0], 1e-12);
        Assert.Equal(-2.5, phi[1], 1e-12);
        Assert.Equal(4.85, phi[2], 1e-12);
        // x0 missing goes left by default: leaf 1. v{0} = 2/6·1 + 4/6·3 = 7/3, v{1} = 2.6, v{0,1} = 1.
        phi = shap.Explain([double.NaN, 0.2]);
        Assert.Equal(0.5 * (7.0 / 3 - 4.6) + 0.5 * (1 - 2.6), phi[0], 1e-12);
        Assert.Equal(0.5 * (2.6 - 4.6) + 0.5 * (1 - 7.0 / 3), phi[1], 1e-12);
        Assert.Equal(phi, BruteForce(HandTree(), [double.NaN, 0.2]), new Tolerance(1e-12));
    }

    [Fact]
    public void RandomTreesWithRepeatedFeaturesEqualBruteForceShapley()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 40; trial++)
        {
            int nf = 1 + rng.Next(5);
            var trees = Enumerable.Range(0, 1 + rng.Next(3)).Select(_ => RandomTree(rng, nf, 1 + rng.Next(5), zeroCovers: trial % 3 == 0)).ToList();
            var model = new TreeEnsemble(Objective.BinaryLogistic, rng.NextDouble() - 0.5, trees, [.. Enumerable.Range(0, nf).Select(k => "x" + k)]);
            var shap = new TreeShap(model);
            for (int r = 0; r < 10; r++)
            {
                var x = Enumerable.Range(0, nf).Select(_ => rng.NextDouble() < 0.15 ? double.NaN : Math.Round(rng.NextDouble(), 1)).ToArray();
                var phi = shap.Explain(x);
                var expected = BruteForce(model, x);
                for (int f = 0; f <= nf; f++)
                    Assert.True(Math.Abs(phi[f] - expected[f]) <= 1e-12, $"trial {trial} row {r} feature {f}: {phi[f]:R} vs brute force {expected[f]:R}");
                Assert.True(Math.Abs(phi.Sum() - model.Margin(x)) <= 1e-12);
            }
        }
    }

    [Fact]
    public void ParallelRowsEqualSingleRowsAndMeanAbsolute()
    {
        var rng = new Random(3);
        int nf = 6, n = 257;
        var model = new TreeEnsemble(Objective.SquaredError, 0.1, [.. Enumerable.Range(0, 30).Select(_ => RandomTree(rng, nf, 4, false))],
            [.. Enumerable.Range(0, nf).Select(k => "x" + k)]);
        var rows = Enumerable.Range(0, n * nf).Select(_ => rng.NextDouble()).ToArray();
        var shap = new TreeShap(model) { ChunkSize = 16 };
        var all = shap.ExplainRows(rows);
        Assert.Equal(n, all.Rows);
        var mean = new double[nf];
        for (int i = 0; i < n; i++)
        {
            var one = shap.Explain(rows.AsSpan(i * nf, nf));
            Assert.True(all.Row(i).SequenceEqual(one));
            for (int f = 0; f < nf; f++) mean[f] += Math.Abs(one[f]) / n;
        }
        Assert.Equal(mean, all.MeanAbsolute(), new Tolerance(1e-12));
        Assert.Throws<ArgumentException>(() => shap.ExplainRows(new double[nf + 1]));
        Assert.Throws<ArgumentException>(() => shap.Explain(new double[nf + 1]));
    }

    [Fact]
    public void FeatureTableColumnsAreMatchedByName()
    {
        var model = HandTree();
        var table = new Softspot.Descriptors.FeatureTable([new("other", ""), new("x1", ""), new("x0", "")], 1, [42, 0.2, 0.7]);
        var shap = new TreeShap(model).ExplainRows(table);
        Assert.Equal(2.9, shap[0, 0], 1e-12);
        Assert.Equal(-2.5, shap[0, 1], 1e-12);
    }

    /// <summary>A random tree on nf features (repeats likely) with random covers that add up, some zero when asked.</summary>
    internal static DecisionTree RandomTree(Random rng, int nf, int depth, bool zeroCovers)
    {
        var feature = new List<int>(); var threshold = new List<double>(); var left = new List<int>(); var right = new List<int>();
        var defaultLeft = new List<bool>(); var value = new List<double>(); var cover = new List<double>(); var gain = new List<double>();
        int Add(double c, int d)
        {
            int k = feature.Count;
            feature.Add(0); threshold.Add(0); left.Add(-1); right.Add(-1); defaultLeft.Add(false); value.Add(0); cover.Add(c); gain.Add(0);
            if (d < depth && rng.NextDouble() < 0.85)
            {
                feature[k] = rng.Next(nf);
                threshold[k] = Math.Round(rng.NextDouble(), 1);
                defaultLeft[k] = rng.Next(2) == 0;
                gain[k] = rng.NextDouble();
                double share = zeroCovers && rng.NextDouble() < 0.2 ? rng.Next(2) : rng.NextDouble();
                int l = Add(c * share, d + 1);
                int r = Add(c * (1 - share), d + 1);
                left[k] = l; right[k] = r;
            }
            else value[k] = rng.NextDouble() * 2 - 1;
            return k;
        }
        Add(1 + rng.NextDouble() * 10, 0);
        return new DecisionTree([.. feature], [.. threshold], [.. left], [.. right], [.. defaultLeft], [.. value], [.. cover], [.. gain]);
    }

    /// <summary>
    /// Shapley values by enumeration over feature subsets S of the game v(S) = BaseMargin + Σ_trees E(root, S), where
    /// E(node, S) follows x at a split on a feature in S (NaN: the default branch) and otherwise averages the children
    /// weighted by cover(child) / cover(node) (0 when the node's cover is 0). The last entry is v(∅).
    /// </summary>
    internal static double[] BruteForce(TreeEnsemble model, double[] x)
    {
        int m = x.Length;
        double V(int set)
        {
            double total = model.BaseMargin;
            foreach (var t in model.Trees) total += E(t, 0, set);
            return total;
        }
        double E(DecisionTree t, int k, int set)
        {
            if (t.Left[k] < 0) return t.Value[k];
            int f = t.Feature[k];
            if ((set >> f & 1) == 1)
                return E(t, double.IsNaN(x[f]) ? (t.DefaultLeft[k] ? t.Left[k] : t.Right[k]) : x[f] < t.Threshold[k] ? t.Left[k] : t.Right[k], set);
            double c = t.Cover[k];
            return c > 0 ? t.Cover[t.Left[k]] / c * E(t, t.Left[k], set) + t.Cover[t.Right[k]] / c * E(t, t.Right[k], set) : 0;
        }
        var fact = new double[m + 1];
        fact[0] = 1;
        for (int i = 1; i <= m; i++) fact[i] = fact[i - 1] * i;
        var phi = new double[m + 1];
        for (int i = 0; i < m; i++)
            for (int set = 0; set < 1 << m; set++)
            {
                if ((set >> i & 1) == 1) continue;
                int size = System.Numerics.BitOperations.PopCount((uint)set);
                phi[i] += fact[size] * fact[m - size - 1] / fact[m] * (V(set | 1 << i) - V(set));
            }
        phi[m] = V(0);
        return phi;
    }
}

public sealed class ImportanceTests
{
    private static DecisionTree Stump(int feature, double gain, double left, double right) =>
        new([feature, 0, 0], [0.5, 0, 0], [1, -1, -1], [2, -1, -1], [false, false, false], [0, left, right], [2, 1, 1], [gain, 0, 0]);

    [Fact]
    public void GainImportanceIsAveragedOverModels()
    {
        string[] names = ["a", "b", "c"];
        // model 1: a splits twice (gains 4, 2), b once (6): totals 6, 6, 0; averages 3, 6, 0; shares ½, ½, 0
        var m1 = new TreeEnsemble(Objective.BinaryLogistic, 0, [Stump(0, 4, 1, -1), Stump(0, 2, 1, -1), Stump(1, 6, 1, -1)], names);
        // model 2: c once (gain 3), a once (1): totals 1, 0, 3; averages 1, 0, 3; shares ¼, 0, ¾
        var m2 = new TreeEnsemble(Objective.BinaryLogistic, 0, [Stump(2, 3, 1, -1), Stump(0, 1, 1, -1)], names);
        var g = Importance.Gain([m1, m2]);
        Assert.Equal(2, g.Models);
        Assert.Equal([3.5, 3, 1.5], g.Total);
        Assert.Equal([2, 3, 1.5], g.Average);
        Assert.Equal([0.375, 0.25, 0.375], g.Share);
        Assert.Equal([1.5, 0.5, 0.5], g.Splits);
        Assert.Equal([0, 1, 2], GainImportance.Ranking(g.Total));
        Assert.Equal([1, 0, 2], GainImportance.Ranking(g.Average));
        Assert.Equal([1, 2, 0, 3], GainImportance.Ranking([1, 2, 2, double.NaN])); // ties keep the feature order, NaN last
        var other = new TreeEnsemble(Objective.BinaryLogistic, 0, [Stump(0, 1, 1, -1)], ["a", "c", "b"]);
        Assert.Throws<ArgumentException>(() => Importance.Gain([m1, other]));
    }

    [Fact]
    public void PermutationImportanceFindsTheOnlyUsedColumnAndIsSeeded()
    {
        var rng = new Random(5);
        int n = 2000, nf = 3;
        var rows = new double[n * nf];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            for (int f = 0; f < nf; f++) rows[i * nf + f] = rng.NextDouble();
            y[i] = rows[i * nf];
        }
        var copy = (double[])rows.Clone();
        // score = −MSE of the "model" x0 against y = x0: 0 at baseline; shuffling x0 costs about 2 var(x0) = 1/6
        double Score(double[] m) { double s = 0; for (int i = 0; i < n; i++) s += (m[i * nf] - y[i]) * (m[i * nf] - y[i]); return -s / n; }
        var p = Importance.Permutation(rows, nf, Score, repeats: 4, seed: 9);
        Assert.Equal(copy, rows); // the input is not touched
        Assert.Equal(0, p.Baseline);
        Assert.Equal(1.0 / 6, p.Mean[0], 0.02);
        Assert.True(p.Std[0] > 0);
        Assert.Equal(0, p.Mean[1]); Assert.Equal(0, p.Mean[2]);
        Assert.Equal(4, p.Drops[0].Length);
        var again = Importance.Permutation(rows, nf, Score, repeats: 4, seed: 9);
        Assert.Equal(p.Drops[0], again.Drops[0]);
        var otherSeed = Importance.Permutation(rows, nf, Score, repeats: 4, seed: 10);
        Assert.NotEqual(p.Drops[0], otherSeed.Drops[0]);
    }

    [Fact]
    public void CorrelationOfExactRelationsAndDegenerateColumns()
    {
        // columns: a, 2a + 1, −3a, constant, a with a missing value, b (independent-ish)
        double[] a = [1, 2, 4, 7, 11, 3];
        double[] b = [5, -1, 2, 2, 0, 9];
        int n = a.Length, nf = 6;
        var rows = new double[n * nf];
        for (int i = 0; i < n; i++)
        {
            rows[i * nf + 0] = a[i]; rows[i * nf + 1] = 2 * a[i] + 1; rows[i * nf + 2] = -3 * a[i];
            rows[i * nf + 3] = 4; rows[i * nf + 4] = i == 2 ? double.NaN : a[i]; rows[i * nf + 5] = b[i];
        }
        var r = Importance.Correlation(rows, nf);
        Assert.Equal(1, r[0, 1], 1e-14);
        Assert.Equal(-1, r[0, 2], 1e-14);
        Assert.Equal(1, r[0, 4], 1e-14);
        Assert.True(double.IsNaN(r[0, 3]));
        Assert.Equal(1, r[3, 3]);
        // b against a, textbook formula
        double ma = a.Average(), mb = b.Average();
        double expected = a.Zip(b).Sum(p => (p.First - ma) * (p.Second - mb)) / Math.Sqrt(a.Sum(v => (v - ma) * (v - ma)) * b.Sum(v => (v - mb) * (v - mb)));
        Assert.Equal(expected, r[0, 5], 1e-14);
        // pairwise deletion: column 4 against b drops row 2
        double[] a4 = [.. a.Where((_, i) => i != 2)], b4 = [.. b.Where((_, i) => i != 2)];
        double m4 = a4.Average(), mb4 = b4.Average();
        double e4 = a4.Zip(b4).Sum(p => (p.First - m4) * (p.Second - mb4)) / Math.Sqrt(a4.Sum(v => (v - m4) * (v - m4)) * b4.Sum(v => (v - mb4) * (v - mb4)));
        Assert.Equal(e4, r[4, 5], 1e-14);
        Assert.Equal(r[5, 4], r[4, 5]);
    }

    [Fact]
    public void ReductionDropsTheLessImportantOfACorrelatedPairThenKeepsTheTopN()
    {
        var rng = new Random(2);
        int n = 400;
        string[] names = ["a", "b", "c", "d", "e"];
        var rows = new double[n * 5];
        for (int i = 0; i < n; i++)
        {
            double a = rng.NextDouble(), c = rng.NextDouble();
            rows[i * 5 + 0] = a;
            rows[i * 5 + 1] = 3 * a - 2;                          // b: perfectly correlated with a
            rows[i * 5 + 2] = c;
            rows[i * 5 + 3] = c + 0.1 * (rng.NextDouble() - 0.5);  // d: r ≈ 0.995 with c
            rows[i * 5 + 4] = rng.NextDouble();                   // e: independent
        }
        var r = Importance.Correlation(rows, 5);
        Assert.Equal(1, r[0, 1], 1e-12);
        Assert.True(r[2, 3] > 0.95 && Math.Abs(r[2, 4]) < 0.2);
        double[] importance = [0.3, 0.5, 0.2, 0.1, 0.05];
        var red = Importance.Reduce(names, importance, r);
        Assert.Equal(["b", "c", "e"], red.Kept);
        Assert.Equal(["a", "d"], red.Correlated.Select(d => d.Feature));
        Assert.Equal(["b", "c"], red.Correlated.Select(d => d.KeptFeature));
        Assert.Empty(red.BeyondTop);
        // a more important than b: b goes instead
        Assert.Equal(["a", "c", "e"], Importance.Reduce(names, [0.5, 0.3, 0.2, 0.1, 0.05], r).Kept);
        // top 2: once two are kept the rest are not examined
        var two = Importance.Reduce(names, importance, r, top: 2);
        Assert.Equal(["b", "c"], two.Kept);
        Assert.Equal(["a"], two.Correlated.Select(d => d.Feature));
        Assert.Equal(["d", "e"], two.BeyondTop);
        // at 0.999 only the exact pair goes; c and d (r ≈ 0.995) both stay
        Assert.Equal(["b", "c", "d", "e"], Importance.Reduce(names, importance, r, threshold: 0.999).Kept);
        Assert.Throws<ArgumentOutOfRangeException>(() => Importance.Reduce(names, importance, r, threshold: 0));
    }
}
