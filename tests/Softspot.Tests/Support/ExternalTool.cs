using System.Diagnostics;

namespace Softspot.Tests.Support;

/// <summary>Runs a reference program (lmp, voro++, python3) from a test and fails the test with its output if it fails.</summary>
public static class ExternalTool
{
    /// <summary>Full path of a program on PATH, or null.</summary>
    public static string? Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':'))
        {
            var p = Path.Combine(dir, name);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>
    /// The path of a required reference program. Tests compare against real tools, so a missing tool is a failure
    /// (.ci/run installs them), not a skip.
    /// </summary>
    public static string Require(string name, string debianPackage) =>
        Find(name) ?? throw new InvalidOperationException($"'{name}' is not installed: apt-get install {debianPackage} (.ci/run does this)");

    /// <summary>Runs a program to completion in a folder; returns stdout; throws with stderr on a non-zero exit.</summary>
    public static string Run(string program, IEnumerable<string> args, string workingDirectory, string? stdin = null, int timeoutSeconds = 300)
    {
        var psi = new ProcessStartInfo(program)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["OMP_NUM_THREADS"] = "1";
        using var p = Process.Start(psi)!;
        var stdoutTask = p.StandardOutput.ReadToEndAsync();
        var stderrTask = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        if (!p.WaitForExit(timeoutSeconds * 1000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeoutSeconds} s");
        }
        string output = stdoutTask.Result, error = stderrTask.Result;
        if (p.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {p.ExitCode}:\n{error}\n{Tail(output)}");
        return output;
    }

    /// <summary>Runs LAMMPS (Debian's lmp) on an input script written into the folder.</summary>
    public static string RunLammps(string folder, string script, string name = "in.test")
    {
        string lmp = Require("lmp", "lammps");
        File.WriteAllText(Path.Combine(folder, name), script);
        return Run(lmp, ["-in", name, "-log", "log.lammps", "-nocite", "-screen", "none"], folder);
    }

    private static string Tail(string s) => s.Length > 4000 ? s[^4000..] : s;
}

/// <summary>A temporary folder deleted at the end of the test.</summary>
public sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("softspot-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Where the repository's shipped data and the shared reference material are.</summary>
public static class Paths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Data(string name) => System.IO.Path.Combine(RepoRoot, "data", name);

    /// <summary>../shared/reference beside the repository (as in CI).</summary>
    public static string Reference(string relative)
    {
        string p = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "reference", relative));
        if (!System.IO.File.Exists(p) && !Directory.Exists(p))
            throw new FileNotFoundException($"reference material {p} is missing: the shared/ folder must sit beside the repository");
        return p;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "Softspot.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (Softspot.slnx) above the test binaries");
    }
}
