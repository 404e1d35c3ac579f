using System.Diagnostics;
using System.Globalization;

namespace Softspot.Bench.Scale;

/// <summary>What one whole process cost: wall and CPU seconds, and its peak resident memory.</summary>
internal sealed record ProcessCost(double Wall, double User, double System, long PeakBytes)
{
    public double Cpu => User + System;
}

/// <summary>
/// Runs a program to completion under GNU time (<c>/usr/bin/time</c>, Debian package <c>time</c>), which reports the
/// child's wall time, user and system CPU time and peak resident set size (getrusage's ru_maxrss).
/// </summary>
internal static class TimedProcess
{
    private const string Time = "/usr/bin/time";

    public static ProcessCost Run(string program, IEnumerable<string> args, string workingDirectory)
    {
        if (!File.Exists(Time)) throw new FileNotFoundException($"{Time} is missing: apt-get install time");
        string report = Path.Combine(workingDirectory, $".time-{Environment.ProcessId}.txt");
        var psi = new ProcessStartInfo(Time) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-f", "%e %U %S %M", "-o", report, program }.Concat(args)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({p.ExitCode}): {err.Result}");
        var f = File.ReadAllText(report).Trim().Split('\n')[^1].Split(' ');
        File.Delete(report);
        double D(int k) => double.Parse(f[k], CultureInfo.InvariantCulture);
        return new ProcessCost(D(0), D(1), D(2), long.Parse(f[3], CultureInfo.InvariantCulture) * 1024);
    }
}
