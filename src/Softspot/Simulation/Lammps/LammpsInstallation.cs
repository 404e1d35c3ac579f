using System.Diagnostics;

namespace Softspot.Simulation.Lammps;

/// <summary>LAMMPS is missing or failed; the message says what to do.</summary>
public sealed class LammpsException(string message) : SoftspotException(message);

/// <summary>
/// Where this machine's LAMMPS is: the <c>lmp</c> executable, its potentials folder and its version. Softspot works
/// without LAMMPS; only the simulate commands need it, and they get one clear error when it is missing.
/// </summary>
public static class LammpsInstallation
{
    public const string Missing = "LAMMPS is not installed: install the Debian package lammps (apt-get install lammps)";

    /// <summary>Debian's potentials folder, when present.</summary>
    public static string? PotentialsFolder =>
        Directory.Exists("/usr/share/lammps/potentials") ? "/usr/share/lammps/potentials" : null;

    /// <summary>The LAMMPS shared library as the dynamic loader knows it (Debian package liblammps0).</summary>
    public const string LibraryName = "liblammps.so.0";

    // probed once per process (a failed probe that throws is tried again: PublicationOnly does not cache exceptions)
    private static readonly Lazy<string> Lmp = new(FindLmp, LazyThreadSafetyMode.PublicationOnly);
    private static readonly Lazy<string> VersionLine = new(ReadVersion, LazyThreadSafetyMode.PublicationOnly);
    private static readonly Lazy<bool> Library = new(() =>
    {
        bool ok = System.Runtime.InteropServices.NativeLibrary.TryLoad(LibraryName, out var handle);
        if (ok) System.Runtime.InteropServices.NativeLibrary.Free(handle);
        return ok;
    });

    /// <summary>
    /// Whether liblammps.so.0 can be loaded. Loading it also loads MPI and Python into the process, so the force
    /// engine leaves this to its worker process; call this only where that does not matter.
    /// </summary>
    public static bool LibraryAvailable => Library.Value;

    /// <summary>Throws the "LAMMPS is not installed" error when <see cref="LibraryAvailable"/> is false.</summary>
    public static void RequireLibrary()
    {
        if (!LibraryAvailable) throw new LammpsException(Missing);
    }

    /// <summary>The <c>lmp</c> executable on PATH (Debian: /usr/bin/lmp).</summary>
    public static string LmpExecutable() => Lmp.Value;

    private static string FindLmp()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
            foreach (var name in new[] { "lmp", "lmp_serial" })
            {
                var path = Path.Combine(dir, name);
                if (File.Exists(path)) return path;
            }
        throw new LammpsException(Missing);
    }

    /// <summary>A potential given as a path, or as a bare file name in the potentials folder (e.g. CuZr_mm.eam.fs).</summary>
    public static string ResolvePotential(string nameOrPath)
    {
        if (File.Exists(nameOrPath)) return Path.GetFullPath(nameOrPath);
        if (PotentialsFolder is { } folder && Path.GetFileName(nameOrPath) == nameOrPath && File.Exists(Path.Combine(folder, nameOrPath)))
            return Path.Combine(folder, nameOrPath);
        throw new FileNotFoundException(
            $"{nameOrPath}: no such potential file{(PotentialsFolder is { } f ? $" (nor in {f})" : "")}", nameOrPath);
    }

    /// <summary>The LAMMPS version line (e.g. "LAMMPS (29 Sep 2021 - Update 2)"), from <c>lmp -h</c>.</summary>
    public static string Version() => VersionLine.Value;

    private static string ReadVersion()
    {
        var psi = new ProcessStartInfo(LmpExecutable(), "-h") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(psi) ?? throw new LammpsException(Missing);
        string text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Large-scale", StringComparison.Ordinal) || l.StartsWith("LAMMPS", StringComparison.Ordinal));
        // "Large-scale Atomic/Molecular Massively Parallel Simulator - 29 Sep 2021 - Update 2" -> "LAMMPS 29 Sep 2021 - Update 2"
        int dash = line?.IndexOf(" - ", StringComparison.Ordinal) ?? -1;
        return line is null ? "unknown" : dash >= 0 && line.StartsWith("Large", StringComparison.Ordinal) ? "LAMMPS " + line[(dash + 3)..] : line;
    }
}
