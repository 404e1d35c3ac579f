using System.Text;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Reporting;

/// <summary>A plain-text summary of a tessellation: volumes by element, coordination and the commonest Voronoi indices.</summary>
public static class VoronoiSummary
{
    public static string Format(Snapshot s, VoronoiTessellation t, int topIndices = 10)
    {
        var sb = new StringBuilder();
        string Elem(int type) => s.Elements?[type]?.Symbol ?? $"type {type}";
        double total = t.Volume.Sum();
        sb.AppendLine(FormattableString.Invariant(
            $"{s.Count} atoms; cell volume {s.Cell.Volume:F4} A^3; sum of Voronoi volumes {total:F4} A^3 (relative difference {Math.Abs(total / s.Cell.Volume - 1):0.0E+00})"));
        sb.AppendLine();
        sb.AppendLine("element  atoms  mean volume (A^3)  mean CN");
        foreach (var g in Enumerable.Range(0, s.Count).GroupBy(i => s.Types[i]).OrderBy(g => g.Key))
            sb.AppendLine(FormattableString.Invariant(
                $"{Elem(g.Key),-7}  {g.Count(),5}  {g.Average(i => t.Volume[i]),17:F4}  {g.Average(i => t.Coordination(i)),7:F3}"));
        sb.AppendLine();
        var cn = Enumerable.Range(0, s.Count).GroupBy(t.Coordination).OrderBy(g => g.Key);
        sb.AppendLine("coordination: " + string.Join("  ", cn.Select(g => $"{g.Key}:{g.Count()}")));
        sb.AppendLine();
        sb.AppendLine("most common Voronoi indices <n3,n4,n5,n6,n7+>:");
        var idx = Enumerable.Range(0, s.Count)
            .GroupBy(i => "<" + string.Join(",", t.VoronoiIndex(i)) + ">")
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(topIndices);
        foreach (var g in idx)
        {
            var byElem = string.Join(", ", g.GroupBy(i => s.Types[i]).OrderBy(x => x.Key).Select(x => $"{Elem(x.Key)} {x.Count()}"));
            sb.AppendLine(FormattableString.Invariant($"  {g.Key,-16} {g.Count(),6}  {100.0 * g.Count() / s.Count,6:F2}%   ({byElem})"));
        }
        return sb.ToString();
    }
}
