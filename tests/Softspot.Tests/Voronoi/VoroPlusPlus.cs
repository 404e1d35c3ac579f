using System.Globalization;
using System.Text;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Voronoi;

/// <summary>One cell as the voro++ command-line utility prints it (6 significant digits).</summary>
public sealed record VoroCell(long Id, double Volume, long[] Neighbours, int[] Edges, double[] Areas);

/// <summary>Runs the voro++ 0.4.6 command-line utility on an orthogonal snapshot and parses its custom output.</summary>
public static class VoroPlusPlus
{
    private const string Format = "%i %v %s | %n | %a | %f";

    /// <summary>
    /// Writes "id x y z [r]" (positions as stored, full "R" precision; they must lie inside the box), runs voro++
    /// with the box of the (orthogonal) cell, periodic in all directions or walled, and returns the cells by id.
    /// </summary>
    public static Dictionary<long, VoroCell> Run(Snapshot s, bool periodic, double[]? radiusByType, TempDir dir)
    {
        if (s.Cell.IsTriclinic) throw new ArgumentException("voro++'s command line handles orthogonal boxes only");
        string exe = ExternalTool.Require("voro++", "voro++");
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        var lo = s.Cell.Origin; var hi = lo + new Vec3(s.Cell.Lx, s.Cell.Ly, s.Cell.Lz);
        for (int i = 0; i < s.Count; i++)
        {
            var p = s.Positions[i];
            for (int d = 0; d < 3; d++)
                if (!(p[d] >= lo[d] && p[d] < hi[d]))
                    throw new ArgumentException($"atom {s.Ids[i]} lies outside the box along {"xyz"[d]}: wrap the positions first");
            sb.Append(s.Ids[i].ToString(inv)).Append(' ')
              .Append(p.X.ToString("R", inv)).Append(' ').Append(p.Y.ToString("R", inv)).Append(' ').Append(p.Z.ToString("R", inv));
            if (radiusByType is not null) sb.Append(' ').Append(radiusByType[s.Types[i]].ToString("R", inv));
            sb.Append('\n');
        }
        File.WriteAllText(dir.File("atoms.txt"), sb.ToString());
        var args = new List<string>();
        if (periodic) args.Add("-p");
        if (radiusByType is not null) args.Add("-r");
        args.AddRange(["-c", Format]);
        args.AddRange([
            lo.X.ToString("R", inv), hi.X.ToString("R", inv), lo.Y.ToString("R", inv), hi.Y.ToString("R", inv),
            lo.Z.ToString("R", inv), hi.Z.ToString("R", inv), "atoms.txt"]);
        ExternalTool.Run(exe, args, dir.Path);
        return Parse(File.ReadAllLines(dir.File("atoms.txt.vol")));
    }

    public static Dictionary<long, VoroCell> Parse(IEnumerable<string> lines)
    {
        var inv = CultureInfo.InvariantCulture;
        var cells = new Dictionary<long, VoroCell>();
        foreach (var line in lines)
        {
            if (line.Trim().Length == 0) continue;
            var parts = line.Split('|');
            if (parts.Length != 4) throw new FormatException($"unexpected voro++ output line: {line}");
            var head = Tokens(parts[0]);
            long id = long.Parse(head[0], inv);
            double volume = double.Parse(head[1], inv);
            int faces = int.Parse(head[2], inv);
            var nb = Tokens(parts[1]).Select(t => long.Parse(t, inv)).ToArray();
            var edges = Tokens(parts[2]).Select(t => int.Parse(t, inv)).ToArray();
            var areas = Tokens(parts[3]).Select(t => double.Parse(t, inv)).ToArray();
            if (nb.Length != faces || edges.Length != faces || areas.Length != faces)
                throw new FormatException($"voro++ line for id {id}: {faces} faces but {nb.Length} neighbours, {edges.Length} edge counts, {areas.Length} areas");
            cells.Add(id, new VoroCell(id, volume, nb, edges, areas));
        }
        return cells;
    }

    private static string[] Tokens(string s) => s.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>
    /// The tolerance for comparing a number with voro++'s printed one: half a unit in the 6th significant digit
    /// (relative 5e-6 of the printed value) plus a tiny absolute allowance for double rounding.
    /// </summary>
    public static bool AgreesWithPrinted(double ours, double printed, double tinyAbsolute = 1e-12) =>
        Math.Abs(ours - printed) <= 0.5e-5 * Math.Abs(printed) + tinyAbsolute;
}
