using System.Globalization;
using System.Text;
using System.Text.Json;
using Softspot.Learning;
using Softspot.Tests.Support;

namespace Softspot.Tests.Learning;

/// <summary>
/// Seeded random scores and labels with many ties (rounded scores, and scores with only five distinct values),
/// random sample weights (some zero), and tied regression targets and predictions; scikit-learn (Debian's
/// python3-sklearn) and scipy score them once for the whole class.
/// </summary>
public sealed class SklearnReference
{
    public const int N = 1000;
    public int[] Labels { get; } = new int[N];
    public double[] Weights { get; } = new double[N];
    /// <summary>Scenario "a": scores rounded to 0.01 (ties, some exactly 0.5); "b": five distinct scores only.</summary>
    public Dictionary<string, double[]> Scores { get; } = new() { ["a"] = new double[N], ["b"] = new double[N] };
    public double[] Targets { get; } = new double[N];
    public double[] Predictions { get; } = new double[N];
    public JsonElement Reference { get; }

    public SklearnReference()
    {
        var rng = new Random(20240611);
        double Gauss() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        for (int i = 0; i < N; i++)
        {
            Labels[i] = rng.NextDouble() < 0.3 ? 1 : 0;
            Scores["a"][i] = Math.Round(0.35 + 0.25 * Labels[i] + 0.2 * Gauss(), 2);
            Scores["b"][i] = Math.Clamp(Math.Round(2 + Labels[i] + 1.2 * Gauss()), 0, 4) / 4; // 0, .25, .5, .75, 1
            Weights[i] = i % 17 == 0 ? 0 : Math.Round(2 * rng.NextDouble(), 3);
            Targets[i] = Math.Round(Gauss(), 1);
            Predictions[i] = Math.Round(0.7 * Targets[i] + 0.5 * Gauss(), 1);
        }
        string python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : ExternalTool.Require("python3", "python3-sklearn");
        using var dir = new TempDir();
        var sb = new StringBuilder();
        for (int i = 0; i < N; i++)
            sb.Append(string.Create(CultureInfo.InvariantCulture,
                $"{Labels[i]} {Weights[i]:R} {Scores["a"][i]:R} {Scores["b"][i]:R} {Targets[i]:R} {Predictions[i]:R}\n"));
        File.WriteAllText(dir.File("data.txt"), sb.ToString());
        File.WriteAllText(dir.File("reference.py"), Script);
        Reference = JsonDocument.Parse(ExternalTool.Run(python, [dir.File("reference.py"), dir.File("data.txt")], dir.Path)).RootElement.Clone();
    }

    public double Value(string key) => Reference.GetProperty(key).GetDouble();
    public double[] Array(string key) => Reference.GetProperty(key).EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private const string Script = """
import sys, json
import numpy as np
from sklearn import metrics as M
from scipy import stats

d = np.loadtxt(sys.argv[1])
y, w = d[:, 0].astype(int), d[:, 1]
t, p = d[:, 4], d[:, 5]
out = {}
for name, col in (("a", 2), ("b", 3)):
    s = d[:, col]
    pred = (s > 0.5).astype(int)
    for tag, sw in (("", None), ("w_", w)):
        k = name + "_" + tag
        out[k + "auc"] = M.roc_auc_score(y, s, sample_weight=sw)
        out[k + "ap"] = M.average_precision_score(y, s, sample_weight=sw)
        out[k + "mcc"] = M.matthews_corrcoef(y, pred, sample_weight=sw)
        out[k + "f1"] = M.f1_score(y, pred, sample_weight=sw)
        out[k + "acc"] = M.accuracy_score(y, pred, sample_weight=sw)
        out[k + "precision"] = M.precision_score(y, pred, sample_weight=sw)
        out[k + "recall"] = M.recall_score(y, pred, sample_weight=sw)
        for drop in (True, False):
            fpr, tpr, th = M.roc_curve(y, s, sample_weight=sw, drop_intermediate=drop)
            r = k + "roc" + ("_drop" if drop else "_all")
            out[r + "_fpr"], out[r + "_tpr"], out[r + "_thr"] = fpr.tolist(), tpr.tolist(), th.tolist()
        pr, rc, th = M.precision_recall_curve(y, s, sample_weight=sw)
        out[k + "pr_p"], out[k + "pr_r"], out[k + "pr_thr"] = pr.tolist(), rc.tolist(), th.tolist()
out["r2"] = M.r2_score(t, p)
out["w_r2"] = M.r2_score(t, p, sample_weight=w)
out["pearson"] = float(stats.pearsonr(t, p)[0])
out["spearman"] = float(stats.spearmanr(t, p)[0])
out["rmse"] = float(np.sqrt(M.mean_squared_error(t, p)))
out["w_rmse"] = float(np.sqrt(M.mean_squared_error(t, p, sample_weight=w)))
out["mae"] = M.mean_absolute_error(t, p)
out["w_mae"] = M.mean_absolute_error(t, p, sample_weight=w)
out["ranks_t"] = stats.rankdata(t).tolist()
print(json.dumps(out))
""";
}

public class MetricsTests(SklearnReference sk) : IClassFixture<SklearnReference>
{
    private const double Tol = 1e-12;

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tol, $"{what}: ours {actual:R}, scikit-learn {expected:R}");

    private static void Close(double[] expected, double[] actual, string what)
    {
        Assert.True(expected.Length == actual.Length, $"{what}: {actual.Length} points, scikit-learn {expected.Length}");
        for (int i = 0; i < expected.Length; i++) Close(expected[i], actual[i], $"{what}[{i}]");
    }

    public static TheoryData<string, bool> Scenarios => new() { { "a", false }, { "a", true }, { "b", false }, { "b", true } };

    private ReadOnlySpan<double> W(bool weighted) => weighted ? sk.Weights : default;

    [Theory, MemberData(nameof(Scenarios))]
    public void RankingMetricsMatchScikitLearn(string scenario, bool weighted)
    {
        string k = scenario + "_" + (weighted ? "w_" : "");
        var s = sk.Scores[scenario];
        Close(sk.Value(k + "auc"), Metrics.RocAuc(s, sk.Labels, W(weighted)), k + "roc_auc_score");
        Close(sk.Value(k + "ap"), Metrics.AveragePrecision(s, sk.Labels, W(weighted)), k + "average_precision_score");
    }

    [Theory, MemberData(nameof(Scenarios))]
    public void ThresholdMetricsMatchScikitLearn(string scenario, bool weighted)
    {
        string k = scenario + "_" + (weighted ? "w_" : "");
        var s = sk.Scores[scenario];
        Assert.Contains(0.5, s); // the strict "> 0.5" rule is exercised
        Close(sk.Value(k + "mcc"), Metrics.Mcc(s, sk.Labels, weights: W(weighted)), k + "matthews_corrcoef");
        Close(sk.Value(k + "f1"), Metrics.F1(s, sk.Labels, weights: W(weighted)), k + "f1_score");
        Close(sk.Value(k + "acc"), Metrics.Accuracy(s, sk.Labels, weights: W(weighted)), k + "accuracy_score");
        Close(sk.Value(k + "precision"), Metrics.Precision(s, sk.Labels, weights: W(weighted)), k + "precision_score");
        Close(sk.Value(k + "recall"), Metrics.Recall(s, sk.Labels, weights: W(weighted)), k + "recall_score");
    }

    [Theory, MemberData(nameof(Scenarios))]
    public void CurvesMatchScikitLearn(string scenario, bool weighted)
    {
        string k = scenario + "_" + (weighted ? "w_" : "");
        var s = sk.Scores[scenario];
        foreach (bool drop in new[] { true, false })
        {
            string r = k + "roc" + (drop ? "_drop" : "_all");
            var (fpr, tpr, thr) = Metrics.RocCurve(s, sk.Labels, W(weighted), drop);
            Close(sk.Array(r + "_fpr"), fpr, r + " fpr");
            Close(sk.Array(r + "_tpr"), tpr, r + " tpr");
            Assert.Equal(double.PositiveInfinity, thr[0]); // scikit-learn 1.2 writes max + 1 there
            Assert.Equal(sk.Array(r + "_thr")[1..], thr[1..]);
        }
        var (p, rc, t) = Metrics.PrecisionRecallCurve(s, sk.Labels, W(weighted));
        Close(sk.Array(k + "pr_p"), p, k + "precision_recall_curve precision");
        Close(sk.Array(k + "pr_r"), rc, k + "precision_recall_curve recall");
        Assert.Equal(sk.Array(k + "pr_thr"), t);
    }

    [Fact]
    public void RegressionMetricsMatchScikitLearnAndScipy()
    {
        Close(sk.Value("r2"), Metrics.R2(sk.Targets, sk.Predictions), "r2_score");
        Close(sk.Value("w_r2"), Metrics.R2(sk.Targets, sk.Predictions, sk.Weights), "weighted r2_score");
        Close(sk.Value("pearson"), Metrics.Pearson(sk.Targets, sk.Predictions), "pearsonr");
        Close(sk.Value("spearman"), Metrics.Spearman(sk.Targets, sk.Predictions), "spearmanr");
        Close(sk.Value("rmse"), Metrics.Rmse(sk.Targets, sk.Predictions), "RMSE");
        Close(sk.Value("w_rmse"), Metrics.Rmse(sk.Targets, sk.Predictions, sk.Weights), "weighted RMSE");
        Close(sk.Value("mae"), Metrics.Mae(sk.Targets, sk.Predictions), "mean_absolute_error");
        Close(sk.Value("w_mae"), Metrics.Mae(sk.Targets, sk.Predictions, sk.Weights), "weighted mean_absolute_error");
        Assert.Equal(sk.Array("ranks_t"), Metrics.AverageRanks(sk.Targets));
    }

    [Fact]
    public void RocAucIsTheTieCorrectedPairCount()
    {
        // brute force over all (positive, negative) pairs, ties one half, on the tied scenario "b"
        var s = sk.Scores["b"];
        double wins = 0, pairs = 0;
        for (int i = 0; i < s.Length; i++)
            if (sk.Labels[i] == 1)
                for (int j = 0; j < s.Length; j++)
                    if (sk.Labels[j] == 0) { pairs++; wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0; }
        Assert.Equal(wins / pairs, Metrics.RocAuc(s, sk.Labels), 14);
    }

    [Fact]
    public void SmallHandWorkedCases()
    {
        // scikit-learn's documentation examples
        double[] s = [0.1, 0.4, 0.35, 0.8];
        int[] y = [0, 0, 1, 1];
        Assert.Equal(0.75, Metrics.RocAuc(s, y), 15);
        Assert.Equal(0.8333333333333333, Metrics.AveragePrecision(s, y), 15);
        var (p, r, t) = Metrics.PrecisionRecallCurve(s, y);
        Assert.Equal([0.5, 2 / 3.0, 0.5, 1, 1], p);
        Assert.Equal([1, 1, 0.5, 0.5, 0], r);
        Assert.Equal([0.1, 0.35, 0.4, 0.8], t);
        // all scores tied: AUC one half, AP the positive fraction
        Assert.Equal(0.5, Metrics.RocAuc([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 0]));
        Assert.Equal(0.25, Metrics.AveragePrecision([0.3, 0.3, 0.3, 0.3], [1, 0, 0, 0]));
        // a score of exactly 0.5 is a negative prediction; the threshold can move
        var c = Metrics.Confusion([0.5, 0.51, 0.2, 0.9], [1, 1, 0, 0]);
        Assert.Equal(new ConfusionCounts(1, 1, 1, 1), c);
        Assert.Equal(new ConfusionCounts(2, 1, 1, 0), Metrics.Confusion([0.5, 0.51, 0.2, 0.9], [1, 1, 0, 0], threshold: 0.3));
        // zero-division conventions: nothing predicted positive
        Assert.Equal(0, Metrics.Precision([0.1, 0.2], [1, 0]));
        Assert.Equal(0, Metrics.F1([0.1, 0.2], [1, 0]));
        Assert.Equal(0, Metrics.Mcc([0.1, 0.2], [1, 0]));
        Assert.Equal(1, Metrics.Mcc([0.9, 0.2], [1, 0]));
        Assert.Equal(-1, Metrics.Mcc([0.2, 0.9], [1, 0]));
        // Spearman with ties = Pearson of average ranks; a monotone map gives 1
        Assert.Equal(1, Metrics.Spearman([1, 2, 2, 3], [10, 20, 20, 300]), 15);
        Assert.Equal([1, 2.5, 2.5, 4], Metrics.AverageRanks([1, 2, 2, 3]));
        Assert.Equal(1, Metrics.R2([1, 2, 3], [1, 2, 3]));
        Assert.Equal(0, Metrics.R2([1, 2, 3], [2, 2, 2]), 15);
    }

    [Fact]
    public void UndefinedOrInvalidInputIsAClearError()
    {
        Assert.Contains("one class", Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9], [1, 1])).Message);
        Assert.Contains("one class", Assert.Throws<ArgumentException>(() => Metrics.AveragePrecision([0.1, 0.9], [0, 0])).Message);
        Assert.Throws<ArgumentException>(() => Metrics.RocCurve([0.1, 0.9], [0, 0]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([], []));
        Assert.Throws<ArgumentException>(() => Metrics.F1([], []));
        Assert.Throws<ArgumentException>(() => Metrics.R2([], []));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9], [0, 1, 1]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9], [0, 2]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, double.NaN], [0, 1]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9], [0, 1], [1, -1]));
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9], [0, 1], [0, 0]));
        // a class present only with zero weight is missing
        Assert.Throws<ArgumentException>(() => Metrics.RocAuc([0.1, 0.9, 0.5], [0, 1, 1], [1, 0, 0]));
        // constant input: correlations are NaN (scipy), not an exception
        Assert.True(double.IsNaN(Metrics.Pearson([1, 1, 1], [1, 2, 3])));
        Assert.True(double.IsNaN(Metrics.Spearman([1, 2, 3], [4, 4, 4])));
    }
}
