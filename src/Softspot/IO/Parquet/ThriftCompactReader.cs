using System.Text;

namespace Softspot.IO.Parquet;

/// <summary>
/// Reads the Thrift compact protocol from a byte buffer: field headers, scalars, lists, and skipping of any field
/// the caller does not use. Malformed or truncated input throws <see cref="InvalidDataException"/>.
/// </summary>
internal sealed class ThriftCompactReader(byte[] buffer, int start, int end)
{
    private readonly Stack<short> _outer = new();
    private short _lastField;
    private readonly int _start = start;
    private int _pos = start;

    public ThriftCompactReader(byte[] buffer) : this(buffer, 0, buffer.Length) { }

    /// <summary>Bytes read so far.</summary>
    public int Consumed => _pos - _start;

    public void BeginStruct() { _outer.Push(_lastField); _lastField = 0; }

    public void EndStruct() => _lastField = _outer.Pop();

    /// <summary>The next field of the current struct, or false at its stop byte (the struct is then ended).</summary>
    public bool NextField(out short id, out ThriftType type)
    {
        byte b = Byte();
        type = (ThriftType)(b & 0x0F);
        if (type == ThriftType.Stop) { id = 0; EndStruct(); return false; }
        int delta = b >> 4;
        id = delta != 0 ? (short)(_lastField + delta) : checked((short)ZigZag(Varint()));
        _lastField = id;
        return true;
    }

    public int I32() => checked((int)ZigZag(Varint()));

    public long I64() => ZigZag(Varint());

    public static bool Bool(ThriftType fieldType) => fieldType == ThriftType.BoolTrue;

    public byte[] Binary()
    {
        int n = Length();
        var v = buffer.AsSpan(_pos, n).ToArray();
        _pos += n;
        return v;
    }

    public string String()
    {
        int n = Length();
        string s = Encoding.UTF8.GetString(buffer, _pos, n);
        _pos += n;
        return s;
    }

    /// <summary>A list (or set) header: the element type and count.</summary>
    public int ListHeader(out ThriftType element)
    {
        byte b = Byte();
        element = (ThriftType)(b & 0x0F);
        int count = b >> 4;
        if (count == 15) count = checked((int)Varint());
        if (count > end - _pos) throw new InvalidDataException($"a list of {count} elements runs past the end");
        return count;
    }

    /// <summary>Skips a value of the given type (a whole struct, list or map included).</summary>
    public void Skip(ThriftType type, int depth = 0)
    {
        if (depth > 64) throw new InvalidDataException("structures nested too deeply");
        switch (type)
        {
            case ThriftType.BoolTrue or ThriftType.BoolFalse: break; // the value is in the field header
            case ThriftType.Byte: Byte(); break;
            case ThriftType.I16 or ThriftType.I32 or ThriftType.I64: Varint(); break;
            case ThriftType.Double: Need(8); _pos += 8; break;
            case ThriftType.Binary: { int n = Length(); _pos += n; break; } // not _pos += Length(): that adds to the old _pos
            case ThriftType.List or ThriftType.Set:
            {
                int n = ListHeader(out var element);
                for (int i = 0; i < n; i++)
                    if (element is ThriftType.BoolTrue or ThriftType.BoolFalse) Byte(); // list booleans take a byte each
                    else Skip(element, depth + 1);
                break;
            }
            case ThriftType.Map:
            {
                int n = checked((int)Varint());
                if (n == 0) break;
                byte kv = Byte();
                for (int i = 0; i < n; i++) { SkipElement((ThriftType)(kv >> 4), depth); SkipElement((ThriftType)(kv & 0x0F), depth); }
                break;
            }
            case ThriftType.Struct:
                BeginStruct();
                while (NextField(out _, out var t)) Skip(t, depth + 1);
                break;
            default: throw new InvalidDataException($"unknown Thrift type {(int)type}");
        }
    }

    private void SkipElement(ThriftType type, int depth)
    {
        if (type is ThriftType.BoolTrue or ThriftType.BoolFalse) Byte();
        else Skip(type, depth + 1);
    }

    private int Length()
    {
        ulong n = Varint();
        if (n > (ulong)(end - _pos)) throw new InvalidDataException($"a {n}-byte value runs past the end");
        return (int)n;
    }

    private byte Byte()
    {
        Need(1);
        return buffer[_pos++];
    }

    private void Need(int n)
    {
        if (end - _pos < n) throw new InvalidDataException("the Thrift data ends early");
    }

    private ulong Varint() => Uleb128.Read(buffer.AsSpan(0, end), ref _pos);

    private static long ZigZag(ulong v) => (long)(v >> 1) ^ -(long)(v & 1);
}
