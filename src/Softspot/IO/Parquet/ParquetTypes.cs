namespace Softspot.IO.Parquet;

/// <summary>The Parquet physical types Softspot writes and reads (values as in parquet.thrift).</summary>
public enum ParquetType
{
    /// <summary>64-bit signed integer, little-endian (frame, id, integer labels).</summary>
    Int64 = 2,
    /// <summary>IEEE 754 double, little-endian, bit-exact (NaN payloads, -0.0 and subnormals kept).</summary>
    Double = 5,
    /// <summary>Length-prefixed bytes, annotated as a UTF-8 string (element symbols).</summary>
    ByteArray = 6,
}

/// <summary>How Parquet pages are compressed (values as in parquet.thrift).</summary>
public enum ParquetCompression
{
    Uncompressed = 0,
    /// <summary>Snappy raw blocks, the usual Parquet default: fast, and every reader has it.</summary>
    Snappy = 1,
}

/// <summary>A column of a flat Parquet schema. Softspot writes every column OPTIONAL (a null is an empty cell).</summary>
public sealed record ParquetColumn(string Name, ParquetType Type, bool Optional = true);

/// <summary>Parquet page types (parquet.thrift PageType).</summary>
internal enum PageType
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}

/// <summary>The Parquet encodings Softspot uses (PLAIN values, RLE/bit-packed hybrid levels), and names for the others in errors.</summary>
internal static class ParquetEncoding
{
    public const int Plain = 0;
    public const int Rle = 3;

    public static string Name(int encoding) => encoding switch
    {
        0 => "PLAIN", 2 => "PLAIN_DICTIONARY", 3 => "RLE", 4 => "BIT_PACKED", 5 => "DELTA_BINARY_PACKED",
        6 => "DELTA_LENGTH_BYTE_ARRAY", 7 => "DELTA_BYTE_ARRAY", 8 => "RLE_DICTIONARY", 9 => "BYTE_STREAM_SPLIT",
        _ => $"encoding {encoding}",
    };
}
