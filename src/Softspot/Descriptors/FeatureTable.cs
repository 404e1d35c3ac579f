namespace Softspot.Descriptors;

/// <summary>Per-atom features of one frame: rows = atoms (snapshot order), columns by name.</summary>
public sealed class FeatureTable
{
    /// <summary>The feature columns, with their definitions.</summary>
    public IReadOnlyList<FeatureColumn> Columns { get; }
    /// <summary>Row-major values: atom i, column c at [i * ColumnCount + c].</summary>
    public double[] Values { get; }
    /// <summary>Rows (atoms).</summary>
    public int Rows { get; }
    /// <summary>The number of columns.</summary>
    public int ColumnCount => Columns.Count;

    /// <summary>A table of <paramref name="rows"/> rows (zeros, or the given row-major values).</summary>
    public FeatureTable(IReadOnlyList<FeatureColumn> columns, int rows, double[]? values = null)
    {
        Columns = columns; Rows = rows;
        Values = values ?? new double[checked(rows * columns.Count)];
        if (Values.Length != rows * columns.Count) throw new ArgumentException("values do not fit the table");
    }

    /// <summary>One atom's row.</summary>
    public Span<double> Row(int atom) => Values.AsSpan(atom * ColumnCount, ColumnCount);
    /// <summary>One value.</summary>
    public double this[int atom, int column] => Values[atom * ColumnCount + column];

    /// <summary>The index of a column by name, or -1.</summary>
    public int IndexOf(string name)
    {
        for (int c = 0; c < Columns.Count; c++) if (Columns[c].Name == name) return c;
        return -1;
    }

    /// <summary>One column as an array.</summary>
    public double[] Column(string name)
    {
        int c = IndexOf(name);
        if (c < 0) throw new SoftspotException($"no feature column '{name}'");
        var v = new double[Rows];
        for (int i = 0; i < Rows; i++) v[i] = Values[i * ColumnCount + c];
        return v;
    }
}
