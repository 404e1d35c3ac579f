using Softspot.IO;
using Softspot.IO.Parquet;
using Softspot.Tests.Cli;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

/// <summary>
/// Parquet exchanged with DuckDB, an independent engine, in both directions: files DuckDB writes with its codecs,
/// dictionary and version-2 pages, several row groups, narrow integer and FLOAT columns and columns are read
/// by Softspot as DuckDB reads them, train on them gives the scores of the same tables in CSV, and DuckDB reads what
/// featurize writes value for value.
/// </summary>
public class ParquetDuckDbTests
{
    public static TheoryData<string, string, string> Settings => new()
    {
        { "COMPRESSION zstd", "ZSTD", "PLAIN_DICTIONARY" },
        { "COMPRESSION gzip, ROW_GROUP_SIZE 2048", "GZIP", "PLAIN_DICTIONARY" },
        { "COMPRESSION snappy, PARQUET_VERSION v2", "SNAPPY", "BYTE_STREAM_SPLIT" },
        { "COMPRESSION uncompressed, PARQUET_VERSION v2, ROW_GROUP_SIZE 2048", "UNCOMPRESSED", "RLE_DICTIONARY" },
    };

    [Theory, MemberData(nameof(Settings))]
    public void SoftspotReadsWhatDuckDbWrites(string options, string codec, string encoding)
    {
        using var dir = new TempDir();
        string path = dir.File("t.parquet");
        // frame INTEGER and id BIGINT NOT NULL (DuckDB still writes them OPTIONAL), type TINYINT, element a dictionary-friendly string, x DOUBLE
        // with nulls and awkward values, f FLOAT with nulls, rows not in key order
        DuckDb.Run($"""
            CREATE TABLE t (frame INTEGER NOT NULL, id BIGINT NOT NULL, type TINYINT, element VARCHAR, x DOUBLE, f FLOAT);
            INSERT INTO t SELECT (i // 5000)::INTEGER, 9000000000 + (i * 7919) % 10007, (1 + i % 2)::TINYINT,
                CASE WHEN i % 2 = 0 THEN 'Cu' ELSE 'Zr' END,
                CASE WHEN i % 11 = 0 THEN NULL WHEN i % 13 = 0 THEN 'nan'::DOUBLE WHEN i % 17 = 0 THEN -0.0 ELSE i / 3.0 - 1e-300 * i END,
                CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 0.25)::FLOAT END
            FROM range(10007) r(i);
            COPY (SELECT * FROM t ORDER BY hash(id)) TO {DuckDb.Quote(path)} (FORMAT parquet, {options});
            """);
        var duck = DuckDb.Read(path);
        Assert.Contains(codec, duck.Codecs);
        Assert.Contains(duck.Encodings, e => e.Contains(encoding));
        Assert.Equal(["INT64", "INT64", "INT64", "BYTE_ARRAY", "DOUBLE", "DOUBLE"], duck.Table.Types);
        Assert.Equal(10007, duck.Table.Rows);
        CanonicalTable.FromParquet(path).AssertSameAs(duck.Table);
        using var p = ParquetReader.Open(path);
        if (options.Contains("ROW_GROUP_SIZE")) Assert.True(p.RowGroups > 1, $"{p.RowGroups} row group(s)");
    }

    [Fact]
    public void TrainOnDuckDbZstdDictionaryTablesScoresAsOnCsv()
    {
        using var dir = new TempDir();
        string deformed = dir.File("def.dump");
        LammpsDumpWriter.Write(deformed, [StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump")).ElementAt(2)]);
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", dir.File("f.csv")).Code);
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", deformed, "--out", dir.File("l.csv")).Code);
        // DuckDB turns the CSV tables into ZSTD Parquet: the keys and the type as INTEGER/TINYINT, the label as TINYINT,
        // element dictionary-encoded, and the label rows shuffled (in both the
        // Parquet table and the CSV table train compares it with)
        DuckDb.Run($"""
            COPY (SELECT * REPLACE (frame::INTEGER AS frame, id::INTEGER AS id, type::TINYINT AS type)
                  FROM read_csv({DuckDb.Quote(dir.File("f.csv"))}, header = true))
                TO {DuckDb.Quote(dir.File("f.parquet"))} (FORMAT parquet, COMPRESSION zstd);
            CREATE TABLE l AS SELECT * FROM read_csv({DuckDb.Quote(dir.File("l.csv"))}, header = true) ORDER BY hash(id);
            COPY (SELECT * REPLACE (plastic::TINYINT AS plastic) FROM l) TO {DuckDb.Quote(dir.File("l.parquet"))} (FORMAT parquet, COMPRESSION zstd);
            COPY l TO {DuckDb.Quote(dir.File("l-shuffled.csv"))} (FORMAT csv, HEADER);
            """);
        // train's folds follow the order of the label rows, so the CSV it is compared with holds them in the same (shuffled) order
        File.Move(dir.File("l-shuffled.csv"), dir.File("l.csv"), overwrite: true);
        var features = DuckDb.Read(dir.File("f.parquet"));
        Assert.Equal(["ZSTD"], features.Codecs);
        Assert.Contains(features.Encodings, e => e.Contains("PLAIN_DICTIONARY"));
        foreach (var ext in new[] { "csv", "parquet" })
        {
            var (code, output, error) = CliRunner.Run("train", "--features", dir.File($"f.{ext}"), "--labels", dir.File($"l.{ext}"), "--target", "plastic",
                "--out", dir.File($"model-{ext}"), "--trees", "10", "--reduce", "0");
            Assert.Equal("", error);
            Assert.Equal(0, code);
            Assert.Contains("train: plastic, 500 atoms", output);
        }
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("model-csv"), "metrics.json")), File.ReadAllText(Path.Combine(dir.File("model-parquet"), "metrics.json")));

        // predict and transfer read DuckDB's tables as they read the CSV ones
        string model = Path.Combine(dir.File("model-csv"), "model.json");
        foreach (var ext in new[] { "csv", "parquet" })
        {
            Assert.Equal(0, CliRunner.Run("predict", "--model", model, "--features", dir.File($"f.{ext}"), "--out", dir.File($"p-{ext}.csv")).Code);
            Assert.Equal(0, CliRunner.Run("transfer", "--model", model, "--features", dir.File($"f.{ext}"), "--labels", dir.File($"l.{ext}"), "--target", "plastic", "--out", dir.File($"t-{ext}")).Code);
        }
        Assert.Equal(File.ReadAllText(dir.File("p-csv.csv")), File.ReadAllText(dir.File("p-parquet.csv")));
        Assert.Equal(501, File.ReadAllLines(dir.File("p-parquet.csv")).Length);
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("t-csv"), "metrics.json")), File.ReadAllText(Path.Combine(dir.File("t-parquet"), "metrics.json")));
    }

    [Fact]
    public void AllNullAndNarrowIntegerColumnsOfDuckDbWidenToNumbers()
    {
        using var dir = new TempDir();
        // a label column that is null in every row (no atom labelled yet), an INT8 one and an INT32 one with nulls,
        // as an analysis in DuckDB may leave them
        DuckDb.Run($"""
            COPY (SELECT 0::INTEGER AS frame, i::BIGINT AS id, NULL::DOUBLE AS eact_mean, (i % 2)::TINYINT AS h_eact,
                         CASE WHEN i % 3 = 0 THEN NULL ELSE i::INTEGER END AS events
                  FROM range(1, 2001) t(i))
                TO {DuckDb.Quote(dir.File("t.parquet"))} (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 500);
            """);
        var t = KeyedTable.Read(dir.File("t.parquet"));
        Assert.Equal(2000, t.Rows);
        Assert.All(t.Column("eact_mean"), v => Assert.True(double.IsNaN(v)));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (double)(i % 2)), t.Column("h_eact"));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => i % 3 == 0 ? double.NaN : i), t.Column("events"));
        Assert.Equal(Enumerable.Range(1, 2000).Select(i => (0, (long)i)), t.Keys);
    }

    [Fact]
    public void DuckDbReadsWhatFeaturizeWrites()
    {
        using var dir = new TempDir();
        string csv = dir.File("f.csv"), parquet = dir.File("f.parquet");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", csv).Code);
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", parquet, "--format", "parquet").Code);
        string[] types = ["INT64", "INT64", "INT64", "BYTE_ARRAY", .. Enumerable.Repeat("DOUBLE", 80)];
        var expected = CanonicalTable.FromCsv(csv, types);
        var duck = DuckDb.Read(parquet);
        Assert.Equal(["SNAPPY"], duck.Codecs);
        duck.Table.AssertSameAs(expected);
    }
}
