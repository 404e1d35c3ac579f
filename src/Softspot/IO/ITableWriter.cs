namespace Softspot.IO;

/// <summary>
/// Writes a table row by row, cell by cell, whatever the file format: the same row-building code writes CSV
/// (<see cref="CsvTableWriter"/>) or Parquet (<see cref="Parquet.ParquetTableWriter"/>). Every row has one cell
/// per header column.
/// </summary>
public interface ITableWriter
{
    ITableWriter Text(string s);

    ITableWriter Number(double v);

    ITableWriter Number(long v);

    /// <summary>An empty cell (an undefined value or a missing label): empty in CSV, null in Parquet.</summary>
    ITableWriter Empty();

    /// <summary>Ends a row; throws if it does not have one cell per column.</summary>
    void EndRow();

    /// <summary>Finishes the table (for Parquet: the last row group and the footer); call before committing the file.</summary>
    void Complete();
}

/// <summary>
/// A table writer that also takes whole CSV rows as text (a row of a CSV table Softspot wrote, copied as it is: the
/// same text the cells would give, without parsing and formatting every number again).
/// </summary>
public interface ICsvRowWriter
{
    /// <summary>Writes one complete row given as CSV text (no line end); false when this writer cannot (it writes another format).</summary>
    bool CsvRow(string line);
}

/// <summary>Cells built from the primitive ones of <see cref="ITableWriter"/>.</summary>
public static class TableWriterExtensions
{
    /// <summary>A number, or an empty cell for NaN.</summary>
    public static ITableWriter NumberOrEmpty(this ITableWriter table, double v) => double.IsNaN(v) ? table.Empty() : table.Number(v);
}
