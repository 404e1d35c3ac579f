using System.CommandLine;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary>Options shared by every command that reads structures.</summary>
internal static class CommonOptions
{
    public static Option<string?> Elements() => new("--elements")
    {
        Description = "Element of each atom type, in type order (e.g. Cu,Zr: type 1 = Cu, type 2 = Zr); overrides what the file says",
    };

    /// <summary>--threads; the parsed value (null: not given) goes to <see cref="Parallelism.Resolve"/>.</summary>
    public static Option<int?> Threads() => new Option<int?>("--threads")
    {
        Description = "Threads to use (default: all cores)",
    }.AtLeast(1);

    /// <summary>Checks the file outputs (null: not asked for) before any work starts; see <see cref="OutputLocation"/>.</summary>
    public static void CheckFiles(params (string? Path, string Option)[] outputs)
    {
        foreach (var (path, option) in outputs) if (path is not null) OutputLocation.CheckFile(path, option);
    }

    /// <summary>--format of an output table: csv or parquet; by default from the --out extension.</summary>
    public static Option<string?> Format()
    {
        var o = new Option<string?>("--format")
        {
            Description = "Table format: csv or parquet (default: parquet when --out ends in .parquet, else csv)",
        };
        o.AcceptOnlyFromAmong(TableFormats.Names);
        return o;
    }

    public static ElementMap? ParseElements(string? list) => list is null ? null : ElementMap.Parse(list);

    /// <summary>A comma-separated list of numbers (e.g. --snapshots 0.02,0.05).</summary>
    public static List<double> ParseNumbers(string list, string option) =>
        list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x =>
            double.TryParse(x, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw new UsageException($"{option}: '{x}' is not a number")).ToList();

    /// <summary>--label-frame K: the labels of frame K (one strain of label d2min) for the features of frame 0.</summary>
    public static Option<int?> LabelFrame() => new("--label-frame")
    {
        Description = "Use the label rows of this frame (e.g. 4 = the fifth strain of label d2min) for the features of frame 0 (the undeformed structure)",
    };

    /// <summary>The label table, or one frame of it renumbered as frame 0 when --label-frame is given.</summary>
    public static IO.KeyedTable ReadLabels(string path, int? frame)
    {
        var table = IO.KeyedTable.Read(path);
        return frame is { } k ? table.Frame(k) : table;
    }
}
