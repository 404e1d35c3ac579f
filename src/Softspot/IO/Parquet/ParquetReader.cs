using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Softspot.IO.Parquet;

/// <summary>
/// Reads the flat Parquet files <see cref="ParquetWriter"/> writes: INT64, DOUBLE and UTF-8 BYTE_ARRAY columns,
/// REQUIRED or OPTIONAL, PLAIN-encoded version-1 data pages, uncompressed or Snappy. The footer is read on
/// <see cref="Open"/>; column chunks are read one at a time, so memory is bounded by a chunk. Bad input throws
/// <see cref="InputFormatException"/> naming the file.
/// </summary>
public sealed class ParquetReader : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly FileMetadata _footer;

    public string Path { get; }
    public IReadOnlyList<ParquetColumn> Columns => _footer.Columns;
    public long Rows => _footer.Rows;
    public int RowGroups => _footer.RowGroups.Count;
    public IReadOnlyList<KeyValuePair<string, string>> Metadata => _footer.KeyValues;
    public string? CreatedBy => _footer.CreatedBy;
    internal FileMetadata Footer => _footer;

    private ParquetReader(string path, SafeFileHandle file)
    {
        Path = path;
        _file = file;
        _length = RandomAccess.GetLength(file);
        _footer = ReadFooter();
    }

    /// <summary>Opens a file and reads its footer.</summary>
    public static ParquetReader Open(string path)
    {
        SafeFileHandle file;
        try { file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.RandomAccess); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new InputFormatException(path, 0, InputProblem.Syntax, "no such file");
        }
        catch (UnauthorizedAccessException)
        {
            throw new InputFormatException(path, 0, InputProblem.Syntax, Directory.Exists(path) ? "is a folder, not a file" : "permission denied");
        }
        try { return new ParquetReader(path, file); }
        catch { file.Dispose(); throw; }
    }

    /// <summary>Whether a file starts with the Parquet magic PAR1 (false for a file that cannot be opened: its reader says why).</summary>
    public static bool IsParquet(string path)
    {
        try
        {
            using var f = File.OpenRead(path);
            Span<byte> head = stackalloc byte[4];
            return f.ReadAtLeast(head, 4, throwOnEndOfStream: false) == 4 && head.SequenceEqual(Magic);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException) { return false; }
    }

    public long RowGroupRows(int rowGroup) => _footer.RowGroups[rowGroup].Rows;

    public ParquetCompression Compression(int rowGroup, int column) => _footer.RowGroups[rowGroup].Columns[column].Codec;

    public int IndexOf(string column)
    {
        for (int k = 0; k < Columns.Count; k++) if (Columns[k].Name == column) return k;
        return -1;
    }

    /// <summary>One column of one row group.</summary>
    public ColumnValues ReadColumn(int rowGroup, int column)
    {
        var chunk = _footer.RowGroups[rowGroup].Columns[column];
        var schema = Columns[column];
        string where = $"column '{schema.Name}', row group {rowGroup}";
        long rows = _footer.RowGroups[rowGroup].Rows;
        if (chunk.Values != rows) throw Fail(InputProblem.Syntax, $"{where}: {chunk.Values} values for {rows} rows (Softspot reads flat tables)");
        if (chunk.Start < 4 || chunk.CompressedSize < 0 || chunk.Start + chunk.CompressedSize > _length - 8)
            throw Fail(InputProblem.Truncated, $"{where}: its data ({chunk.CompressedSize} bytes at {chunk.Start}) lies outside the file");
        var data = new byte[chunk.CompressedSize];
        RandomAccess.Read(_file, data, chunk.Start);
        var values = new ColumnValues(schema.Type, checked((int)rows));
        try
        {
            int pos = 0, row = 0;
            while (row < rows)
            {
                if (pos >= data.Length) throw new InvalidDataException($"the pages hold {row} of {rows} values");
                var reader = new ThriftCompactReader(data, pos, data.Length);
                var header = PageHeader.Read(reader);
                pos += reader.Consumed;
                if (header.Type != PageType.DataPage)
                    throw new NotSupportedException($"{PageName(header.Type)} pages (Softspot reads PLAIN version-1 data pages)");
                if (header.CompressedSize > data.Length - pos) throw new InvalidDataException("a page runs past its column chunk");
                if (header.Values > rows - row) throw new InvalidDataException($"the pages hold more than the {rows} rows");
                var body = PageCompression.Decompress(chunk.Codec, data.AsSpan(pos, header.CompressedSize), header.UncompressedSize);
                pos += header.CompressedSize;
                DecodePage(header, body, schema, values, row);
                row += header.Values;
            }
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException) { throw Fail(InputProblem.Syntax, $"{where}: corrupt data: {e.Message}"); }
        catch (NotSupportedException e) { throw Fail(InputProblem.Unsupported, $"{where}: {e.Message}"); }
        return values;
    }

    private static void DecodePage(PageHeader header, ReadOnlySpan<byte> body, ParquetColumn schema, ColumnValues into, int first)
    {
        if (header.Encoding != ParquetEncoding.Plain) throw new NotSupportedException($"{ParquetEncoding.Name(header.Encoding)} encoding (Softspot reads PLAIN)");
        int n = header.Values, pos = 0, present = n;
        var defined = into.Defined.AsSpan(first, n);
        if (schema.Optional)
        {
            if (header.DefinitionLevelEncoding != ParquetEncoding.Rle)
                throw new NotSupportedException($"{ParquetEncoding.Name(header.DefinitionLevelEncoding)} definition levels (Softspot reads RLE)");
            if (body.Length < 4) throw new InvalidDataException("a page ends before its definition levels");
            int length = BinaryPrimitives.ReadInt32LittleEndian(body);
            if (length < 0 || length > body.Length - 4) throw new InvalidDataException("the definition levels run past the page");
            var levels = new byte[n];
            RleBitPackedHybrid.Decode(body.Slice(4, length), 1, levels);
            present = 0;
            for (int i = 0; i < n; i++) { defined[i] = levels[i] == 1; if (defined[i]) present++; }
            pos = 4 + length;
        }
        else defined.Fill(true);
        var plain = body[pos..];
        if (schema.Type == ParquetType.ByteArray) DecodeText(plain, defined, into.Texts.AsSpan(first, n));
        else
        {
            if (plain.Length < 8L * present) throw new InvalidDataException($"a page holds {plain.Length} bytes of values for {present} values");
            var bits = schema.Type == ParquetType.Int64 ? into.Int64s.AsSpan(first, n) : MemoryMarshal.Cast<double, long>(into.Doubles.AsSpan(first, n));
            for (int i = 0, v = 0; i < n; i++)
                if (defined[i]) bits[i] = BinaryPrimitives.ReadInt64LittleEndian(plain.Slice(8 * v++, 8));
        }
    }

    private static void DecodeText(ReadOnlySpan<byte> plain, ReadOnlySpan<bool> defined, Span<string?> into)
    {
        int pos = 0;
        for (int i = 0; i < defined.Length; i++)
        {
            if (!defined[i]) continue;
            if (plain.Length - pos < 4) throw new InvalidDataException("a page ends inside its text values");
            int n = BinaryPrimitives.ReadInt32LittleEndian(plain[pos..]);
            if (n < 0 || n > plain.Length - pos - 4) throw new InvalidDataException("a text value runs past its page");
            into[i] = Encoding.UTF8.GetString(plain.Slice(pos + 4, n));
            pos += 4 + n;
        }
    }

    private FileMetadata ReadFooter()
    {
        if (_length < 12) throw Fail(InputProblem.Truncated, $"{_length} bytes is too short for a Parquet file");
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[8];
        RandomAccess.Read(_file, head, 0);
        if (!head.SequenceEqual(Magic)) throw Fail(InputProblem.Syntax, "not a Parquet file: it does not start with PAR1");
        RandomAccess.Read(_file, tail, _length - 8);
        if (!tail[4..].SequenceEqual(Magic)) throw Fail(InputProblem.Truncated, "the Parquet file does not end with PAR1: truncated, or still being written");
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > _length - 12)
            throw Fail(InputProblem.Truncated, $"a footer of {footerLength} bytes does not fit in a file of {_length} bytes: truncated?");
        var footer = new byte[footerLength];
        RandomAccess.Read(_file, footer, _length - 8 - footerLength);
        try { return FileMetadata.Read(new ThriftCompactReader(footer)); }
        catch (Exception e) when (e is InvalidDataException or OverflowException) { throw Fail(InputProblem.Syntax, $"corrupt Parquet footer: {e.Message}"); }
        catch (NotSupportedException e) { throw Fail(InputProblem.Unsupported, e.Message); }
    }

    private InputFormatException Fail(InputProblem kind, string problem) => new(Path, 0, kind, problem);

    private static string PageName(PageType t) => t switch
    {
        PageType.DictionaryPage => "dictionary", PageType.DataPageV2 => "version-2 data", PageType.IndexPage => "index", _ => $"type {(int)t}",
    };

    public void Dispose() => _file.Dispose();
}
