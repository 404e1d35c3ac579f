using System.Globalization;

namespace Softspot.IO;

/// <summary>
/// Reads a text file line by line, counting lines for error messages. Gzip-compressed files (by their magic
/// bytes, whatever their name) are decompressed on the fly, so a file of any size is streamed, never loaded; their
/// CRC-32 and length trailers are checked (<see cref="CheckedGzipStream"/>), so a file cut short is an error, never a
/// shorter file.
/// </summary>
public sealed class LineReader : IDisposable
{
    private readonly TextReader _reader;
    private string? _peeked;
    private bool _hasPeeked;

    public string Path { get; }
    /// <summary>1-based number of the line last returned by <see cref="Next"/> (0 before the first).</summary>
    public long LineNumber { get; private set; }

    private readonly long _fileBytes;
    private readonly bool _gzip;

    /// <summary>
    /// The most atom lines the file could hold: each takes at least 6 bytes of text, and deflate expands data at most
    /// 1032-fold. A frame declaring more is refused before its arrays are allocated (a header saying 2,000,000,000
    /// atoms must not exhaust the memory before the file turns out to be short).
    /// </summary>
    public long MaxAtomLines => (_gzip ? Math.Min(_fileBytes, long.MaxValue / 1032) * 1032 : _fileBytes) / 6;

    /// <summary>Refuses a declared atom count the file cannot hold (see <see cref="MaxAtomLines"/>), naming the line that declares it.</summary>
    public void RequireRoomFor(long atoms, long declaredAt, string frame)
    {
        if (atoms > MaxAtomLines)
            throw new InputFormatException(Path, declaredAt, InputProblem.AtomCount,
                $"{frame} declares {atoms:N0} atoms, more than the file can hold ({_fileBytes:N0} bytes{(_gzip ? " compressed" : "")})");
    }

    public LineReader(string path)
    {
        Path = path;
        _reader = OpenText(path, out _fileBytes, out _gzip);
    }

    /// <summary>
    /// Opens a text file to read, decompressing it when it is gzip (by its magic bytes, with its trailers checked);
    /// a missing file, a folder or a file that cannot be read is an <see cref="InputFormatException"/>.
    /// </summary>
    internal static StreamReader OpenText(string path, out long fileBytes, out bool gzip)
    {
        Stream stream;
        try { stream = File.OpenRead(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, 0, InputProblem.Syntax, "no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, InputProblem.Syntax, Directory.Exists(path) ? "is a folder, not a file" : "permission denied");
        }
        fileBytes = stream.Length;
        gzip = IsGzip(stream);
        if (gzip)
        {
            try { stream = new CheckedGzipStream(stream); }
            catch (GzipIntegrityException e) { stream.Dispose(); throw new InputFormatException(path, 0, InputProblem.Truncated, e.Message); }
        }
        return new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
    }

    private static bool IsGzip(Stream s)
    {
        if (!s.CanSeek) return false;
        Span<byte> magic = stackalloc byte[2];
        int n = s.Read(magic);
        s.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    /// <summary>The next line, or null at the end of the file.</summary>
    public string? Next()
    {
        string? line;
        if (_hasPeeked) { line = _peeked; _hasPeeked = false; }
        else
        {
            line = ReadLine();
        }
        if (line is not null) LineNumber++;
        return line;
    }

    private string? ReadLine()
    {
        try { return _reader.ReadLine(); }
        // a gzip file cut short or corrupt, noticed where its text ends (or turns to garbage)
        catch (GzipIntegrityException e) { throw new InputFormatException(Path, LineNumber + 1, InputProblem.Truncated, e.Message); }
        catch (InvalidDataException e) { throw Fail(InputProblem.Truncated, $"corrupt compressed data ({e.Message})"); }
    }

    /// <summary>The next line without consuming it.</summary>
    public string? Peek()
    {
        if (!_hasPeeked)
        {
            _peeked = ReadLine();
            _hasPeeked = true;
        }
        return _peeked;
    }

    /// <summary>The next line; an error naming what was expected at the end of the file.</summary>
    public string Require(string expected) =>
        Next() ?? throw new InputFormatException(Path, LineNumber + 1, InputProblem.Truncated, $"unexpected end of file: expected {expected}");

    /// <summary>
    /// Passes over the <paramref name="count"/> atom lines of a frame without parsing them (a frame another shard
    /// reads); a line starting with <paramref name="nextFrame"/> or the end of the file first is the error it would be
    /// when parsed: fewer lines than the frame declares.
    /// </summary>
    public void SkipAtomLines(long count, string nextFrame, string frame)
    {
        for (long k = 0; k < count; k++)
        {
            string? line = Next();
            if (line is null)
                throw new InputFormatException(Path, LineNumber + 1, InputProblem.Truncated, $"unexpected end of file: {frame} declares {count} atoms but only {k} were read");
            if (nextFrame.Length > 0 && line.StartsWith(nextFrame, StringComparison.Ordinal))
                throw Fail(InputProblem.AtomCount, $"{frame} declares {count} atoms but has {k} atom lines");
        }
    }

    public InputFormatException Fail(InputProblem kind, string problem) => new(Path, LineNumber, kind, problem);

    /// <summary>A number from a field of the current line, or an error naming the field.</summary>
    public double ParseDouble(ReadOnlySpan<char> field, string what)
    {
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)) return v;
        throw Fail(InputProblem.NotANumber, $"{what}: '{field}' is not a finite number");
    }

    /// <summary>
    /// A per-atom property value: any number, NaN and infinities included (LAMMPS writes them as nan, -nan, inf, -inf;
    /// Softspot writes NaN for unlabelled atoms), or an error naming the field.
    /// </summary>
    public double ParseValue(ReadOnlySpan<char> field, string what)
    {
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        var t = field.TrimStart('-').TrimStart('+');
        if (t.Equals("nan", StringComparison.OrdinalIgnoreCase)) return double.NaN;
        if (t.Equals("inf", StringComparison.OrdinalIgnoreCase) || t.Equals("infinity", StringComparison.OrdinalIgnoreCase))
            return field[0] == '-' ? double.NegativeInfinity : double.PositiveInfinity;
        throw Fail(InputProblem.NotANumber, $"{what}: '{field}' is not a number");
    }

    public long ParseLong(ReadOnlySpan<char> field, string what)
    {
        if (Numbers.TryParseInteger(field, out long v)) return v;
        throw Fail(InputProblem.NotANumber, $"{what}: '{field}' is not an integer");
    }

    public void Dispose() => _reader.Dispose();

    /// <summary>
    /// The frames of a multi-frame text file, one at a time: skips blank lines between frames and hands each
    /// frame's first line to <paramref name="readFrame"/> with the frame's 0-based index.
    /// </summary>
    public static IEnumerable<T> Frames<T>(string path, Func<LineReader, string, int, T> readFrame)
    {
        using var r = new LineReader(path);
        int frame = 0;
        while (true)
        {
            string? line;
            do { line = r.Next(); } while (line is not null && line.Trim().Length == 0);
            if (line is null) yield break;
            yield return readFrame(r, line, frame++);
        }
    }
}

/// <summary>Splits a line into whitespace-separated fields without allocating.</summary>
public static class Fields
{
    /// <summary>Writes the ranges of up to ranges.Length fields; returns the total number of fields on the line.</summary>
    public static int Split(ReadOnlySpan<char> line, Span<Range> ranges)
    {
        int count = 0, i = 0, n = line.Length;
        while (i < n)
        {
            while (i < n && IsSpace(line[i])) i++;
            if (i >= n) break;
            int start = i;
            while (i < n && !IsSpace(line[i])) i++;
            if (count < ranges.Length) ranges[count] = new Range(start, i);
            count++;
        }
        return count;
    }

    public static string[] SplitToStrings(string line) =>
        line.Split([' ', '\t', '\r'], StringSplitOptions.RemoveEmptyEntries);

    private static bool IsSpace(char c) => c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
