using System.Diagnostics;

namespace Softspot.Tests.Support;

/// <summary>
/// The softspot command line as a child process (dotnet Softspot.Cli.dll ARGS), for what an in-process run cannot
/// show: its own environment variables (a Slurm job array's), being killed midway.
/// </summary>
public static class CliProcess
{
    /// <summary>
    /// Starts the command with its output redirected and <paramref name="environment"/> added to the inherited one.
    /// With <paramref name="defaultSignals"/>, SIGINT, SIGTERM and SIGHUP reach it with their default meaning even when
    /// the test run itself ignores them (a job started in the background by a shell ignores SIGINT, and its children
    /// inherit that), through coreutils' env --default-signal.
    /// </summary>
    public static Process Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null,
        bool defaultSignals = false)
    {
        string dotnet = ExternalTool.Require("dotnet", "dotnet-sdk");
        var psi = new ProcessStartInfo(defaultSignals ? ExternalTool.Require("env", "coreutils") : dotnet)
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        if (defaultSignals) { psi.ArgumentList.Add("--default-signal=INT,TERM,HUP"); psi.ArgumentList.Add(dotnet); }
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        psi.ArgumentList.Add(typeof(Softspot.Cli.Program).Assembly.Location);
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) psi.Environment[name] = value;
        return Process.Start(psi)!;
    }

    /// <summary>Runs the command to its end.</summary>
    public static (int Code, string Out, string Err) Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? workingDirectory = null, int timeoutSeconds = 300)
    {
        using var p = Start(args, environment, workingDirectory);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"softspot {string.Join(' ', args)} did not finish within {timeoutSeconds} s (a hang)");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
