namespace Softspot.IO;

/// <summary>
/// Passes every cell on to another <see cref="ITableWriter"/> and records what a manifest says about the table:
/// the number of rows and the type of each column (that of its first non-empty cell: int64, double or text).
/// </summary>
public sealed class RecordingTableWriter(ITableWriter inner, IReadOnlyList<string> header) : ITableWriter, ICsvRowWriter
{
    private readonly string?[] _types = new string?[header.Count];
    private int _untyped = header.Count, _cell;

    public IReadOnlyList<string> Header { get; } = header;
    public long Rows { get; private set; }
    /// <summary>Each column's type, or null while it has held only empty cells.</summary>
    public IReadOnlyList<string?> Types => _types;

    public ITableWriter Text(string s) { See(CellTypes.Text); inner.Text(s); return this; }

    public ITableWriter Number(double v) { See(CellTypes.Double); inner.Number(v); return this; }

    public ITableWriter Number(long v) { See(CellTypes.Int64); inner.Number(v); return this; }

    public ITableWriter Empty() { _cell++; inner.Empty(); return this; }

    public void EndRow()
    {
        inner.EndRow();
        _cell = 0;
        Rows++;
    }

    public void Complete() => inner.Complete();

    /// <summary>Passes a whole CSV row on when the inner writer takes them (its cells' types are not recorded).</summary>
    public bool CsvRow(string line)
    {
        if (inner is not ICsvRowWriter csv || !csv.CsvRow(line)) return false;
        Rows++;
        return true;
    }

    private void See(string type)
    {
        int c = _cell++;
        if (_untyped > 0 && c < _types.Length && _types[c] is null) { _types[c] = type; _untyped--; }
    }
}

/// <summary>The names of the value types of table columns, as manifests record them.</summary>
public static class CellTypes
{
    public const string Int64 = "int64", Double = "double", Text = "text";
}
