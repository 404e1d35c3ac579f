using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace Softspot.IO.Parquet;

/// <summary>
/// One column of the row group being built: a definition level per row (0 = null, 1 = value), the non-null values
/// already PLAIN-encoded (8 bytes little-endian for INT64 and DOUBLE, a 4-byte length then UTF-8 bytes for text),
/// and the counts and range the statistics need. The type is set by the first value and kept across
/// <see cref="Clear"/>; adding a value of another type is an error.
/// </summary>
public sealed class ColumnBuffer(string name)
{
    private readonly ArrayBufferWriter<byte> _values = new(1 << 12);
    private byte[] _levels = new byte[1 << 10];
    private long _nulls, _nans, _min, _max;
    private bool _hasRange;

    public string Name { get; } = name;

    /// <summary>The physical type, or null while the column has held only nulls.</summary>
    public ParquetType? Type { get; private set; }

    public int Rows { get; private set; }

    /// <summary>Definition levels, one per row.</summary>
    public ReadOnlySpan<byte> Levels => _levels.AsSpan(0, Rows);

    /// <summary>The PLAIN encoding of the non-null values.</summary>
    public ReadOnlySpan<byte> Values => _values.WrittenSpan;

    public void AddNull() { Level(0); _nulls++; }

    public void AddInt64(long v)
    {
        Claim(ParquetType.Int64);
        Level(1);
        BinaryPrimitives.WriteInt64LittleEndian(_values.GetSpan(8), v);
        _values.Advance(8);
        if (!_hasRange || v < _min) _min = v;
        if (!_hasRange || v > _max) _max = v;
        _hasRange = true;
    }

    public void AddDouble(double v)
    {
        Claim(ParquetType.Double);
        Level(1);
        BinaryPrimitives.WriteDoubleLittleEndian(_values.GetSpan(8), v);
        _values.Advance(8);
        if (double.IsNaN(v)) { _nans++; return; } // NaN takes no part in min and max
        if (!_hasRange || v < BitConverter.Int64BitsToDouble(_min)) _min = BitConverter.DoubleToInt64Bits(v);
        if (!_hasRange || v > BitConverter.Int64BitsToDouble(_max)) _max = BitConverter.DoubleToInt64Bits(v);
        _hasRange = true;
    }

    public void AddText(string s)
    {
        Claim(ParquetType.ByteArray);
        Level(1);
        int n = Encoding.UTF8.GetByteCount(s);
        var span = _values.GetSpan(4 + n);
        BinaryPrimitives.WriteInt32LittleEndian(span, n);
        Encoding.UTF8.GetBytes(s, span[4..]);
        _values.Advance(4 + n);
    }

    /// <summary>Statistics of the rows held, for a column of <paramref name="type"/> (an all-null chunk fits any type).</summary>
    internal ColumnStatistics Statistics(ParquetType type)
    {
        if (type == ParquetType.ByteArray || !_hasRange) return new ColumnStatistics(_nulls, type == ParquetType.Double ? _nans : null, null, null);
        long min = _min, max = _max;
        if (type == ParquetType.Double)
        {
            // the spec's rule for zeros: the minimum is written as -0.0 and the maximum as +0.0
            if (BitConverter.Int64BitsToDouble(min) == 0) min = BitConverter.DoubleToInt64Bits(-0.0);
            if (BitConverter.Int64BitsToDouble(max) == 0) max = 0;
        }
        var minBytes = new byte[8]; var maxBytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(minBytes, min);
        BinaryPrimitives.WriteInt64LittleEndian(maxBytes, max);
        return new ColumnStatistics(_nulls, type == ParquetType.Double ? _nans : null, minBytes, maxBytes);
    }

    /// <summary>Empties the buffer for the next row group; the type stays.</summary>
    public void Clear()
    {
        _values.ResetWrittenCount();
        Rows = 0;
        _nulls = _nans = 0;
        _hasRange = false;
    }

    private void Claim(ParquetType type)
    {
        if (Type is { } t && t != type) throw new InvalidOperationException($"column '{Name}' holds {t} values, not {type}");
        Type = type;
    }

    private void Level(byte level)
    {
        if (Rows == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
        _levels[Rows++] = level;
    }
}
