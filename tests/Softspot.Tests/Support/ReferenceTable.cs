using System.Globalization;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Tests.Support;

/// <summary>
/// A per-atom reference CSV of ../shared/reference/amlearn-cuzr500/features (first column id, quoted names
/// allowed), and comparisons of Softspot feature tables against it with the README's tolerances.
/// </summary>
public sealed class ReferenceTable
{
    public string[] Columns { get; }
    public Dictionary<long, double[]> Rows { get; } = [];

    private ReferenceTable(string[] columns) => Columns = columns;

    public static ReferenceTable Load(string name)
    {
        string path = Paths.Reference(Path.Combine("amlearn-cuzr500", "features", name));
        using var reader = new StreamReader(path);
        var header = SplitCsv(reader.ReadLine()!);
        var t = new ReferenceTable(header[1..]);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            var f = SplitCsv(line);
            t.Rows[long.Parse(f[0], CultureInfo.InvariantCulture)] = f[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        }
        return t;
    }

    public int IndexOf(string column) => Array.IndexOf(Columns, column);

    /// <summary>The shipped 500-atom Cu64Zr36 glass with its elements.</summary>
    public static Snapshot Glass() => StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"), ElementMap.Parse("Cu,Zr"));

    /// <summary>
    /// Asserts every reference column named in <paramref name="columns"/> (default: all) equals Softspot's column of
    /// the same name for every atom: |a - b| &lt;= rel * |b| + abs. Reports the worst atom.
    /// </summary>
    public void AssertMatches(Snapshot s, FeatureTable table, double rel, double abs, IEnumerable<string>? columns = null, Func<double, double>? reference = null)
    {
        var byId = s.IndexById();
        foreach (var col in columns ?? Columns)
        {
            int rc = IndexOf(col);
            Assert.True(rc >= 0, $"reference has no column {col}");
            int oc = table.IndexOf(col);
            Assert.True(oc >= 0, $"Softspot computed no column {col}");
            double worst = 0; long worstId = 0; double a0 = 0, b0 = 0;
            foreach (var (id, values) in Rows)
            {
                double expected = reference is null ? values[rc] : reference(values[rc]);
                double actual = table[byId[id], oc];
                double excess = Math.Abs(actual - expected) - (rel * Math.Abs(expected) + abs);
                if (double.IsNaN(actual) != double.IsNaN(expected)) excess = double.PositiveInfinity;
                if (excess > worst) { worst = excess; worstId = id; a0 = actual; b0 = expected; }
            }
            Assert.True(worst <= 0, $"{col}: atom {worstId} has {a0:R}, the reference {b0:R} (tolerance rel {rel}, abs {abs})");
        }
    }

    private static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        int i = 0;
        while (i <= line.Length)
        {
            if (i < line.Length && line[i] == '"')
            {
                int end = line.IndexOf('"', i + 1);
                fields.Add(line[(i + 1)..end]);
                i = end + 2;
            }
            else
            {
                int end = line.IndexOf(',', i);
                if (end < 0) end = line.Length;
                fields.Add(line[i..end]);
                i = end + 1;
            }
        }
        return fields.ToArray();
    }
}
