using System.Text.RegularExpressions;
using Softspot.Reporting;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Reporting;

/// <summary>The report's 3D softness view in headless Chromium: it draws every atom above the threshold, also at 100,000 atoms.</summary>
public class SoftnessViewerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_hundred_thousand_atoms_are_drawn_in_well_under_a_second()
    {
        var glass = StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Cu,Zr"));
        var big = glass.Replicate(6, 6, 6);
        var softness = Enumerable.Range(0, big.Count).Select(i => (i * 7919 % 1000) / 1000.0).ToArray();
        using var dir = new TempDir();
        string html = dir.File("view.html");
        File.WriteAllText(html, "<!DOCTYPE html><html><body>" + SoftnessViewer.Figure(new SoftnessView("replica", "test", big, softness, null, null, "CuZr_500.dump"), "v", "test")
            + SoftnessViewer.Script() + "</body></html>");
        string dom = Chromium.DumpDom(html, dir);
        var m = Regex.Match(dom, "data-drawn=\"(\\d+)\" data-ms=\"(\\d+)\"");
        Assert.True(m.Success, "the view did not draw");
        Assert.Equal(big.Count, int.Parse(m.Groups[1].Value));
        int ms = int.Parse(m.Groups[2].Value);
        output.WriteLine($"{big.Count} atoms drawn in {ms} ms");
        Assert.True(ms < 3000, $"{ms} ms to draw {big.Count} atoms");
        string png = dir.File("view.png");
        Chromium.Screenshot(html, png, "700,760", dir);
        Assert.True(new FileInfo(png).Length > 20_000, "blank view");
    }
}
