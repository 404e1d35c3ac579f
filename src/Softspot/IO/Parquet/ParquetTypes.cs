namespace Softspot.IO.Parquet;

/// <summary>
/// The value types of Softspot's tables as Parquet holds them. Other engines' narrower types are widened on reading:
/// INT32, INT16, INT8 and unsigned integers to <see cref="Int64"/>, FLOAT to <see cref="Double"/>.
/// </summary>
internal enum ParquetType
{
    /// <summary>64-bit signed integer, little-endian (frame, id, integer labels).</summary>
    Int64 = 2,
    /// <summary>IEEE 754 double, little-endian, bit-exact (NaN payloads, -0.0 and subnormals kept).</summary>
    Double = 5,
    /// <summary>Length-prefixed bytes, annotated as a UTF-8 string (element symbols).</summary>
    ByteArray = 6,
}

/// <summary>How Parquet pages are compressed (values as in parquet.thrift). Softspot reads all of these and writes any.</summary>
internal enum ParquetCompression
{
    Uncompressed = 0,
    /// <summary>Snappy raw blocks, the usual Parquet default: fast, and every reader has it.</summary>
    Snappy = 1,
    Gzip = 2,
    Lz4 = 5,
    Zstd = 6,
    Lz4Raw = 7,
}

/// <summary>A column of a flat Parquet schema. Softspot writes every column OPTIONAL (a null is an empty cell).</summary>
internal sealed record ParquetColumn(string Name, ParquetType Type, bool Optional = true);
