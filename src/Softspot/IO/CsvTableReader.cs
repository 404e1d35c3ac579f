using System.Globalization;
using nietras.SeparatedValues;

namespace Softspot.IO;

/// <summary>
/// Reads a CSV table, header row first, then one row at a time: the one CSV reader of Softspot, built on Sep. RFC
/// 4180: a cell in double quotes may hold commas, line breaks and doubled quotes; lines end in LF, CRLF or CR; a
/// UTF-8 byte-order mark is dropped; a gzip file is read through <see cref="CheckedGzipStream"/> whatever its name,
/// as <see cref="LineReader"/> opens it. Errors name the file and the physical line (a row is numbered by the line it
/// starts on, counting the line breaks inside quoted cells of the rows before it).
/// </summary>
public sealed class CsvTableReader : IDisposable
{
    // the separator is fixed (Sep would otherwise guess it from the first row); column counts, header names and
    // quotes are checked here, so that every problem is an InputFormatException naming the line
    private static readonly SepReaderOptions Options = Sep.New(',').Reader(o => o with { HasHeader = false, DisableColCountCheck = true });

    private readonly SepReader _sep;
    private readonly bool _skipBlank;
    private long _nextLine = 1;

    public string Path { get; }
    /// <summary>The header row's names, unquoted and trimmed of spaces.</summary>
    public IReadOnlyList<string> Header { get; }
    /// <summary>The 1-based line the current row starts on (1 for the header).</summary>
    public long LineNumber { get; private set; }
    /// <summary>The number of cells in the current row.</summary>
    public int Count => _sep.Current.ColCount;

    /// <summary>
    /// Opens a table and reads its header; an empty file is an error naming <paramref name="expectedHeader"/>. Rows
    /// that are blank (nothing but spaces) are passed over unless <paramref name="skipBlankRows"/> is false.
    /// </summary>
    public CsvTableReader(string path, string expectedHeader, bool skipBlankRows = true)
    {
        Path = path;
        _skipBlank = skipBlankRows;
        var text = LineReader.OpenText(path, out _, out _);
        try { _sep = Options.From(text); }
        catch { text.Dispose(); throw; }
        try
        {
            if (!Advance())
                throw new InputFormatException(path, 1, InputProblem.Truncated, $"unexpected end of file: expected {expectedHeader}");
            var names = new string[Count];
            for (int k = 0; k < names.Length; k++) names[k] = Unquote(_sep.Current[k].Span.Trim(' ')).Trim();
            Header = names;
        }
        catch { _sep.Dispose(); throw; }
    }

    /// <summary>Moves to the next row; false at the end of the file.</summary>
    public bool Next()
    {
        while (Advance())
            if (!_skipBlank || !IsBlank) return true;
        return false;
    }

    /// <summary>Whether the current row is blank: one cell of nothing but white space.</summary>
    public bool IsBlank => Count == 1 && _sep.Current[0].Span.IsWhiteSpace();

    private bool Advance()
    {
        bool more;
        try { more = _sep.MoveNext(); }
        // a gzip file cut short or corrupt, noticed where its text ends (or turns to garbage): Sep reads ahead, so
        // the line is the one after the last row returned
        catch (GzipIntegrityException e) { throw new InputFormatException(Path, _nextLine, InputProblem.Truncated, e.Message); }
        catch (InvalidDataException e) { throw new InputFormatException(Path, _nextLine, InputProblem.Truncated, $"corrupt compressed data ({e.Message})"); }
        if (!more) return false;
        var row = _sep.Current;
        // Sep numbers lines from 1, except that the first row's LineNumberFrom is its LineNumberToExcl
        LineNumber = row.RowIndex == 0 ? 1 : row.LineNumberFrom;
        _nextLine = row.LineNumberToExcl;
        if (row.Span.Contains('"'))
            for (int k = 0; k < row.ColCount; k++) CheckQuotes(row[k].Span);
        return true;
    }

    /// <summary>
    /// Cell <paramref name="k"/> of the current row, unquoted ("a ""b""" is a "b"); a cell not starting with a quote is
    /// its text as it is (quotes inside it are kept). Valid until the next row.
    /// </summary>
    public ReadOnlySpan<char> this[int k]
    {
        get
        {
            var raw = _sep.Current[k].Span;
            return raw.Length > 0 && raw[0] == '"' ? Unquote(raw) : raw;
        }
    }

    /// <summary>Cell <paramref name="k"/> as a string.</summary>
    public string Text(int k) => this[k].ToString();

    /// <summary>The current row as it is in the file (quotes kept), without its line end.</summary>
    public string RawRow => _sep.Current.Span.ToString();

    /// <summary>An error about the current row.</summary>
    public InputFormatException Fail(InputProblem kind, string problem) => new(Path, LineNumber, kind, problem);

    /// <summary>
    /// Cell <paramref name="k"/> as an integer ("1.0" is 1, as some tools write integers), or an error naming
    /// <paramref name="what"/>.
    /// </summary>
    public long ParseLong(int k, string what)
    {
        var cell = this[k];
        if (Numbers.TryParseInteger(cell, out long v)) return v;
        throw Fail(InputProblem.NotANumber, $"{what}: '{cell}' is not an integer");
    }

    /// <summary>Cell <paramref name="k"/> as a number (NaN and infinities included), or an error naming <paramref name="what"/>.</summary>
    public double ParseDouble(int k, string what)
    {
        var cell = this[k];
        if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v)) return v;
        throw Fail(InputProblem.NotANumber, $"{what}: '{cell}' is not a number");
    }

    /// <summary>The number of rows after the header (blank ones included when they are kept).</summary>
    public static long CountRows(string path, bool skipBlankRows = true)
    {
        using var r = new CsvTableReader(path, "a header row", skipBlankRows);
        long n = 0;
        while (r.Next()) n++;
        return n;
    }

    /// <summary>A quoted cell must close its quote at its end, with every quote inside doubled.</summary>
    private void CheckQuotes(ReadOnlySpan<char> raw)
    {
        if (raw.Length == 0 || raw[0] != '"') return;
        bool closed = raw.Length >= 2 && raw[^1] == '"';
        for (int i = 1; closed && i < raw.Length - 1; i++)
            if (raw[i] == '"') { if (raw[i + 1] == '"' && i + 1 < raw.Length - 1) i++; else closed = false; }
        if (!closed) throw Fail(InputProblem.Syntax, $"a quoted cell does not end with its closing quote: {Preview(raw)}");
    }

    private static string Unquote(ReadOnlySpan<char> raw) =>
        raw.Length >= 2 && raw[0] == '"' && raw[^1] == '"' ? raw[1..^1].ToString().Replace("\"\"", "\"") : raw.ToString();

    private static string Preview(ReadOnlySpan<char> raw) => raw.Length <= 40 ? raw.ToString() : raw[..40].ToString() + "...";

    public void Dispose() => _sep.Dispose();
}
