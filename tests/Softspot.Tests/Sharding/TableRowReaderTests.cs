using Softspot.IO;
using Softspot.IO.Parquet;
using Softspot.Tests.Support;

namespace Softspot.Tests.Sharding;

/// <summary>Rows copied from table to table (what merge does) keep every cell, across Parquet row groups and formats.</summary>
public class TableRowReaderTests
{
    private static readonly string[] Header = ["frame", "id", "element", "value", "label"];

    private static void Rows(ITableWriter t)
    {
        for (int i = 0; i < 30; i++)
        {
            t.Number((long)(i / 10)).Number((long)(100 - i)).Text(i % 2 == 0 ? "Cu" : "Zr").Number(i == 3 ? double.NaN : 0.1 * i - 1.5);
            if (i % 4 == 0) t.Empty(); else t.Number((long)(i % 3));
            t.EndRow();
        }
    }

    [Theory]
    [InlineData("csv", "csv")]
    [InlineData("csv", "parquet")]
    [InlineData("parquet", "csv")]
    [InlineData("parquet", "parquet")]
    public void CopiedRowsAreTheRowsWritten(string from, string to)
    {
        using var dir = new TempDir();
        var small = new ParquetWriteOptions { RowGroupRows = 7 }; // several row groups, one frame across two of them
        string source = dir.File("source." + from), expected = dir.File("expected." + to), copy = dir.File("copy." + to);
        using (var t = TableFile.Create(source, TableFormats.Resolve(from, source), small)) { Rows(t.Begin(Header)); t.Commit(); }
        using (var t = TableFile.Create(expected, TableFormats.Resolve(to, expected), small)) { Rows(t.Begin(Header)); t.Commit(); }

        using (var reader = TableRowReader.Open(source, ["int64", "int64", "text", "double", "int64"]))
        using (var t = TableFile.Create(copy, TableFormats.Resolve(to, copy), small))
        {
            var w = t.Begin(reader.Header);
            var keys = new List<(long, long)>();
            while (reader.Next()) { keys.Add((reader.Frame, reader.Id)); reader.CopyTo(w); }
            t.Commit();
            Assert.Equal(30, reader.Rows);
            Assert.Equal(Enumerable.Range(0, 30).Select(i => ((long)(i / 10), (long)(100 - i))), keys);
        }
        Assert.Equal(File.ReadAllBytes(expected), File.ReadAllBytes(copy));
    }

    [Fact]
    public void ShardRowGroupsShrinkWithTheShardsReadTogether()
    {
        Assert.Equal(new ParquetWriteOptions().RowsPerGroup(84), new ParquetWriteOptions { ReadTogether = 1 }.RowsPerGroup(84));
        Assert.Equal(new ParquetWriteOptions().RowsPerGroup(84) / 3, new ParquetWriteOptions { ReadTogether = 3 }.RowsPerGroup(84));
        Assert.Equal(4096, new ParquetWriteOptions { ReadTogether = 1000 }.RowsPerGroup(84));
    }
}
