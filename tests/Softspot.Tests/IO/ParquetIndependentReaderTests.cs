using Softspot.IO;
using Softspot.IO.Parquet;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

/// <summary>Files Softspot writes, read by another implementation of Parquet (hyparquet, under node): the same values, to the bit.</summary>
public class ParquetIndependentReaderTests
{
    // by name: the codec enum is the library's internal plumbing
    public static TheoryData<string> Codecs => [nameof(ParquetCompression.Snappy), nameof(ParquetCompression.Uncompressed)];

    [Theory, MemberData(nameof(Codecs))]
    public void HyparquetReadsEveryValueWritten(string codecName)
    {
        var codec = Enum.Parse<ParquetCompression>(codecName);
        using var dir = new TempDir();
        string path = dir.File("edge.parquet");
        const int rows = 100;
        ParquetRoundTripTests.WriteEdgeCases(path, new ParquetWriteOptions
        {
            Compression = codec, RowGroupRows = 16, Metadata = [new("softspot.note", "Cu64Zr36 ∑")],
        }, rows);
        var expected = new CanonicalTable(["d", "n", "s"], ["DOUBLE", "INT64", "BYTE_ARRAY"],
        [
            [.. Enumerable.Range(0, rows).Select(i => ParquetRoundTripTests.EdgeCaseRow(i).D is { } d ? CanonicalTable.Bits(d) : null)],
            [.. Enumerable.Range(0, rows).Select(i => ParquetRoundTripTests.EdgeCaseRow(i).N?.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. Enumerable.Range(0, rows).Select(i => ParquetRoundTripTests.EdgeCaseRow(i).S)],
        ]);
        var read = Hyparquet.Read(path);
        Assert.Equal(rows, read.Rows);
        Assert.Equal(7, read.RowGroups);
        Assert.All(read.Columns, c => Assert.Equal(Enumerable.Repeat(codec == ParquetCompression.Snappy ? "SNAPPY" : "UNCOMPRESSED", 7), c.Codecs));
        Assert.All(read.Columns, c => Assert.Equal("OPTIONAL", c.Repetition));
        Assert.StartsWith(ParquetTableWriter.CreatedBy, read.CreatedBy);
        Assert.Equal("Cu64Zr36 ∑", read.Metadata["softspot.note"]);
        read.Table.AssertSameAs(expected);
        CanonicalTable.FromParquet(path).AssertSameAs(expected); // and Softspot's own reader agrees
    }

    [Fact]
    public void HyparquetReadsAnEmptyTable()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.parquet");
        TableFile.Write(path, TableFormat.Parquet, ["frame", "id"], _ => { });
        var read = Hyparquet.Read(path);
        Assert.Equal(0, read.Rows);
        Assert.Equal(["frame", "id"], read.Columns.Select(c => c.Name));
        Assert.All(read.Columns, c => Assert.Empty(c.Values));
    }
}
