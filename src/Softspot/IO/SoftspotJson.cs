using System.Text.Json;
using System.Text.Json.Serialization;

namespace Softspot.IO;

/// <summary>
/// The JSON conventions of every file Softspot writes (model metadata, metrics, label parameters, status): snake_case
/// names, enums as snake_case text, NaN and infinities as named literals, indented for people or compact for machines.
/// </summary>
public static class SoftspotJson
{
    /// <summary>Indented (metrics.json, parameters beside tables).</summary>
    public static JsonSerializerOptions Indented { get; } = Make(indented: true);

    /// <summary>One line (metadata inside a model, manifests read by machines).</summary>
    public static JsonSerializerOptions Compact { get; } = Make(indented: false);

    private static JsonSerializerOptions Make(bool indented)
    {
        var o = new JsonSerializerOptions
        {
            WriteIndented = indented,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        };
        o.MakeReadOnly(populateMissingResolver: true);
        return o;
    }

    /// <summary>Writes a value as indented JSON, atomically.</summary>
    public static void Write<T>(string path, T value) => AtomicFile.Write(path, w => w.Write(JsonSerializer.Serialize(value, Indented)));
}
