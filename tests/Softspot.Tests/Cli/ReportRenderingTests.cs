using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>The training report renders in a real browser (Debian's headless Chromium) and shows metrics.json's numbers.</summary>
public class ReportRenderingTests
{
    private static string R(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Fact]
    public void ReportRendersInHeadlessChromium()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv"), model = dir.File("m");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "voronoi-index", "--out", features).Code);
        File.WriteAllLines(labels, ["frame,id,y", .. Enumerable.Range(1, 500).Select(i => $"0,{i},{(i % 10 == 0 ? 1 : 0)}")]);
        Assert.Equal(0, CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "y", "--out", model, "--trees", "20", "--reduce", "3").Code);
        string report = Path.Combine(model, "report.html"), png = dir.File("report.png");
        var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "metrics.json"))).RootElement;
        string dom = Chromium.DumpDom(report, dir);
        int Count(string pattern) => Regex.Matches(dom, pattern).Count;
        string Figure(string id) => Regex.Match(dom, $"<figure id=\"{id}\">.*?</figure>").Value;

        // every figure, parsed as SVG, with labelled axes and a caption naming the file its numbers come from
        string[] figures = ["train-roc", "train-pr", "train-histogram", "train-gain", "train-shap", "train-permutation", "train-shap-summary", "train-correlation"];
        foreach (var id in figures) Assert.Matches($"<figure id=\"{id}\"><svg[^>]*>.*?</svg><figcaption>[^<]+From metrics.json[^<]*</figcaption></figure>|<figure id=\"{id}\"><svg[^>]*>.*?</svg><figcaption>[^<]+in metrics.json[^<]*</figcaption></figure>", dom);
        Assert.Equal(figures.Length, Count("<figure "));
        Assert.Equal(2 * 3 + 4 + 1, Count("class=\"axis-label\""));  // x and y of the curves and the histogram, x of the bars and the swarm, the colour bar

        // the curves: one per test fold (15 splits) and their average, which is results' ROC-AUC
        Assert.Equal(15, Count("<polyline class=\"roc-fold\""));
        Assert.Equal(15, Count("<polyline class=\"pr-fold\""));
        Assert.Contains($"<polyline class=\"roc-mean\" data-value=\"{R(metrics.GetProperty("roc_auc").GetProperty("mean").GetDouble())}\"", dom);
        Assert.Equal(metrics.GetProperty("roc_curve").GetProperty("fpr").GetArrayLength(), Regex.Match(Figure("train-roc"), "class=\"roc-mean\"[^>]*points=\"([^\"]*)\"").Groups[1].Value.Trim().Split(' ').Length);

        // the class histogram: held-out predictions (20 bins per class), each bar the share metrics.json records
        var hist = metrics.GetProperty("held_out_histogram");
        foreach (var (cls, key) in new[] { ("hist-positive", "positive"), ("hist-negative", "negative") })
        {
            var shown = Regex.Matches(dom, $"class=\"{cls}\" data-value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
            Assert.Equal(hist.GetProperty(key).EnumerateArray().Select(v => R(v.GetDouble())), shown);
            Assert.Equal(1.0, shown.Sum(v => double.Parse(v, CultureInfo.InvariantCulture)), 9);
        }
        // the 15 folds' balanced test rows: every positive once per subset (50 positives x 3 subsets)
        Assert.Equal(150, hist.GetProperty("positives").GetInt32());

        // importance bars: the top 20 of each importance in metrics.json
        var importance = metrics.GetProperty("importance").EnumerateArray().ToList();
        foreach (var (id, key) in new[] { ("train-gain", "gain"), ("train-shap", "mean_abs_shap"), ("train-permutation", "permutation") })
        {
            var expected = importance.Select(x => x.GetProperty(key).GetDouble()).OrderByDescending(v => v).Take(20).Select(R).OrderBy(v => v).ToList();
            var shown = Regex.Matches(Figure(id), "class=\"importance\" data-value=\"([^\"]+)\"").Select(m => m.Groups[1].Value).OrderBy(v => v).ToList();
            Assert.Equal(expected, shown);
        }
        // the SHAP summary: every atom (500 rows < the 600 sample) for each of the top 12 features
        Assert.Equal(500 * Math.Min(12, importance.Count), Count("<circle class=\"shap\""));
        // the reduced features' correlation, cell by cell
        var corr = metrics.GetProperty("reduced").GetProperty("correlation").EnumerateArray().SelectMany(row => row.EnumerateArray().Select(v => R(v.GetDouble()))).ToList();
        Assert.Equal(9, corr.Count);
        Assert.Equal(corr, Regex.Matches(dom, "class=\"correlation\" data-value=\"([^\"]+)\"").Select(m => m.Groups[1].Value));

        // and a screenshot with content
        Chromium.Screenshot(report, png, "1100,1600", dir);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"screenshot of {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }
}
