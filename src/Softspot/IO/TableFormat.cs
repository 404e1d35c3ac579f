namespace Softspot.IO;

/// <summary>The file formats of Softspot's output tables.</summary>
public enum TableFormat
{
    /// <summary>Comma-separated text with a header row.</summary>
    Csv,
    /// <summary>Apache Parquet (columnar, compressed).</summary>
    Parquet,
}

/// <summary>Names of table formats, as the <c>--format</c> option takes them.</summary>
public static class TableFormats
{
    public static readonly string[] Names = ["csv", "parquet"];

    /// <summary>
    /// The format called <paramref name="name"/> ("csv" or "parquet"); without a name, Parquet when
    /// <paramref name="path"/> ends in .parquet, else CSV.
    /// </summary>
    public static TableFormat Resolve(string? name, string path) => name?.ToLowerInvariant() switch
    {
        null or "" => path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase) ? TableFormat.Parquet : TableFormat.Csv,
        "csv" => TableFormat.Csv,
        "parquet" => TableFormat.Parquet,
        _ => throw new ArgumentException($"unknown table format '{name}' (formats: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>The name of a format as <c>--format</c> takes it and manifests record it.</summary>
    public static string Name(TableFormat format) => Names[(int)format];
}
