using System.Diagnostics;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Voronoi;

var s0 = StructureFile.ReadFirst(args[0], Softspot.Structures.ElementMap.Parse("Cu,Zr"));
int rep = int.Parse(args[1]);
var s = s0.Replicate(rep, rep, rep);
Console.WriteLine($"{s.Count} atoms");
using (var w = new StreamWriter("/tmp/vpts.txt"))
    for (int i = 0; i < s.Count; i++) { var p = s.Cell.Wrap(s.Positions[i]); w.WriteLine($"{s.Ids[i]} {p.X:R} {p.Y:R} {p.Z:R}"); }
Console.WriteLine($"box {s.Cell.Origin.X:R} {s.Cell.Hi.X:R}");
foreach (int th in new[] { 1 })
{
    var sw = Stopwatch.StartNew();
    var t = VoronoiTessellator.Compute(s, new VoronoiOptions { Threads = th });
    Console.WriteLine($"threads {th}: {sw.Elapsed.TotalSeconds:F3} s, volume sum {t.Volume.Sum():F6} vs {s.Cell.Volume:F6}");
}
{
    var grid = new CellGrid(s.Cell, s.Positions, 0.9 * Math.Cbrt(s.Cell.Volume / s.Count));
    var buf = new CandidateBuffer();
    double sp = Math.Cbrt(s.Cell.Volume / s.Count);
    foreach (double f in new[] { 1.6, 1.85, 2.0 })
    {
        var sw = Stopwatch.StartNew(); long tot = 0;
        for (int i = 0; i < s.Count; i++) { buf.Clear(); grid.Gather(grid.Wrapped[i], f * sp, i, buf); buf.SortByDistance(); tot += buf.Count; }
        Console.WriteLine($"gather {f}: {sw.Elapsed.TotalSeconds:F3} s, {tot / (double)s.Count:F1} per atom");
    }
}
Console.WriteLine($"calls/atom {ConvexCell.Calls/(double)s.Count:F1} cuts/atom {ConvexCell.Cuts/(double)s.Count:F1} verts/call {ConvexCell.VertsTested/(double)ConvexCell.Calls:F1} faces/cut {ConvexCell.FacesSeen/(double)ConvexCell.Cuts:F1}");
