using System.Text.Json;
using Softspot.Descriptors;

namespace Softspot.Learning;

/// <summary>
/// The one place a model read from a file is validated before use: format and version, the objective, the feature
/// names (present, distinct, among the feature recipe's columns when the model carries one), and every tree: node
/// arrays of one length, child indices in range, every node reached exactly once from the root (no cycle, no shared
/// or orphan node: a cycle would make prediction loop for ever), leaves with neither child, splits on features the
/// model has, finite thresholds, leaf values, covers and gains. Each problem is a <see cref="ModelFormatException"/>
/// naming the file, the tree and the node.
/// </summary>
public static class ModelCheck
{
    /// <summary>A tree's node arrays as read (any may be null when the file lacks it).</summary>
    public sealed record TreeArrays(int[]? Feature, double[]? Threshold, int[]? Left, int[]? Right, bool[]? DefaultLeft, double[]? Value, double[]? Cover, double[]? Gain);

    public static TreeEnsemble Build(string? format, int? version, string? objective, double? baseMargin, string[]? features,
        Dictionary<string, JsonElement>? metadata, TreeArrays?[]? trees, string source)
    {
        ModelFormatException Fail(string problem) => new(source, problem);
        if (format is null) throw Fail($"not a Softspot model: no \"format\" field (a model.json written by softspot train has \"format\": \"{TreeEnsemble.Format}\")");
        if (format != TreeEnsemble.Format) throw Fail($"not a Softspot model: format '{format}' (expected '{TreeEnsemble.Format}')");
        if (version is null) throw Fail("no \"version\" field");
        if (version != TreeEnsemble.FormatVersion) throw Fail($"format version {version} is not supported (this Softspot reads version {TreeEnsemble.FormatVersion})");
        var obj = objective switch
        {
            "binary_logistic" => Objective.BinaryLogistic,
            "squared_error" => Objective.SquaredError,
            null => throw Fail("no \"objective\" field (binary_logistic or squared_error)"),
            _ => throw Fail($"unknown objective '{objective}' (binary_logistic or squared_error)"),
        };
        if (baseMargin is not { } margin) throw Fail("no \"base_margin\" field");
        if (!double.IsFinite(margin)) throw Fail($"base_margin is {Text(margin)}, not a finite number");
        if (features is null) throw Fail("no \"features\" list");
        if (features.Length == 0) throw Fail("the model has no features");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int f = 0; f < features.Length; f++)
        {
            if (string.IsNullOrWhiteSpace(features[f])) throw Fail($"feature {f} has no name");
            if (!seen.Add(features[f])) throw Fail($"feature '{features[f]}' appears twice in the feature list");
        }
        if (trees is null) throw Fail("no \"trees\" list");
        if (trees.Length == 0) throw Fail("the model has no trees");
        var built = new DecisionTree[trees.Length];
        for (int t = 0; t < trees.Length; t++) built[t] = Tree(trees[t], t, features.Length, source);
        metadata ??= [];
        CheckMetadata(metadata, obj, features, source);
        return new TreeEnsemble(obj, margin, built, features) { Metadata = metadata };
    }

    private static DecisionTree Tree(TreeArrays? a, int t, int featureCount, string source)
    {
        ModelFormatException Fail(string problem) => new(source, $"tree {t}: {problem}");
        if (a is null) throw Fail("is null, not a tree");
        var arrays = new (string Name, int? Length)[]
        {
            ("feature", a.Feature?.Length), ("threshold", a.Threshold?.Length), ("left", a.Left?.Length), ("right", a.Right?.Length),
            ("default_left", a.DefaultLeft?.Length), ("value", a.Value?.Length), ("cover", a.Cover?.Length), ("gain", a.Gain?.Length),
        };
        foreach (var (name, length) in arrays) if (length is null) throw Fail($"no \"{name}\" array");
        int n = a.Left!.Length;
        if (n == 0) throw Fail("has no nodes (a tree needs at least its root)");
        foreach (var (name, length) in arrays)
            if (length != n) throw Fail($"\"{name}\" has {length} entries but \"left\" has {n} (one per node)");
        var reached = new bool[n];
        var stack = new Stack<int>();
        stack.Push(0); reached[0] = true;
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            ModelFormatException Node(string problem) => new(source, $"tree {t}, node {k}: {problem}");
            if (!double.IsFinite(a.Value![k])) throw Node($"value is {Text(a.Value[k])}, not a finite number");
            if (!double.IsFinite(a.Cover![k]) || a.Cover[k] < 0) throw Node($"cover is {Text(a.Cover[k])}, not a finite non-negative number");
            if (!double.IsFinite(a.Gain![k])) throw Node($"gain is {Text(a.Gain[k])}, not a finite number");
            int l = a.Left[k], r = a.Right![k];
            if (l < 0)
            {
                if (r >= 0) throw Node($"left is {l} (a leaf) but right is {r}: a leaf has no children");
                continue;
            }
            if (l == r) throw Node($"both children are node {l}");
            foreach (int c in new[] { l, r })
            {
                if (c < 0 || c >= n) throw Node($"child index {c} out of range (the tree has {n} nodes)");
                if (c == 0) throw Node("child index 0 is the root: a cycle");
                if (reached[c]) throw Node($"child {c} is reached twice (a cycle, or two parents)");
                reached[c] = true;
            }
            int f = a.Feature![k];
            if (f < 0 || f >= featureCount) throw Node($"splits on feature {f}, but the model has {featureCount} features (0 to {featureCount - 1})");
            if (!double.IsFinite(a.Threshold![k])) throw Node($"threshold is {Text(a.Threshold[k])}, not a finite number");
            stack.Push(r); stack.Push(l);
        }
        int orphan = Array.IndexOf(reached, false);
        if (orphan >= 0) throw new ModelFormatException(source, $"tree {t}, node {orphan}: not reachable from the root ({reached.Count(x => !x)} of {n} nodes are not)");
        return new DecisionTree(a.Feature!, a.Threshold!, a.Left, a.Right!, a.DefaultLeft!, a.Value!, a.Cover!, a.Gain!);
    }

    private static void CheckMetadata(Dictionary<string, JsonElement> metadata, Objective objective, string[] features, string source)
    {
        if (metadata.TryGetValue("task", out var task))
        {
            string? name = task.ValueKind == JsonValueKind.String ? task.GetString() : null;
            string expected = objective == Objective.BinaryLogistic ? "classification" : "regression";
            if (name is not ("classification" or "regression"))
                throw new ModelFormatException(source, $"metadata.task is {task.GetRawText()}, expected \"classification\" or \"regression\"");
            if (name != expected)
                throw new ModelFormatException(source, $"metadata.task is \"{name}\" but the objective is {(objective == Objective.BinaryLogistic ? "binary_logistic" : "squared_error")} ({expected})");
        }
        if (metadata.TryGetValue("feature_recipe", out var json))
        {
            var recipe = Recipe(json, source);
            var columns = recipe.Columns.ToHashSet(StringComparer.Ordinal);
            foreach (var f in features)
                if (!columns.Contains(f))
                    throw new ModelFormatException(source, $"the model uses feature '{f}', which its feature recipe (metadata.feature_recipe, {recipe.Columns.Length} columns) does not make");
        }
    }

    /// <summary>The feature recipe a model carries in its metadata, checked (it tells predict how to featurize).</summary>
    public static FeatureRecipe Recipe(JsonElement json, string source)
    {
        FeatureRecipe? recipe;
        try { recipe = FeatureRecipe.FromJson(json); }
        catch (JsonException e) { throw new ModelFormatException(source, $"metadata.feature_recipe is not a feature recipe: {Describe(e)}"); }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
        { throw new ModelFormatException(source, $"metadata.feature_recipe is not a feature recipe: {e.Message}"); }
        if (recipe is null) throw new ModelFormatException(source, "metadata.feature_recipe is null");
        if (recipe.Columns is null || recipe.Elements is null || recipe.Radii is null || recipe.Settings is null || recipe.Preset is null)
            throw new ModelFormatException(source, "metadata.feature_recipe lacks its preset, settings, elements, radii or columns");
        try { Presets.Find(recipe.Preset); }
        catch (SoftspotException) { throw new ModelFormatException(source, $"metadata.feature_recipe names an unknown preset '{recipe.Preset}'"); }
        if (recipe.Elements.Length == 0 || recipe.Elements.Any(string.IsNullOrWhiteSpace))
            throw new ModelFormatException(source, "metadata.feature_recipe has no elements");
        foreach (var (el, r) in recipe.Radii)
            if (!(double.IsFinite(r) && r > 0)) throw new ModelFormatException(source, $"metadata.feature_recipe gives {el} the radius {Text(r)}, not a positive number");
        return recipe;
    }

    /// <summary>A System.Text.Json error in the user's terms: what is wrong and where (a JSON path), without .NET type names.</summary>
    public static string Describe(JsonException e)
    {
        string where = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
        string m = e.Message;
        if (m.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            return $"a value of the wrong kind{where} (e.g. text or a fraction where a whole number belongs, or a number too large)";
        if (m.Contains("Expected depth to be zero", StringComparison.Ordinal) || m.Contains("end of data", StringComparison.OrdinalIgnoreCase))
            return "the JSON ends early (truncated: an object or array is not closed)";
        int including = m.IndexOf("missing required properties including:", StringComparison.Ordinal);
        if (including >= 0) return $"required field(s) missing{where}:{m[(including + 38)..].TrimEnd('.')}";
        int cut = m.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = m.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0) m = m[..cut];
        return $"invalid JSON{where}: {m.TrimEnd('.')}";
    }

    private static string Text(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity"
        : v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
