using System.Text.Json;
using System.Text.Json.Nodes;

namespace Softspot.Simulation.Art;

/// <summary>
/// What makes the searches of an events file one campaign: the search algorithm's version, the structure and
/// potential (by SHA-256), the element map, the seed, the mobile radius and every search setting. A resumed run must
/// have the same identity as the run that started the file, otherwise its events would silently mix two experiments.
/// Read from and written into the campaign's record (<c>events.json</c>, snake_case keys); a record written before
/// the version was recorded is version 1.
/// </summary>
public sealed record ArtRunIdentity(int Version, string StructureSha256, string PotentialSha256, string Elements, long Seed,
    double? MobileRadius, string Settings)
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static ArtRunIdentity Of(string structure, string potential, string elements, long seed, double? mobileRadius, ArtSettings settings) =>
        new(ArtSettings.Version, Provenance.Sha256(structure), Provenance.Sha256(potential), elements, seed, mobileRadius,
            JsonSerializer.Serialize(settings, Snake));

    /// <summary>The identity stored in a campaign record, or null when the record is missing or is not one.</summary>
    public static ArtRunIdentity? Read(string recordPath)
    {
        if (Record(recordPath) is not { } o) return null;
        var settings = (JsonObject)o["settings"]!;
        int version = o["art_version"]?.GetValue<int>() ?? 1;
        return new ArtRunIdentity(
            version,
            o["structure"]?["sha256"]?.GetValue<string>() ?? "",
            o["potential"]?["sha256"]?.GetValue<string>() ?? "",
            o["elements"]?.GetValue<string>() ?? "",
            o["seed"]?.GetValue<long>() ?? 0,
            o["mobile_radius"]?.GetValue<double?>(),
            // a version-1 record's settings are never compared (its version differs); the others go through a round
            // trip, so that a field added later is compared at its default
            version == 1 ? "(version 1 settings)" : JsonSerializer.Serialize(settings.Deserialize<ArtSettings>(Snake) ?? new ArtSettings(), Snake));
    }

    /// <summary>A campaign record's JSON object, or null when the file is missing, is not JSON or has no settings object (is not a record).</summary>
    internal static JsonObject? Record(string recordPath)
    {
        if (!File.Exists(recordPath)) return null;
        try { return JsonNode.Parse(File.ReadAllText(recordPath)) is JsonObject o && o["settings"] is JsonObject ? o : null; }
        catch (JsonException) { return null; }
    }

    /// <summary>How <paramref name="other"/> (this run) differs from this identity (the file's), or null if it does not.</summary>
    public string? Difference(ArtRunIdentity other)
    {
        var d = new List<string>();
        if (Version != other.Version) d.Add($"search algorithm version {Version} (this run: {other.Version})");
        if (StructureSha256 != other.StructureSha256) d.Add("another structure file (SHA-256 differs)");
        if (PotentialSha256 != other.PotentialSha256) d.Add("another potential file (SHA-256 differs)");
        if (Elements != other.Elements) d.Add($"elements {Elements} (this run: {other.Elements})");
        if (Seed != other.Seed) d.Add($"seed {Seed} (this run: {other.Seed})");
        if (MobileRadius != other.MobileRadius) d.Add($"mobile radius {MobileRadius?.ToString() ?? "none"} (this run: {other.MobileRadius?.ToString() ?? "none"})");
        if (Version == other.Version && Settings != other.Settings) d.Add("other search settings");
        return d.Count == 0 ? null : string.Join("; ", d);
    }
}
