using System.Globalization;
using System.Net;
using System.Text;
using Softspot.Structures;

namespace Softspot.Reporting;

/// <summary>
/// A glass's predicted softness to look at: the structure, the softness of every atom (0 to 1), and optionally a
/// 0/1 label of the same atoms (NaN: unlabelled).
/// </summary>
/// <param name="Glass">The glass's name.</param>
/// <param name="Model">What predicted the softness (e.g. "Plastic-10% model, interstice").</param>
/// <param name="Structure">The atoms.</param>
/// <param name="Softness">Per atom, in the structure's order.</param>
/// <param name="LabelName">The label's name (e.g. plastic@0.1), or null without a label.</param>
/// <param name="Label">Per atom: 1, 0 or NaN; null without a label.</param>
/// <param name="Source">The files it comes from, for the caption.</param>
public sealed record SoftnessView(string Glass, string Model, Snapshot Structure, double[] Softness, string? LabelName, double[]? Label, string Source);

/// <summary>
/// The 3D view of a <see cref="SoftnessView"/> in a self-contained HTML page: the atoms as shaded spheres coloured by
/// softness (or by label, or by element), rotatable with the mouse, with a slider that hides the atoms below a
/// softness threshold. The renderer is a small script carried by the page (no network, no WebGL), fast enough for
/// 100,000 atoms; the data travel as base64 float32 arrays.
/// </summary>
internal static class SoftnessViewer
{
    private static string E(string s) => WebUtility.HtmlEncode(s);

    /// <summary>The renderer; include it once per page, after the figures (<see cref="Figure"/>).</summary>
    public static string Script()
    {
        using var s = typeof(SoftnessViewer).Assembly.GetManifestResourceStream("Softspot.Reporting.softness-viewer.js")
            ?? throw new InvalidOperationException("the softness viewer is not embedded in the library");
        using var r = new StreamReader(s);
        return "<script>" + r.ReadToEnd() + "</script>";
    }

    /// <summary>The figure: canvas, controls, caption and the data.</summary>
    public static string Figure(SoftnessView v, string id, string caption, int size = 640)
    {
        var s = v.Structure;
        var cell = s.Cell;
        var centre = cell.ToCartesian(new Vec3(0.5, 0.5, 0.5));
        var positions = new float[3 * s.Count];
        double half = 0;
        for (int i = 0; i < s.Count; i++)
        {
            var p = cell.Wrap(s.Positions[i]) - centre;
            positions[3 * i] = (float)p.X; positions[3 * i + 1] = (float)p.Y; positions[3 * i + 2] = (float)p.Z;
            half = Math.Max(half, Math.Max(Math.Abs(p.X), Math.Max(Math.Abs(p.Y), Math.Abs(p.Z))));
        }
        // display radius: a third of the mean spacing, so that the inside of the glass shows between the spheres
        double radius = Math.Cbrt(cell.Volume / Math.Max(1, s.Count)) / 3;
        string F32(IEnumerable<double> values) => Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.Select(x => (float)x).ToArray().AsSpan()).ToArray());
        var json = new StringBuilder("{")
            .Append("\"positions\":\"").Append(Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(positions.AsSpan()).ToArray())).Append("\",")
            .Append("\"softness\":\"").Append(F32(v.Softness)).Append("\",")
            .Append("\"types\":\"").Append(F32(s.Types.Select(t => (double)t))).Append("\",")
            .Append(v.Label is { } label ? "\"label\":\"" + F32(label) + "\"," : "")
            .Append(FormattableString.Invariant($"\"radius\":{radius:R},\"half\":{Math.Max(half, 1e-6):R}}}"));
        var elements = s.Elements?.ElementsByType.Select(e => e.Symbol).ToList() ?? [];
        string options = "<option value=\"softness\">softness</option>"
            + (v.Label is null ? "" : $"<option value=\"label\">label: {E(v.LabelName ?? "label")} (red 1, grey 0)</option>")
            + $"<option value=\"element\">element{(elements.Count >= 2 ? $" ({E(elements[0])} blue, {E(elements[1])} orange)" : "")}</option>";
        return new StringBuilder($"<figure id=\"{E(id)}\" class=\"softness-view\">")
            .Append($"<canvas width=\"{size}\" height=\"{size}\" style=\"border:1px solid #ddd;cursor:grab;touch-action:none\"></canvas>")
            .Append("<div class=\"controls\" style=\"font-size:12px\">")
            .Append("<label>show softness &ge; <input type=\"range\" min=\"0\" max=\"1\" step=\"0.01\" value=\"0\"> <output>0.00</output></label> &nbsp; ")
            .Append("<label>colour by <select>").Append(options).Append("</select></label> &nbsp; <span class=\"shown\"></span>")
            .Append("<div class=\"colourbar\" style=\"width:300px;height:10px;background:linear-gradient(to right,#440154,#3b528b,#21918c,#5ec962,#fde725)\"></div>")
            .Append("<span style=\"display:inline-block;width:300px\">softness 0 (hard) <span style=\"float:right\">1 (soft)</span></span></div>")
            .Append("<script type=\"application/json\">").Append(json).Append("</script>")
            .Append("<figcaption>").Append(E(caption)).Append("</figcaption></figure>").ToString();
    }
}
