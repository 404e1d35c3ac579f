namespace Softspot.IO.Parquet;

/// <summary>
/// One column of the row group being built: a definition level per row (0 = null, 1 = value) and the non-null
/// values in the array of the column's type. The type is set by the first value and kept across <see cref="Clear"/>;
/// adding a value of another type is an error.
/// </summary>
internal sealed class ColumnBuffer(string name)
{
    private int[] _levels = new int[1 << 10];
    private long[] _longs = [];
    private double[] _doubles = [];
    private string?[] _texts = [];

    public string Name { get; } = name;

    /// <summary>The value type, or null while the column has held only nulls.</summary>
    public ParquetType? Type { get; private set; }

    public int Rows { get; private set; }

    /// <summary>The number of non-null values.</summary>
    public int Values { get; private set; }

    public ReadOnlyMemory<int> Levels => _levels.AsMemory(0, Rows);
    public ReadOnlyMemory<long> Longs => _longs.AsMemory(0, Values);
    public ReadOnlyMemory<double> Doubles => _doubles.AsMemory(0, Values);

    /// <summary>Text cells one per row (null for a null), as the library's string writer takes them.</summary>
    public ArraySegment<string?> Texts
    {
        get
        {
            if (_texts.Length < Rows) Array.Resize(ref _texts, Rows);
            return new(_texts, 0, Rows);
        }
    }

    public void AddNull()
    {
        if (Type == ParquetType.ByteArray) Add(ref _texts, Rows, null);
        Level(0);
    }

    public void AddInt64(long v) { Claim(ParquetType.Int64); Add(ref _longs, Values++, v); Level(1); }

    public void AddDouble(double v) { Claim(ParquetType.Double); Add(ref _doubles, Values++, v); Level(1); }

    public void AddText(string s)
    {
        if (Type is null && Rows > 0) { _texts = new string?[Math.Max(_levels.Length, 16)]; } // earlier nulls are null already
        Claim(ParquetType.ByteArray);
        Add(ref _texts, Rows, s);
        Values++;
        Level(1);
    }

    /// <summary>Empties the buffer for the next row group; the type stays.</summary>
    public void Clear()
    {
        if (Type == ParquetType.ByteArray) Array.Clear(_texts, 0, Rows);
        Rows = Values = 0;
    }

    public void Claim(ParquetType type)
    {
        if (Type is { } t && t != type) throw new InvalidOperationException($"column '{Name}' holds {t} values, not {type}");
        Type = type;
    }

    private static void Add<T>(ref T[] array, int at, T value)
    {
        if (at >= array.Length) Array.Resize(ref array, Math.Max(16, Math.Max(at + 1, array.Length * 2)));
        array[at] = value;
    }

    private void Level(int level)
    {
        if (Rows == _levels.Length) Array.Resize(ref _levels, _levels.Length * 2);
        _levels[Rows++] = level;
    }
}
