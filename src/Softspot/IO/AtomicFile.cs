using System.IO.Compression;
using System.Text;

namespace Softspot.IO;

/// <summary>
/// Writes an output file atomically: everything goes to a temporary file in the same folder, which is renamed
/// over the target only when complete, so an interrupted run never leaves a half-written file that looks finished.
/// A target ending in .gz is gzip-compressed. The temporary file is hidden and named for its target and writer,
/// <c>.NAME.PID.GUID.tmp</c>: a run stopped by SIGINT or SIGTERM deletes its own (see <see cref="DeleteUnfinished"/>),
/// and the next write to the same target removes those of writers that no longer run (killed with SIGKILL, say).
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _target, _temp;
    private readonly FileStream _file;
    private readonly Stream _stream;
    private bool _committed, _disposed;

    /// <summary>The text output.</summary>
    public TextWriter Writer { get; }

    /// <summary>The binary output (Parquet, say); a file is written through this or through <see cref="Writer"/>, not both.</summary>
    public Stream Stream => _stream;

    private AtomicFile(string path)
    {
        if (Interrupted) throw new OperationCanceledException("interrupted");
        _target = Path.GetFullPath(path);
        if (Directory.Exists(_target)) throw new OutputLocationException($"{path}: is a folder; give a file name");
        string dir = Path.GetDirectoryName(_target)!;
        _temp = Path.Combine(dir, $".{Path.GetFileName(_target)}.{Environment.ProcessId}.{Guid.NewGuid():N}{TempSuffix}");
        try
        {
            Directory.CreateDirectory(dir);
            RemoveAbandoned(_target);
            _file = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputLocationException($"{path}: cannot write it ({(e is UnauthorizedAccessException ? "permission denied" : e.Message.TrimEnd('.'))})");
        }
        Unfinished.TryAdd(_temp, 0);
        _stream = _target.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(_file, CompressionLevel.Fastest, leaveOpen: true) : _file;
        Writer = new StreamWriter(_stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    }

    /// <summary>Opens a temporary file for the target; nothing appears at the target until <see cref="Commit"/>.</summary>
    public static AtomicFile Create(string path) => new(path);

    /// <summary>Flushes everything to disk and renames the temporary file over the target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        Writer.Dispose();
        if (_stream != _file) _stream.Dispose();
        _file.Flush(flushToDisk: true);
        _file.Dispose();
        if (Interrupted) throw new OperationCanceledException("interrupted");
        File.Move(_temp, _target, overwrite: true);
        Unfinished.TryRemove(_temp, out _);
        _committed = true;
        _disposed = true;
    }

    /// <summary>Without a commit, discards the temporary file (the target is untouched).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        try { Writer.Dispose(); if (_stream != _file) _stream.Dispose(); } catch (IOException) { }
        _file.Dispose();
        if (!_committed) try { File.Delete(_temp); } catch (IOException) { }
        Unfinished.TryRemove(_temp, out _);
    }

    /// <summary>The temporary files of this process's writes under way.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> Unfinished = new();

    /// <summary>Cancelled (once, for good) when the process is being stopped: no later commit or create succeeds.</summary>
    private static readonly CancellationTokenSource Stopping = new();

    private static bool Interrupted => Stopping.IsCancellationRequested;

    /// <summary>
    /// Deletes the temporary files of every write under way in this process, and makes any later commit or create
    /// fail: for a process that is being stopped (SIGINT, SIGTERM) and will leave its outputs unwritten. Returns how many.
    /// </summary>
    public static int DeleteUnfinished()
    {
        Stopping.Cancel();
        int deleted = 0;
        foreach (var temp in Unfinished.Keys)
            try { File.Delete(temp); deleted++; Unfinished.TryRemove(temp, out _); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return deleted;
    }

    /// <summary>Writes a whole file atomically.</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        using var f = Create(path);
        write(f.Writer);
        f.Commit();
    }

    private const string TempSuffix = ".tmp";

    /// <summary>
    /// The temporary files of unfinished writes to <paramref name="target"/> (.NAME.PID.GUID.tmp in its folder), with
    /// the id of the process that was writing each and whether that process still runs.
    /// </summary>
    public static IReadOnlyList<(string Path, int ProcessId, bool Running)> Temporaries(string target)
    {
        string full = Path.GetFullPath(target), dir = Path.GetDirectoryName(full)!, prefix = "." + Path.GetFileName(full) + ".";
        if (!Directory.Exists(dir)) return [];
        var found = new List<(string, int, bool)>();
        foreach (var path in Directory.EnumerateFiles(dir, prefix + "*" + TempSuffix))
        {
            var middle = Path.GetFileName(path)[prefix.Length..^TempSuffix.Length].Split('.');
            if (middle.Length == 2 && middle[1].Length == 32 && int.TryParse(middle[0], out int pid))
                found.Add((path, pid, IsRunning(pid)));
        }
        return found;
    }

    /// <summary>Deletes the temporary files of <paramref name="target"/> whose writer has stopped (killed); returns how many.</summary>
    public static int RemoveAbandoned(string target)
    {
        int removed = 0;
        foreach (var (path, _, running) in Temporaries(target))
            if (!running) try { File.Delete(path); removed++; } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
