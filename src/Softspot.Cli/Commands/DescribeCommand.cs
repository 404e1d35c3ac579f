using System.CommandLine;
using Softspot.Descriptors;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot describe [--preset NAME]</c>: the presets, or one preset's columns with one-line definitions.</summary>
internal static class DescribeCommand
{
    public static Command Build(TextWriter stdout)
    {
        var preset = new Option<string?>("--preset", "-p") { Description = "A preset to list column by column" };
        var elements = new Option<string>("--elements") { Description = "Elements by type (symmetry-function columns depend on them)", DefaultValueFactory = _ => "Cu,Zr" };
        var cmd = new Command("describe", "List the feature presets, or the columns of one with their definitions") { preset, elements };
        cmd.SetAction(p =>
        {
            if (p.GetValue(preset) is not { } name)
            {
                foreach (var pr in Presets.All)
                    stdout.WriteLine($"{pr.Name,-14} {pr.Summary}");
                stdout.WriteLine();
                stdout.WriteLine("softspot describe --preset NAME lists a preset's columns.");
                return 0;
            }
            var set = Presets.Find(name).Build(ElementMap.Parse(p.GetValue(elements)!));
            stdout.WriteLine($"# preset {name}: {set.Columns.Count} columns");
            int width = Math.Min(48, set.Columns.Max(c => c.Name.Length));
            foreach (var c in set.Columns) stdout.WriteLine($"{c.Name.PadRight(width)}  {c.Definition}");
            return 0;
        });
        return cmd;
    }
}
