using System.CommandLine;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot simulate quench|shear|art</c>: make glasses, shear them and search their activated events.</summary>
internal static class SimulateCommand
{
    public static Command Build(TextWriter stdout, StopSignals? signals)
    {
        var cmd = new Command("simulate", "Make the data: melt-quench glasses and shear them with LAMMPS, search activated events (ART nouveau)");
        cmd.Subcommands.Add(SimulateQuenchCommand.Build(stdout));
        cmd.Subcommands.Add(SimulateShearCommand.Build(stdout));
        cmd.Subcommands.Add(SimulateArtCommand.Build(stdout, signals));
        return cmd;
    }

    internal static Option<int> Ranks() => new Option<int>("--ranks")
    {
        Description = "MPI ranks for LAMMPS (mpirun -np N); 1 runs lmp serially", DefaultValueFactory = _ => 1,
    }.AtLeast(1);

    internal static Option<string?> PairStyle() => new("--pair-style")
    {
        Description = "LAMMPS pair style of the potential (default: from its name: eam/fs, eam/alloy)",
    };

    /// <summary>The structure's element names (from --elements or the file) as the potential's element list.</summary>
    internal static (Snapshot Structure, ElementMap Map) ReadStructure(string path, string? elements)
    {
        var s = StructureFile.ReadFirst(path, CommonOptions.ParseElements(elements));
        return (s, s.RequireElements());
    }
}
