namespace Softspot.IO.Parquet;

/// <summary>Compresses and decompresses page bodies with a Parquet codec (Snappy raw blocks through IronSnappy).</summary>
internal static class PageCompression
{
    public static ReadOnlySpan<byte> Compress(ParquetCompression codec, ReadOnlySpan<byte> body) => codec switch
    {
        ParquetCompression.Uncompressed => body,
        ParquetCompression.Snappy => IronSnappy.Snappy.Encode(body),
        _ => throw new ArgumentOutOfRangeException(nameof(codec)),
    };

    /// <summary>The body of <paramref name="uncompressedSize"/> bytes; corrupt data throws <see cref="InvalidDataException"/>.</summary>
    public static ReadOnlySpan<byte> Decompress(ParquetCompression codec, ReadOnlySpan<byte> data, int uncompressedSize)
    {
        ReadOnlySpan<byte> body;
        if (codec == ParquetCompression.Uncompressed) body = data;
        else
        {
            try { body = IronSnappy.Snappy.Decode(data); }
            catch (Exception e) when (e is not OutOfMemoryException) { throw new InvalidDataException($"corrupt Snappy data ({e.Message})"); }
        }
        if (body.Length != uncompressedSize)
            throw new InvalidDataException($"a page of {body.Length} bytes where its header says {uncompressedSize}");
        return body;
    }
}
