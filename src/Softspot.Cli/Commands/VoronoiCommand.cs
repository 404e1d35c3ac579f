using System.CommandLine;
using System.Diagnostics;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Reporting;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot voronoi FILE [--radical] --out cells.csv</c>: per-atom Voronoi volume, coordination and index.</summary>
internal static class VoronoiCommand
{
    public static Command Build(TextWriter stdout)
    {
        var file = new Argument<string>("FILE") { Description = "Structure file (all its frames are tessellated)" };
        var radical = new Option<bool>("--radical") { Description = "Radical (power) tessellation with atomic radii (Miracle radii by element unless --radii)" };
        var radii = new Option<string?>("--radii") { Description = "Radii in A by element or type, e.g. Cu=1.26,Zr=1.58 or 1=1.26,2=1.58 (implies --radical)" };
        var filter = new Option<string>("--filter")
        {
            Description = "Which faces count as neighbours: none, amlearn[:0.05] (running-mean small-face rule), area:A (min area, A^2), relative:F (min fraction of the cell's area)",
            DefaultValueFactory = _ => "none",
        };
        var edge = new Option<double>("--edge-threshold") { Description = "Edges shorter than this (A) are not counted in the Voronoi index" }.NonNegative();
        var output = new Option<string?>("--out", "-o") { Description = "Per-atom CSV: frame,id,type,element,volume,coordination,vi3..vi7" };
        var faces = new Option<string?>("--faces") { Description = "Per-face CSV: frame,id,neighbor_id,distance,area,edges,pyramid_volume" };
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Do not print the summary" };
        var cmd = new Command("voronoi", "Voronoi (or radical) tessellation: per-atom volume, coordination and Voronoi index")
        {
            file, radical, radii, filter, edge, output, faces, elements, threads, quiet,
        };
        cmd.SetAction(p =>
        {
            CommonOptions.CheckFiles((p.GetValue(output), "--out"), (p.GetValue(faces), "--faces"));
            var tessellator = new Tessellator(p.GetValue(radical), p.GetValue(radii), p.GetValue(edge), ParseFilter(p.GetValue(filter)!), RunContext.Console(p.GetValue(threads)));
            var done = tessellator.Write(p.GetValue(file)!, p.GetValue(output), p.GetValue(faces), CommonOptions.ParseElements(p.GetValue(elements)));
            if (!p.GetValue(quiet) && done.Last is { } l)
            {
                stdout.WriteLine($"{p.GetValue(file)}: {(tessellator.Radical ? "radical" : "Voronoi")} tessellation of {done.Frames} frame(s) in {done.Seconds:F2} s; last frame (timestep {l.Structure.Timestep}):");
                stdout.Write(VoronoiSummary.Format(l.Structure, l.Tessellation));
            }
            return 0;
        });
        return cmd;
    }

    public static FaceFilter? ParseFilter(string spec)
    {
        var parts = spec.Split(':', 2);
        double Value(double fallback)
        {
            if (parts.Length < 2) return fallback;
            if (double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v >= 0) return v;
            throw new UsageException($"--filter {spec}: '{parts[1]}' is not a non-negative number");
        }
        return parts[0] switch
        {
            "none" => null,
            "amlearn" => FaceFilter.AmlearnRunningMean(Value(0.05)),
            "area" when parts.Length == 2 => FaceFilter.MinArea(Value(0)),
            "relative" when parts.Length == 2 => FaceFilter.MinRelativeArea(Value(0)),
            _ => throw new UsageException($"--filter {spec}: expected none, amlearn[:F], area:A or relative:F"),
        };
    }
}
