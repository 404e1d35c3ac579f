namespace Softspot.Sharding;

/// <summary>An input of a sharded run as its manifest records it: what it is for, where it was, its size and SHA-256.</summary>
/// <param name="Role">What the command read it as (structure, reference, deformed, potential).</param>
/// <param name="Path">Its full path when the run read it.</param>
/// <param name="Bytes">Its size in bytes.</param>
/// <param name="Sha256">The SHA-256 of its whole content (hex).</param>
internal sealed record InputFile(string Role, string Path, long Bytes, string Sha256)
{
    /// <summary>Describes a file, hashing its whole content.</summary>
    public static InputFile Of(string role, string path) =>
        new(role, System.IO.Path.GetFullPath(path), new FileInfo(path).Length, Simulation.Provenance.Sha256(path));

    /// <summary>The same content in the same role (where the file lies does not matter).</summary>
    public bool SameContent(InputFile other) => Role == other.Role && Sha256 == other.Sha256;
}

/// <summary>An output file as a manifest records it: its name (beside the manifest), format, size, SHA-256 and rows.</summary>
internal sealed record OutputFile(string File, string Format, long Bytes, string Sha256, long Rows)
{
    /// <summary>Describes a written file in the folder of its manifest.</summary>
    public static OutputFile Of(string path, string format, long rows) =>
        new(System.IO.Path.GetFileName(path), format, new FileInfo(path).Length, Simulation.Provenance.Sha256(path), rows);

    /// <summary>Whether the file beside the manifest in <paramref name="folder"/> is still the one recorded (same size and SHA-256); see <see cref="ShardManifest.FirstChange"/>.</summary>
    public string? Changed(string folder)
    {
        string path = System.IO.Path.Combine(folder, File);
        if (!System.IO.File.Exists(path)) return "is missing";
        long bytes = new FileInfo(path).Length;
        if (bytes != Bytes) return $"has {bytes} bytes, its manifest says {Bytes}: truncated or changed after it was written";
        if (Simulation.Provenance.Sha256(path) != Sha256) return "differs from its manifest's SHA-256: changed after it was written";
        return null;
    }
}

/// <summary>A column of a table output and the type of its values (int64, double, text; null when every cell is empty).</summary>
internal sealed record TableColumn(string Name, string? Type);

/// <summary>Table columns in JSON as one ordered object, one line per column: {"frame": "int64", "id": "int64", ...}.</summary>
internal sealed class TableColumnsConverter : System.Text.Json.Serialization.JsonConverter<IReadOnlyList<TableColumn>>
{
    public override IReadOnlyList<TableColumn> Read(ref System.Text.Json.Utf8JsonReader reader, Type type, System.Text.Json.JsonSerializerOptions options)
    {
        if (reader.TokenType != System.Text.Json.JsonTokenType.StartObject) throw new System.Text.Json.JsonException("columns: expected an object of name: type");
        var columns = new List<TableColumn>();
        while (reader.Read() && reader.TokenType == System.Text.Json.JsonTokenType.PropertyName)
        {
            string name = reader.GetString()!;
            reader.Read();
            columns.Add(new TableColumn(name, reader.TokenType == System.Text.Json.JsonTokenType.Null ? null : reader.GetString()));
        }
        return columns;
    }

    public override void Write(System.Text.Json.Utf8JsonWriter writer, IReadOnlyList<TableColumn> columns, System.Text.Json.JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var c in columns)
            if (c.Type is null) writer.WriteNull(c.Name); else writer.WriteString(c.Name, c.Type);
        writer.WriteEndObject();
    }
}
