using Softspot.IO.Parquet;

namespace Softspot.IO;

/// <summary>
/// A per-atom table keyed by (frame, id), as every Softspot table is written: the key columns, then named numeric
/// columns (an empty cell or a null is NaN: undefined or unlabelled), read from CSV or Parquet. Text columns such as
/// <c>element</c> are skipped.
/// </summary>
public sealed class KeyedTable
{
    /// <summary>The key of each row: frame and atom id.</summary>
    public (int Frame, long Id)[] Keys { get; }
    /// <summary>The value columns, in order (text columns such as element are skipped).</summary>
    public string[] Columns { get; }
    /// <summary>Row-major values: row r, column c at [r * Columns.Length + c].</summary>
    public double[] Values { get; }
    /// <summary>The file (or description) the table came from, for messages.</summary>
    public string Source { get; }
    /// <summary>The 1-based line of each row in a CSV file (0 for Parquet, which has rows, not lines).</summary>
    public long[] Lines { get; }

    private KeyedTable((int, long)[] keys, string[] columns, double[] values, string source, long[]? lines = null)
    {
        Keys = keys; Columns = columns; Values = values; Source = source; Lines = lines ?? new long[keys.Length];
    }

    /// <summary>
    /// A table made in memory (e.g. by <see cref="Featurizer.Table"/> or <see cref="PlasticLabeler"/>): keys, column
    /// names and row-major values (NaN: undefined); <paramref name="source"/> names it in messages.
    /// </summary>
    public static KeyedTable Of((int Frame, long Id)[] keys, string[] columns, double[] values, string source)
    {
        if (values.Length != keys.Length * columns.Length)
            throw new ArgumentException($"{values.Length} values for {keys.Length} rows of {columns.Length} columns");
        return new KeyedTable(keys, columns, values, source);
    }

    /// <summary>Where a row is, for messages: "labels.csv:57" (CSV) or "labels.parquet: row 57" (1-based).</summary>
    public string Where(int row) => Lines[row] > 0 ? $"{Source}:{Lines[row]}" : $"{Source}: row {row + 1}";

    /// <summary>A problem with one row, naming the file and the row's line (CSV) or number (Parquet).</summary>
    public InputFormatException Fail(int row, InputProblem kind, string problem) =>
        Lines[row] > 0 ? new InputFormatException(Source, Lines[row], kind, problem) : new InputFormatException(Source, 0, kind, $"row {row + 1}: {problem}");

    /// <summary>The number of rows.</summary>
    public int Rows => Keys.Length;
    /// <summary>The index of a column by name, or -1.</summary>
    public int IndexOf(string column) => Array.IndexOf(Columns, column);
    /// <summary>One value (NaN: empty or null).</summary>
    public double this[int row, int column] => Values[row * Columns.Length + column];

    /// <summary>One column's values, by row; a missing column is an error naming the file.</summary>
    public double[] Column(string name)
    {
        int c = IndexOf(name);
        if (c < 0) throw new InputFormatException(Source, 1, InputProblem.MissingColumn, $"no column '{name}' (columns: {Preview(Columns)})");
        var v = new double[Rows];
        for (int r = 0; r < Rows; r++) v[r] = Values[r * Columns.Length + c];
        return v;
    }

    /// <summary>
    /// The rows of one frame, renumbered as frame <paramref name="asFrame"/>: e.g. the labels of one strain of
    /// <c>label d2min</c> (frame k) for the features of the undeformed structure (frame 0).
    /// </summary>
    public KeyedTable Frame(int frame, int asFrame = 0)
    {
        var rows = Enumerable.Range(0, Rows).Where(r => Keys[r].Frame == frame).ToArray();
        if (rows.Length == 0)
            throw new InputFormatException(Source, 0, InputProblem.AtomCount, $"no rows of frame {frame} (frames: {string.Join(", ", Keys.Select(k => k.Frame).Distinct().Order())})");
        return Subset(rows, asFrame);
    }

    /// <summary>
    /// The rows whose <paramref name="column"/> is at least <paramref name="minimum"/> (an empty cell is not), e.g. the
    /// atoms of <c>label activation</c>'s table with at least so many converged searches (its <c>events</c>).
    /// </summary>
    /// <exception cref="InputFormatException">The column is missing, or no row is left.</exception>
    public KeyedTable AtLeast(string column, double minimum)
    {
        var v = Column(column);
        var rows = Enumerable.Range(0, Rows).Where(r => v[r] >= minimum).ToArray();
        if (rows.Length == 0)
            throw new InputFormatException(Source, 0, InputProblem.AtomCount, $"no row has '{column}' of at least {minimum} (the largest is {(v.Any(double.IsFinite) ? v.Where(double.IsFinite).Max() : double.NaN)})");
        return Subset(rows);
    }

    private KeyedTable Subset(int[] rows, int? asFrame = null)
    {
        int w = Columns.Length;
        var values = new double[rows.Length * w];
        for (int i = 0; i < rows.Length; i++) Array.Copy(Values, rows[i] * w, values, i * w, w);
        return new KeyedTable(rows.Select(r => asFrame is { } f ? (f, Keys[r].Id) : Keys[r]).ToArray(), Columns, values, Source, rows.Select(r => Lines[r]).ToArray());
    }

    /// <summary>Columns that are skipped because they hold text (element symbols) or are keys.</summary>
    public static readonly string[] TextColumns = ["element"];

    /// <summary>Reads a table written as CSV or as Parquet (told apart by Parquet's PAR1 magic).</summary>
    public static KeyedTable Read(string path) => ParquetReader.IsParquet(path) ? ReadParquet(path) : ReadCsv(path);

    private static KeyedTable ReadCsv(string path)
    {
        using var r = new CsvTableReader(path, "a header row (frame,id,...)");
        var names = r.Header.ToArray();
        var (frameCol, idCol, skip, columns) = Layout(names, new bool[names.Length], (kind, problem) => new InputFormatException(path, 1, kind, problem));
        var keys = new List<(int, long)>();
        var lines = new List<long>();
        var values = new List<double>();
        var seen = new Dictionary<(int, long), long>();
        while (r.Next())
        {
            if (r.Count != names.Length) throw r.Fail(InputProblem.ColumnCount, $"expected {names.Length} fields, found {r.Count}");
            var key = ((int)r.ParseLong(frameCol, "frame"), r.ParseLong(idCol, "id"));
            if (!seen.TryAdd(key, r.LineNumber)) throw r.Fail(InputProblem.DuplicateId, $"frame {key.Item1}, id {key.Item2} appears twice (first at line {seen[key]})");
            keys.Add(key);
            lines.Add(r.LineNumber);
            for (int k = 0; k < names.Length; k++)
            {
                if (skip[k]) continue;
                values.Add(r[k].Length == 0 ? double.NaN : r.ParseDouble(k, names[k]));
            }
        }
        return new KeyedTable(keys.ToArray(), columns, values.ToArray(), path, lines.ToArray());
    }

    /// <summary>A Parquet table: frame and id are INT64 columns without nulls; a null elsewhere is NaN; string columns are skipped.</summary>
    private static KeyedTable ReadParquet(string path)
    {
        using var p = ParquetReader.Open(path);
        var names = p.Columns.Select(c => c.Name).ToArray();
        var (frameCol, idCol, skip, columns) = Layout(names, p.Columns.Select(c => c.Type == ParquetType.ByteArray).ToArray(),
            (kind, problem) => new InputFormatException(path, 0, kind, problem));
        foreach (int k in new[] { frameCol, idCol })
            if (p.Columns[k].Type != ParquetType.Int64)
                throw new InputFormatException(path, 0, InputProblem.NotANumber, $"the key column {names[k]} is {p.Columns[k].Type}, not INT64");
        int rows = checked((int)p.Rows), width = columns.Length;
        var keys = new (int, long)[rows];
        var values = new double[(long)rows * width];
        var seen = new Dictionary<(int, long), long>(rows);
        int first = 0;
        for (int g = 0; g < p.RowGroups; g++)
        {
            var frames = p.ReadColumn(g, frameCol);
            var ids = p.ReadColumn(g, idCol);
            for (int i = 0; i < frames.Count; i++)
            {
                long row = first + i;
                if (frames.IsNull(i) || ids.IsNull(i)) throw new InputFormatException(path, 0, InputProblem.NotANumber, $"row {row} has no frame or id");
                var key = (checked((int)frames.Int64s![i]), ids.Int64s![i]);
                if (!seen.TryAdd(key, row)) throw new InputFormatException(path, 0, InputProblem.DuplicateId, $"frame {key.Item1}, id {key.Item2} appears twice (rows {seen[key]} and {row})");
                keys[row] = key;
            }
            for (int k = 0, c = 0; k < names.Length; k++)
            {
                if (skip[k]) continue;
                var column = p.ReadColumn(g, k);
                for (int i = 0; i < column.Count; i++) values[(long)(first + i) * width + c] = column.AsDouble(i);
                c++;
            }
            first += frames.Count;
        }
        return new KeyedTable(keys, columns, values, path);
    }

    /// <summary>
    /// Where the key columns are, which columns are skipped (keys, <see cref="TextColumns"/> and those marked in
    /// <paramref name="text"/>), and the names of the others; missing keys and duplicate names are errors.
    /// </summary>
    private static (int Frame, int Id, bool[] Skip, string[] Columns) Layout(string[] names, bool[] text, Func<InputProblem, string, Exception> fail)
    {
        int frameCol = Array.IndexOf(names, "frame"), idCol = Array.IndexOf(names, "id");
        if (frameCol < 0 || idCol < 0) throw fail(InputProblem.MissingColumn, "a per-atom table needs the key columns frame and id");
        var skip = (bool[])text.Clone();
        skip[frameCol] = skip[idCol] = true;
        foreach (var t in TextColumns) { int k = Array.IndexOf(names, t); if (k >= 0) skip[k] = true; }
        var columns = names.Where((_, k) => !skip[k]).ToArray();
        var dup = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null) throw fail(InputProblem.Syntax, $"column '{dup.Key}' appears twice");
        return (frameCol, idCol, skip, columns);
    }

    /// <summary>
    /// The rows of this table that have a value of <paramref name="target"/> in <paramref name="labels"/> (an empty
    /// cell or NaN is unlabelled), with that value: (row index here, label), in (frame, id) order whatever the order of either table. Keys missing from the labels are not used;
    /// a label without a feature row is an error (the tables do not describe the same atoms).
    /// </summary>
    public (int[] Rows, double[] Labels) Join(KeyedTable labels, string target)
    {
        var (rows, _, values) = JoinRows(labels, target);
        return (rows, values);
    }

    /// <summary>As <see cref="Join"/>, with the row of each label in <paramref name="labels"/> too (for messages naming its line).</summary>
    public (int[] Rows, int[] LabelRows, double[] Labels) JoinRows(KeyedTable labels, string target)
    {
        var y = labels.Column(target);
        var index = new Dictionary<(int, long), int>(Rows);
        for (int k = 0; k < Rows; k++) index[Keys[k]] = k;
        var rows = new List<int>(); var labelRows = new List<int>(); var values = new List<double>();
        int firstMissing = -1, missing = 0, labelled = 0;
        for (int k = 0; k < labels.Rows; k++)
        {
            if (double.IsNaN(y[k])) continue;
            labelled++;
            if (!index.TryGetValue(labels.Keys[k], out int row))
            {
                if (firstMissing < 0) firstMissing = k;
                missing++;
                continue;
            }
            rows.Add(row); labelRows.Add(k); values.Add(y[k]);
        }
        if (missing > 0 && missing == labelled)
        {
            var first = labels.Keys[firstMissing];
            throw new InputFormatException(labels.Source, 0, InputProblem.AtomCount,
                $"none of the {labelled} atoms with a '{target}' label ({Span(labels.Keys)}) has a row in {Source} ({Span(Keys)}): the tables describe different atoms (or frames: see --label-frame); "
                + $"the first, at {labels.Where(firstMissing)}: frame {first.Frame}, id {first.Id} has a '{target}' label but no row in {Source}");
        }
        if (missing > 0)
        {
            var key = labels.Keys[firstMissing];
            throw labels.Fail(firstMissing, InputProblem.AtomCount,
                $"frame {key.Frame}, id {key.Id} has a '{target}' label but no row in {Source} ({missing} of {labelled} labelled atoms have none)");
        }
        // in (frame, id) order, whatever order either table's rows come in (another engine may write them shuffled):
        // what is learnt from the joined rows must not depend on it
        var order = Enumerable.Range(0, rows.Count).OrderBy(i => labels.Keys[labelRows[i]].Frame).ThenBy(i => labels.Keys[labelRows[i]].Id).ToArray();
        return (order.Select(i => rows[i]).ToArray(), order.Select(i => labelRows[i]).ToArray(), order.Select(i => values[i]).ToArray());
    }

    /// <summary>The frames and id range of some keys, for messages.</summary>
    private static string Span(IReadOnlyCollection<(int Frame, long Id)> keys)
    {
        if (keys.Count == 0) return "no rows";
        var frames = keys.Select(k => k.Frame).Distinct().Order().ToArray();
        string f = frames.Length == 1 ? $"frame {frames[0]}" : $"frames {frames[0]} to {frames[^1]}";
        return $"{f}, ids {keys.Min(k => k.Id)} to {keys.Max(k => k.Id)}";
    }

    private static string Preview(string[] c) => c.Length <= 8 ? string.Join(", ", c) : string.Join(", ", c.Take(8)) + $", ... ({c.Length} in all)";
}
