using Softspot.IO.Parquet;

namespace Softspot.IO;

/// <summary>
/// An output table in CSV or Parquet, written atomically (see <see cref="AtomicFile"/>): open it, begin the table
/// with its header, write rows, commit. Nothing appears at the target until <see cref="Commit"/>.
/// </summary>
public sealed class TableFile : IDisposable
{
    private readonly AtomicFile _file;
    private readonly TableFormat _format;
    private readonly ParquetWriteOptions? _parquet;
    private RecordingTableWriter? _table;

    private TableFile(string path, TableFormat format, ParquetWriteOptions? parquet)
    {
        _file = AtomicFile.Create(path);
        _format = format;
        _parquet = parquet;
    }

    /// <summary>A table to write at <paramref name="path"/> (atomically: nothing is there until <see cref="Commit"/>).</summary>
    public static TableFile Create(string path, TableFormat format) => new(path, format, null);

    /// <summary>The same with Parquet writing options (row groups, codec, metadata).</summary>
    internal static TableFile Create(string path, TableFormat format, ParquetWriteOptions? parquet) => new(path, format, parquet);

    /// <summary>Writes the header (CSV) or fixes the columns (Parquet); returns the writer for the rows.</summary>
    public ITableWriter Begin(IReadOnlyList<string> header)
    {
        if (_table is not null) throw new InvalidOperationException("the table has begun already");
        ITableWriter table = _format switch
        {
            TableFormat.Csv => new CsvTableWriter(_file.Writer, header),
            TableFormat.Parquet => new ParquetTableWriter(_file.Stream, header, _parquet),
            _ => throw new ArgumentOutOfRangeException(nameof(_format)),
        };
        return _table = new RecordingTableWriter(table, header);
    }

    /// <summary>What has been written so far: rows and column types (null before <see cref="Begin"/>).</summary>
    public RecordingTableWriter? Written => _table;

    /// <summary>Completes the table and renames the temporary file over the target.</summary>
    public void Commit()
    {
        if (_table is null) throw new InvalidOperationException("the table has no header: call Begin first");
        _table.Complete();
        _file.Commit();
    }

    /// <summary>Without a commit, discards the temporary file.</summary>
    public void Dispose() => _file.Dispose();

    /// <summary>Writes a whole table to a file atomically.</summary>
    public static void Write(string path, TableFormat format, IReadOnlyList<string> header, Action<ITableWriter> rows)
    {
        using var f = Create(path, format);
        rows(f.Begin(header));
        f.Commit();
    }
}
