using System.CommandLine;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot info FILE...</c>: frames, atoms, types, elements and cell of structure files.</summary>
internal static class InfoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var files = new Argument<string[]>("FILE") { Description = "Structure files (LAMMPS dump or data, extended XYZ; .gz allowed)", Arity = ArgumentArity.OneOrMore };
        var elements = CommonOptions.Elements();
        var cmd = new Command("info", "Show frames, atoms, types, elements and cell of structure files") { files, elements };
        cmd.SetAction(p =>
        {
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            foreach (var f in p.GetValue(files)!) Describe(f, map, stdout);
            return 0;
        });
        return cmd;
    }

    private static void Describe(string path, ElementMap? map, TextWriter o)
    {
        var format = StructureFile.Detect(path);
        Snapshot? first = null, last = null;
        int frames = 0;
        foreach (var s in StructureFile.ReadFrames(path, map, format))
        {
            first ??= s; last = s; frames++;
        }
        if (first is null) { o.WriteLine($"{path}: {format}, no frames"); return; }
        o.WriteLine($"{path}");
        o.WriteLine($"  format    {format}");
        o.WriteLine(frames == 1 ? $"  frames    1 (timestep {first.Timestep})" : $"  frames    {frames} (timesteps {first.Timestep} .. {last!.Timestep})");
        o.WriteLine($"  atoms     {first.Count}" + (frames > 1 && last!.Count != first.Count ? $" in the first frame, {last.Count} in the last" : ""));
        var types = first.Types.GroupBy(t => t).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}={first.Elements?[g.Key]?.Symbol ?? "?"} ({g.Count()}, {100.0 * g.Count() / first.Count:F1}%)");
        o.WriteLine($"  types     {string.Join("  ", types)}");
        if (first.Elements is null) o.WriteLine("  elements  unknown (name them with --elements)");
        o.WriteLine($"  cell      {first.Cell}");
        o.WriteLine(FormattableString.Invariant($"  volume    {first.Cell.Volume:F4} A^3 ({first.Cell.Volume / first.Count:F4} A^3/atom)"));
        if (first.Extra.Count > 0) o.WriteLine($"  columns   {string.Join(' ', first.Extra.Select(c => c.Name))}");
    }
}
