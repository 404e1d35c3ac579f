namespace Softspot.IO;

/// <summary>
/// Writes a CSV table with a header row, streaming rows to an atomic file. Numbers are written to full precision;
/// text cells are quoted when they need it.
/// </summary>
public sealed class CsvTableWriter : ITableWriter, ICsvRowWriter
{
    private readonly TextWriter _w;
    private readonly int _columns;
    private int _cell;

    public CsvTableWriter(TextWriter w, IReadOnlyList<string> header) : this(w, header.Count)
    {
        foreach (var h in header) Text(h);
        EndRow();
    }

    private CsvTableWriter(TextWriter w, int columns)
    {
        _w = w; _columns = columns;
    }

    /// <summary>Rows of <paramref name="columns"/> cells without a header: rows appended to a table begun before.</summary>
    public static CsvTableWriter Rows(TextWriter w, int columns) => new(w, columns);

    public ITableWriter Text(string s)
    {
        Separator();
        if (s.AsSpan().IndexOfAny(",\"\n\r") >= 0) _w.Write('"' + s.Replace("\"", "\"\"") + '"');
        else _w.Write(s);
        return this;
    }

    public ITableWriter Number(double v)
    {
        Separator();
        Span<char> buf = stackalloc char[32];
        if (v.TryFormat(buf, out int n, default, System.Globalization.CultureInfo.InvariantCulture)) _w.Write(buf[..n]);
        else _w.Write(Numbers.Format(v));
        return this;
    }

    public ITableWriter Number(long v)
    {
        Separator();
        Span<char> buf = stackalloc char[24];
        v.TryFormat(buf, out int n, default, System.Globalization.CultureInfo.InvariantCulture);
        _w.Write(buf[..n]);
        return this;
    }

    /// <summary>An empty cell (an undefined value or a missing label).</summary>
    public ITableWriter Empty() { Separator(); return this; }

    public void EndRow()
    {
        if (_cell != _columns) throw new InvalidOperationException($"a CSV row has {_cell} cells for {_columns} columns");
        _w.Write('\n');
        _cell = 0;
    }

    /// <summary>Writes a row given as CSV text, as it is (a row of another table Softspot wrote).</summary>
    public bool CsvRow(string line)
    {
        if (_cell != 0) throw new InvalidOperationException("a CSV row was begun cell by cell");
        _w.Write(line);
        _w.Write('\n');
        return true;
    }

    /// <summary>Nothing to finish: every row is written when it ends.</summary>
    public void Complete() { }

    private void Separator()
    {
        if (_cell++ > 0) _w.Write(',');
    }

    /// <summary>Writes a whole table to a file atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> header, Action<CsvTableWriter> rows) =>
        AtomicFile.Write(path, w => rows(new CsvTableWriter(w, header)));
}
