using Parquet;
using Parquet.Schema;

namespace Softspot.IO.Parquet;

/// <summary>How <see cref="ParquetTableWriter"/> writes a file.</summary>
internal sealed record ParquetWriteOptions
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
/// An <see cref="ITableWriter"/> that writes Parquet through Parquet.Net: cells go to per-column buffers, and every
/// <see cref="ParquetWriteOptions.RowsPerGroup"/> rows become a row group, so memory stays bounded for any number of
/// rows. <see cref="ITableWriter.Number(long)"/> makes an INT64 column, <see cref="ITableWriter.Number(double)"/> a
/// DOUBLE one, <see cref="ITableWriter.Text"/> a UTF-8 string one; every column is OPTIONAL and an empty cell is a null.
/// The schema is fixed when the first row group is written; a column that has held only nulls by then waits for a few
/// more row groups (<see cref="PendingGroups"/>) to learn its type, and after that is DOUBLE (later integers are
/// written as doubles, which is exact up to 2^53).
/// </summary>
internal sealed class ParquetTableWriter : ITableWriter
{
    /// <summary>The created_by string of the footer (the library's).</summary>
    public static readonly string CreatedBy = "Parquet.Net version " + (typeof(ParquetWriter).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "");

    /// <summary>How many row groups are held back while a column has not shown its type.</summary>
    public const int PendingGroups = 4;

    private const long ExactInteger = 1L << 53;

    private readonly Stream _output;
    private readonly string[] _names;
    private readonly ParquetWriteOptions _options;
    private readonly int _rowsPerGroup;
    private ColumnBuffer[] _columns;
    private readonly List<ColumnBuffer[]> _pending = [];
    private readonly Stack<ColumnBuffer[]> _spare = new();
    private ParquetWriter? _writer;
    private DataField[] _fields = [];
    private ParquetType[] _types = [];
    private int _cell;
    private bool _complete;

    public ParquetTableWriter(Stream output, IReadOnlyList<string> header, ParquetWriteOptions? options = null)
    {
        if (header.Count == 0) throw new ArgumentException("a Parquet table needs at least one column", nameof(header));
        var dup = header.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"column '{dup.Key}' appears twice", nameof(header));
        _options = options ?? new ParquetWriteOptions();
        _output = output;
        _names = [.. header];
        _columns = NewBuffers();
        _rowsPerGroup = _options.RowsPerGroup(header.Count);
        if (_rowsPerGroup < 1) throw new ArgumentException("a row group needs at least one row", nameof(options));
    }

    public long Rows { get; private set; }

    public ITableWriter Text(string s) { Next().AddText(s); return this; }

    public ITableWriter Number(double v) { Next().AddDouble(v); return this; }

    public ITableWriter Number(long v) { Next().AddInt64(v); return this; }

    public ITableWriter Empty() { Next().AddNull(); return this; }

    public void EndRow()
    {
        if (_cell != _columns.Length) throw new InvalidOperationException($"a row has {_cell} cells for {_columns.Length} columns");
        _cell = 0;
        if (_columns[0].Rows == _rowsPerGroup) Flush(final: false);
    }

    public void Complete()
    {
        if (_complete) return;
        if (_cell != 0) throw new InvalidOperationException("the last row was not ended");
        Flush(final: true);
        _writer ??= Open();
        _writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _output.Flush();
        _complete = true;
    }

    private ColumnBuffer Next()
    {
        if (_complete) throw new InvalidOperationException("the Parquet file is complete");
        if (_cell == _columns.Length) throw new InvalidOperationException($"a row has more than {_columns.Length} cells");
        var c = _columns[_cell];
        _cell++;
        return c;
    }

    private ColumnBuffer[] NewBuffers() => _spare.Count > 0 ? _spare.Pop() : _names.Select(n => new ColumnBuffer(n)).ToArray();

    /// <summary>Writes the buffered rows as a row group, or holds them back while a column's type is unknown.</summary>
    private void Flush(bool final)
    {
        if (_columns[0].Rows > 0)
        {
            _pending.Add(_columns);
            var next = NewBuffers();
            for (int k = 0; k < next.Length; k++) next[k] = Carry(_columns[k], next[k]);
            _columns = next;
        }
        if (_writer is null)
        {
            bool typed = Enumerable.Range(0, _names.Length).All(k => _pending.Any(g => g[k].Type is not null));
            if (!typed && !final && _pending.Count < PendingGroups) return;
            if (_pending.Count == 0) return;
            _writer = Open();
        }
        foreach (var group in _pending)
        {
            WriteGroup(group);
            foreach (var c in group) c.Clear();
            _spare.Push(group);
        }
        _pending.Clear();
    }

    /// <summary>A fresh buffer for column k that keeps the type the column has shown.</summary>
    private static ColumnBuffer Carry(ColumnBuffer from, ColumnBuffer to)
    {
        if (from.Type is { } t && to.Type is null) to.Claim(t);
        return to;
    }

    private ParquetWriter Open()
    {
        _types = new ParquetType[_names.Length];
        _fields = new DataField[_names.Length];
        for (int k = 0; k < _names.Length; k++)
        {
            _types[k] = _pending.Select(g => g[k].Type).FirstOrDefault(t => t is not null) ?? _columns[k].Type ?? ParquetType.Double;
            _fields[k] = _types[k] switch
            {
                ParquetType.Int64 => new DataField<long?>(_names[k]),
                ParquetType.Double => new DataField<double?>(_names[k]),
                _ => new DataField<string>(_names[k], true),
            };
        }
        var options = new ParquetOptions
        {
            CompressionMethod = (CompressionMethod)(int)_options.Compression,
            MaximumSmallPoolFreeBytes = 16 << 20,
            MaximumLargePoolFreeBytes = 64 << 20,
        };
        var writer = ParquetWriter.CreateAsync(new ParquetSchema(_fields), _output, options).GetAwaiter().GetResult();
        if (_options.Metadata.Count > 0) writer.CustomMetadata = _options.Metadata.ToDictionary(p => p.Key, p => p.Value);
        return writer;
    }

    private void WriteGroup(ColumnBuffer[] group)
    {
        using var rg = _writer!.CreateRowGroup();
        for (int k = 0; k < group.Length; k++)
        {
            var c = group[k];
            var type = c.Type ?? _types[k];
            if (type != _types[k] && !(type == ParquetType.Int64 && _types[k] == ParquetType.Double))
                throw new InvalidOperationException($"column '{_names[k]}' holds {_types[k]} values, then {type}");
            switch (_types[k])
            {
                case ParquetType.Int64:
                    rg.WriteAllPartsAsync(_fields[k], c.Longs, c.Levels, null, default).GetAwaiter().GetResult();
                    break;
                case ParquetType.Double when type == ParquetType.Int64:
                    var widened = new double[c.Values];
                    var longs = c.Longs.Span;
                    for (int i = 0; i < widened.Length; i++)
                    {
                        if (Math.Abs(longs[i]) > ExactInteger)
                            throw new InvalidOperationException($"column '{_names[k]}' began as nulls (written as DOUBLE) and now holds {longs[i]}, which a double cannot hold exactly");
                        widened[i] = longs[i];
                    }
                    rg.WriteAllPartsAsync<double>(_fields[k], widened, c.Levels, null, default).GetAwaiter().GetResult();
                    break;
                case ParquetType.Double:
                    rg.WriteAllPartsAsync(_fields[k], c.Doubles, c.Levels, null, default).GetAwaiter().GetResult();
                    break;
                default:
                    rg.WriteAsync(_fields[k], c.Texts, null).GetAwaiter().GetResult();
                    break;
            }
        }
        Rows += group[0].Rows;
    }
}
