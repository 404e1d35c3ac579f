using System.Buffers;
using System.Buffers.Binary;

namespace Softspot.IO.Parquet;

/// <summary>
/// Writes a flat Parquet file to a stream, one row group at a time, so memory stays bounded by a row group
/// however long the table: the PAR1 magic, then per row group and column one version-1 data page (definition
/// levels in the RLE/bit-packed hybrid, values PLAIN, the page compressed as a whole), and at
/// <see cref="Complete"/> the Thrift compact footer with schema, statistics and key-value metadata. Every column
/// is OPTIONAL; a column's type is that of its first value (a column that only ever held nulls is DOUBLE).
/// </summary>
public sealed class ParquetWriter
{
    /// <summary>The created_by string of the footer.</summary>
    public static readonly string CreatedBy = $"softspot version {typeof(ParquetWriter).Assembly.GetName().Version?.ToString(3)}";

    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly Stream _out;
    private readonly string[] _names;
    private readonly ParquetType?[] _types;
    private readonly ParquetCompression _compression;
    private readonly IReadOnlyList<KeyValuePair<string, string>> _metadata;
    private readonly List<(ColumnChunkInfo[] Chunks, bool[] Untyped, long Rows)> _rowGroups = [];
    private readonly ThriftCompactWriter _thrift = new();
    private readonly ArrayBufferWriter<byte> _levels = new(1 << 12), _page = new(1 << 16);
    private long _position;
    private bool _complete;

    public ParquetWriter(Stream output, IReadOnlyList<string> columns, ParquetCompression compression = ParquetCompression.Snappy,
        IReadOnlyList<KeyValuePair<string, string>>? metadata = null)
    {
        if (columns.Count == 0) throw new ArgumentException("a Parquet table needs at least one column", nameof(columns));
        var dup = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw new ArgumentException($"column '{dup.Key}' appears twice", nameof(columns));
        _out = output;
        _names = [.. columns];
        _types = new ParquetType?[columns.Count];
        _compression = compression;
        _metadata = metadata ?? [];
        Write(Magic);
    }

    public long Rows { get; private set; }

    /// <summary>Writes the rows held in <paramref name="columns"/> (one buffer per column, in order, all of the same length) as a row group.</summary>
    public void WriteRowGroup(IReadOnlyList<ColumnBuffer> columns)
    {
        if (_complete) throw new InvalidOperationException("the Parquet file is complete");
        if (columns.Count != _names.Length) throw new ArgumentException($"{columns.Count} columns for a table of {_names.Length}", nameof(columns));
        int rows = columns[0].Rows;
        for (int k = 0; k < columns.Count; k++)
        {
            if (columns[k].Rows != rows) throw new ArgumentException($"column '{_names[k]}' has {columns[k].Rows} rows, '{_names[0]}' {rows}", nameof(columns));
            if (columns[k].Type is { } t)
            {
                if (_types[k] is { } known && known != t) throw new InvalidOperationException($"column '{_names[k]}' holds {known} values, then {t}");
                _types[k] = t;
            }
        }
        if (rows == 0) return;
        var chunks = new ColumnChunkInfo[columns.Count];
        var untyped = new bool[columns.Count];
        for (int k = 0; k < columns.Count; k++)
        {
            untyped[k] = columns[k].Type is null;
            chunks[k] = WriteChunk(columns[k], columns[k].Type ?? ParquetType.Double);
        }
        _rowGroups.Add((chunks, untyped, rows));
        Rows += rows;
    }

    /// <summary>Writes the footer and the closing magic; the stream is left open.</summary>
    public void Complete()
    {
        if (_complete) return;
        var columns = _names.Select((n, k) => new ParquetColumn(n, _types[k] ?? ParquetType.Double)).ToArray();
        var groups = _rowGroups.Select(g => new RowGroupInfo(g.Chunks.Select((c, k) => !g.Untyped[k] ? c : c with
        {
            Type = columns[k].Type,
            Statistics = new ColumnStatistics(g.Rows, columns[k].Type == ParquetType.Double ? 0 : null, null, null),
        }).ToArray(), g.Rows)).ToArray();
        var footer = new FileMetadata(columns, Rows, groups, _metadata, CreatedBy);
        _thrift.Clear();
        footer.Write(_thrift);
        Write(_thrift.Written);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, _thrift.Written.Length);
        Write(length);
        Write(Magic);
        _out.Flush();
        _complete = true;
    }

    private ColumnChunkInfo WriteChunk(ColumnBuffer column, ParquetType type)
    {
        _levels.ResetWrittenCount();
        RleBitPackedHybrid.EncodeBitWidth1(column.Levels, _levels);
        _page.ResetWrittenCount();
        BinaryPrimitives.WriteInt32LittleEndian(_page.GetSpan(4), _levels.WrittenCount);
        _page.Advance(4);
        _page.Write(_levels.WrittenSpan);
        _page.Write(column.Values);
        var body = PageCompression.Compress(_compression, _page.WrittenSpan);
        var header = PageHeader.DataPage(_page.WrittenCount, body.Length, column.Rows);
        _thrift.Clear();
        header.Write(_thrift);
        long offset = _position;
        Write(_thrift.Written);
        Write(body);
        int headerSize = _thrift.Written.Length;
        return new ColumnChunkInfo(type, _compression, column.Rows, headerSize + _page.WrittenCount, headerSize + body.Length,
            offset, null, column.Statistics(type));
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        _out.Write(bytes);
        _position += bytes.Length;
    }
}
