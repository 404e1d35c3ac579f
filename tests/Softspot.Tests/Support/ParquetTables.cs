using System.Globalization;
using System.Text.Json;
using Softspot.IO.Parquet;

namespace Softspot.Tests.Support;

/// <summary>
/// A table as exact text cells, so that what different writers and readers hold can be compared cell by cell:
/// INT64 in decimal, DOUBLE as the 16 hex digits of its bits (NaN as "NaN"), text as is, a null or empty cell as null.
/// </summary>
public sealed record CanonicalTable(string[] Names, string[] Types, string?[][] Columns)
{
    public int Rows => Columns.Length == 0 ? 0 : Columns[0].Length;

    public static string Bits(double v) => double.IsNaN(v) ? "NaN" : BitConverter.DoubleToInt64Bits(v).ToString("x16", CultureInfo.InvariantCulture);

    internal static string TypeName(ParquetType t) => t switch
    {
        ParquetType.Int64 => "INT64", ParquetType.Double => "DOUBLE", _ => "BYTE_ARRAY",
    };

    /// <summary>A Parquet file as Softspot's reader sees it, all row groups in order.</summary>
    public static CanonicalTable FromParquet(string path)
    {
        using var p = ParquetReader.Open(path);
        var columns = new string?[p.Columns.Count][];
        for (int k = 0; k < p.Columns.Count; k++)
        {
            var cells = new List<string?>();
            for (int g = 0; g < p.RowGroups; g++)
            {
                var v = p.ReadColumn(g, k);
                for (int i = 0; i < v.Count; i++)
                    cells.Add(v.IsNull(i) ? null : v.Type switch
                    {
                        ParquetType.Int64 => v.Int64s![i].ToString(CultureInfo.InvariantCulture),
                        ParquetType.Double => Bits(v.Doubles![i]),
                        _ => v.Texts![i],
                    });
            }
            columns[k] = [.. cells];
        }
        return new CanonicalTable(p.Columns.Select(c => c.Name).ToArray(), p.Columns.Select(c => TypeName(c.Type)).ToArray(), columns);
    }

    /// <summary>A CSV table written by Softspot (no quoted cells), its cells read as <paramref name="types"/>.</summary>
    public static CanonicalTable FromCsv(string path, string[] types)
    {
        var lines = File.ReadAllLines(path);
        var names = lines[0].Split(',');
        Assert.Equal(types.Length, names.Length);
        var rows = lines[1..].Select(l => l.Split(',')).ToArray();
        var columns = names.Select((_, k) => rows.Select(r => r[k].Length == 0 ? null : types[k] switch
        {
            "INT64" => long.Parse(r[k], CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture),
            "DOUBLE" => Bits(double.Parse(r[k], CultureInfo.InvariantCulture)),
            _ => r[k],
        }).ToArray()).ToArray();
        return new CanonicalTable(names, types, columns);
    }

    /// <summary>Asserts the same names, types and cells, naming the first cell that differs.</summary>
    public void AssertSameAs(CanonicalTable expected)
    {
        Assert.Equal(expected.Names, Names);
        Assert.Equal(expected.Types, Types);
        for (int k = 0; k < Names.Length; k++)
        {
            Assert.True(expected.Columns[k].Length == Columns[k].Length, $"column {Names[k]}: {Columns[k].Length} rows, expected {expected.Columns[k].Length}");
            for (int i = 0; i < Columns[k].Length; i++)
                Assert.True(expected.Columns[k][i] == Columns[k][i], $"column {Names[k]}, row {i}: {Columns[k][i] ?? "null"}, expected {expected.Columns[k][i] ?? "null"}");
        }
    }
}

/// <summary>
/// The independent reader: npm's hyparquet (pinned in tests/parquet-reader/package-lock.json) run by node on
/// tests/parquet-reader/read.mjs. node is required, not optional: .ci/run installs it and runs npm ci.
/// </summary>
public static class Hyparquet
{
    public sealed record Column(string Name, string Type, string Repetition, string[] Codecs, string?[] Values);

    public sealed record Contents(long Rows, int RowGroups, string? CreatedBy, Dictionary<string, string> Metadata, Column[] Columns)
    {
        public CanonicalTable Table => new(Columns.Select(c => c.Name).ToArray(), Columns.Select(c => c.Type).ToArray(), Columns.Select(c => c.Values).ToArray());
    }

    public static string Folder => Path.Combine(Paths.RepoRoot, "tests", "parquet-reader");

    public static Contents Read(string parquetPath)
    {
        string node = ExternalTool.Require("node", "nodejs");
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "hyparquet")))
            throw new InvalidOperationException($"hyparquet is not installed in {Folder}: run npm ci --prefix tests/parquet-reader (.ci/run does this)");
        string json = ExternalTool.Run(node, [Path.Combine(Folder, "read.mjs"), parquetPath], Folder, timeoutSeconds: 120);
        return JsonSerializer.Deserialize<Contents>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }
}

/// <summary>
/// DuckDB (npm @duckdb/node-api, pinned in tests/duckdb/package-lock.json) run by node on tests/duckdb/duckdb.mjs:
/// an independent engine that writes Parquet for Softspot to read and reads what Softspot writes.
/// </summary>
public static class DuckDb
{
    public sealed record Column(string Name, string Type, string?[] Values);

    public sealed record Contents(Column[] Columns, string[] Encodings, string[] Codecs)
    {
        public CanonicalTable Table => new(Columns.Select(c => c.Name).ToArray(), Columns.Select(c => c.Type).ToArray(), Columns.Select(c => c.Values).ToArray());
    }

    public static string Folder => Path.Combine(Paths.RepoRoot, "tests", "duckdb");

    /// <summary>Runs SQL statements, e.g. COPY (SELECT ...) TO 'f.parquet' (FORMAT parquet, COMPRESSION zstd).</summary>
    public static void Run(string sql) => Node(["run", sql]);

    /// <summary>A Parquet file as DuckDB reads it, in the canonical form of <see cref="CanonicalTable"/>.</summary>
    public static Contents Read(string parquetPath) =>
        JsonSerializer.Deserialize<Contents>(Node(["read", parquetPath]), new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    /// <summary>A path as a single-quoted SQL string literal.</summary>
    public static string Quote(string path) => "'" + path.Replace("'", "''") + "'";

    private static string Node(string[] args)
    {
        string node = ExternalTool.Require("node", "nodejs");
        if (!Directory.Exists(Path.Combine(Folder, "node_modules", "@duckdb", "node-api")))
            throw new InvalidOperationException($"DuckDB is not installed in {Folder}: run npm ci --prefix tests/duckdb (.ci/run does this)");
        return ExternalTool.Run(node, [Path.Combine(Folder, "duckdb.mjs"), .. args], Folder, timeoutSeconds: 300);
    }
}
