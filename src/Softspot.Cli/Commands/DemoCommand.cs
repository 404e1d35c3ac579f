using System.CommandLine;
using Softspot.Pipelines;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot demo</c>: the papers' experiments on the data shipped in data/ — <c>softspot run</c> with the built-in
/// pipeline, whose paths are relative to the repository (the folder holding data/). <c>--print-config</c> shows it.
/// </summary>
internal static class DemoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var output = new Option<string?>("--out") { Description = "Output folder (default: softspot-demo/ in the repository)" };
        var data = new Option<string?>("--data") { Description = "Folder with the shipped data (default: the repository's data/)" };
        var print = new Option<bool>("--print-config") { Description = "Print the built-in pipeline file (a starting point for softspot run) and stop" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("demo", "Reproduce the papers' experiments on the data shipped in data/ (the built-in pipeline of softspot run)") { output, data, print, threads };
        cmd.SetAction(p =>
        {
            string text = PipelineFile.DemoText();
            if (p.GetValue(print)) { stdout.Write(text); return 0; }
            string dataDir = p.GetValue(data) ?? FindDataFolder();
            string root = Path.GetDirectoryName(Path.GetFullPath(dataDir).TrimEnd(Path.DirectorySeparatorChar))!;
            var config = PipelineFile.Parse(text, "softspot demo (built-in pipeline)", root);
            return RunCommand.Execute(config, "softspot demo (built-in pipeline; softspot demo --print-config)", p.GetValue(output), p.GetValue(threads), stdout);
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
                if (Directory.Exists(Path.Combine(candidate, "glasses"))) return candidate;
            }
        }
        throw new DirectoryNotFoundException("cannot find the shipped data folder (data/glasses); run from the repository or pass --data DIR");
    }
}
