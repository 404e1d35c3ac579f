using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>The training report renders in a real browser (Debian's headless Chromium).</summary>
public class ReportRenderingTests
{
    [Fact]
    public void ReportRendersInHeadlessChromium()
    {
        using var dir = new TempDir();
        string features = dir.File("f.csv"), labels = dir.File("l.csv"), model = dir.File("m");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "voronoi-index", "--out", features).Code);
        File.WriteAllLines(labels, ["frame,id,y", .. Enumerable.Range(1, 500).Select(i => $"0,{i},{(i % 10 == 0 ? 1 : 0)}")]);
        Assert.Equal(0, CliRunner.Run("train", "--features", features, "--labels", labels, "--target", "y", "--out", model, "--trees", "20", "--reduce", "3").Code);
        string report = Path.Combine(model, "report.html"), png = dir.File("report.png");
        // the DOM the browser built: every figure parsed as SVG
        string dom = Chromium.DumpDom(report, dir);
        Assert.Contains("<svg", dom);
        // ROC, precision-recall, softness histogram, three importance charts, SHAP beeswarm, correlation heatmap
        Assert.Equal(8, System.Text.RegularExpressions.Regex.Matches(dom, "<svg ").Count);
        Assert.Contains("aria-label=\"SHAP summary\"", dom);
        Assert.Contains("aria-label=\"correlation heatmap\"", dom);
        Assert.Contains("ROC-AUC", dom);
        // the class histogram shows held-out predictions, not the final model's in-sample scores
        Assert.Contains("softness by class (test folds)", dom);
        // and a screenshot with content
        Chromium.Screenshot(report, png, "1100,1600", dir);
        var bytes = File.ReadAllBytes(png);
        Assert.True(bytes.Length > 20_000, $"screenshot of {bytes.Length} bytes");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }
}
