namespace Softspot.IO.Parquet;

/// <summary>How <see cref="ParquetTableWriter"/> writes a file.</summary>
public sealed record ParquetWriteOptions
{
    public ParquetCompression Compression { get; init; } = ParquetCompression.Snappy;

    /// <summary>Rows per row group; by default as many as fit in about 64 MiB of values, between 64k and 1M.</summary>
    public int? RowGroupRows { get; init; }

    /// <summary>Key-value metadata for the footer.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; init; } = [];

    /// <summary>
    /// How many such files are read side by side (the N shards of a sharded run, which a merge reads a row group of
    /// each at a time): the default row groups are that many times smaller (4,096 rows at the least), so that the
    /// merge needs about the memory of one.
    /// </summary>
    public int ReadTogether { get; init; } = 1;

    public int RowsPerGroup(int columns) =>
        RowGroupRows ?? Math.Max(1 << 12, Math.Clamp((64 << 20) / (8 * Math.Max(columns, 1)), 1 << 16, 1 << 20) / Math.Max(1, ReadTogether));
}

/// <summary>
/// An <see cref="ITableWriter"/> that writes Parquet: cells go to per-column buffers, and every
/// <see cref="ParquetWriteOptions.RowsPerGroup"/> rows become a row group, so memory stays bounded for any
/// number of rows. <see cref="ITableWriter.Number(long)"/> makes an INT64 column, <see cref="ITableWriter.Number(double)"/>
/// a DOUBLE one, <see cref="ITableWriter.Text"/> a UTF-8 string one; an empty cell is a null.
/// </summary>
public sealed class ParquetTableWriter : ITableWriter
{
    private readonly ParquetWriter _writer;
    private readonly ColumnBuffer[] _columns;
    private readonly int _rowsPerGroup;
    private int _cell;

    public ParquetTableWriter(Stream output, IReadOnlyList<string> header, ParquetWriteOptions? options = null)
    {
        options ??= new ParquetWriteOptions();
        _writer = new ParquetWriter(output, header, options.Compression, options.Metadata);
        _columns = header.Select(h => new ColumnBuffer(h)).ToArray();
        _rowsPerGroup = options.RowsPerGroup(header.Count);
        if (_rowsPerGroup < 1) throw new ArgumentException("a row group needs at least one row", nameof(options));
    }

    public ITableWriter Text(string s) { Next().AddText(s); return this; }

    public ITableWriter Number(double v) { Next().AddDouble(v); return this; }

    public ITableWriter Number(long v) { Next().AddInt64(v); return this; }

    public ITableWriter Empty() { Next().AddNull(); return this; }

    public void EndRow()
    {
        if (_cell != _columns.Length) throw new InvalidOperationException($"a row has {_cell} cells for {_columns.Length} columns");
        _cell = 0;
        if (_columns[0].Rows == _rowsPerGroup) Flush();
    }

    public void Complete()
    {
        if (_cell != 0) throw new InvalidOperationException("the last row was not ended");
        Flush();
        _writer.Complete();
    }

    private ColumnBuffer Next()
    {
        if (_cell == _columns.Length) throw new InvalidOperationException($"a row has more than {_columns.Length} cells");
        return _columns[_cell++];
    }

    private void Flush()
    {
        _writer.WriteRowGroup(_columns);
        foreach (var c in _columns) c.Clear();
    }
}
