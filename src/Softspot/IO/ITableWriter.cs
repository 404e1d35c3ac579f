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

/// <summary>Cells built from the primitive ones of <see cref="ITableWriter"/>.</summary>
public static class TableWriterExtensions
{
    /// <summary>A number, or an empty cell for NaN.</summary>
    public static ITableWriter NumberOrEmpty(this ITableWriter table, double v) => double.IsNaN(v) ? table.Empty() : table.Number(v);
}
