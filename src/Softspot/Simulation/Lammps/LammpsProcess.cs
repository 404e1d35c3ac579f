using System.Diagnostics;
using System.Globalization;
using Softspot.Reporting;

namespace Softspot.Simulation.Lammps;

/// <summary>
/// Runs a LAMMPS input script with the <c>lmp</c> executable (serially, or under <c>mpirun -np N</c>) in a working
/// folder, shows its progress from the thermo lines of the log, and turns a failure into a <see cref="LammpsException"/>
/// that quotes LAMMPS's ERROR line and names the log.
/// </summary>
public static class LammpsProcess
{
    /// <summary>
    /// Runs <paramref name="script"/> (a file in <paramref name="folder"/>), logging to <paramref name="log"/> (also in
    /// the folder). <paramref name="totalSteps"/> is the number of MD/strain steps the script will report in the first
    /// column of its thermo output, for the progress line; or, with <paramref name="progressCsv"/>, in the first column of
    /// the last line of that file (a table the script appends to, e.g. one row per strain step).
    /// </summary>
    public static void Run(string folder, string script, string log, string task, long totalSteps, int ranks = 1, string? progressCsv = null)
    {
        string lmp = LammpsInstallation.LmpExecutable();
        var psi = new ProcessStartInfo { WorkingDirectory = folder, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        if (ranks > 1)
        {
            psi.FileName = "mpirun";
            foreach (var a in new[] { "-np", ranks.ToString(CultureInfo.InvariantCulture), lmp }) psi.ArgumentList.Add(a);
            // Open MPI refuses to run as root (CI containers) unless told that this is deliberate
            psi.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
            psi.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        }
        else psi.FileName = lmp;
        foreach (var a in new[] { "-in", script, "-log", log, "-screen", "none", "-nocite" }) psi.ArgumentList.Add(a);

        string logPath = Path.Combine(folder, log);
        var progress = new Progress(task, totalSteps > 0 ? (int)Math.Min(totalSteps, int.MaxValue) : null);
        using var process = Process.Start(psi) ?? throw new LammpsException($"could not start {psi.FileName}");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var tail = new LogTail(logPath);
        long shown = -1;
        while (!process.WaitForExit(2000))
            if ((progressCsv is null ? tail.LastStep() : LastRowKey(Path.Combine(folder, progressCsv))) is { } step && step != shown)
                progress.Update(shown = step, "LAMMPS running");
        progress.Done();
        string errors = (stderr.Result + stdout.Result).Trim();
        string? error = LogTail.ErrorLine(logPath) ?? errors.Split('\n').FirstOrDefault(l => l.Contains("ERROR", StringComparison.Ordinal));
        if (process.ExitCode != 0 || error is not null)
            throw new LammpsException($"LAMMPS failed running {Path.Combine(folder, script)}: {error ?? $"exit code {process.ExitCode}" + (errors.Length > 0 ? $" ({errors.Split('\n')[^1]})" : "")} (log: {logPath})");
    }

    /// <summary>The integer in the first column of a growing table's last complete line.</summary>
    private static long? LastRowKey(string path)
    {
        if (!File.Exists(path)) return null;
        using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        f.Seek(Math.Max(0, f.Length - 512), SeekOrigin.Begin);
        var lines = new StreamReader(f).ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return lines.Length > 0 && long.TryParse(lines[^1].Split(',')[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) ? v : null;
    }

    /// <summary>Reads the step number of the newest thermo line of a growing log.</summary>
    private sealed class LogTail(string path)
    {
        private long _position;
        private long? _step;

        public long? LastStep()
        {
            if (!File.Exists(path)) return _step;
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (f.Length < _position) _position = 0;
            f.Seek(_position, SeekOrigin.Begin);
            using var r = new StreamReader(f);
            string text = r.ReadToEnd();
            int complete = text.LastIndexOf('\n') + 1;
            _position += System.Text.Encoding.UTF8.GetByteCount(text.AsSpan(0, complete));
            foreach (var line in text[..complete].Split('\n'))
            {
                var first = line.TrimStart().Split(' ', 2)[0];
                if (first.Length > 0 && long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out long s)
                    && line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length >= 3) _step = s;
            }
            return _step;
        }

        public static string? ErrorLine(string path)
        {
            if (!File.Exists(path)) return null;
            using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var r = new StreamReader(f);
            string? line, found = null;
            while ((line = r.ReadLine()) is not null)
                if (line.StartsWith("ERROR", StringComparison.Ordinal)) found ??= line.Trim();
            return found;
        }
    }
}
