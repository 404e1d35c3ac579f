using System.Buffers;
using System.Buffers.Binary;
using Softspot.IO;
using Softspot.IO.Parquet;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

public class ParquetRoundTripTests
{
    /// <summary>Every awkward double: NaNs with payloads, infinities, both zeros, subnormals, the extremes.</summary>
    public static readonly double[] AwkwardDoubles =
    [
        double.NaN, BitConverter.Int64BitsToDouble(0x7FF8_0000_0000_0001), BitConverter.Int64BitsToDouble(0x7FF0_0000_0000_0001),
        double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0, double.Epsilon, -double.Epsilon,
        BitConverter.Int64BitsToDouble(0x000F_FFFF_FFFF_FFFF), double.MaxValue, double.MinValue, 0.1 + 0.2, -1e-300, 1.0 / 3,
    ];

    public static readonly long[] AwkwardLongs = [long.MinValue, long.MaxValue, 0, -1, 1, int.MinValue, (long)int.MaxValue + 1];

    // by name: the codec enum is the library's internal plumbing
    public static TheoryData<string> Codecs => [nameof(ParquetCompression.Snappy), nameof(ParquetCompression.Uncompressed)];

    [Theory, MemberData(nameof(Codecs))]
    public void DoublesLongsTextAndNullsRoundTripBitExact(string codecName)
    {
        var codec = Enum.Parse<ParquetCompression>(codecName);
        using var dir = new TempDir();
        string path = dir.File("t.parquet");
        int rows = AwkwardDoubles.Length * 3;
        WriteEdgeCases(path, new ParquetWriteOptions { Compression = codec }, rows);
        using var p = ParquetReader.Open(path);
        Assert.Equal(rows, p.Rows);
        Assert.Equal(1, p.RowGroups);
        Assert.Equal(codec, p.Compression(0, 0));
        Assert.Equal([new ParquetColumn("d", ParquetType.Double), new ParquetColumn("n", ParquetType.Int64), new ParquetColumn("s", ParquetType.ByteArray)], p.Columns);
        var d = p.ReadColumn(0, 0); var n = p.ReadColumn(0, 1); var s = p.ReadColumn(0, 2);
        for (int i = 0; i < rows; i++)
        {
            var (ed, en, es) = EdgeCaseRow(i);
            Assert.Equal(ed is null, d.IsNull(i));
            if (ed is { } x) Assert.Equal(BitConverter.DoubleToInt64Bits(x), BitConverter.DoubleToInt64Bits(d.Doubles![i]));
            Assert.Equal(en is null, n.IsNull(i));
            if (en is { } y) Assert.Equal(y, n.Int64s![i]);
            Assert.Equal(es, s.Texts![i]);
        }
        Assert.True(double.IsNaN(d.AsDouble(2)) && d.IsNull(2));
        Assert.StartsWith(ParquetTableWriter.CreatedBy, p.CreatedBy);
    }

    [Theory, MemberData(nameof(Codecs))]
    public void ManyRowGroupsKeepEveryRowInOrder(string codecName)
    {
        var codec = Enum.Parse<ParquetCompression>(codecName);
        using var dir = new TempDir();
        string path = dir.File("t.parquet");
        const int rows = 1000;
        TableFile.Write(path, TableFormat.Parquet, ["i", "x", "label"], _ => { }); // a table can be replaced
        using (var f = TableFile.Create(path, TableFormat.Parquet, new ParquetWriteOptions { Compression = codec, RowGroupRows = 64 }))
        {
            var t = f.Begin(["i", "x", "label"]);
            for (int i = 0; i < rows; i++)
            {
                t.Number((long)i).NumberOrEmpty(i % 7 == 0 ? double.NaN : Math.Sqrt(i));
                if (i % 100 < 30) t.Empty(); else t.Number((long)(i % 2)); // long runs of nulls across row groups
                t.EndRow();
            }
            f.Commit();
        }
        using var p = ParquetReader.Open(path);
        Assert.Equal(rows, p.Rows);
        Assert.Equal((rows + 63) / 64, p.RowGroups);
        int row = 0;
        for (int g = 0; g < p.RowGroups; g++)
        {
            var i = p.ReadColumn(g, 0); var x = p.ReadColumn(g, 1); var label = p.ReadColumn(g, 2);
            Assert.Equal(g < p.RowGroups - 1 ? 64 : rows % 64, p.RowGroupRows(g));
            for (int k = 0; k < i.Count; k++, row++)
            {
                Assert.Equal(row, i.Int64s![k]);
                Assert.Equal(row % 7 == 0 ? double.NaN : Math.Sqrt(row), x.AsDouble(k));
                Assert.Equal(row % 100 < 30 ? double.NaN : row % 2, label.AsDouble(k));
            }
        }
        Assert.Equal(rows, row);
    }

    [Fact]
    public void ZeroRowsMakeAReadableEmptyTable()
    {
        using var dir = new TempDir();
        string path = dir.File("empty.parquet");
        TableFile.Write(path, TableFormat.Parquet, ["frame", "id", "x"], _ => { });
        using var p = ParquetReader.Open(path);
        Assert.Equal(0, p.Rows);
        Assert.Equal(0, p.RowGroups);
        Assert.Equal(["frame", "id", "x"], p.Columns.Select(c => c.Name));
        Assert.All(p.Columns, c => Assert.Equal(ParquetType.Double, c.Type)); // no value told the type
    }

    [Fact]
    public void AColumnOfNullsTakesTheTypeOfALaterRowGroup()
    {
        using var dir = new TempDir();
        string path = dir.File("t.parquet");
        using (var f = TableFile.Create(path, TableFormat.Parquet, new ParquetWriteOptions { RowGroupRows = 3 }))
        {
            var t = f.Begin(["a", "b"]);
            for (int i = 0; i < 7; i++) { t.Number((long)i); if (i < 4) t.Empty(); else t.Number((long)-i); t.EndRow(); }
            f.Commit();
        }
        using var p = ParquetReader.Open(path);
        Assert.Equal(ParquetType.Int64, p.Columns[1].Type);
        Assert.True(p.ReadColumn(0, 1).Defined.All(d => !d));
        var middle = p.ReadColumn(1, 1);
        Assert.Equal([false, true, true], middle.Defined);
        Assert.Equal([0, -4, -5], middle.Int64s!);
        Assert.Equal([-6], p.ReadColumn(2, 1).Int64s!);
    }

    [Fact]
    public void StatisticsFollowTheSpec()
    {
        using var dir = new TempDir();
        string path = dir.File("t.parquet");
        TableFile.Write(path, TableFormat.Parquet, ["d", "n", "z", "nan"], t =>
        {
            foreach (var (d, n) in new[] { (2.5, 7L), (double.NaN, -3L), (-1.0, 12L) }) t.Number(d).Number(n).Number(0.0).Number(double.NaN).EndRow();
            t.Empty().Empty().Number(-0.0).Empty().EndRow();
        });
        using var p = ParquetReader.Open(path);
        var s = Enumerable.Range(0, 4).Select(k => p.Statistics(0, k)!).ToArray();
        // Parquet.Net writes null counts and min/max (NaN takes no part in them); it writes no NaN counts
        Assert.Equal((1L, -1.0, 2.5), (s[0].NullCount!.Value, (double)s[0].MinValue!, (double)s[0].MaxValue!));
        Assert.Equal((1L, -3L, 12L), (s[1].NullCount!.Value, (long)s[1].MinValue!, (long)s[1].MaxValue!));
        Assert.Equal(0.0, (double)s[2].MinValue!);
        Assert.Equal(1L, s[3].NullCount!.Value);
    }

    [Fact]
    public async Task RequiredAndNarrowColumnsOfOtherWritersAreRead()
    {
        using var dir = new TempDir();
        string path = dir.File("req.parquet");
        var fields = new global::Parquet.Schema.DataField[]
        {
            new global::Parquet.Schema.DataField<long>("frame"), new global::Parquet.Schema.DataField<int>("id"),
            new global::Parquet.Schema.DataField<float>("f"), new global::Parquet.Schema.DataField<sbyte?>("b"),
        };
        await using (var fs = File.Create(path))
        await using (var w = await global::Parquet.ParquetWriter.CreateAsync(new global::Parquet.Schema.ParquetSchema(fields), fs,
                   new global::Parquet.ParquetOptions { CompressionMethod = global::Parquet.CompressionMethod.Gzip }))
        using (var g = w.CreateRowGroup())
        {
            await g.WriteAsync<long>(fields[0], new long[] { 0, 0, 1 }.AsMemory());
            await g.WriteAsync<int>(fields[1], new[] { 3, -1, int.MaxValue }.AsMemory());
            await g.WriteAsync<float>(fields[2], new[] { 0.1f, float.NaN, -2.5f }.AsMemory());
            await g.WriteAsync<sbyte>(fields[3], new sbyte?[] { -128, null, 127 }.AsMemory());
        }
        using var p = ParquetReader.Open(path);
        Assert.Equal([new ParquetColumn("frame", ParquetType.Int64, false), new ParquetColumn("id", ParquetType.Int64, false),
            new ParquetColumn("f", ParquetType.Double, false), new ParquetColumn("b", ParquetType.Int64, true)], p.Columns);
        Assert.Equal(ParquetCompression.Gzip, p.Compression(0, 0));
        Assert.Equal([3L, -1L, int.MaxValue], p.ReadColumn(0, 1).Int64s!);
        Assert.Equal([(double)0.1f, double.NaN, -2.5], p.ReadColumn(0, 2).Doubles!);
        var b = p.ReadColumn(0, 3);
        Assert.Equal([true, false, true], b.Defined);
        Assert.Equal([-128L, 0L, 127L], b.Int64s!);
        var table = KeyedTable.Read(path);
        Assert.Equal(["f", "b"], table.Columns);
    }

    [Fact]
    public void WritersRejectMisfitRows()
    {
        var t = new ParquetTableWriter(new MemoryStream(), ["a", "b"]);
        t.Number(1.0);
        Assert.Throws<InvalidOperationException>(() => t.EndRow());
        t.Number(2.0).EndRow();
        Assert.Throws<InvalidOperationException>(() => t.Number(1L)); // column a holds doubles
        Assert.Throws<InvalidOperationException>(() => new ParquetTableWriter(new MemoryStream(), ["a"]).Number(1.0).Number(2.0));
        Assert.Throws<ArgumentException>(() => new ParquetTableWriter(new MemoryStream(), ["a", "a"]));
    }

    [Fact]
    public void BadFilesAreInputErrorsNamingTheFile()
    {
        using var dir = new TempDir();
        string good = dir.File("good.parquet");
        WriteEdgeCases(good, new ParquetWriteOptions(), 30);
        var bytes = File.ReadAllBytes(good);

        var notParquet = IoAssert.WriteLines(dir.File("table.parquet"), ["frame,id", "0,1"]);
        var e = Assert.Throws<InputFormatException>(() => ParquetReader.Open(notParquet));
        Assert.Equal((InputProblem.Syntax, notParquet), (e.Kind, e.File));
        Assert.Contains("does not start with PAR1", e.Message);
        Assert.StartsWith(notParquet + ": ", e.Message);

        string cut = dir.File("cut.parquet");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        e = Assert.Throws<InputFormatException>(() => ParquetReader.Open(cut));
        Assert.Equal(InputProblem.Truncated, e.Kind);
        Assert.Contains("cut.parquet: the Parquet file does not end with PAR1", e.Message);

        string tiny = dir.File("tiny.parquet");
        File.WriteAllBytes(tiny, "PAR1PAR1"u8.ToArray());
        Assert.Equal(InputProblem.Truncated, Assert.Throws<InputFormatException>(() => ParquetReader.Open(tiny)).Kind);

        string longFooter = dir.File("footer.parquet");
        var lf = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(lf.AsSpan(lf.Length - 8), lf.Length);
        File.WriteAllBytes(longFooter, lf);
        Assert.Contains("does not fit", Assert.Throws<InputFormatException>(() => ParquetReader.Open(longFooter)).Message);

        string garbledFooter = dir.File("garbled.parquet");
        var gf = (byte[])bytes.Clone();
        int footerLength = BinaryPrimitives.ReadInt32LittleEndian(gf.AsSpan(gf.Length - 8));
        gf.AsSpan(gf.Length - 8 - footerLength, footerLength).Fill(0xFF);
        File.WriteAllBytes(garbledFooter, gf);
        e = Assert.Throws<InputFormatException>(() => ParquetReader.Open(garbledFooter));
        Assert.Contains("garbled.parquet: corrupt Parquet footer", e.Message);

        // corrupt data: every byte between the header and the footer in turn, never a crash or a non-input error
        string bad = dir.File("page.parquet");
        int footer = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(bytes.Length - 8));
        for (long at = 4; at < bytes.Length - 8 - footer; at++)
        {
            var b = (byte[])bytes.Clone();
            b[at] ^= 0x5A;
            File.WriteAllBytes(bad, b);
            using var q = ParquetReader.Open(bad);
            for (int k = 0; k < q.Columns.Count; k++)
                try { q.ReadColumn(0, k); }
                catch (InputFormatException x) { Assert.Equal(bad, x.File); }
        }
        Assert.Equal("no such file", Assert.Throws<InputFormatException>(() => ParquetReader.Open(dir.File("missing.parquet"))).Problem);
    }

    [Fact]
    public void KeyedTableReadsParquetAsItReadsCsv()
    {
        using var dir = new TempDir();
        string[] header = ["frame", "id", "type", "element", "a", "plastic"];
        void Rows(ITableWriter t)
        {
            t.Number(0L).Number(1L).Number(1L).Text("Cu").Number(0.5).Number(1L).EndRow();
            t.Number(0L).Number(2L).Number(2L).Text("Zr").NumberOrEmpty(double.NaN).Empty().EndRow();
            t.Number(1L).Number(1L).Number(1L).Text("Cu").Number(-0.0).Number(0L).EndRow();
        }
        TableFile.Write(dir.File("t.csv"), TableFormat.Csv, header, Rows);
        TableFile.Write(dir.File("t.parquet"), TableFormat.Parquet, header, Rows);
        var csv = KeyedTable.Read(dir.File("t.csv"));
        var parquet = KeyedTable.Read(dir.File("t.parquet"));
        Assert.Equal(["type", "a", "plastic"], parquet.Columns);
        Assert.Equal(csv.Columns, parquet.Columns);
        Assert.Equal(csv.Keys, parquet.Keys);
        Assert.Equal(csv.Values.Select(BitConverter.DoubleToInt64Bits), parquet.Values.Select(BitConverter.DoubleToInt64Bits));

        string dup = dir.File("dup.parquet");
        TableFile.Write(dup, TableFormat.Parquet, ["frame", "id", "a"], t => { t.Number(0L).Number(1L).Number(1.0).EndRow(); t.Number(0L).Number(1L).Number(2.0).EndRow(); });
        var e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(dup));
        Assert.Equal(InputProblem.DuplicateId, e.Kind);
        Assert.Contains("rows 0 and 1", e.Message);
        string nokey = dir.File("nokey.parquet");
        TableFile.Write(nokey, TableFormat.Parquet, ["id", "a"], t => t.Number(1L).Number(1.0).EndRow());
        Assert.Equal(InputProblem.MissingColumn, Assert.Throws<InputFormatException>(() => KeyedTable.Read(nokey)).Kind);
    }

    [Fact]
    public void FormatComesFromTheNameOrTheExtension()
    {
        Assert.Equal(TableFormat.Parquet, TableFormats.Resolve(null, "out/f.parquet"));
        Assert.Equal(TableFormat.Parquet, TableFormats.Resolve(null, "F.PARQUET"));
        Assert.Equal(TableFormat.Csv, TableFormats.Resolve(null, "f.csv"));
        Assert.Equal(TableFormat.Csv, TableFormats.Resolve("csv", "f.parquet"));
        Assert.Equal(TableFormat.Parquet, TableFormats.Resolve("parquet", "f.csv"));
        Assert.Throws<ArgumentException>(() => TableFormats.Resolve("xlsx", "f.csv"));
    }

    [Fact]
    public void AnUncommittedParquetTableLeavesNothing()
    {
        using var dir = new TempDir();
        using (var f = TableFile.Create(dir.File("t.parquet"), TableFormat.Parquet))
            f.Begin(["a"]).Number(1.0).EndRow();
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    /// <summary>Row i of the edge-case table: awkward doubles and longs with nulls every third row, and text.</summary>
    internal static (double? D, long? N, string? S) EdgeCaseRow(int i) =>
        (i % 3 == 2 ? null : AwkwardDoubles[i % AwkwardDoubles.Length],
         i % 4 == 1 ? null : AwkwardLongs[i % AwkwardLongs.Length],
         i % 5 == 3 ? null : i % 5 == 4 ? "" : $"Cu{i},\"Zr\" ∑ {i}");

    internal static void WriteEdgeCases(string path, ParquetWriteOptions options, int rows)
    {
        using var f = TableFile.Create(path, TableFormat.Parquet, options);
        var t = f.Begin(["d", "n", "s"]);
        for (int i = 0; i < rows; i++)
        {
            var (d, n, s) = EdgeCaseRow(i);
            if (d is { } x) t.Number(x); else t.Empty();
            if (n is { } y) t.Number(y); else t.Empty();
            if (s is not null) t.Text(s); else t.Empty();
            t.EndRow();
        }
        f.Commit();
    }

}
