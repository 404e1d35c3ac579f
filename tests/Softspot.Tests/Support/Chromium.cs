namespace Softspot.Tests.Support;

/// <summary>Debian's headless Chromium, for the tests that render Softspot's HTML reports in a real browser.</summary>
public static class Chromium
{
    private static string[] Common(TempDir dir) =>
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", $"--user-data-dir={dir.File("profile")}",
    ];

    /// <summary>The DOM the browser built from an HTML file (inline SVG parsed as SVG).</summary>
    public static string DumpDom(string html, TempDir dir) =>
        ExternalTool.Run(ExternalTool.Require("chromium", "chromium"), [.. Common(dir), "--dump-dom", "file://" + html], dir.Path, timeoutSeconds: 120);

    /// <summary>Renders an HTML file to a PNG screenshot of the given window size.</summary>
    public static void Screenshot(string html, string png, string windowSize, TempDir dir) =>
        ExternalTool.Run(ExternalTool.Require("chromium", "chromium"), [.. Common(dir), $"--window-size={windowSize}", $"--screenshot={png}", "file://" + html], dir.Path, timeoutSeconds: 120);
}
