using System.Buffers;

namespace Softspot.IO.Parquet;

/// <summary>
/// The RLE/bit-packed hybrid encoding of Parquet definition levels (Encodings.md). Writing handles bit width 1
/// (a flat OPTIONAL column: 0 = null, 1 = value): runs of 8 or more equal levels become RLE runs, the rest
/// bit-packed groups of 8, least significant bit first. Reading handles bit widths 1 to 8.
/// </summary>
internal static class RleBitPackedHybrid
{
    /// <summary>Appends the encoding of <paramref name="levels"/> (each 0 or 1) to <paramref name="output"/>.</summary>
    public static void EncodeBitWidth1(ReadOnlySpan<byte> levels, IBufferWriter<byte> output)
    {
        int pendingStart = 0, pending = 0; // bit-packed values not yet written: levels[pendingStart .. pendingStart + pending)
        int i = 0;
        while (i < levels.Length)
        {
            int run = 1;
            while (i + run < levels.Length && levels[i + run] == levels[i]) run++;
            if (pending % 8 != 0)
            {
                int take = Math.Min(run, 8 - pending % 8); // bit-packed runs hold whole groups of 8: fill the group first
                pending += take; i += take;
            }
            else if (run >= 8)
            {
                BitPacked(levels.Slice(pendingStart, pending), output);
                Uleb128.Write((ulong)run << 1, output);
                Byte(levels[i], output);
                i += run;
                pendingStart = i; pending = 0;
            }
            else
            {
                pending += run; i += run;
            }
        }
        BitPacked(levels.Slice(pendingStart, pending), output);
    }

    /// <summary>Decodes <paramref name="levels"/>.Length levels of the given bit width; returns the bytes read.</summary>
    public static int Decode(ReadOnlySpan<byte> input, int bitWidth, Span<byte> levels)
    {
        if (bitWidth is < 1 or > 8) throw new NotSupportedException($"definition levels of bit width {bitWidth}");
        int pos = 0, n = 0;
        while (n < levels.Length)
        {
            ulong header = Uleb128.Read(input, ref pos);
            if ((header & 1) == 0)
            {
                ulong run = header >> 1;
                if (run == 0) throw new InvalidDataException("an RLE run of length 0");
                if (pos >= input.Length) throw new InvalidDataException("the levels end early");
                byte value = input[pos++];
                if (value >> bitWidth != 0) throw new InvalidDataException($"level {value} does not fit in {bitWidth} bits");
                int take = (int)Math.Min(run, (ulong)(levels.Length - n));
                levels.Slice(n, take).Fill(value);
                n += take;
            }
            else
            {
                ulong groups = header >> 1;
                if (groups == 0) throw new InvalidDataException("a bit-packed run of no groups");
                if (groups > (ulong)(input.Length - pos) / (ulong)bitWidth) throw new InvalidDataException("the levels end early");
                int bytes = (int)groups * bitWidth, values = (int)groups * 8;
                var packed = input.Slice(pos, bytes);
                int mask = (1 << bitWidth) - 1;
                for (int k = 0; k < values && n < levels.Length; k++)
                {
                    int bit = k * bitWidth;
                    int word = packed[bit >> 3] | (bit / 8 + 1 < bytes ? packed[(bit >> 3) + 1] << 8 : 0);
                    levels[n++] = (byte)((word >> (bit & 7)) & mask);
                }
                pos += bytes;
            }
        }
        return pos;
    }

    private static void BitPacked(ReadOnlySpan<byte> values, IBufferWriter<byte> output)
    {
        if (values.Length == 0) return;
        int groups = (values.Length + 7) / 8;
        Uleb128.Write((ulong)groups << 1 | 1, output);
        var span = output.GetSpan(groups);
        for (int g = 0; g < groups; g++)
        {
            int b = 0;
            for (int j = 0; j < 8 && g * 8 + j < values.Length; j++) b |= values[g * 8 + j] << j;
            span[g] = (byte)b;
        }
        output.Advance(groups);
    }

    private static void Byte(byte b, IBufferWriter<byte> output) { output.GetSpan(1)[0] = b; output.Advance(1); }
}
