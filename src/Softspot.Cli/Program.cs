using System.CommandLine;
using System.CommandLine.Help;
using Softspot.Cli.Commands;

namespace Softspot.Cli;

public static class Program
{
    /// <summary>Set to 1 to see the details (stack trace) of an internal error.</summary>
    public const string DebugVariable = "SOFTSPOT_DEBUG";

    public static int Main(string[] args)
    {
        // Ctrl+C, kill, Slurm's time limit: the outputs under way are not finished, so their temporary files go
        // (a command that stops gracefully, as simulate art does, handles the signals itself)
        var signals = new StopSignals();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, signals.OnStop);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signals.OnStop);
        using var sighup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, signals.OnStop);
        return Run(args, Console.Out, Console.Error, signals);
    }

    /// <summary>
    /// Runs the command line. A problem with the input or the environment prints one line "softspot: error: ..." and
    /// returns 2; a bug prints one line "softspot: internal error: ..." naming how to see its details and returns 70.
    /// </summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, null);

    /// <summary>
    /// <see cref="Run(string[], TextWriter, TextWriter)"/> in a process whose stop signals <paramref name="signals"/>
    /// handles (null: none are, as in tests), so that a command that stops gracefully can take them over.
    /// </summary>
    internal static int Run(string[] args, TextWriter stdout, TextWriter stderr, StopSignals? signals)
    {
        // A plain Command as the root, so help says "softspot" whatever the assembly is called.
        var root = new Command("softspot", "Softspot: find the soft spots of metallic glasses from their atomic structure.")
        {
            new HelpOption(), new VersionOption(),
        };
        root.Subcommands.Add(InfoCommand.Build(stdout));
        root.Subcommands.Add(VoronoiCommand.Build(stdout));
        root.Subcommands.Add(FeaturizeCommand.Build(stdout));
        root.Subcommands.Add(DescribeCommand.Build(stdout));
        root.Subcommands.Add(LabelCommand.Build(stdout));
        root.Subcommands.Add(TrainCommand.Build(stdout));
        root.Subcommands.Add(PredictCommand.Build(stdout));
        root.Subcommands.Add(TransferCommand.Build(stdout));
        root.Subcommands.Add(SimulateCommand.Build(stdout, signals));
        root.Subcommands.Add(MergeCommand.Build(stdout));
        root.Subcommands.Add(StatusCommand.Build(stdout));
        root.Subcommands.Add(RunCommand.Build(stdout));
        root.Subcommands.Add(DemoCommand.Build(stdout));
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0 && !HelpRequested(parse))
            {
                // An unknown word explains a missing command or argument better than the missing thing does.
                var error = parse.Errors.FirstOrDefault(x => x.Message.StartsWith("Unrecognized", StringComparison.Ordinal)) ?? parse.Errors[0];
                stderr.WriteLine($"softspot: error: {UserError.DescribeParse(error.Message)} (see '{CommandPath(parse)} --help')");
                return 2;
            }
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Report(e, stderr, Environment.GetEnvironmentVariable(DebugVariable) == "1");
        }
    }

    /// <summary>Prints an exception as one line and returns the exit code: 2 for the user's problems, 70 for bugs.</summary>
    internal static int Report(Exception e, TextWriter stderr, bool debug)
    {
        if (UserError.Describe(e) is { } message)
        {
            stderr.WriteLine($"softspot: error: {message}");
            return 2;
        }
        stderr.WriteLine(debug
            ? $"softspot: internal error: {e}"
            : $"softspot: internal error: {UserError.OneLine(e.Message)} ({e.GetType().Name}); this is a bug: rerun with {DebugVariable}=1 for the details and report them");
        return 70;
    }

    private static bool HelpRequested(ParseResult parse) => parse.Action is HelpAction;

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult) names.Add(r.Command.Name);
        names.Reverse();
        return string.Join(' ', names);
    }
}
