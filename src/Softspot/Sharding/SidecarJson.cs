using System.Text.Json;
using System.Text.Json.Nodes;

namespace Softspot.Sharding;

/// <summary>
/// The JSON a command writes beside its table (featurize's recipe, label d2min's parameters), merged over shards:
/// the shards' files agree but for a "frames" array of per-frame records, which are joined in frame order, so the
/// merged file is the one the unsharded run writes.
/// </summary>
internal static class SidecarJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The merged JSON text of the shards' sidecar files (in shard order).</summary>
    public static string Merge(IReadOnlyList<string> paths)
    {
        var nodes = paths.Select(p => JsonNode.Parse(File.ReadAllText(p)) as JsonObject
            ?? throw new IO.InputFormatException(p, 0, IO.InputProblem.Syntax, "not a JSON object")).ToList();
        var merged = nodes[0];
        if (merged["frames"] is JsonArray)
        {
            var frames = nodes.SelectMany(n => n["frames"] is JsonArray a ? a.Select(f => f!.DeepClone()) : [])
                .OrderBy(f => f["frame"]?.GetValue<long>() ?? long.MaxValue).ToArray();
            merged["frames"] = new JsonArray(frames);
        }
        return merged.ToJsonString(Indented);
    }
}
