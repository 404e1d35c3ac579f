using System.Diagnostics;
using Softspot.Simulation.Glass;
using Softspot.Structures;

namespace Softspot.Simulation.Lammps;

/// <summary>
/// Energies and forces from LAMMPS, through its C library in a worker process (Softspot.LammpsWorker): this LAMMPS
/// build ends the process on any error, so the library never runs in the caller's process. A worker that dies
/// becomes a <see cref="LammpsException"/> quoting LAMMPS's ERROR line from its log. Not thread-safe: one caller at
/// a time. Atoms are LAMMPS atoms 1..N in the order of the structure; positions need not be wrapped.
/// </summary>
public sealed class LammpsForceEngine : IForceEngine
{
    private const string WorkerName = "Softspot.LammpsWorker";

    private readonly Process _process;
    private readonly Stream _requests, _replies;
    private readonly WireWriter _writer = new();
    private readonly WireReader _reader = new();
    private readonly OutputTail _stderr = new(40);
    private readonly string? _tempFolder;
    private readonly double[] _last; // the positions most recently sent or received (3N), to place returned atoms near
    private string? _failure;
    private bool _disposed;

    /// <summary>Number of atoms.</summary>
    public int Count { get; }

    /// <summary>"lammps" and the pair style, e.g. "lammps eam/fs".</summary>
    public string Name { get; }

    /// <summary>The cell; it changes only when <see cref="Run"/> commands change the box.</summary>
    public Cell Cell { get; private set; }

    /// <summary>The LAMMPS release as YYYYMMDD (20210929 for Debian's 29 Sep 2021).</summary>
    public int LammpsVersion { get; }

    /// <summary>The LAMMPS log of the worker (restarted every few thousand force calls).</summary>
    public string LogPath { get; }

    /// <summary>Number of force evaluations so far.</summary>
    public long Calls { get; private set; }

    /// <summary>
    /// Starts a worker holding <paramref name="structure"/> (types 1..k are the potential's elements in order) with
    /// <paramref name="potential"/> and evaluates it once. <paramref name="extraCommands"/> are input lines run after
    /// the defaults (<c>neighbor 1.0 bin</c>, <c>neigh_modify every 1 delay 0 check yes</c>), e.g. to change them.
    /// The LAMMPS log goes to <paramref name="logPath"/>, or to a temporary folder removed on disposal.
    /// </summary>
    /// <exception cref="LammpsException">LAMMPS is missing or rejected the setup (the message quotes its error).</exception>
    public LammpsForceEngine(Snapshot structure, PotentialSpec potential, IEnumerable<string>? extraCommands = null, string? logPath = null)
    {
        int ntypes = potential.Elements.Count;
        if (structure.Count == 0) throw new ArgumentException("the structure has no atoms");
        if (structure.MaxType > ntypes)
            throw new ArgumentException($"atom type {structure.MaxType} occurs but the potential is given only {ntypes} element(s) ({string.Join(',', potential.Elements)})");
        if (structure.Types.Any(t => t < 1)) throw new ArgumentException("atom types must be 1 or more");
        Count = structure.Count;
        Cell = structure.Cell;
        Name = $"lammps {potential.PairStyle}";
        _last = FlatCoordinates.Flatten(structure.Positions);
        if (logPath is null)
        {
            _tempFolder = Directory.CreateTempSubdirectory("softspot-lammps-").FullName;
            logPath = Path.Combine(_tempFolder, "log.lammps");
        }
        LogPath = Path.GetFullPath(logPath);

        try { _process = StartWorker(); }
        catch
        {
            DeleteTempFolder();
            throw;
        }
        _requests = _process.StandardInput.BaseStream;
        _replies = _process.StandardOutput.BaseStream;
        try
        {
            var masses = potential.Elements.Select(e => Elements.Find(e)?.Mass ?? 1.0).ToArray();
            var cell = structure.Cell;
            var commands = new List<string> { $"pair_style {potential.PairStyle}", $"pair_coeff * * {potential.File} {string.Join(' ', potential.Elements)}" };
            commands.AddRange(extraCommands ?? []);
            _writer.Request(LammpsRequest.Setup).String(LogPath).Int(Count).Int(ntypes)
                .Doubles([cell.Origin.X, cell.Origin.Y, cell.Origin.Z, cell.Lx, cell.Ly, cell.Lz, cell.Xy, cell.Xz, cell.Yz])
                .Int(cell.Periodic[0] ? 1 : 0).Int(cell.Periodic[1] ? 1 : 0).Int(cell.Periodic[2] ? 1 : 0)
                .Ints(structure.Types).Doubles(_last).Doubles(masses).Strings(commands);
            var r = Exchange("setting up");
            LammpsVersion = r.Int();
            r.Double();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public double Compute(ReadOnlySpan<double> positions, Span<double> forces)
    {
        RequireLength(positions.Length, nameof(positions));
        RequireLength(forces.Length, nameof(forces));
        _writer.Request(LammpsRequest.Compute).Doubles(positions);
        var r = Exchange("computing forces");
        positions.CopyTo(_last);
        double energy = r.Double();
        r.Doubles(forces);
        Calls++;
        return energy;
    }

    /// <summary>
    /// Runs input lines (e.g. <c>minimize</c>, <c>change_box</c>) on the configuration, then <c>run 0</c>, and returns
    /// the potential energy afterwards. If <paramref name="setPositions"/>, <paramref name="positions"/> is sent first;
    /// either way it receives the positions after the commands, each in the periodic image nearest to the positions
    /// last sent (so a trajectory stays unwrapped). A box change updates <see cref="Cell"/>.
    /// </summary>
    public double Run(IEnumerable<string> commands, Span<double> positions, bool setPositions = true)
    {
        RequireLength(positions.Length, nameof(positions));
        _writer.Request(LammpsRequest.Commands).Int(setPositions ? 1 : 0);
        if (setPositions) _writer.Doubles(positions);
        _writer.Strings(commands.ToList());
        var r = Exchange("running commands");
        if (setPositions) positions.CopyTo(_last);
        double energy = r.Double();
        r.Doubles(positions);
        var c = new double[9];
        r.Doubles(c);
        Cell = new Cell(new Vec3(c[0], c[1], c[2]), c[3], c[4], c[5], c[6], c[7], c[8], Cell.Periodic[0], Cell.Periodic[1], Cell.Periodic[2]);
        NearestImages(positions);
        positions.CopyTo(_last);
        return energy;
    }

    /// <summary>
    /// Minimises the energy from <paramref name="positions"/> (conjugate gradients, fixed box) until the largest force
    /// component is below <paramref name="forceTolerance"/> eV/A or <paramref name="maxIterations"/> is reached;
    /// <paramref name="positions"/> receives the minimum. Returns its energy.
    /// </summary>
    public double Minimize(Span<double> positions, double forceTolerance = 1e-6, int maxIterations = 10000)
    {
        if (!(forceTolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(forceTolerance), "the force tolerance must be 0 or more");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), "at least one iteration is needed");
        return Run(
        [
            "min_style cg",
            "min_modify norm inf", // ftol bounds the largest force component, not the length of the 3N force vector
            FormattableString.Invariant($"minimize 0 {forceTolerance:R} {maxIterations} {10 * maxIterations}"),
        ], positions);
    }

    /// <summary>Sends 3N doubles to the worker and back without LAMMPS: the message-passing cost of one force call.</summary>
    internal TimeSpan EchoRoundTrip(ReadOnlySpan<double> values)
    {
        var back = new double[values.Length];
        long start = Stopwatch.GetTimestamp();
        _writer.Request(LammpsRequest.Echo).Doubles(values);
        Exchange("echoing").Doubles(back);
        return Stopwatch.GetElapsedTime(start);
    }

    /// <summary>Moves every atom by the cell vectors that bring it nearest to its last known position.</summary>
    private void NearestImages(Span<double> positions)
    {
        var cell = Cell;
        for (int k = 0; k < positions.Length; k += 3)
        {
            var p = new Vec3(positions[k], positions[k + 1], positions[k + 2]);
            var near = new Vec3(_last[k], _last[k + 1], _last[k + 2]);
            var q = near + cell.MinimumImage(p - near);
            positions[k] = q.X; positions[k + 1] = q.Y; positions[k + 2] = q.Z;
        }
    }

    /// <summary>Sends the request being built and returns the reader of a successful reply.</summary>
    private WireReader Exchange(string during)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_failure is not null) throw new LammpsException($"the LAMMPS worker stopped earlier: {_failure}");
        try
        {
            _writer.SendTo(_requests);
            if (!_reader.Receive(_replies)) throw new EndOfStreamException();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            _failure = Died(during);
            throw new LammpsException(_failure);
        }
        if (_reader.Byte() != 0) throw new LammpsException(_reader.String());
        return _reader;
    }

    /// <summary>What killed the worker: the ERROR line of the LAMMPS log, else the end of its stderr, else its exit code.</summary>
    private string Died(string during)
    {
        if (!_process.WaitForExit(10_000)) _process.Kill(entireProcessTree: true);
        _process.WaitForExit(); // also drains the stderr reader
        string? error = LammpsLog.Error(LogPath);
        string? stderr = _stderr.Text();
        string detail = error ?? (stderr is { Length: > 0 } ? stderr : $"no message (exit code {_process.ExitCode})");
        return $"LAMMPS stopped while {during}: {detail}";
    }

    private Process StartWorker()
    {
        var psi = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var (program, args) = WorkerCommand();
        psi.FileName = program;
        foreach (var a in args) psi.ArgumentList.Add(a);
        // one thread: the machine's cores go to separate workers; and Open MPI's singleton start refuses root otherwise
        psi.Environment["OMP_NUM_THREADS"] = "1";
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        psi.Environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        var process = new Process { StartInfo = psi };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _stderr.Add(e.Data); };
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new LammpsException($"cannot start the LAMMPS worker {program}: {e.Message}");
        }
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// How to start the worker: the same dotnet host with Softspot.LammpsWorker.dll when this process runs under
    /// dotnet (tests), else its apphost next to this program's files, else the dll under dotnet.
    /// </summary>
    private static (string Program, string[] Args) WorkerCommand()
    {
        string dir = AppContext.BaseDirectory;
        string dll = Path.Combine(dir, WorkerName + ".dll"), apphost = Path.Combine(dir, WorkerName);
        string? host = Environment.ProcessPath;
        bool underDotnet = host is not null && Path.GetFileNameWithoutExtension(host) == "dotnet";
        if (underDotnet && File.Exists(dll)) return (host!, [dll]);
        if (File.Exists(apphost)) return (apphost, []);
        if (File.Exists(dll)) return (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll]);
        throw new LammpsException($"the LAMMPS worker ({WorkerName}) is missing from {dir}: rebuild Softspot");
    }

    private void RequireLength(int length, string name)
    {
        if (length != 3 * Count) throw new ArgumentException($"{name} has {length} numbers; {3 * Count} (3 per atom) are needed", name);
    }

    /// <summary>Asks the worker to quit (killing it if it does not) and removes the temporary log folder.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try
        {
            if (_failure is null && !_process.HasExited)
            {
                try
                {
                    _writer.Request(LammpsRequest.Quit).SendTo(_requests);
                    _reader.Receive(_replies);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException) { }
            }
            if (!_process.WaitForExit(5000)) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { } // never started
        finally
        {
            _process.Dispose();
            DeleteTempFolder();
        }
    }

    private void DeleteTempFolder()
    {
        if (_tempFolder is not null)
            try { Directory.Delete(_tempFolder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Reads a LAMMPS log for the error that ended a run.</summary>
internal static class LammpsLog
{
    /// <summary>
    /// The last "ERROR..." line of the log's end, with the "Last command:" line when there is one; null when the log
    /// is missing or has no error.
    /// </summary>
    public static string? Error(string path)
    {
        if (!File.Exists(path)) return null;
        string text;
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            const int tail = 1 << 16;
            if (f.Length > tail) f.Seek(-tail, SeekOrigin.End);
            using var r = new StreamReader(f);
            text = r.ReadToEnd();
        }
        var lines = text.Split('\n').Select(l => l.Trim()).ToArray();
        int at = Array.FindLastIndex(lines, l => l.StartsWith("ERROR", StringComparison.Ordinal));
        if (at < 0) return null;
        string? last = lines.Skip(at + 1).FirstOrDefault(l => l.StartsWith("Last command:", StringComparison.Ordinal));
        return last is null ? lines[at] : $"{lines[at]} ({last})";
    }
}

/// <summary>The last lines of a process's output, collected as they arrive.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> _lines = new();

    public void Add(string line)
    {
        lock (_lines)
        {
            _lines.Enqueue(line);
            while (_lines.Count > capacity) _lines.Dequeue();
        }
    }

    /// <summary>The collected lines joined by " | ", or null when there are none.</summary>
    public string? Text()
    {
        lock (_lines)
            return _lines.Count == 0 ? null : string.Join(" | ", _lines.Select(l => l.Trim()).Where(l => l.Length > 0));
    }
}
