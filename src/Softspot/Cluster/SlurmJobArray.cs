using System.Globalization;
using System.Text;

namespace Softspot.Cluster;

/// <summary>
/// A sharded Softspot run as Slurm jobs: a job array with one task per shard (its command carries
/// <see cref="TaskId"/> where the task's shard number goes) and a merge job that runs after every task succeeded.
/// Writes the two batch scripts; <see cref="Sbatch"/> submits them.
/// </summary>
public sealed record SlurmJobArray(
    string Name,
    string WorkingDirectory,
    IReadOnlyList<string> ShardCommand,
    IReadOnlyList<string> MergeCommand,
    int Shards,
    string ScriptDirectory)
{
    /// <summary>The placeholder for the array task's id (1..N) in <see cref="ShardCommand"/> arguments.</summary>
    public const string TaskId = "{k}";

    /// <summary>Extra <c>#SBATCH</c> options for both jobs (e.g. --time=2:00:00, --partition=long).</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public string ArrayScript => Path.Combine(ScriptDirectory, "shards.sbatch");
    public string MergeScript => Path.Combine(ScriptDirectory, "merge.sbatch");
    public string LogDirectory => Path.Combine(ScriptDirectory, "logs");

    /// <summary>Writes the batch scripts (atomically) and creates the log folder.</summary>
    public void Write()
    {
        Directory.CreateDirectory(LogDirectory);
        IO.AtomicFile.Write(ArrayScript, w => w.Write(Script(array: true)));
        IO.AtomicFile.Write(MergeScript, w => w.Write(Script(array: false)));
    }

    /// <summary>The text of the array script or the merge script.</summary>
    public string Script(bool array)
    {
        if (Shards < 1) throw new ArgumentOutOfRangeException(nameof(Shards), "a job array needs at least one shard");
        var sb = new StringBuilder("#!/bin/bash\n");
        sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --job-name={Name}{(array ? "" : "-merge")}\n");
        if (array) sb.Append(CultureInfo.InvariantCulture, $"#SBATCH --array=1-{Shards}\n");
        sb.Append("#SBATCH --output=").Append(Path.Combine(LogDirectory, array ? "shard-%a.log" : "merge.log")).Append('\n');
        foreach (var o in Options) sb.Append("#SBATCH ").Append(o).Append('\n');
        sb.Append("# written by Softspot; ").Append(array ? $"task k of {Shards} runs shard k/{Shards}" : "runs after every shard succeeded").Append('\n');
        sb.Append("set -euo pipefail\n");
        sb.Append("cd ").Append(Quote(WorkingDirectory)).Append('\n');
        sb.Append("exec ").AppendJoin(' ', (array ? ShardCommand : MergeCommand).Select(Quote)).Append('\n');
        return sb.ToString();
    }

    /// <summary>The output of shard k of N: features.csv -> features.shard-k-of-N.csv (k may be <see cref="TaskId"/>).</summary>
    public static string ShardOutput(string output, string k, int n)
    {
        string dir = Path.GetDirectoryName(output) ?? "", name = Path.GetFileName(output);
        int dot = name.IndexOf('.', 1);
        string stem = dot > 0 ? name[..dot] : name, ext = dot > 0 ? name[dot..] : "";
        return Path.Combine(dir, $"{stem}.shard-{k}-of-{n}{ext}");
    }

    /// <summary>A shell word: single-quoted, with the task-id placeholder left to the shell.</summary>
    public static string Quote(string arg)
    {
        if (arg.Length == 0) return "''";
        var parts = arg.Split(TaskId);
        return string.Join("\"${SLURM_ARRAY_TASK_ID}\"", parts.Select(p => p.Length == 0 ? "" : "'" + p.Replace("'", "'\\''") + "'"));
    }
}
