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
    public static readonly string[] CellColumns = ["frame", "id", "type", "element", "volume", "coordination", "vi3", "vi4", "vi5", "vi6", "vi7"];

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
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            var faceFilter = ParseFilter(p.GetValue(filter)!);
            bool isRadical = p.GetValue(radical) || p.GetValue(radii) is not null;
            double edgeThreshold = p.GetValue(edge);
            // frames are streamed: one frame in memory at a time, rows written as they come
            using var cells = p.GetValue(output) is { } outPath ? AtomicFile.Create(outPath) : null;
            using var faceFile = p.GetValue(faces) is { } facePath ? AtomicFile.Create(facePath) : null;
            var cellTable = cells is null ? null : new CsvTableWriter(cells.Writer, CellColumns);
            var faceTable = faceFile is null ? null : new CsvTableWriter(faceFile.Writer, FaceColumns);
            var progress = new Progress("voronoi: frames");
            var clock = Stopwatch.StartNew();
            (Snapshot S, VoronoiTessellation T)? last = null;
            int frames = 0;
            var workspace = new VoronoiWorkspace(); // every frame builds its faces in the buffers of the one before
            foreach (var s in StructureFile.ReadFrames(p.GetValue(file)!, map))
            {
                var options = new VoronoiOptions
                {
                    RadiusByType = isRadical ? Radii.ByType(s, p.GetValue(radii)) : null,
                    EdgeThreshold = edgeThreshold,
                    Filter = faceFilter,
                    Threads = Parallelism.Resolve(p.GetValue(threads)),
                };
                var t = VoronoiTessellator.Compute(s, options, workspace);
                if (cellTable is not null) WriteCellRows(cellTable, s, t);
                if (faceTable is not null) WriteFaceRows(faceTable, s, t);
                last = (s, t);
                frames++;
                progress.Step($"timestep {s.Timestep}");
            }
            progress.Done();
            cells?.Commit();
            faceFile?.Commit();
            if (!p.GetValue(quiet) && last is { } l)
            {
                stdout.WriteLine($"{p.GetValue(file)}: {(isRadical ? "radical" : "Voronoi")} tessellation of {frames} frame(s) in {clock.Elapsed.TotalSeconds:F2} s; last frame (timestep {l.S.Timestep}):");
                stdout.Write(VoronoiSummary.Format(l.S, l.T));
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

    public static readonly string[] FaceColumns = ["frame", "id", "neighbor_id", "distance", "area", "edges", "pyramid_volume"];

    public static void WriteCellRows(CsvTableWriter csv, Snapshot s, VoronoiTessellation t)
    {
        for (int i = 0; i < s.Count; i++)
        {
            csv.Number(s.Frame).Number(s.Ids[i]).Number(s.Types[i]).Text(s.Elements?[s.Types[i]]?.Symbol ?? "")
               .Number(t.Volume[i]).Number(t.Coordination(i));
            foreach (int n in t.VoronoiIndex(i)) csv.Number(n);
            csv.EndRow();
        }
    }

    private static void WriteFaceRows(CsvTableWriter csv, Snapshot s, VoronoiTessellation t)
    {
        for (int i = 0; i < s.Count; i++)
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                int j = t.Neighbour[f];
                csv.Number(s.Frame).Number(s.Ids[i]).Number(j >= 0 ? s.Ids[j] : j).Number(t.Distance(f))
                   .Number(t.Area[f]).Number(t.Edges[f]).Number(t.PyramidVolume[f]).EndRow();
            }
    }
}
