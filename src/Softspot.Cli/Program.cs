using System.CommandLine;
using Softspot.Cli.Commands;

namespace Softspot.Cli;

public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line; bad input prints one line "softspot: error: ..." and returns non-zero.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("Softspot: find the soft spots of metallic glasses from their atomic structure.");
        root.Subcommands.Add(InfoCommand.Build(stdout));
        root.Subcommands.Add(VoronoiCommand.Build(stdout));
        root.Subcommands.Add(FeaturizeCommand.Build(stdout));
        root.Subcommands.Add(DescribeCommand.Build(stdout));
        root.Subcommands.Add(LabelCommand.Build(stdout));
        root.Subcommands.Add(TrainCommand.Build(stdout));
        root.Subcommands.Add(PredictCommand.Build(stdout));
        root.Subcommands.Add(TransferCommand.Build(stdout));
        root.Subcommands.Add(SimulateCommand.Build(stdout));
        root.Subcommands.Add(MergeCommand.Build(stdout));
        root.Subcommands.Add(StatusCommand.Build(stdout));
        root.Subcommands.Add(RunCommand.Build(stdout));
        root.Subcommands.Add(DemoCommand.Build(stdout));
        var parse = root.Parse(args);
        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (UserError.Describe(e) is { } message)
        {
            stderr.WriteLine($"softspot: error: {message}");
            return 2;
        }
    }
}
