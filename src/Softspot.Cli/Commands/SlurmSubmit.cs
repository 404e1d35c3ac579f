using System.CommandLine;
using System.CommandLine.Parsing;
using Softspot.Cluster;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>--slurm N</c> on a shardable command: instead of running, submit the same command line as a Slurm job array
/// of N shards (<c>--shard k/N --out STEM.shard-k-of-N.EXT</c>) and a merge job into <c>--out</c>, and print the ids.
/// </summary>
internal sealed class SlurmSubmit
{
    private readonly Option<int?> _shards = new Option<int?>("--slurm") { Description = "Submit N shards as a Slurm job array (sbatch) and a merge job into --out, print the job ids and return" }.AtLeast(1);
    private readonly Option<string[]> _sbatch = new("--sbatch")
    {
        Description = "An extra #SBATCH option for the jobs, e.g. --sbatch=--time=2:00:00 (repeatable)",
        DefaultValueFactory = _ => [],
    };

    /// <summary>Adds --slurm and --sbatch to a shardable command.</summary>
    public SlurmSubmit(Command command)
    {
        command.Options.Add(_shards);
        command.Options.Add(_sbatch);
    }

    /// <summary>True when --slurm was given: the jobs are submitted and the command has nothing more to do.</summary>
    public bool Submitted(ParseResult parse, string output, TextWriter stdout)
    {
        if (parse.GetValue(_shards) is not { } n) return false;
        Submit(parse, output, n, parse.GetValue(_sbatch) ?? [], stdout);
        return true;
    }

    /// <summary>Options that the submission replaces (with the value they take).</summary>
    private static readonly HashSet<string> Replaced = ["--slurm", "--sbatch", "--shard", "--out", "-o"];

    /// <summary>The command that runs this program: its apphost, or dotnet and its dll.</summary>
    public static string[] Self()
    {
        string dll = typeof(Program).Assembly.Location;
        string apphost = Path.ChangeExtension(dll, null);
        if (File.Exists(apphost)) return [apphost];
        string dotnet = Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";
        return [dotnet, dll];
    }

    private static void Submit(ParseResult parse, string output, int shards, IReadOnlyList<string> sbatch, TextWriter stdout)
    {
        string outFull = Path.GetFullPath(output);
        var args = new List<string>();
        var tokens = parse.Tokens;
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i].Type == TokenType.Option && Replaced.Contains(tokens[i].Value))
            {
                if (i + 1 < tokens.Count && tokens[i + 1].Type == TokenType.Argument) i++;
                continue;
            }
            args.Add(tokens[i].Value);
        }
        var shardOutputs = Enumerable.Range(1, shards).Select(k => SlurmJobArray.ShardOutput(outFull, k.ToString(System.Globalization.CultureInfo.InvariantCulture), shards)).ToList();
        // softspot-featurize, softspot-label-d2min, softspot-simulate-art: the command's path below the root
        var path = new List<string>();
        for (var c = parse.CommandResult; c.Parent is CommandResult parent; c = parent) path.Insert(0, c.Command.Name);
        string name = "softspot-" + string.Join("-", path);
        var job = new SlurmJobArray(name, Directory.GetCurrentDirectory(),
            [.. Self(), .. args, "--shard", $"{SlurmJobArray.TaskId}/{shards}", "--out", SlurmJobArray.ShardOutput(outFull, SlurmJobArray.TaskId, shards)],
            [.. Self(), "merge", .. shardOutputs, "--out", outFull],
            shards, outFull + ".slurm") { Options = sbatch };
        var (array, merge) = Sbatch.Submit(job);
        stdout.WriteLine($"submitted job array {array} ({shards} shards: {SlurmJobArray.ShardOutput(outFull, "k", shards)}) and merge job {merge} (into {outFull}, after every shard succeeded)");
        stdout.WriteLine($"scripts and logs: {job.ScriptDirectory}; progress: softspot status {Path.GetDirectoryName(outFull)}");
    }
}
