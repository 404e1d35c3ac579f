using Parquet;
using Parquet.Schema;
using PN = Parquet;

namespace Softspot.IO.Parquet;

/// <summary>
/// Reads flat Parquet tables through Parquet.Net, whoever wrote them: any codec Parquet.Net has (uncompressed,
/// Snappy, GZIP, ZSTD, LZ4, Brotli), dictionary and PLAIN encodings, version-1 and version-2 data pages, any number of
/// row groups, REQUIRED or OPTIONAL columns. Integer columns (INT64, INT32, INT16, INT8, unsigned) are read as
/// <see cref="ParquetType.Int64"/>, DOUBLE and FLOAT as <see cref="ParquetType.Double"/>, strings as
/// <see cref="ParquetType.ByteArray"/>; nested or repeated columns and other types are refused. The footer is read on
/// <see cref="Open"/>; columns are read one row group at a time, so memory is bounded by a row group. Bad input throws
/// <see cref="InputFormatException"/> naming the file.
/// </summary>
internal sealed class ParquetReader : IDisposable
{
    private static readonly byte[] Magic = "PAR1"u8.ToArray();

    private readonly FileStream _stream;
    private readonly PN.ParquetReader _reader;
    private readonly DataField[] _fields;
    private readonly ParquetColumn[] _columns;

    public string Path { get; }
    public IReadOnlyList<ParquetColumn> Columns => _columns;
    public long Rows { get; }
    public int RowGroups => _reader.RowGroupCount;
    public IReadOnlyList<KeyValuePair<string, string>> Metadata => [.. _reader.CustomMetadata];
    public string? CreatedBy => _reader.Metadata?.CreatedBy;

    private ParquetReader(string path, FileStream stream)
    {
        Path = path;
        _stream = stream;
        long length = stream.Length;
        if (length < 12) throw Fail(InputProblem.Truncated, $"{length} bytes is too short for a Parquet file");
        Span<byte> head = stackalloc byte[4], tail = stackalloc byte[8];
        stream.ReadExactly(head);
        if (!head.SequenceEqual(Magic)) throw Fail(InputProblem.Syntax, "not a Parquet file: it does not start with PAR1");
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        if (!tail[4..].SequenceEqual(Magic)) throw Fail(InputProblem.Truncated, "the Parquet file does not end with PAR1: truncated, or still being written");
        int footerLength = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footerLength <= 0 || footerLength > length - 12)
            throw Fail(InputProblem.Truncated, $"a footer of {footerLength} bytes does not fit in a file of {length} bytes: truncated?");
        stream.Position = 0;
        try { _reader = PN.ParquetReader.CreateAsync(stream, new ParquetOptions { TreatByteArrayAsString = true }, leaveStreamOpen: true).GetAwaiter().GetResult(); }
        catch (Exception e) when (e is not InputFormatException) { throw Fail(InputProblem.Syntax, $"corrupt Parquet footer: {e.Message}"); }
        var schema = _reader.Schema;
        if (schema.Fields.Count != schema.DataFields.Length || schema.DataFields.Any(f => f.IsArray || f.MaxRepetitionLevel > 0))
            throw Fail(InputProblem.Unsupported, "nested or repeated columns (Softspot reads flat tables)");
        _fields = schema.DataFields;
        _columns = _fields.Select(f => new ParquetColumn(f.Name, TypeOf(f), f.IsNullable)).ToArray();
        for (int g = 0; g < _reader.RowGroupCount; g++) Rows += _reader.OpenRowGroupReader(g).RowCount;
    }

    /// <summary>Opens a file and reads its footer.</summary>
    public static ParquetReader Open(string path)
    {
        FileStream file;
        try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.RandomAccess); }
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

    public long RowGroupRows(int rowGroup) => _reader.OpenRowGroupReader(rowGroup).RowCount;

    public ParquetCompression Compression(int rowGroup, int column) =>
        (ParquetCompression)(int)_reader.OpenRowGroupReader(rowGroup).GetMetadata(_fields[column])!.MetaData!.Codec;

    /// <summary>The statistics the writer stored for a column chunk (null count, min, max), if any.</summary>
    public PN.Data.DataColumnStatistics? Statistics(int rowGroup, int column) => _reader.OpenRowGroupReader(rowGroup).GetStatistics(_fields[column]);

    public int IndexOf(string column)
    {
        for (int k = 0; k < _columns.Length; k++) if (_columns[k].Name == column) return k;
        return -1;
    }

    /// <summary>One column of one row group.</summary>
    public ColumnValues ReadColumn(int rowGroup, int column)
    {
        var field = _fields[column];
        string where = $"column '{field.Name}', row group {rowGroup}";
        try
        {
            var group = _reader.OpenRowGroupReader(rowGroup);
            int rows = checked((int)group.RowCount);
            var values = new ColumnValues(_columns[column].Type, rows);
            var t = field.ClrType;
            if (t == typeof(long)) Read<long>(group, field, values, v => v);
            else if (t == typeof(int)) Read<int>(group, field, values, v => v);
            else if (t == typeof(short)) Read<short>(group, field, values, v => v);
            else if (t == typeof(sbyte)) Read<sbyte>(group, field, values, v => v);
            else if (t == typeof(byte)) Read<byte>(group, field, values, v => v);
            else if (t == typeof(ushort)) Read<ushort>(group, field, values, v => v);
            else if (t == typeof(uint)) Read<uint>(group, field, values, v => v);
            else if (t == typeof(ulong)) Read<ulong>(group, field, values, v => checked((long)v));
            else if (t == typeof(double)) Read<double>(group, field, values, v => v);
            else if (t == typeof(float)) Read<float>(group, field, values, v => v);
            else
            {
                var texts = new string?[rows];
                group.ReadAsync(field, texts.AsMemory(), null).GetAwaiter().GetResult();
                for (int i = 0; i < rows; i++) { values.Texts![i] = texts[i]; values.Defined[i] = texts[i] is not null; }
            }
            return values;
        }
        catch (InputFormatException) { throw; }
        catch (OverflowException) { throw Fail(InputProblem.NotANumber, $"{where}: an unsigned value beyond the range of INT64"); }
        catch (Exception e) when (e is not OutOfMemoryException) { throw Fail(InputProblem.Syntax, $"{where}: corrupt or unreadable data: {e.Message}"); }
    }

    private static void Read<T>(ParquetRowGroupReader group, DataField field, ColumnValues into, Func<T, long> asLong) where T : struct
    {
        if (typeof(T) == typeof(long)) { ReadInto(group, field, into, into.Int64s!); return; }
        var values = ReadDense<T>(group, field, into, out int n);
        try { for (int i = 0, v = 0; i < into.Count; i++) if (into.Defined[i]) into.Int64s![i] = asLong(values[v++]); }
        finally { System.Buffers.ArrayPool<T>.Shared.Return(values); }
    }

    private static void Read<T>(ParquetRowGroupReader group, DataField field, ColumnValues into, Func<T, double> asDouble) where T : struct
    {
        if (typeof(T) == typeof(double)) { ReadInto(group, field, into, into.Doubles!); return; }
        var values = ReadDense<T>(group, field, into, out int n);
        try { for (int i = 0, v = 0; i < into.Count; i++) if (into.Defined[i]) into.Doubles![i] = asDouble(values[v++]); }
        finally { System.Buffers.ArrayPool<T>.Shared.Return(values); }
    }

    /// <summary>A column of the caller's own type read straight into its array, nulls spread out in place (from the back).</summary>
    private static void ReadInto<T>(ParquetRowGroupReader group, DataField field, ColumnValues into, T[] target) where T : struct
    {
        int rows = into.Count;
        if (!field.IsNullable)
        {
            group.ReadAsync<T>(field, target.AsMemory(0, rows), null).GetAwaiter().GetResult();
            into.Defined.AsSpan().Fill(true);
            return;
        }
        var levels = System.Buffers.ArrayPool<int>.Shared.Rent(rows);
        try
        {
            group.ReadRawAsync<T>(field, target.AsMemory(0, rows), levels.AsMemory(0, rows), null).GetAwaiter().GetResult();
            int present = 0;
            for (int i = 0; i < rows; i++) if (levels[i] != 0) present++;
            for (int i = rows - 1, v = present - 1; i >= 0; i--)
            {
                bool defined = levels[i] != 0;
                into.Defined[i] = defined;
                target[i] = defined ? target[v--] : default;
            }
        }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(levels); }
    }

    /// <summary>The non-null values of a column (in a pooled array the caller returns); marks the defined rows.</summary>
    private static T[] ReadDense<T>(ParquetRowGroupReader group, DataField field, ColumnValues into, out int count) where T : struct
    {
        int rows = into.Count;
        var values = System.Buffers.ArrayPool<T>.Shared.Rent(Math.Max(rows, 1));
        if (!field.IsNullable)
        {
            group.ReadAsync<T>(field, values.AsMemory(0, rows), null).GetAwaiter().GetResult();
            into.Defined.AsSpan().Fill(true);
            count = rows;
            return values;
        }
        var levels = System.Buffers.ArrayPool<int>.Shared.Rent(Math.Max(rows, 1));
        try
        {
            group.ReadRawAsync<T>(field, values.AsMemory(0, rows), levels.AsMemory(0, rows), null).GetAwaiter().GetResult();
            count = 0;
            for (int i = 0; i < rows; i++) if (into.Defined[i] = levels[i] != 0) count++;
            return values;
        }
        finally { System.Buffers.ArrayPool<int>.Shared.Return(levels); }
    }

    private ParquetType TypeOf(DataField f)
    {
        var t = f.ClrType;
        if (t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort)
            || t == typeof(uint) || t == typeof(ulong)) return ParquetType.Int64;
        if (t == typeof(double) || t == typeof(float)) return ParquetType.Double;
        if (t == typeof(string) || t == typeof(ReadOnlyMemory<char>)) return ParquetType.ByteArray;
        throw Fail(InputProblem.Unsupported, $"column '{f.Name}' holds {t.Name} values (Softspot reads integers, floating-point numbers and strings)");
    }

    private InputFormatException Fail(InputProblem kind, string problem) => new(Path, 0, kind, problem);

    public void Dispose()
    {
        _reader?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _stream.Dispose();
    }
}
