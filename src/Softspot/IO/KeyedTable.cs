using System.Globalization;

namespace Softspot.IO;

/// <summary>
/// A per-atom table keyed by (frame, id), as every Softspot table is written: the key columns, then named numeric
/// columns (an empty cell is NaN: undefined or unlabelled). Text columns such as <c>element</c> are skipped.
/// </summary>
public sealed class KeyedTable
{
    public (int Frame, long Id)[] Keys { get; }
    public string[] Columns { get; }
    /// <summary>Row-major values: row r, column c at [r * Columns.Length + c].</summary>
    public double[] Values { get; }
    public string Source { get; }

    private KeyedTable((int, long)[] keys, string[] columns, double[] values, string source)
    {
        Keys = keys; Columns = columns; Values = values; Source = source;
    }

    public int Rows => Keys.Length;
    public int IndexOf(string column) => Array.IndexOf(Columns, column);
    public double this[int row, int column] => Values[row * Columns.Length + column];

    public double[] Column(string name)
    {
        int c = IndexOf(name);
        if (c < 0) throw new InputFormatException(Source, 1, InputProblem.MissingColumn, $"no column '{name}' (columns: {Preview(Columns)})");
        var v = new double[Rows];
        for (int r = 0; r < Rows; r++) v[r] = Values[r * Columns.Length + c];
        return v;
    }

    /// <summary>Columns that are skipped because they hold text (element symbols) or are keys.</summary>
    public static readonly string[] TextColumns = ["element"];

    public static KeyedTable Read(string path)
    {
        using var r = new LineReader(path);
        string header = r.Require("a header row (frame,id,...)");
        var names = header.Split(',').Select(h => h.Trim().Trim('"')).ToArray();
        int frameCol = Array.IndexOf(names, "frame"), idCol = Array.IndexOf(names, "id");
        if (frameCol < 0 || idCol < 0) throw r.Fail(InputProblem.MissingColumn, "a per-atom table needs the key columns frame and id");
        var skip = new bool[names.Length];
        skip[frameCol] = skip[idCol] = true;
        foreach (var t in TextColumns) { int k = Array.IndexOf(names, t); if (k >= 0) skip[k] = true; }
        var columns = names.Where((_, k) => !skip[k]).ToArray();
        var dup = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw r.Fail(InputProblem.Syntax, $"column '{dup.Key}' appears twice");
        var keys = new List<(int, long)>();
        var values = new List<double>();
        var seen = new Dictionary<(int, long), long>();
        while (r.Next() is { } line)
        {
            if (line.Length == 0) continue;
            var f = line.Split(',');
            if (f.Length != names.Length) throw r.Fail(InputProblem.ColumnCount, $"expected {names.Length} fields, found {f.Length}");
            var key = ((int)r.ParseLong(f[frameCol], "frame"), r.ParseLong(f[idCol], "id"));
            if (!seen.TryAdd(key, r.LineNumber)) throw r.Fail(InputProblem.DuplicateId, $"frame {key.Item1}, id {key.Item2} appears twice (first at line {seen[key]})");
            keys.Add(key);
            for (int k = 0; k < names.Length; k++)
            {
                if (skip[k]) continue;
                string s = f[k];
                if (s.Length == 0) { values.Add(double.NaN); continue; }
                if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v))
                    throw r.Fail(InputProblem.NotANumber, $"{names[k]}: '{s}' is not a number");
                values.Add(v);
            }
        }
        return new KeyedTable(keys.ToArray(), columns, values.ToArray(), path);
    }

    /// <summary>
    /// The rows of this table that have a finite value of <paramref name="target"/> in <paramref name="labels"/>, with
    /// that value: (row index here, label). Keys missing from the labels are not used; a label without a
    /// feature row is an error (the tables do not describe the same atoms).
    /// </summary>
    public (int[] Rows, double[] Labels) Join(KeyedTable labels, string target)
    {
        var y = labels.Column(target);
        var index = new Dictionary<(int, long), int>(Rows);
        for (int k = 0; k < Rows; k++) index[Keys[k]] = k;
        var rows = new List<int>(); var values = new List<double>();
        for (int k = 0; k < labels.Rows; k++)
        {
            if (double.IsNaN(y[k])) continue;
            if (!index.TryGetValue(labels.Keys[k], out int row))
                throw new InputFormatException(labels.Source, 0, InputProblem.AtomCount,
                    $"frame {labels.Keys[k].Frame}, id {labels.Keys[k].Id} has a '{target}' label but no row in {Source}");
            rows.Add(row); values.Add(y[k]);
        }
        return (rows.ToArray(), values.ToArray());
    }

    private static string Preview(string[] c) => c.Length <= 8 ? string.Join(", ", c) : string.Join(", ", c.Take(8)) + $", ... ({c.Length} in all)";
}
