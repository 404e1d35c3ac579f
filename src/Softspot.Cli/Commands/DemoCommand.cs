using System.CommandLine;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Reporting;
using Softspot.Voronoi;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot demo</c>: the main job on the data shipped in data/. For now it reads the shipped glass, tessellates
/// it, prints its Voronoi summary and writes its interstice fingerprint; later issues grow it into the full pipeline.
/// </summary>
internal static class DemoCommand
{
    public const string ShippedGlass = "CuZr_500.dump";

    public static Command Build(TextWriter stdout)
    {
        var output = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "softspot-demo" };
        var data = new Option<string?>("--data") { Description = "Folder with the shipped data (default: the repository's data/)" };
        var cmd = new Command("demo", "Run the main job on the data shipped in data/") { output, data };
        cmd.SetAction(p =>
        {
            string dataDir = p.GetValue(data) ?? FindDataFolder();
            string glass = Path.Combine(dataDir, ShippedGlass);
            var s = StructureFile.ReadFirst(glass, Structures.ElementMap.Parse("Cu,Zr"));
            stdout.WriteLine($"Softspot demo: {glass}");
            var t = VoronoiTessellator.Compute(s);
            stdout.WriteLine("Plain Voronoi tessellation (all faces):");
            stdout.Write(VoronoiSummary.Format(s, t));
            var filtered = t.Filter(FaceFilter.AmlearnRunningMean());
            stdout.WriteLine();
            stdout.WriteLine("With the 5 % small-face filter of Wang & Jain (2019):");
            stdout.Write(VoronoiSummary.Format(s, filtered));
            string outDir = p.GetValue(output)!;
            string cells = Path.Combine(outDir, "cells.csv");
            CsvTableWriter.Write(cells, VoronoiCommand.CellColumns, csv => VoronoiCommand.WriteCellRows(csv, s, filtered));
            stdout.WriteLine();
            stdout.WriteLine($"Wrote {cells}");
            stdout.WriteLine();
            stdout.WriteLine("Interstice-distribution fingerprint (80 features per atom, Wang & Jain 2019):");
            FeaturizeCommand.Run([glass], Presets.Find("interstice"), new FeaturizeSettings(), s.Elements, Path.Combine(outDir, "features.csv"), Path.Combine(outDir, "features.dump"), stdout);
            return 0;
        });
        return cmd;
    }

    /// <summary>The data/ folder of the repository: searched upwards from the working directory, then from the program.</summary>
    public static string FindDataFolder()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "data");
                if (File.Exists(Path.Combine(candidate, ShippedGlass))) return candidate;
            }
        }
        throw new FileNotFoundException($"cannot find the shipped data folder (data/{ShippedGlass}); run from the repository or pass --data DIR");
    }
}
