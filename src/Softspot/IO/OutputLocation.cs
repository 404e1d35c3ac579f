namespace Softspot.IO;

/// <summary>
/// The one check of an output location, made before any work starts (so that a run never computes for an hour and
/// then cannot write): a file output must not be an existing folder, a folder output must not be an existing file,
/// every existing folder on the way must be a folder (not a file), and the deepest existing one must be writable
/// (tried by creating and deleting a probe file in it). Missing folders are not refused: they are created when the
/// output is written, as <see cref="AtomicFile"/> does; the check itself creates nothing.
/// </summary>
public static class OutputLocation
{
    /// <summary>Checks that a file can be written at <paramref name="path"/>; <paramref name="what"/> names it (e.g. "--out").</summary>
    public static void CheckFile(string? path, string what)
    {
        string full = Full(path, what);
        if (Directory.Exists(full)) throw Fail(what, path!, "is a folder; give a file name");
        CheckFolderOf(Path.GetDirectoryName(full)!, what, path!);
    }

    /// <summary>Checks that files can be written in the folder <paramref name="path"/> (made if missing).</summary>
    public static void CheckFolder(string? path, string what)
    {
        string full = Full(path, what);
        if (File.Exists(full)) throw Fail(what, path!, "is a file; give a folder");
        CheckFolderOf(full, what, path!);
    }

    private static string Full(string? path, string what)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new OutputLocationException($"{what}: give a path (it is empty)");
        if (path.IndexOf('\0') >= 0) throw new OutputLocationException($"{what}: the path holds a NUL character");
        try { return Path.GetFullPath(path); }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            throw new OutputLocationException($"{what} {path}: not a valid path ({e.Message})");
        }
    }

    /// <summary>The deepest existing ancestor of <paramref name="folder"/> (itself included) is a writable folder, and no ancestor is a file.</summary>
    private static void CheckFolderOf(string folder, string what, string path)
    {
        string? dir = folder;
        while (dir is not null && !Directory.Exists(dir))
        {
            if (File.Exists(dir)) throw Fail(what, path, $"{dir} is a file, not a folder");
            dir = Path.GetDirectoryName(dir);
        }
        if (dir is null) throw Fail(what, path, "no existing folder on its way");
        string probe = Path.Combine(dir, $".softspot-probe.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            try { File.Delete(probe); } catch (Exception) { /* it was never made */ }
            throw Fail(what, path, $"cannot write in {dir} ({Reason(e)})");
        }
    }

    private static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : "no file can be created there";

    private static OutputLocationException Fail(string what, string path, string problem) => new($"{what} {path}: {problem}");
}

/// <summary>An output location that cannot be written (an existing folder where a file goes, a file on the way, no permission).</summary>
public sealed class OutputLocationException(string message) : SoftspotException(message);
