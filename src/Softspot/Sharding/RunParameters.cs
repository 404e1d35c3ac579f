using System.Globalization;
using System.Text.Json;

namespace Softspot.Sharding;

/// <summary>
/// The parameters of a run as a manifest records them: name -> invariant text (numbers in round-trip form,
/// booleans as true/false, a missing value as "null"); a settings object contributes one entry per property,
/// named "name.property" in snake_case, so that any setting added later is recorded and compared too.
/// </summary>
internal static class RunParameters
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static SortedDictionary<string, string> Of(params (string Name, object? Value)[] parameters)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parameters) Add(result, name, JsonSerializer.SerializeToElement(value, Json));
        return result;
    }

    private static void Add(SortedDictionary<string, string> into, string name, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in value.EnumerateObject()) Add(into, $"{name}.{p.Name}", p.Value);
                break;
            case JsonValueKind.String:
                into[name] = value.GetString()!;
                break;
            case JsonValueKind.Number:
                into[name] = value.TryGetInt64(out long l) ? l.ToString(CultureInfo.InvariantCulture) : value.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                break;
            default:
                into[name] = value.GetRawText();
                break;
        }
    }
}
