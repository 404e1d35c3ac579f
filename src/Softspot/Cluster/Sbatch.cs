using System.Diagnostics;

namespace Softspot.Cluster;

/// <summary>Submits batch scripts with Slurm's <c>sbatch</c> and returns their job ids.</summary>
public static class Sbatch
{
    /// <summary>Submits the array, then the merge job with <c>--dependency=afterok:ARRAY</c>.</summary>
    public static (string ArrayJob, string MergeJob) Submit(SlurmJobArray job)
    {
        job.Write();
        string array = Run([job.ArrayScript], job.WorkingDirectory);
        string merge = Run([$"--dependency=afterok:{array}", job.MergeScript], job.WorkingDirectory);
        return (array, merge);
    }

    /// <summary>Runs <c>sbatch --parsable ARGS</c>; the job id it prints (without a cluster name).</summary>
    public static string Run(IReadOnlyList<string> args, string workingDirectory)
    {
        var psi = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
        psi.ArgumentList.Add("--parsable");
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new SlurmException("Slurm's sbatch is not on PATH: submit from a cluster's login node, or run the shards yourself with --shard k/N");
        }
        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            string stderr = p.StandardError.ReadToEnd();
            p.WaitForExit();
            string id = stdout.Result.Trim().Split(';')[0];
            if (p.ExitCode != 0 || id.Length == 0 || !id.All(char.IsAsciiDigit))
                throw new SlurmException($"sbatch {string.Join(' ', args)} failed (exit {p.ExitCode}): {stderr.Trim()}{stdout.Result.Trim()}");
            return id;
        }
    }
}

/// <summary>Slurm refused or is missing; the message says what to do.</summary>
public sealed class SlurmException(string message) : SoftspotException(message);
