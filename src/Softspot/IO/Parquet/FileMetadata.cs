namespace Softspot.IO.Parquet;

/// <summary>Column-chunk statistics (parquet.thrift Statistics): min and max are PLAIN-encoded values, absent when no value orders.</summary>
internal sealed record ColumnStatistics(long? NullCount, long? NanCount, byte[]? Min, byte[]? Max);

/// <summary>Where one column's data of one row group lies and how it is stored (parquet.thrift ColumnChunk and ColumnMetaData).</summary>
internal sealed record ColumnChunkInfo(ParquetType Type, ParquetCompression Codec, long Values, long UncompressedSize, long CompressedSize,
    long DataPageOffset, long? DictionaryPageOffset, ColumnStatistics? Statistics)
{
    /// <summary>Where the chunk's first page starts.</summary>
    public long Start => DictionaryPageOffset is { } d && d < DataPageOffset ? d : DataPageOffset;
}

/// <summary>One row group: a chunk per column (parquet.thrift RowGroup).</summary>
internal sealed record RowGroupInfo(IReadOnlyList<ColumnChunkInfo> Columns, long Rows);

/// <summary>
/// The Parquet footer (parquet.thrift FileMetaData) of a flat table: the schema (a root group with one leaf per
/// column), the row groups, key-value metadata and the writer's name; written and read with the Thrift compact protocol.
/// </summary>
internal sealed record FileMetadata(IReadOnlyList<ParquetColumn> Columns, long Rows, IReadOnlyList<RowGroupInfo> RowGroups,
    IReadOnlyList<KeyValuePair<string, string>> KeyValues, string? CreatedBy)
{
    private const int Required = 0, Optional = 1, Repeated = 2, ConvertedUtf8 = 0;

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.FieldI32(1, 1); // version
        w.FieldList(2, ThriftType.Struct, Columns.Count + 1);
        w.BeginStruct(); w.FieldString(4, "schema"); w.FieldI32(5, Columns.Count); w.EndStruct();
        foreach (var c in Columns) WriteSchemaElement(w, c);
        w.FieldI64(3, Rows);
        w.FieldList(4, ThriftType.Struct, RowGroups.Count);
        foreach (var g in RowGroups) WriteRowGroup(w, g);
        if (KeyValues.Count > 0)
        {
            w.FieldList(5, ThriftType.Struct, KeyValues.Count);
            foreach (var (key, value) in KeyValues) { w.BeginStruct(); w.FieldString(1, key); w.FieldString(2, value); w.EndStruct(); }
        }
        if (CreatedBy is not null) w.FieldString(6, CreatedBy);
        w.FieldList(7, ThriftType.Struct, Columns.Count); // column_orders: min/max follow each type's own order
        foreach (var _ in Columns) { w.BeginStruct(); w.FieldStruct(1); w.EndStruct(); w.EndStruct(); }
        w.EndStruct();
    }

    private static void WriteSchemaElement(ThriftCompactWriter w, ParquetColumn c)
    {
        w.BeginStruct();
        w.FieldI32(1, (int)c.Type);
        w.FieldI32(3, c.Optional ? Optional : Required);
        w.FieldString(4, c.Name);
        if (c.Type == ParquetType.ByteArray)
        {
            w.FieldI32(6, ConvertedUtf8);
            w.FieldStruct(10); w.FieldStruct(1); w.EndStruct(); w.EndStruct(); // logicalType: STRING
        }
        w.EndStruct();
    }

    private void WriteRowGroup(ThriftCompactWriter w, RowGroupInfo g)
    {
        w.BeginStruct();
        w.FieldList(1, ThriftType.Struct, g.Columns.Count);
        for (int k = 0; k < g.Columns.Count; k++) WriteColumnChunk(w, g.Columns[k], Columns[k].Name);
        w.FieldI64(2, g.Columns.Sum(c => c.UncompressedSize));
        w.FieldI64(3, g.Rows);
        if (g.Columns.Count > 0) w.FieldI64(5, g.Columns[0].Start);
        w.FieldI64(6, g.Columns.Sum(c => c.CompressedSize));
        w.EndStruct();
    }

    private static void WriteColumnChunk(ThriftCompactWriter w, ColumnChunkInfo c, string name)
    {
        w.BeginStruct();
        w.FieldI64(2, 0); // file_offset: deprecated, 0 when no ColumnMetaData is written outside the footer
        w.FieldStruct(3);
        w.FieldI32(1, (int)c.Type);
        w.FieldList(2, ThriftType.I32, 2); w.I32(ParquetEncoding.Plain); w.I32(ParquetEncoding.Rle);
        w.FieldList(3, ThriftType.Binary, 1); w.String(name);
        w.FieldI32(4, (int)c.Codec);
        w.FieldI64(5, c.Values);
        w.FieldI64(6, c.UncompressedSize);
        w.FieldI64(7, c.CompressedSize);
        w.FieldI64(9, c.DataPageOffset);
        if (c.Statistics is { } s)
        {
            w.FieldStruct(12);
            if (s.NullCount is { } nulls) w.FieldI64(3, nulls);
            if (s.Max is not null) w.FieldBinary(5, s.Max);
            if (s.Min is not null) w.FieldBinary(6, s.Min);
            if (s.Max is not null) w.FieldBool(7, true);
            if (s.Min is not null) w.FieldBool(8, true);
            if (s.NanCount is { } nans) w.FieldI64(9, nans);
            w.EndStruct();
        }
        w.EndStruct();
        w.EndStruct();
    }

    /// <summary>
    /// Reads a footer. Malformed data throws <see cref="InvalidDataException"/>; a valid footer of something this
    /// reader does not handle (nested columns, other physical types, data in other files) throws <see cref="NotSupportedException"/>.
    /// </summary>
    public static FileMetadata Read(ThriftCompactReader r)
    {
        var schema = new List<(string Name, int? Type, int? Repetition, int? Children)>();
        long rows = -1;
        var groups = new List<(List<ColumnChunkInfo> Chunks, long Rows)>();
        var keyValues = new List<KeyValuePair<string, string>>();
        string? createdBy = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
        {
            switch (id)
            {
                case 2 when t == ThriftType.List: for (int n = r.ListHeader(out _), i = 0; i < n; i++) schema.Add(ReadSchemaElement(r)); break;
                case 3: rows = r.I64(); break;
                case 4 when t == ThriftType.List: for (int n = r.ListHeader(out _), i = 0; i < n; i++) groups.Add(ReadRowGroup(r)); break;
                case 5 when t == ThriftType.List: for (int n = r.ListHeader(out _), i = 0; i < n; i++) keyValues.Add(ReadKeyValue(r)); break;
                case 6: createdBy = r.String(); break;
                default: r.Skip(t); break;
            }
        }
        if (schema.Count == 0 || rows < 0) throw new InvalidDataException("the footer has no schema or no row count");
        if (schema[0].Children != schema.Count - 1)
            throw new NotSupportedException("nested columns (Softspot reads flat tables: one leaf column per table column)");
        var columns = new List<ParquetColumn>();
        foreach (var (name, type, repetition, children) in schema.Skip(1))
        {
            if (children is > 0 || type is null) throw new NotSupportedException($"column '{name}' is a group (Softspot reads flat tables)");
            if (repetition == Repeated) throw new NotSupportedException($"column '{name}' is REPEATED (Softspot reads flat tables)");
            if (type is not ((int)ParquetType.Int64 or (int)ParquetType.Double or (int)ParquetType.ByteArray))
                throw new NotSupportedException($"column '{name}' has physical type {TypeName(type.Value)} (Softspot reads INT64, DOUBLE and BYTE_ARRAY)");
            columns.Add(new ParquetColumn(name, (ParquetType)type, repetition != Required));
        }
        var rowGroups = new List<RowGroupInfo>();
        foreach (var (chunks, n) in groups)
        {
            if (chunks.Count != columns.Count) throw new InvalidDataException($"a row group has {chunks.Count} column chunks for {columns.Count} columns");
            for (int k = 0; k < chunks.Count; k++)
                if (chunks[k].Type != columns[k].Type) throw new InvalidDataException($"column '{columns[k].Name}' is {columns[k].Type} in the schema but {chunks[k].Type} in a row group");
            rowGroups.Add(new RowGroupInfo(chunks, n));
        }
        if (rowGroups.Sum(g => g.Rows) != rows) throw new InvalidDataException($"the row groups hold {rowGroups.Sum(g => g.Rows)} rows, the footer says {rows}");
        return new FileMetadata(columns, rows, rowGroups, keyValues, createdBy);
    }

    private static (string, int?, int?, int?) ReadSchemaElement(ThriftCompactReader r)
    {
        string? name = null; int? type = null, repetition = null, children = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 1: type = r.I32(); break;
                case 3: repetition = r.I32(); break;
                case 4: name = r.String(); break;
                case 5: children = r.I32(); break;
                default: r.Skip(t); break;
            }
        return (name ?? throw new InvalidDataException("a schema element without a name"), type, repetition, children);
    }

    private static (List<ColumnChunkInfo>, long) ReadRowGroup(ThriftCompactReader r)
    {
        var chunks = new List<ColumnChunkInfo>();
        long rows = -1;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 1 when t == ThriftType.List: for (int n = r.ListHeader(out _), i = 0; i < n; i++) chunks.Add(ReadColumnChunk(r)); break;
                case 3: rows = r.I64(); break;
                default: r.Skip(t); break;
            }
        if (rows < 0) throw new InvalidDataException("a row group without its row count");
        return (chunks, rows);
    }

    private static ColumnChunkInfo ReadColumnChunk(ThriftCompactReader r)
    {
        ColumnChunkInfo? meta = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 1: throw new NotSupportedException($"column data in another file ({r.String()})");
                case 3 when t == ThriftType.Struct: meta = ReadColumnMetadata(r); break;
                case 8 or 9: throw new NotSupportedException("encrypted columns");
                default: r.Skip(t); break;
            }
        return meta ?? throw new InvalidDataException("a column chunk without its metadata");
    }

    private static ColumnChunkInfo ReadColumnMetadata(ThriftCompactReader r)
    {
        int type = -1, codec = -1;
        long values = -1, uncompressed = -1, compressed = -1, dataPage = -1;
        long? dictionaryPage = null;
        ColumnStatistics? statistics = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 1: type = r.I32(); break;
                case 4: codec = r.I32(); break;
                case 5: values = r.I64(); break;
                case 6: uncompressed = r.I64(); break;
                case 7: compressed = r.I64(); break;
                case 9: dataPage = r.I64(); break;
                case 11: dictionaryPage = r.I64(); break;
                case 12 when t == ThriftType.Struct: statistics = ReadStatistics(r); break;
                default: r.Skip(t); break;
            }
        if (type < 0 || codec < 0 || values < 0 || compressed < 0 || dataPage < 0)
            throw new InvalidDataException("a column chunk's metadata lacks its type, codec, value count, size or page offset");
        if (codec is not ((int)ParquetCompression.Uncompressed or (int)ParquetCompression.Snappy))
            throw new NotSupportedException($"compression codec {CodecName(codec)} (Softspot reads UNCOMPRESSED and SNAPPY)");
        return new ColumnChunkInfo((ParquetType)type, (ParquetCompression)codec, values, uncompressed, compressed, dataPage, dictionaryPage, statistics);
    }

    private static ColumnStatistics ReadStatistics(ThriftCompactReader r)
    {
        long? nulls = null, nans = null; byte[]? min = null, max = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 3: nulls = r.I64(); break;
                case 5: max = r.Binary(); break;
                case 6: min = r.Binary(); break;
                case 9: nans = r.I64(); break;
                default: r.Skip(t); break;
            }
        return new ColumnStatistics(nulls, nans, min, max);
    }

    private static KeyValuePair<string, string> ReadKeyValue(ThriftCompactReader r)
    {
        string? key = null, value = null;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
            switch (id)
            {
                case 1: key = r.String(); break;
                case 2: value = r.String(); break;
                default: r.Skip(t); break;
            }
        return new(key ?? throw new InvalidDataException("a key-value pair without a key"), value ?? "");
    }

    private static string TypeName(int type) => type switch
    {
        0 => "BOOLEAN", 1 => "INT32", 2 => "INT64", 3 => "INT96", 4 => "FLOAT", 5 => "DOUBLE", 6 => "BYTE_ARRAY", 7 => "FIXED_LEN_BYTE_ARRAY", _ => $"{type}",
    };

    private static string CodecName(int codec) => codec switch
    {
        2 => "GZIP", 3 => "LZO", 4 => "BROTLI", 5 => "LZ4", 6 => "ZSTD", 7 => "LZ4_RAW", _ => $"{codec}",
    };
}
