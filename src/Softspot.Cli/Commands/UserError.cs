using Softspot.IO;
using Softspot.Simulation.Lammps;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Cli.Commands;

/// <summary>Which exceptions are the user's input problems (one line, no stack trace) rather than bugs.</summary>
internal static class UserError
{
    public static string? Describe(Exception e) => e switch
    {
        InputFormatException or UnknownElementException or MissingElementsException or CutoffTooLargeException
            or VoronoiDegeneracyException or FileNotFoundException or DirectoryNotFoundException => e.Message,
        UsageException or LammpsException or FormatException or Pipelines.PipelineConfigException or Cluster.SlurmException
            or Sharding.ShardException => e.Message,
        ArgumentException a when a.Source == "Softspot" => a.Message,
        IOException io => io.Message,
        AggregateException { InnerExceptions.Count: 1 } agg => Describe(agg.InnerExceptions[0]),
        _ => null,
    };
}

/// <summary>A wrong combination of options.</summary>
internal sealed class UsageException(string message) : Exception(message);
