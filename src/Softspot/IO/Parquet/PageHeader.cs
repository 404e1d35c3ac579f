namespace Softspot.IO.Parquet;

/// <summary>
/// The Thrift header before each page (parquet.thrift PageHeader with its DataPageHeader): page type, sizes before
/// and after compression, and for a data page the value count and the encodings of values and levels.
/// </summary>
internal sealed record PageHeader(PageType Type, int UncompressedSize, int CompressedSize, int Values = 0,
    int Encoding = ParquetEncoding.Plain, int DefinitionLevelEncoding = ParquetEncoding.Rle, int RepetitionLevelEncoding = ParquetEncoding.Rle)
{
    /// <summary>A version 1 data page: PLAIN values, RLE/bit-packed hybrid levels.</summary>
    public static PageHeader DataPage(int uncompressedSize, int compressedSize, int values) =>
        new(PageType.DataPage, uncompressedSize, compressedSize, values);

    public void Write(ThriftCompactWriter w)
    {
        w.BeginStruct();
        w.FieldI32(1, (int)Type);
        w.FieldI32(2, UncompressedSize);
        w.FieldI32(3, CompressedSize);
        if (Type == PageType.DataPage)
        {
            w.FieldStruct(5);
            w.FieldI32(1, Values);
            w.FieldI32(2, Encoding);
            w.FieldI32(3, DefinitionLevelEncoding);
            w.FieldI32(4, RepetitionLevelEncoding);
            w.EndStruct();
        }
        w.EndStruct();
    }

    public static PageHeader Read(ThriftCompactReader r)
    {
        int type = -1, uncompressed = -1, compressed = -1, values = 0, encoding = 0, defEncoding = 0, repEncoding = 0;
        bool dataHeader = false;
        r.BeginStruct();
        while (r.NextField(out short id, out var t))
        {
            switch (id)
            {
                case 1: type = r.I32(); break;
                case 2: uncompressed = r.I32(); break;
                case 3: compressed = r.I32(); break;
                case 5 when t == ThriftType.Struct:
                    dataHeader = true;
                    r.BeginStruct();
                    while (r.NextField(out short f, out var ft))
                        switch (f)
                        {
                            case 1: values = r.I32(); break;
                            case 2: encoding = r.I32(); break;
                            case 3: defEncoding = r.I32(); break;
                            case 4: repEncoding = r.I32(); break;
                            default: r.Skip(ft); break;
                        }
                    break;
                default: r.Skip(t); break;
            }
        }
        if (type < 0 || uncompressed < 0 || compressed < 0) throw new InvalidDataException("a page header without its type or sizes");
        if (type == (int)PageType.DataPage && !dataHeader) throw new InvalidDataException("a data page without its data page header");
        if (values < 0) throw new InvalidDataException($"a data page of {values} values");
        return new PageHeader((PageType)type, uncompressed, compressed, values, encoding, defEncoding, repEncoding);
    }
}
