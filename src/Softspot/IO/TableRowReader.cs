using Softspot.IO.Parquet;

namespace Softspot.IO;

/// <summary>
/// The rows of a per-atom table Softspot wrote (CSV or Parquet, told apart by content), one at a time in file
/// order, with their (frame, id) key, for copying into another table through an <see cref="ITableWriter"/>: the
/// same cells, typed as the writer would type them, so that a CSV copied to CSV is the same text and a table copied
/// to Parquet is the Parquet the command would have written. Memory is bounded by a Parquet row group.
/// </summary>
public abstract class TableRowReader : IDisposable
{
    public string Path { get; }
    public IReadOnlyList<string> Header { get; }
    /// <summary>The key of the current row.</summary>
    public long Frame { get; protected set; }
    public long Id { get; protected set; }
    /// <summary>Rows read so far (the current one included).</summary>
    public long Rows { get; protected set; }

    protected readonly int FrameColumn, IdColumn;

    protected TableRowReader(string path, IReadOnlyList<string> header)
    {
        Path = path;
        Header = header;
        FrameColumn = IndexOf(header, "frame");
        IdColumn = IndexOf(header, "id");
        if (FrameColumn < 0 || IdColumn < 0)
            throw new InputFormatException(path, 1, InputProblem.MissingColumn, "a per-atom table needs the key columns frame and id");
    }

    private static int IndexOf(IReadOnlyList<string> header, string name)
    {
        for (int k = 0; k < header.Count; k++) if (header[k] == name) return k;
        return -1;
    }

    /// <summary>
    /// Opens a table; <paramref name="types"/> (int64, double, text or null per column, as a manifest records them)
    /// says how to read a CSV's cells; a Parquet file carries its own.
    /// </summary>
    public static TableRowReader Open(string path, IReadOnlyList<string?> types) =>
        ParquetReader.IsParquet(path) ? new ParquetRows(path) : new CsvRows(path, types);

    /// <summary>Moves to the next row; false at the end of the table.</summary>
    public abstract bool Next();

    /// <summary>Writes the current row's cells (one row, ended); a CSV row to a CSV table is copied as text.</summary>
    public abstract void CopyTo(ITableWriter table);

    public abstract void Dispose();

    private sealed class CsvRows : TableRowReader
    {
        private readonly CsvTableReader _reader;
        private readonly string?[] _types;

        public CsvRows(string path, IReadOnlyList<string?> types) : this(path, new CsvTableReader(path, "a header row", skipBlankRows: false), types) { }

        private CsvRows(string path, CsvTableReader reader, IReadOnlyList<string?> types) : base(path, reader.Header)
        {
            _reader = reader;
            if (types.Count != Header.Count)
                throw new InputFormatException(path, 1, InputProblem.ColumnCount, $"{Header.Count} columns, its manifest lists {types.Count}");
            _types = [.. types];
        }

        public override bool Next()
        {
            if (!_reader.Next()) return false;
            if (_reader.Count > Header.Count) throw _reader.Fail(InputProblem.ColumnCount, $"more than the {Header.Count} cells of the header");
            if (_reader.Count != Header.Count) throw _reader.Fail(InputProblem.ColumnCount, $"{_reader.Count} cells for the {Header.Count} columns of the header");
            Frame = _reader.ParseLong(FrameColumn, "frame");
            Id = _reader.ParseLong(IdColumn, "id");
            Rows++;
            return true;
        }

        public override void CopyTo(ITableWriter table)
        {
            if (table is ICsvRowWriter csv && csv.CsvRow(_reader.RawRow)) return;
            for (int k = 0; k < Header.Count; k++)
            {
                if (_reader[k].Length == 0) { table.Empty(); continue; }
                switch (_types[k])
                {
                    case CellTypes.Int64: table.Number(_reader.ParseLong(k, Header[k])); break;
                    case CellTypes.Double: table.Number(_reader.ParseDouble(k, Header[k])); break;
                    case CellTypes.Text: table.Text(_reader.Text(k)); break;
                    default: throw _reader.Fail(InputProblem.Syntax, $"{Header[k]}: '{_reader[k]}' in a column its manifest says is empty");
                }
            }
            table.EndRow();
        }

        public override void Dispose() => _reader.Dispose();
    }

    /// <summary>A Parquet table; an empty one's columns have no type of their own (Softspot writes them as DOUBLE).</summary>
    private sealed class ParquetRows : TableRowReader
    {
        private readonly ParquetReader _file;
        private ColumnValues[] _group = [];
        private int _nextGroup, _row = -1;

        public ParquetRows(string path) : this(ParquetReader.Open(path)) { }

        private ParquetRows(ParquetReader file) : base(file.Path, file.Columns.Select(c => c.Name).ToArray())
        {
            _file = file;
            foreach (int k in new[] { FrameColumn, IdColumn })
                if (file.Rows > 0 && file.Columns[k].Type != ParquetType.Int64)
                    throw new InputFormatException(Path, 0, InputProblem.NotANumber, $"the key column {Header[k]} is {file.Columns[k].Type}, not INT64");
        }

        public override bool Next()
        {
            while (_group.Length == 0 || ++_row >= _group[0].Count)
            {
                if (_nextGroup == _file.RowGroups) return false;
                _group = Enumerable.Range(0, Header.Count).Select(k => _file.ReadColumn(_nextGroup, k)).ToArray();
                _nextGroup++;
                _row = -1;
            }
            if (_group[FrameColumn].IsNull(_row) || _group[IdColumn].IsNull(_row))
                throw new InputFormatException(Path, 0, InputProblem.NotANumber, $"row {Rows} has no frame or id");
            Frame = _group[FrameColumn].Int64s![_row];
            Id = _group[IdColumn].Int64s![_row];
            Rows++;
            return true;
        }

        public override void CopyTo(ITableWriter table)
        {
            foreach (var column in _group)
            {
                if (column.IsNull(_row)) table.Empty();
                else if (column.Type == ParquetType.Int64) table.Number(column.Int64s![_row]);
                else if (column.Type == ParquetType.Double) table.Number(column.Doubles![_row]);
                else table.Text(column.Texts![_row]!);
            }
            table.EndRow();
        }

        public override void Dispose() => _file.Dispose();
    }
}
