using System.Globalization;
using Softspot.IO;
using Softspot.IO.Parquet;
using Softspot.Tests.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary><c>--format parquet</c> on featurize and label, and Parquet tables as the input of train.</summary>
public class ParquetCommandTests
{
    [Fact]
    public void FeaturizeWritesTheCsvValuesAsParquet()
    {
        using var dir = new TempDir();
        string csv = dir.File("f.csv"), parquet = dir.File("f.parquet"), byExtension = dir.File("g.parquet");
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", csv).Code);
        var (code, output, error) = CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", parquet, "--format", "parquet");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        Assert.Contains("-> " + parquet, output);
        Assert.True(File.Exists(dir.File("f.json"))); // the recipe beside the table, as for CSV

        string[] types = ["INT64", "INT64", "INT64", "BYTE_ARRAY", .. Enumerable.Repeat("DOUBLE", 80)];
        var expected = CanonicalTable.FromCsv(csv, types);
        Assert.Equal(500, expected.Rows);
        CanonicalTable.FromParquet(parquet).AssertSameAs(expected);
        Hyparquet.Read(parquet).Table.AssertSameAs(expected);

        // without --format, the .parquet extension chooses Parquet; --format csv overrides it
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", byExtension).Code);
        Assert.True(ParquetReader.IsParquet(byExtension));
        Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", dir.File("h.parquet"), "--format", "csv").Code);
        Assert.Equal(File.ReadAllText(csv), File.ReadAllText(dir.File("h.parquet")));
    }

    [Fact]
    public void LabelD2minWritesTheCsvValuesAsParquet()
    {
        using var dir = new TempDir();
        string sheared = Paths.Data("CuZr_500_shear.dump"), csv = dir.File("d2min.csv"), parquet = dir.File("d2min.parquet");
        Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", sheared, "--deformed", sheared, "--out", csv).Code);
        var (code, _, error) = CliRunner.Run("label", "d2min", "--reference", sheared, "--deformed", sheared, "--out", parquet, "--format", "parquet");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var expected = CanonicalTable.FromCsv(csv, ["INT64", "INT64", "DOUBLE", "DOUBLE", "INT64"]);
        CanonicalTable.FromParquet(parquet).AssertSameAs(expected);
        Hyparquet.Read(parquet).Table.AssertSameAs(expected);
        Assert.True(File.Exists(dir.File("d2min.json")));
    }

    [Fact]
    public void LabelActivationEmptyCellsBecomeNulls()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "search,atom_id,converged,eact,efinal,moved_atoms,max_displacement,seed" };
        int search = 0;
        for (int id = 1; id <= 100; id++)
            for (int k = 0; k < (id == 50 ? 2 : 5); k++)
                lines.Add(FormattableString.Invariant($"{search++},{id},1,{id / 100.0},0.01,10,1.0,{search}"));
        string events = IoAssert.WriteLines(dir.File("events.csv"), [.. lines]);
        string csv = dir.File("eact.csv"), parquet = dir.File("eact.parquet");
        Assert.Equal(0, CliRunner.Run("label", "activation", "--events", events, "--structure", Paths.Data("CuZr_500.dump"), "--out", csv).Code);
        var (code, _, error) = CliRunner.Run("label", "activation", "--events", events, "--structure", Paths.Data("CuZr_500.dump"), "--out", parquet, "--format", "parquet");
        Assert.Equal("", error);
        Assert.Equal(0, code);
        var expected = CanonicalTable.FromCsv(csv, ["INT64", "INT64", "DOUBLE", "DOUBLE", "INT64", "INT64", "INT64"]);
        var read = Hyparquet.Read(parquet).Table;
        read.AssertSameAs(expected);
        CanonicalTable.FromParquet(parquet).AssertSameAs(expected);
        int row = Array.IndexOf(read.Columns[1], "200"); // atom 200 has no events: every value but the count is null
        Assert.Equal(["0", "200", null, null, "0", null, null], read.Columns.Select(c => c[row]));
        Assert.True(read.Columns[5].Count(v => v is null) >= 400);
    }

    [Fact]
    public void TrainReadsParquetTablesAsItReadsCsv()
    {
        using var dir = new TempDir();
        string deformed = dir.File("def.dump");
        LammpsDumpWriter.Write(deformed, [StructureFile.ReadFrames(Paths.Data("CuZr_500_shear.dump")).ElementAt(2)]);
        foreach (var ext in new[] { "csv", "parquet" })
        {
            Assert.Equal(0, CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", dir.File($"f.{ext}")).Code);
            Assert.Equal(0, CliRunner.Run("label", "d2min", "--reference", Paths.Data("CuZr_500.dump"), "--deformed", deformed, "--out", dir.File($"l.{ext}")).Code);
            var (code, output, error) = CliRunner.Run("train", "--features", dir.File($"f.{ext}"), "--labels", dir.File($"l.{ext}"), "--target", "plastic",
                "--out", dir.File($"model-{ext}"), "--trees", "10", "--reduce", "0");
            Assert.Equal("", error);
            Assert.Equal(0, code);
            Assert.Contains("train: plastic, 500 atoms", output);
        }
        Assert.True(ParquetReader.IsParquet(dir.File("l.parquet")));
        Assert.Equal(File.ReadAllText(Path.Combine(dir.File("model-csv"), "metrics.json")), File.ReadAllText(Path.Combine(dir.File("model-parquet"), "metrics.json")));

        // a cut-off Parquet file is a one-line error naming it
        var bytes = File.ReadAllBytes(dir.File("l.parquet"));
        string cut = dir.File("cut.parquet");
        File.WriteAllBytes(cut, bytes[..(bytes.Length - 100)]);
        var line = CliRunner.AssertOneLineError(CliRunner.Run("train", "--features", dir.File("f.parquet"), "--labels", cut, "--target", "plastic", "--out", dir.File("x")));
        Assert.Contains(cut + ": the Parquet file does not end with PAR1", line);
    }

    [Fact]
    public void AnUnknownFormatIsRefused()
    {
        using var dir = new TempDir();
        var (code, _, error) = CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--out", dir.File("f.xlsx"), "--format", "xlsx");
        Assert.NotEqual(0, code);
        Assert.Contains("xlsx", error);
        Assert.False(File.Exists(dir.File("f.xlsx")));
    }
}
