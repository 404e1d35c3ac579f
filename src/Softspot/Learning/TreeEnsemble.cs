using System.Text.Json;
using System.Text.Json.Serialization;
using Softspot.IO;

namespace Softspot.Learning;

/// <summary>What a model predicts.</summary>
public enum Objective
{
    /// <summary>Binary classification with log-loss: the margin is a log-odds, the prediction a probability.</summary>
    BinaryLogistic,
    /// <summary>Regression with squared error: the margin is the prediction.</summary>
    SquaredError,
}

/// <summary>
/// A gradient-boosted tree ensemble: margin(x) = BaseMargin + sum of the trees' outputs; for
/// <see cref="Objective.BinaryLogistic"/> the prediction is the logistic of the margin. Saved as a documented JSON
/// file (see <see cref="Save"/>) that also records the feature names, so a model is applied to the right columns.
/// </summary>
public sealed class TreeEnsemble
{
    /// <summary>What the model predicts: a probability (binary log-loss) or a value (squared error).</summary>
    public Objective Objective { get; }
    /// <summary>The margin before any tree (log-odds of the base rate, or the mean target).</summary>
    public double BaseMargin { get; }
    /// <summary>The trees, in boosting order.</summary>
    public IReadOnlyList<DecisionTree> Trees { get; }
    /// <summary>The feature columns the trees split on, in order.</summary>
    public IReadOnlyList<string> FeatureNames { get; }
    /// <summary>Free-form provenance: training parameters, the feature recipe, data files.</summary>
    public Dictionary<string, JsonElement> Metadata { get; init; } = [];

    /// <summary>An ensemble; every split must name one of the features.</summary>
    public TreeEnsemble(Objective objective, double baseMargin, IReadOnlyList<DecisionTree> trees, IReadOnlyList<string> featureNames)
    {
        Objective = objective; BaseMargin = baseMargin; Trees = trees; FeatureNames = featureNames;
        foreach (var t in trees)
            foreach (int f in t.Feature.Where((_, k) => t.Left[k] >= 0))
                if (f < 0 || f >= featureNames.Count) throw new ArgumentException($"a tree splits on feature {f} of {featureNames.Count}");
    }

    /// <summary>The raw margin of a row: the base margin plus every tree's output.</summary>
    public double Margin(ReadOnlySpan<double> x)
    {
        double m = BaseMargin;
        foreach (var t in Trees) m += t.Predict(x);
        return m;
    }

    /// <summary>A probability (logistic) or a value (squared error).</summary>
    public double Predict(ReadOnlySpan<double> x) => Objective == Objective.BinaryLogistic ? Logistic(Margin(x)) : Margin(x);

    /// <summary>
    /// <see cref="Predict(ReadOnlySpan{double})"/> of every row of a row-major matrix whose columns are the model's
    /// features, in order.
    /// </summary>
    public double[] PredictRows(double[] x)
    {
        int w = FeatureNames.Count, n = x.Length / w;
        if (n * w != x.Length) throw new ArgumentException($"{x.Length} values are not rows of the model's {w} features");
        var s = new double[n];
        for (int i = 0; i < n; i++) s[i] = Predict(x.AsSpan(i * w, w));
        return s;
    }

    /// <summary>The logistic function, 1 / (1 + exp(-m)).</summary>
    public static double Logistic(double m) => 1 / (1 + Math.Exp(-m));

    // ---- JSON: {"format": "softspot-trees", "version": 1, "objective": "binary_logistic", "base_margin": x,
    //            "features": [...], "metadata": {...}, "trees": [{"feature": [...], "threshold": [...], "left": [...],
    //            "right": [...], "default_left": [...], "value": [...], "cover": [...], "gain": [...]}]}
    private sealed record TreeDto(int[] Feature, double[] Threshold, int[] Left, int[] Right, bool[] DefaultLeft, double[] Value, double[] Cover, double[] Gain);
    private sealed record ModelDto(string Format, int? Version, string Objective, double? BaseMargin, string[] Features, Dictionary<string, JsonElement>? Metadata, TreeDto[] Trees);

    /// <summary>The value of a model file's "format" field.</summary>
    public const string Format = "softspot-trees";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Writes the model file atomically.</summary>
    public void Save(string path) => AtomicFile.Write(path, w => w.Write(ToJson()));

    /// <summary>The model file's JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(new ModelDto(Format, FormatVersion,
        Objective == Objective.BinaryLogistic ? "binary_logistic" : "squared_error", BaseMargin, [.. FeatureNames], Metadata,
        [.. Trees.Select(t => new TreeDto(t.Feature, t.Threshold, t.Left, t.Right, t.DefaultLeft, t.Value, t.Cover, t.Gain))]), Json);

    /// <summary>The only format version this Softspot reads and writes.</summary>
    public const int FormatVersion = 1;

    /// <summary>
    /// Reads and validates a model file (see <see cref="ModelCheck"/>): every problem is a
    /// <see cref="ModelFormatException"/> naming the file (and the tree and node), never a half-loaded model.
    /// </summary>
    public static TreeEnsemble Load(string path)
    {
        if (Directory.Exists(path)) throw new ModelFormatException(path, "is a folder, not a model file (model.json written by softspot train)");
        if (!File.Exists(path)) throw new ModelFormatException(path, "no such file");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new ModelFormatException(path, $"cannot be read: {e.Message}"); }
        return FromJson(text, path);
    }

    /// <summary>A model from its JSON text; <paramref name="source"/> names it in errors.</summary>
    public static TreeEnsemble FromJson(string text, string source)
    {
        if (string.IsNullOrWhiteSpace(text)) throw new ModelFormatException(source, "empty file: not a Softspot model");
        ModelDto? dto;
        try { dto = JsonSerializer.Deserialize<ModelDto>(text, Json); }
        catch (JsonException e) { throw new ModelFormatException(source, $"not a Softspot model: {ModelCheck.Describe(e)}", e.LineNumber is { } l ? l + 1 : 0); }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        { throw new ModelFormatException(source, $"not a Softspot model: {e.Message}"); }
        if (dto is null) throw new ModelFormatException(source, "not a Softspot model (the file holds JSON null)");
        return ModelCheck.Build(dto.Format, dto.Version, dto.Objective, dto.BaseMargin, dto.Features, dto.Metadata,
            dto.Trees?.Select(t => t is null ? null : new ModelCheck.TreeArrays(t.Feature, t.Threshold, t.Left, t.Right, t.DefaultLeft, t.Value, t.Cover, t.Gain)).ToArray(),
            source);
    }
}
