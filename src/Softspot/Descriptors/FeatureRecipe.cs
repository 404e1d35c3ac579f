using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// How a feature table was made: preset, every setting, the radius of every type, the element map, the columns
/// and the Softspot version. Written beside every feature table (JSON) so that a model trained on it can
/// featurize new structures identically.
/// </summary>
public sealed record FeatureRecipe
{
    /// <summary>The Softspot version that computed the features.</summary>
    public string Softspot { get; init; } = Version;
    /// <summary>The representation (a preset of <see cref="Presets"/>).</summary>
    public required string Preset { get; init; }
    /// <summary>Cutoffs, filters, radii overrides and compatibility switches.</summary>
    public required FeaturizeSettings Settings { get; init; }
    /// <summary>The element of each type, in type order.</summary>
    public required string[] Elements { get; init; }
    /// <summary>Radius (A) by element symbol.</summary>
    public required Dictionary<string, double> Radii { get; init; }
    /// <summary>The feature columns, in order.</summary>
    public required string[] Columns { get; init; }
    /// <summary>What each column means, by name.</summary>
    public Dictionary<string, string> Definitions { get; init; } = [];
    /// <summary>The structure files featurized (empty for a snapshot featurized in memory).</summary>
    public List<InputRecord> Inputs { get; init; } = [];

    /// <summary>A structure file featurized: its full path, the run's frame number of its first frame, its frames and size in bytes.</summary>
    public sealed record InputRecord(string Path, int FirstFrame, int Frames, long Bytes);

    /// <summary>This Softspot's version.</summary>
    public static string Version { get; } =
        typeof(FeatureRecipe).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The recipe of a feature set computed on frames of these elements with these radii (by type).</summary>
    public static FeatureRecipe Create(string preset, FeatureSet set, FeaturizeSettings settings, ElementMap elements, double[] radiusByType) => new()
    {
        Preset = preset,
        Settings = settings,
        Elements = elements.ElementsByType.Select(e => e.Symbol).ToArray(),
        // every named element's radius, those of types that do not occur in the first frame included; one that has
        // no radius (no Miracle radius and none given) is left out: it cannot occur in what was featurized
        Radii = elements.ElementsByType.Select((e, i) => (e.Symbol, R: i + 1 < radiusByType.Length ? radiusByType[i + 1] : double.NaN))
            .Where(x => !double.IsNaN(x.R)).DistinctBy(x => x.Symbol).ToDictionary(x => x.Symbol, x => x.R),
        Columns = set.Columns.Select(c => c.Name).ToArray(),
        Definitions = set.Columns.ToDictionary(c => c.Name, c => c.Definition),
    };

    /// <summary>The recipe as JSON, e.g. for a model's metadata (what <c>softspot predict</c> reads).</summary>
    public JsonElement ToJsonElement() => JsonSerializer.SerializeToElement(this, Json);

    /// <summary>Writes the recipe as JSON, atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, w => w.Write(JsonSerializer.Serialize(this, Json)));

    /// <summary>Reads a recipe written beside a feature table; malformed JSON is an error naming the file and line.</summary>
    public static FeatureRecipe Load(string path)
    {
        FeatureRecipe? recipe;
        try { recipe = JsonSerializer.Deserialize<FeatureRecipe>(File.ReadAllText(path), Json); }
        catch (JsonException e)
        {
            throw new InputFormatException(path, e.LineNumber is { } l ? l + 1 : 0, InputProblem.Syntax, $"not a feature recipe: {Learning.ModelCheck.Describe(e)}");
        }
        return recipe ?? throw new InputFormatException(path, 0, InputProblem.Syntax, "not a feature recipe (null)");
    }

    /// <summary>A recipe stored as JSON (e.g. in a model's metadata); throws <see cref="JsonException"/> when it is not one.</summary>
    public static FeatureRecipe? FromJson(JsonElement json) => json.Deserialize<FeatureRecipe>(Json);

    /// <summary>The radius overrides that reproduce this recipe's radii exactly.</summary>
    public string RadiiSpec() => string.Join(',', Radii.Select(kv => FormattableString.Invariant($"{kv.Key}={kv.Value:R}")));
}
