using System.Buffers;
using System.Text;

namespace Softspot.IO.Parquet;

/// <summary>Thrift compact-protocol type codes (the low nibble of a field or list header).</summary>
internal enum ThriftType : byte
{
    Stop = 0,
    BoolTrue = 1,
    BoolFalse = 2,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
}

/// <summary>
/// Writes the Thrift compact protocol, only as much of it as a Parquet footer and page header need: structs with
/// i32, i64, bool, binary and string fields, nested structs and lists. Integers are zigzag varints; a field header
/// carries the delta from the previous field id when it is 1 to 15.
/// </summary>
internal sealed class ThriftCompactWriter
{
    private readonly ArrayBufferWriter<byte> _out = new(256);
    private readonly Stack<short> _outer = new();
    private short _lastField;

    public ReadOnlySpan<byte> Written => _out.WrittenSpan;

    public void Clear() { _out.ResetWrittenCount(); _outer.Clear(); _lastField = 0; }

    /// <summary>Starts a struct that is a list element or the top-level message.</summary>
    public void BeginStruct() { _outer.Push(_lastField); _lastField = 0; }

    /// <summary>Ends the current struct with a stop byte.</summary>
    public void EndStruct() { Byte(0); _lastField = _outer.Pop(); }

    public void FieldStruct(short id) { FieldHeader(id, ThriftType.Struct); BeginStruct(); }

    public void FieldI32(short id, int value) { FieldHeader(id, ThriftType.I32); Varint(ZigZag(value)); }

    public void FieldI64(short id, long value) { FieldHeader(id, ThriftType.I64); Varint(ZigZag(value)); }

    public void FieldBool(short id, bool value) => FieldHeader(id, value ? ThriftType.BoolTrue : ThriftType.BoolFalse);

    public void FieldBinary(short id, ReadOnlySpan<byte> value) { FieldHeader(id, ThriftType.Binary); Binary(value); }

    public void FieldString(short id, string value) { FieldHeader(id, ThriftType.Binary); String(value); }

    /// <summary>A list field header; the <paramref name="count"/> elements follow (<see cref="I32"/>, <see cref="String"/>, <see cref="BeginStruct"/>).</summary>
    public void FieldList(short id, ThriftType element, int count)
    {
        FieldHeader(id, ThriftType.List);
        if (count < 15) Byte((byte)(count << 4 | (byte)element));
        else { Byte((byte)(0xF0 | (byte)element)); Varint((ulong)count); }
    }

    /// <summary>An i32 list element.</summary>
    public void I32(int value) => Varint(ZigZag(value));

    /// <summary>A string list element.</summary>
    public void String(string value)
    {
        int n = Encoding.UTF8.GetByteCount(value);
        Varint((ulong)n);
        Encoding.UTF8.GetBytes(value, _out.GetSpan(n));
        _out.Advance(n);
    }

    private void Binary(ReadOnlySpan<byte> value)
    {
        Varint((ulong)value.Length);
        _out.Write(value);
    }

    private void FieldHeader(short id, ThriftType type)
    {
        int delta = id - _lastField;
        if (delta is > 0 and <= 15) Byte((byte)(delta << 4 | (byte)type));
        else { Byte((byte)type); Varint(ZigZag(id)); }
        _lastField = id;
    }

    private void Byte(byte b) { _out.GetSpan(1)[0] = b; _out.Advance(1); }

    private void Varint(ulong v) => Uleb128.Write(v, _out);

    private static ulong ZigZag(long v) => (ulong)((v << 1) ^ (v >> 63));
}
