namespace Softspot.Descriptors;

/// <summary>Per-atom features of one frame: rows = atoms (snapshot order), columns by name.</summary>
public sealed class FeatureTable
{
    public IReadOnlyList<FeatureColumn> Columns { get; }
    /// <summary>Row-major values: atom i, column c at [i * ColumnCount + c].</summary>
    public double[] Values { get; }
    public int Rows { get; }
    public int ColumnCount => Columns.Count;

    public FeatureTable(IReadOnlyList<FeatureColumn> columns, int rows, double[]? values = null)
    {
        Columns = columns; Rows = rows;
        Values = values ?? new double[checked(rows * columns.Count)];
        if (Values.Length != rows * columns.Count) throw new ArgumentException("values do not fit the table");
    }

    public Span<double> Row(int atom) => Values.AsSpan(atom * ColumnCount, ColumnCount);
    public double this[int atom, int column] => Values[atom * ColumnCount + column];

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
