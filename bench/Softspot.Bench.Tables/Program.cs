using System.Diagnostics;
using System.Globalization;
using Softspot.IO;
using Softspot.IO.Parquet;

// Writing and reading Softspot's tables as CSV and as Parquet (Snappy, uncompressed), in the same run.
//   dotnet run -c Release --project bench/Softspot.Bench.Tables -- [--label-rows 1000000] [--feature-rows 100000] [--runs 3]
// Two tables shaped like Softspot's: a label table (frame, id, d2min, shear_strain, plastic; plastic empty in 1 %
// of the rows) and a feature table (frame, id, type, element, then 80 full-precision doubles, as featurize
// writes). Each is written through TableFile (the commands' path: atomic temp file, then rename) and read back
// with KeyedTable.Read (what train reads). Formats alternate within each run; medians of the runs are reported,
// with the file sizes. One thread; an untimed small round first compiles the code.

int labelRows = 1_000_000, featureRows = 100_000, runs = 3;
for (int i = 0; i < args.Length; i++)
{
    int Next() => int.Parse(args[++i], CultureInfo.InvariantCulture);
    switch (args[i])
    {
        case "--label-rows": labelRows = Next(); break;
        case "--feature-rows": featureRows = Next(); break;
        case "--runs": runs = Next(); break;
        default: throw new ArgumentException($"unknown argument {args[i]}");
    }
}
string outDir = Path.Combine(FindRoot(), "bench", "out", "tables");
Directory.CreateDirectory(outDir);
var formats = new (string Name, TableFormat Format, ParquetWriteOptions? Options, string Extension)[]
{
    ("CSV", TableFormat.Csv, null, "csv"),
    ("Parquet, Snappy", TableFormat.Parquet, new ParquetWriteOptions(), "parquet"),
    ("Parquet, uncompressed", TableFormat.Parquet, new ParquetWriteOptions { Compression = ParquetCompression.Uncompressed }, "u.parquet"),
};
var tables = new (string Name, int Rows, string[] Header, Action<ITableWriter, int> Row)[]
{
    ($"labels {labelRows:N0} x 5", labelRows, ["frame", "id", "d2min", "shear_strain", "plastic"], LabelRow),
    ($"features {featureRows:N0} x 84", featureRows, ["frame", "id", "type", "element", .. Enumerable.Range(0, 80).Select(j => $"f{j}")], FeatureRow),
};
Console.WriteLine($"# Tables: {runs} runs, {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
foreach (var f in formats) foreach (var t in tables) { string p = Path.Combine(outDir, "warmup." + f.Extension); Write(p, f.Format, f.Options, t.Header, 1000, t.Row); KeyedTable.Read(p); }

Console.WriteLine("| table | format | write median (s) | read median (s) | size (MB) | write ratio to CSV | read ratio to CSV |");
Console.WriteLine("|---|---|---|---|---|---|---|");
foreach (var t in tables)
{
    var write = formats.Select(_ => new List<double>()).ToArray();
    var read = formats.Select(_ => new List<double>()).ToArray();
    var size = new long[formats.Length];
    for (int r = 0; r < runs; r++)
        for (int k = 0; k < formats.Length; k++)
        {
            string path = Path.Combine(outDir, "table." + formats[k].Extension);
            var clock = Stopwatch.StartNew();
            Write(path, formats[k].Format, formats[k].Options, t.Header, t.Rows, t.Row);
            write[k].Add(clock.Elapsed.TotalSeconds);
            size[k] = new FileInfo(path).Length;
            clock.Restart();
            var back = KeyedTable.Read(path);
            read[k].Add(clock.Elapsed.TotalSeconds);
            if (back.Rows != t.Rows) throw new InvalidOperationException($"{path}: {back.Rows} rows read back, {t.Rows} written");
        }
    for (int k = 0; k < formats.Length; k++)
        Console.WriteLine(FormattableString.Invariant(
            $"| {t.Name} | {formats[k].Name} | {Median(write[k]):F2} | {Median(read[k]):F2} | {size[k] / 1e6:F1} | {Median(write[k]) / Median(write[0]):F2} | {Median(read[k]) / Median(read[0]):F2} |"));
}

static void Write(string path, TableFormat format, ParquetWriteOptions? options, string[] header, int rows, Action<ITableWriter, int> row)
{
    using var f = TableFile.Create(path, format, options);
    var t = f.Begin(header);
    for (int i = 0; i < rows; i++) { row(t, i); t.EndRow(); }
    f.Commit();
}

static void LabelRow(ITableWriter t, int i)
{
    double u = Hash(i, 0), v = Hash(i, 1);
    t.Number((long)(i / 100_000)).Number((long)(i % 100_000 + 1)).Number(-Math.Log(u)).Number(0.1 * v);
    if (i % 100 == 7) t.Empty(); else t.Number(u < 0.05 ? 1L : 0L);
}

static void FeatureRow(ITableWriter t, int i)
{
    t.Number((long)(i / 100_000)).Number((long)(i % 100_000 + 1)).Number((long)(1 + i % 2)).Text(i % 2 == 0 ? "Cu" : "Zr");
    for (int j = 0; j < 80; j++) t.Number(Hash(i, j + 2) * (j + 1));
}

// a deterministic uniform number in (0, 1) for row i, column j (SplitMix64 finaliser)
static double Hash(int i, int j)
{
    ulong z = (ulong)i * 0x9E3779B97F4A7C15UL + (ulong)j * 0xBF58476D1CE4E5B9UL + 0x94D049BB133111EBUL;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL; z ^= z >> 31;
    return ((z >> 11) + 0.5) / (1UL << 53);
}

static double Median(List<double> v) { var s = v.Order().ToArray(); return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2; }

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "Softspot.slnx"))) return dir.FullName;
    throw new InvalidOperationException("cannot find the repository root (Softspot.slnx)");
}
