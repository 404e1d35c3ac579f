namespace Softspot.IO.Parquet;

/// <summary>
/// The values of one column chunk as read back: whether each row has a value, and the values in the array of the
/// column's type (<see cref="Int64s"/>, <see cref="Doubles"/> or <see cref="Texts"/>; a null row holds 0 or null there).
/// </summary>
internal sealed class ColumnValues
{
    public ParquetType Type { get; }
    public bool[] Defined { get; }
    public long[]? Int64s { get; }
    public double[]? Doubles { get; }
    public string?[]? Texts { get; }

    internal ColumnValues(ParquetType type, int rows)
    {
        Type = type;
        Defined = new bool[rows];
        switch (type)
        {
            case ParquetType.Int64: Int64s = new long[rows]; break;
            case ParquetType.Double: Doubles = new double[rows]; break;
            default: Texts = new string?[rows]; break;
        }
    }

    public int Count => Defined.Length;

    public bool IsNull(int row) => !Defined[row];

    /// <summary>A numeric value as a double (INT64 converted); NaN for a null.</summary>
    public double AsDouble(int row) =>
        !Defined[row] ? double.NaN
        : Type == ParquetType.Double ? Doubles![row]
        : Type == ParquetType.Int64 ? Int64s![row]
        : throw new InvalidOperationException("a text column has no numbers");
}
