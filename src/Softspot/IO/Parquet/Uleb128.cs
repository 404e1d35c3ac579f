using System.Buffers;

namespace Softspot.IO.Parquet;

/// <summary>Unsigned LEB128 varints, as both Thrift's compact protocol and Parquet's run headers use them.</summary>
internal static class Uleb128
{
    public static void Write(ulong v, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(10);
        int n = 0;
        while (v >= 0x80) { span[n++] = (byte)(v | 0x80); v >>= 7; }
        span[n++] = (byte)v;
        output.Advance(n);
    }

    /// <summary>Reads a varint at <paramref name="pos"/> and moves past it; malformed or cut-off input throws <see cref="InvalidDataException"/>.</summary>
    public static ulong Read(ReadOnlySpan<byte> input, ref int pos)
    {
        ulong v = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            if (pos >= input.Length) throw new InvalidDataException("a varint runs past the end of the data");
            byte b = input[pos++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
        }
        throw new InvalidDataException("a varint longer than 10 bytes");
    }
}
