using System.Text.Json;
using Softspot.Descriptors;
using Softspot.IO;

namespace Softspot.Learning;

/// <summary>The learner that grew a model's trees.</summary>
public enum TrainingEngine
{
    /// <summary>Softspot's own gradient boosting (<see cref="GradientBoosting"/>).</summary>
    Managed,
    /// <summary>Debian's libxgboost (<see cref="XgboostEngine"/>).</summary>
    Xgboost,
}

/// <summary>
/// What a model file says about how the model was made, as a typed record: the label it learnt, classification or
/// regression, the engine and its options, the rows, and the feature recipe that tells <see cref="SoftnessModel"/>
/// how to featurize new structures. Stored in the model file's <c>metadata</c> object under the same keys as ever
/// (<c>target</c>, <c>task</c>, <c>engine</c>, <c>options</c>, <c>training_rows</c>, <c>feature_recipe</c>,
/// <c>pipeline_task</c>, <c>glasses</c>), so older model files read and newer ones stay readable by older code.
/// </summary>
public sealed record ModelInfo
{
    /// <summary>The label column learnt (e.g. <c>plastic</c>, <c>h_eact</c>); null when unknown.</summary>
    public string? Target { get; init; }
    /// <summary>True for classification (the model predicts a probability), false for regression; null when unknown.</summary>
    public bool? Classification { get; init; }
    /// <summary>The learner; null when unknown.</summary>
    public TrainingEngine? Engine { get; init; }
    /// <summary>The boosting hyper-parameters; null when unknown.</summary>
    public GradientBoostingOptions? Options { get; init; }
    /// <summary>Rows the final model was trained on; null when unknown.</summary>
    public int? TrainingRows { get; init; }
    /// <summary>How the training features were computed; null when the model was trained on a table without its recipe.</summary>
    public FeatureRecipe? FeatureRecipe { get; init; }
    /// <summary>The pipeline task that trained it (models written by <c>softspot run</c>); otherwise null.</summary>
    public string? PipelineTask { get; init; }
    /// <summary>The glasses a pipeline task pooled; otherwise null.</summary>
    public IReadOnlyList<string>? Glasses { get; init; }

    /// <summary>The record stored in a model's metadata (checked by <see cref="ModelCheck"/> when the model was loaded).</summary>
    public static ModelInfo Of(TreeEnsemble model, string source)
    {
        var m = model.Metadata;
        T? Get<T>(string key)
        {
            if (!m.TryGetValue(key, out var json) || json.ValueKind == JsonValueKind.Null) return default;
            try { return json.Deserialize<T>(SoftspotJson.Compact); }
            catch (JsonException e) { throw new ModelFormatException(source, $"metadata.{key}: {ModelCheck.Describe(e)}"); }
        }
        return new ModelInfo
        {
            Target = Get<string>("target"),
            Classification = Get<string>("task") is { } task ? task == "classification" : null,
            Engine = Get<TrainingEngine?>("engine"),
            Options = Get<GradientBoostingOptions>("options"),
            TrainingRows = Get<int?>("training_rows"),
            FeatureRecipe = m.TryGetValue("feature_recipe", out var recipe) ? ModelCheck.Recipe(recipe, source) : null,
            PipelineTask = Get<string>("pipeline_task"),
            Glasses = Get<string[]>("glasses"),
        };
    }

    /// <summary>Stores the known fields in a model's metadata (keys of unknown fields are left as they are).</summary>
    public void WriteTo(TreeEnsemble model)
    {
        var m = model.Metadata;
        void Set<T>(string key, T? value) { if (value is not null) m[key] = JsonSerializer.SerializeToElement(value, SoftspotJson.Compact); }
        Set("target", Target);
        Set("task", Classification is { } c ? c ? "classification" : "regression" : null);
        Set("engine", Engine);
        Set("options", Options);
        Set("training_rows", TrainingRows);
        if (FeatureRecipe is not null) m["feature_recipe"] = FeatureRecipe.ToJsonElement();
        Set("pipeline_task", PipelineTask);
        Set("glasses", Glasses);
    }
}
