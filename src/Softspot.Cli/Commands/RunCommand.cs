using System.CommandLine;
using System.Diagnostics;
using Softspot.IO;
using Softspot.Pipelines;
using Softspot.Reporting;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot run PIPELINE.yaml</c>: featurize, label, learn, transfer and report as the file declares (see
/// <c>softspot demo --print-config</c>). The file is checked completely before any work starts.
/// </summary>
internal static class RunCommand
{
    public static Command Build(TextWriter stdout)
    {
        var file = new Argument<string>("PIPELINE") { Description = "Pipeline file (YAML); paths in it are relative to its folder" };
        var output = new Option<string?>("--out") { Description = "Output folder (overrides the file's output)" };
        var threads = CommonOptions.Threads();
        var cmd = new Command("run", "Run a pipeline file: glasses, representations, labels, tasks, transfer tests, output folder") { file, output, threads };
        cmd.SetAction(p =>
        {
            string path = p.GetValue(file)!;
            var config = PipelineFile.Load(path);
            return Execute(config, Path.GetFullPath(path), p.GetValue(output), p.GetValue(threads), stdout);
        });
        return cmd;
    }

    /// <summary>Runs a checked pipeline, writes its folder and prints its tables.</summary>
    public static int Execute(PipelineConfig config, string source, string? output, int? threads, TextWriter stdout)
    {
        if (threads is { } t) config.Threads = t;
        if (output is not null) OutputLocation.CheckFolder(output, "--out");
        if (output is not null) config.Output = Path.GetFullPath(output);
        else OutputLocation.CheckFolder(config.Output, $"output (of {source})");
        var clock = Stopwatch.StartNew();
        var log = Console.Error;
        var runner = new PipelineRunner(config, msg => log.WriteLine(FormattableString.Invariant($"[{clock.Elapsed.TotalSeconds,6:F1} s] {msg}")), source);
        var results = runner.Run();
        var files = PipelineOutputs.Write(runner, results, source);
        stdout.WriteLine();
        stdout.Write(PipelineSummary.Tables(results));
        stdout.WriteLine();
        if (results.ActivationNote is { } note) stdout.WriteLine($"Activation labels: {note}.");
        stdout.WriteLine(FormattableString.Invariant($"Wrote {files.Count} files to {config.Output} (results.md, results.json, report.html, labels/, models/, predictions/) in {clock.Elapsed.TotalSeconds:F0} s."));
        return 0;
    }
}
