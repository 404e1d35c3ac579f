using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Softspot.Structures;

namespace Softspot.Simulation.Lammps;

/// <summary>
/// The worker side of <see cref="LammpsForceEngine"/>: a process that owns one LAMMPS instance and answers requests
/// read from its input with replies on its output, in the messages of <see cref="WireWriter"/>. A LAMMPS error ends
/// the process (the library calls exit()); the client then reads the error from the LAMMPS log.
/// </summary>
/// <remarks>
/// Requests start with a <see cref="LammpsRequest"/> code; every reply starts with a status byte (0 = done, 1 = a
/// managed error whose message follows).
/// <list type="bullet">
/// <item>Setup: log path ("" for none), N, types count, cell (origin, lx, ly, lz, xy, xz, yz), periodic flags,
/// N types, 3N positions, a mass per type, input lines (the potential and any extra commands). Reply: LAMMPS version
/// (YYYYMMDD) and the energy.</item>
/// <item>Compute: 3N positions. Reply: energy, 3N forces.</item>
/// <item>Commands: a flag and 3N positions when set, input lines. Reply: energy, 3N positions as LAMMPS holds them
/// (in or near the box), the cell afterwards.</item>
/// <item>Echo: doubles, returned unchanged (times the message passing).</item>
/// <item>Quit: reply, then the worker ends.</item>
/// </list>
/// </remarks>
internal static partial class LammpsWorker
{
    /// <summary>
    /// Serves the process's standard streams. LAMMPS and the MPI library may write to C stdout (file descriptor 1),
    /// so the replies go to a private copy of the original stdout and descriptor 1 is pointed at stderr first.
    /// </summary>
    public static int ServeStandardStreams()
    {
        int replies = dup(1);
        if (replies < 0 || dup2(2, 1) < 0)
        {
            Console.Error.WriteLine($"softspot lammps worker: cannot redirect stdout (errno {Marshal.GetLastPInvokeError()})");
            return 3;
        }
        using var output = new FileStream(new SafeFileHandle(replies, ownsHandle: true), FileAccess.Write, bufferSize: 0);
        using var input = Console.OpenStandardInput();
        return Serve(input, output);
    }

    /// <summary>Answers requests until Quit or the end of the input; returns the process exit code.</summary>
    public static int Serve(Stream input, Stream output)
    {
        var reader = new WireReader();
        var writer = new WireWriter();
        WorkerSession? session = null;
        try
        {
            while (reader.Receive(input))
            {
                var request = (LammpsRequest)reader.Int();
                try
                {
                    switch (request)
                    {
                        case LammpsRequest.Setup:
                            session?.Dispose();
                            session = null;
                            session = WorkerSession.Open(reader, writer.Ok());
                            break;
                        case LammpsRequest.Compute:
                            Require(session).Compute(reader, writer.Ok());
                            break;
                        case LammpsRequest.Commands:
                            Require(session).Commands(reader, writer.Ok());
                            break;
                        case LammpsRequest.Echo:
                            EchoDoubles(reader, writer.Ok());
                            break;
                        case LammpsRequest.Quit:
                            writer.Ok().SendTo(output);
                            return 0;
                        default:
                            throw new InvalidDataException($"unknown request {(int)request}");
                    }
                }
                catch (Exception e) when (e is LammpsException or InvalidDataException or ArgumentException or InvalidOperationException)
                {
                    writer.Error(e.Message);
                }
                writer.SendTo(output);
            }
            return 0;
        }
        finally
        {
            session?.Dispose();
        }
    }

    /// <summary>Returns the doubles of an Echo request unchanged (to time the message passing alone).</summary>
    private static void EchoDoubles(WireReader r, WireWriter reply)
    {
        var values = new double[r.PeekInt()];
        r.Doubles(values);
        reply.Doubles(values);
    }

    private static WorkerSession Require(WorkerSession? session) =>
        session ?? throw new InvalidOperationException("the LAMMPS worker has not been set up");

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int dup(int fd);

    [LibraryImport("libc.so.6", SetLastError = true)]
    private static partial int dup2(int oldFd, int newFd);
}

/// <summary>The request codes of the LAMMPS worker protocol.</summary>
internal enum LammpsRequest
{
    Setup = 1,
    Compute = 2,
    Commands = 3,
    Quit = 4,
    Echo = 5,
}

/// <summary>
/// The LAMMPS instance of a worker and its structure: builds the box and atoms, evaluates forces with
/// <c>run 1 pre no post no</c>, and hands positions to LAMMPS in the periodic image it already holds them in.
/// </summary>
internal sealed class WorkerSession : IDisposable
{
    /// <summary>The log is restarted (truncated) after this many force calls, so long searches do not fill the disk.</summary>
    private const int CallsPerLog = 2000;

    private readonly LammpsInstance _lammps;
    private readonly string _log;
    private readonly int _n;
    private Cell _cell;
    private readonly double[] _held;    // positions as LAMMPS holds them (3N), read back after every run
    private readonly double[] _buffer;  // 3N scratch
    private long _calls;

    private WorkerSession(LammpsInstance lammps, string log, int n, Cell cell)
    {
        _lammps = lammps; _log = log; _n = n; _cell = cell;
        _held = new double[3 * n];
        _buffer = new double[3 * n];
    }

    /// <summary>Reads a Setup request, builds the system, runs <c>run 0</c> and writes the version and energy.</summary>
    public static WorkerSession Open(WireReader r, WireWriter reply)
    {
        string log = r.String();
        int n = r.Int(), ntypes = r.Int();
        if (n < 1 || ntypes < 1) throw new InvalidDataException($"setup with {n} atoms and {ntypes} types");
        var c = new double[9];
        r.Doubles(c);
        var periodic = new bool[3];
        for (int d = 0; d < 3; d++) periodic[d] = r.Int() != 0;
        var cell = new Cell(new Vec3(c[0], c[1], c[2]), c[3], c[4], c[5], c[6], c[7], c[8], periodic[0], periodic[1], periodic[2]);
        var types = new int[n];
        r.Ints(types);
        var positions = new double[3 * n];
        r.Doubles(positions);
        var masses = new double[ntypes];
        r.Doubles(masses);
        var commands = r.Strings();
        foreach (int t in types)
            if (t < 1 || t > ntypes) throw new ArgumentException($"atom type {t} is outside 1..{ntypes}");
        RequireFinite(positions);

        var lammps = new LammpsInstance(["-screen", "none", "-log", log.Length == 0 ? "none" : log, "-nocite"]);
        var session = new WorkerSession(lammps, log, n, cell);
        try
        {
            session.Build(types, positions, masses, commands);
            reply.Int(lammps.Version).Double(session.Run("run 0"));
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    private void Build(int[] types, double[] positions, double[] masses, string[] commands)
    {
        foreach (var line in BoxCommands(_cell, masses.Length)) _lammps.Command(line);
        for (int t = 0; t < masses.Length; t++) _lammps.Command(Invariant($"mass {t + 1} {masses[t]:R}"));
        for (int i = 0; i < _n; i++)
        {
            var w = _cell.Wrap(new Vec3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]));
            _buffer[3 * i] = w.X; _buffer[3 * i + 1] = w.Y; _buffer[3 * i + 2] = w.Z;
        }
        bool shrinkWrapped = !_cell.Periodic.All(p => p);
        int made = _lammps.CreateAtoms(types, _buffer, shrinkWrapped);
        if (made != _n || _lammps.AtomCount != _n)
            throw new LammpsException($"LAMMPS created {made} of {_n} atoms (the others fell outside its box)");
        foreach (var line in new[] { "neighbor 1.0 bin", "neigh_modify every 1 delay 0 check yes", "thermo_style custom step pe", "thermo_modify norm no" })
            _lammps.Command(line);
        foreach (var line in commands) _lammps.Command(line);
        _lammps.Command("echo none"); // force calls do not echo their run command into the log
    }

    /// <summary>
    /// The input lines that make an empty box like <paramref name="cell"/> (periodic or shrink-wrapped per
    /// direction) for <paramref name="ntypes"/> atom types, with the atom map gather/scatter need.
    /// </summary>
    internal static IEnumerable<string> BoxCommands(Cell cell, int ntypes)
    {
        yield return "units metal";
        yield return "atom_style atomic";
        yield return "atom_modify map array";
        yield return "boundary " + string.Join(' ', cell.Periodic.Select(p => p ? "p" : "s"));
        var (o, hi) = (cell.Origin, cell.Hi);
        string bounds = Invariant($"{o.X:R} {hi.X:R} {o.Y:R} {hi.Y:R} {o.Z:R} {hi.Z:R}");
        if (cell.IsTriclinic)
        {
            // this LAMMPS refuses tilts beyond half a box length unless told; the test is deliberately loose
            if (Math.Abs(cell.Xy) > 0.5 * Math.Min(cell.Lx, cell.Ly) || Math.Abs(cell.Xz) > 0.5 * Math.Min(cell.Lx, cell.Lz)
                || Math.Abs(cell.Yz) > 0.5 * Math.Min(cell.Ly, cell.Lz))
                yield return "box tilt large";
            yield return Invariant($"region softspot_box prism {bounds} {cell.Xy:R} {cell.Xz:R} {cell.Yz:R} units box");
        }
        else yield return $"region softspot_box block {bounds} units box";
        yield return Invariant($"create_box {ntypes} softspot_box");
    }

    /// <summary>Reads 3N positions, evaluates them and writes the energy and 3N forces.</summary>
    public void Compute(WireReader r, WireWriter reply)
    {
        r.Doubles(_buffer);
        SetPositions(_buffer);
        double energy = Run("run 1 pre no post no");
        reply.Double(energy);
        _lammps.Gather("f", 3, _buffer);
        reply.Doubles(_buffer);
        if (++_calls % CallsPerLog == 0 && _log.Length > 0) _lammps.Command($"log {_log}");
    }

    /// <summary>Reads optional positions and input lines, runs them, then <c>run 0</c>; writes energy, positions and cell.</summary>
    public void Commands(WireReader r, WireWriter reply)
    {
        if (r.Int() != 0)
        {
            r.Doubles(_buffer);
            SetPositions(_buffer);
        }
        foreach (var line in r.Strings()) _lammps.Command(line);
        if (_lammps.AtomCount != _n)
            throw new LammpsException($"the commands left {_lammps.AtomCount} atoms of {_n}: the force engine needs the same atoms throughout");
        double energy = Run("run 0");
        var (lo, hi, xy, xz, yz, periodic) = _lammps.Box();
        _cell = new Cell(new Vec3(lo[0], lo[1], lo[2]), hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2], xy, xz, yz,
            periodic[0], periodic[1], periodic[2]);
        reply.Double(energy);
        reply.Doubles(_held);
        var o = _cell.Origin;
        reply.Doubles([o.X, o.Y, o.Z, _cell.Lx, _cell.Ly, _cell.Lz, _cell.Xy, _cell.Xz, _cell.Yz]);
    }

    /// <summary>Runs a run command, reads back the positions LAMMPS now holds and returns the potential energy.</summary>
    private double Run(string run)
    {
        _lammps.Command(run);
        _lammps.Gather("x", 3, _held);
        return _lammps.Thermo("pe");
    }

    /// <summary>
    /// Scatters positions, each moved by the lattice vector that brings it nearest to where LAMMPS holds the atom.
    /// LAMMPS remaps atoms into the box only at neighbour-list rebuilds and only by one period, so positions far
    /// outside (unwrapped trajectories) must be brought back; keeping LAMMPS's own image avoids a rebuild every time an
    /// atom sits just outside a face.
    /// </summary>
    private void SetPositions(double[] x)
    {
        RequireFinite(x);
        var cell = _cell;
        for (int i = 0; i < _n; i++)
        {
            int k = 3 * i;
            var held = new Vec3(_held[k], _held[k + 1], _held[k + 2]);
            var p = new Vec3(x[k], x[k + 1], x[k + 2]);
            var s = cell.DisplacementToFractional(p - held);
            var shift = cell.FractionalToDisplacement(new Vec3(
                cell.Periodic[0] ? Math.Round(s.X) : 0, cell.Periodic[1] ? Math.Round(s.Y) : 0, cell.Periodic[2] ? Math.Round(s.Z) : 0));
            if (shift.X != 0 || shift.Y != 0 || shift.Z != 0) p -= shift;
            x[k] = p.X; x[k + 1] = p.Y; x[k + 2] = p.Z;
        }
        _lammps.Scatter("x", 3, x);
    }

    private static void RequireFinite(double[] x)
    {
        for (int i = 0; i < x.Length; i++)
            if (!double.IsFinite(x[i]))
                throw new ArgumentException(Invariant($"coordinate {"xyz"[i % 3]} of atom {i / 3 + 1} is {x[i]}, not a finite number"));
    }

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    public void Dispose() => _lammps.Dispose();
}

/// <summary>
/// Builds one message of the worker protocol: a 4-byte little-endian length, then the fields (little-endian ints and
/// doubles, UTF-8 strings with a length prefix). The buffer is reused from message to message.
/// </summary>
internal sealed class WireWriter
{
    private byte[] _buffer = new byte[1 << 12];
    private int _length = 4;

    /// <summary>Starts a reply that reports success.</summary>
    public WireWriter Ok() { _length = 4; return Byte(0); }

    /// <summary>Replaces the message with an error reply.</summary>
    public WireWriter Error(string message) { _length = 4; return Byte(1).String(message); }

    /// <summary>Starts a request.</summary>
    public WireWriter Request(LammpsRequest request) { _length = 4; return Int((int)request); }

    public WireWriter Byte(byte value) { Span(1)[0] = value; return this; }

    public WireWriter Int(int value) { BinaryPrimitives.WriteInt32LittleEndian(Span(4), value); return this; }

    public WireWriter Double(double value) { BinaryPrimitives.WriteDoubleLittleEndian(Span(8), value); return this; }

    public WireWriter Ints(ReadOnlySpan<int> values)
    {
        Int(values.Length);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values).CopyTo(Span(4 * values.Length));
        else foreach (int v in values) Int(v);
        return this;
    }

    public WireWriter Doubles(ReadOnlySpan<double> values)
    {
        Int(values.Length);
        if (BitConverter.IsLittleEndian) MemoryMarshal.AsBytes(values).CopyTo(Span(8 * values.Length));
        else foreach (double v in values) Double(v);
        return this;
    }

    public WireWriter String(string value)
    {
        int count = Encoding.UTF8.GetByteCount(value);
        Int(count);
        Encoding.UTF8.GetBytes(value, Span(count));
        return this;
    }

    public WireWriter Strings(IReadOnlyCollection<string> values)
    {
        Int(values.Count);
        foreach (var v in values) String(v);
        return this;
    }

    /// <summary>Writes the message (length first) in one piece and flushes.</summary>
    public void SendTo(Stream stream)
    {
        BinaryPrimitives.WriteInt32LittleEndian(_buffer, _length - 4);
        stream.Write(_buffer, 0, _length);
        stream.Flush();
        _length = 4;
    }

    private Span<byte> Span(int count)
    {
        if (_length + count > _buffer.Length) Array.Resize(ref _buffer, Math.Max(2 * _buffer.Length, _length + count));
        var s = _buffer.AsSpan(_length, count);
        _length += count;
        return s;
    }
}

/// <summary>Reads one message of the worker protocol at a time (see <see cref="WireWriter"/>) and its fields in order.</summary>
internal sealed class WireReader
{
    private byte[] _buffer = new byte[1 << 12];
    private int _length, _position;

    /// <summary>Reads the next message; false at the end of the stream before a message starts.</summary>
    /// <exception cref="EndOfStreamException">the stream ended inside a message.</exception>
    public bool Receive(Stream stream)
    {
        Span<byte> header = stackalloc byte[4];
        int got = stream.ReadAtLeast(header, 4, throwOnEndOfStream: false);
        if (got == 0) return false;
        if (got < 4) throw new EndOfStreamException("the stream ended inside a message header");
        int length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 0) throw new InvalidDataException($"message length {length}");
        if (length > _buffer.Length) _buffer = new byte[Math.Max(length, 2 * _buffer.Length)];
        stream.ReadExactly(_buffer, 0, length);
        _length = length;
        _position = 0;
        return true;
    }

    public byte Byte() => Take(1)[0];

    public int Int() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

    /// <summary>The next int (e.g. an array length) without consuming it.</summary>
    public int PeekInt()
    {
        int value = Int();
        _position -= 4;
        return value;
    }

    public double Double() => BinaryPrimitives.ReadDoubleLittleEndian(Take(8));

    /// <summary>Reads an int array into <paramref name="values"/>, whose length must match the sent one.</summary>
    public void Ints(Span<int> values)
    {
        Count(values.Length);
        var bytes = Take(4 * values.Length);
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(bytes[(4 * i)..]);
    }

    /// <summary>Reads a double array into <paramref name="values"/>, whose length must match the sent one.</summary>
    public void Doubles(Span<double> values)
    {
        Count(values.Length);
        var bytes = Take(8 * values.Length);
        if (BitConverter.IsLittleEndian) bytes.CopyTo(MemoryMarshal.AsBytes(values));
        else for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
    }

    public string String()
    {
        int count = Int();
        return Encoding.UTF8.GetString(Take(count));
    }

    public string[] Strings()
    {
        int count = Int();
        if (count < 0 || count > _length) throw new InvalidDataException($"string count {count}");
        var values = new string[count];
        for (int i = 0; i < count; i++) values[i] = String();
        return values;
    }

    private void Count(int expected)
    {
        int count = Int();
        if (count != expected) throw new InvalidDataException($"expected {expected} values, the message has {count}");
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (count < 0 || _position + count > _length) throw new InvalidDataException("message shorter than its fields");
        var s = _buffer.AsSpan(_position, count);
        _position += count;
        return s;
    }
}
