using System.Globalization;
using System.Text.Json;
using Softspot.IO;

namespace Softspot.Learning;

/// <summary>
/// Reads an xgboost model saved as JSON (<c>booster.save_model("m.json")</c>, xgboost 1.x and 2.x JSON schema) into a
/// <see cref="TreeEnsemble"/>, so that a model trained by xgboost can be applied, explained (TreeSHAP) and compared
/// inside Softspot.
/// <para>What is read: <c>learner.gradient_booster.model.trees[]</c> (for dart: <c>gradient_booster.gbtree.model</c>,
/// with each tree's leaves multiplied by its <c>weight_drop</c>); per tree <c>left_children</c>,
/// <c>right_children</c>, <c>split_indices</c>, <c>split_conditions</c>, <c>default_left</c>, <c>sum_hessian</c> (→
/// <see cref="DecisionTree.Cover"/>) and <c>loss_changes</c> (→ <see cref="DecisionTree.Gain"/>). xgboost stores a
/// leaf's output (already scaled by the learning rate) in <c>split_conditions</c>; <c>base_weights</c> is the unscaled
/// weight and is not used. <c>learner.learner_model_param.base_score</c> is in prediction space: binary:logistic,
/// reg:logistic and binary:logitraw give <see cref="TreeEnsemble.BaseMargin"/> = logit(base_score), reg:squarederror
/// (and its old name reg:linear) give base_score itself. Feature names come from <c>learner.feature_names</c>, or the
/// caller, or are f0, f1, ... as in xgboost.</para>
/// <para>Thresholds: xgboost converts every feature value to float32 and goes left when (float)x &lt; t. The
/// imported <see cref="DecisionTree.Threshold"/> is the double T with x &lt; T exactly when (float)x &lt; t (the
/// midpoint between t and the float below it, see <see cref="ThresholdForDoubleInputs"/>), so the imported model
/// routes double-precision rows exactly as xgboost does; on float32-representable values it is the same as t.
/// Leaf values, covers and gains are the stored float32 numbers widened to double.</para>
/// Not supported (rejected with an <see cref="InputFormatException"/>): multi-class or multi-target models,
/// categorical splits, gblinear, and objectives other than the four above.
/// </summary>
public static class XgboostImport
{
    /// <summary>
    /// Reads a model from a file path or from the JSON text itself (text starting with '{').
    /// <paramref name="featureNames"/> overrides the names saved in the model (it must have num_feature entries).
    /// </summary>
    public static TreeEnsemble FromJson(string pathOrJson, IReadOnlyList<string>? featureNames = null)
    {
        ArgumentNullException.ThrowIfNull(pathOrJson);
        bool isText = pathOrJson.AsSpan().TrimStart().StartsWith("{");
        string source = isText ? "<xgboost json>" : pathOrJson;
        string text = isText ? pathOrJson : File.ReadAllText(pathOrJson);
        JsonDocument doc;
        try { doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException e) { throw new InputFormatException(source, e.LineNumber is { } l ? l + 1 : 0, InputProblem.Syntax, $"not JSON: {e.Message}"); }
        using (doc)
        {
            try { return Read(doc.RootElement, featureNames, source); }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
            {
                throw new InputFormatException(source, 0, InputProblem.Syntax, $"not an xgboost JSON model: {e.Message}");
            }
        }
    }

    /// <summary>
    /// The double threshold T that reproduces xgboost's float32 comparison on double inputs: for every double x,
    /// x &lt; T exactly when (float)x &lt; t (round to nearest, ties to even, as .NET and C++ convert). T is the midpoint
    /// between t and the float just below it (or the double just above that midpoint when the midpoint itself
    /// rounds down). For x already a float, x &lt; T ⇔ x &lt; t.
    /// </summary>
    public static double ThresholdForDoubleInputs(float t)
    {
        if (float.IsNaN(t) || float.IsNegativeInfinity(t)) return t;
        // the float just below t; beyond float.MaxValue, doubles from MaxValue + half an ulp (2^103) on overflow to inf
        double mid = float.IsPositiveInfinity(t) ? float.MaxValue + Math.Pow(2, 103)
            : t == -float.MaxValue ? -(float.MaxValue + Math.Pow(2, 103))
            : ((double)MathF.BitDecrement(t) + t) / 2; // exact: floats have 24-bit significands, doubles 53
        return (float)mid < t ? Math.BitIncrement(mid) : mid;
    }

    private static TreeEnsemble Read(JsonElement root, IReadOnlyList<string>? names, string source)
    {
        var learner = root.GetProperty("learner");
        var param = learner.GetProperty("learner_model_param");

        int numClass = ParseInt(param, "num_class", 0);
        if (numClass > 1) throw Unsupported(source, $"a multi-class model (num_class = {numClass})");
        int numTarget = ParseInt(param, "num_target", 1);
        if (numTarget > 1) throw Unsupported(source, $"a multi-target model (num_target = {numTarget})");
        int numFeature = ParseInt(param, "num_feature", -1);
        if (numFeature < 0) throw new InputFormatException(source, 0, InputProblem.Syntax, "learner_model_param.num_feature is missing");

        // base_score is a string: "5E-1" in 1.x, "[5E-1]" in 2.x
        string baseText = param.GetProperty("base_score").GetString()!.Trim().Trim('[', ']');
        float baseScore = float.Parse(baseText, NumberStyles.Float, CultureInfo.InvariantCulture);

        string objectiveName = learner.GetProperty("objective").GetProperty("name").GetString()!;
        Objective objective;
        double baseMargin;
        switch (objectiveName)
        {
            case "binary:logistic" or "reg:logistic" or "binary:logitraw":
                if (!(baseScore > 0 && baseScore < 1)) throw new InputFormatException(source, 0, InputProblem.Syntax, $"base_score {baseScore} is not a probability");
                objective = Objective.BinaryLogistic;
                baseMargin = -Math.Log(1 / (double)baseScore - 1);
                break;
            case "reg:squarederror" or "reg:linear":
                objective = Objective.SquaredError;
                baseMargin = baseScore;
                break;
            default:
                throw Unsupported(source, $"the objective '{objectiveName}' (binary:logistic, reg:logistic, binary:logitraw, reg:squarederror are read)");
        }

        var booster = learner.GetProperty("gradient_booster");
        string boosterName = booster.GetProperty("name").GetString()!;
        JsonElement model;
        double[]? treeWeights = null;
        switch (boosterName)
        {
            case "gbtree": model = booster.GetProperty("model"); break;
            case "dart":
                model = booster.GetProperty("gbtree").GetProperty("model");
                treeWeights = [.. booster.GetProperty("weight_drop").EnumerateArray().Select(w => (double)w.GetSingle())];
                break;
            default: throw Unsupported(source, $"the '{boosterName}' booster (only tree boosters are read)");
        }

        IReadOnlyList<string> featureNames;
        if (names is not null)
        {
            if (names.Count != numFeature) throw new ArgumentException($"the model has {numFeature} features but {names.Count} names were given", nameof(names));
            featureNames = names;
        }
        else if (learner.TryGetProperty("feature_names", out var fn) && fn.ValueKind == JsonValueKind.Array && fn.GetArrayLength() > 0)
        {
            featureNames = [.. fn.EnumerateArray().Select(e => e.GetString()!)];
            if (featureNames.Count != numFeature) throw new InputFormatException(source, 0, InputProblem.ColumnCount, $"{featureNames.Count} feature names for num_feature = {numFeature}");
        }
        else featureNames = [.. Enumerable.Range(0, numFeature).Select(i => "f" + i.ToString(CultureInfo.InvariantCulture))];

        var treesJson = model.GetProperty("trees");
        if (model.TryGetProperty("tree_info", out var info))
            foreach (var g in info.EnumerateArray())
                if (g.GetInt32() != 0) throw Unsupported(source, "trees for more than one output group");
        var trees = new List<DecisionTree>(treesJson.GetArrayLength());
        int index = 0;
        foreach (var t in treesJson.EnumerateArray())
        {
            double weight = treeWeights is null ? 1 : index < treeWeights.Length ? treeWeights[index] : throw new InputFormatException(source, 0, InputProblem.Syntax, "dart weight_drop is shorter than the tree list");
            trees.Add(ReadTree(t, weight, numFeature, source, index));
            index++;
        }
        return new TreeEnsemble(objective, baseMargin, trees, featureNames);
    }

    private static DecisionTree ReadTree(JsonElement t, double weight, int numFeature, string source, int treeIndex)
    {
        string where = $"tree {treeIndex}";
        if (t.TryGetProperty("tree_param", out var tp) && ParseInt(tp, "size_leaf_vector", 0) > 1)
            throw Unsupported(source, $"vector leaves ({where})");
        if (t.TryGetProperty("categories_nodes", out var cn) && cn.GetArrayLength() > 0)
            throw Unsupported(source, $"categorical splits ({where})");
        if (t.TryGetProperty("split_type", out var st) && st.EnumerateArray().Any(e => e.GetInt32() != 0))
            throw Unsupported(source, $"categorical splits ({where})");

        int[] left = Ints(t, "left_children"), right = Ints(t, "right_children"), split = Ints(t, "split_indices");
        float[] cond = Floats(t, "split_conditions"), hess = Floats(t, "sum_hessian"), loss = Floats(t, "loss_changes");
        bool[] defaultLeft = [.. t.GetProperty("default_left").EnumerateArray().Select(e => e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => e.GetInt32() != 0,
        })];
        int n = left.Length;
        if (n == 0) throw new InputFormatException(source, 0, InputProblem.Syntax, $"{where} has no nodes");
        if (right.Length != n || split.Length != n || cond.Length != n || hess.Length != n || loss.Length != n || defaultLeft.Length != n)
            throw new InputFormatException(source, 0, InputProblem.Syntax, $"{where}: node arrays of different lengths");

        var feature = new int[n]; var threshold = new double[n]; var value = new double[n];
        var cover = new double[n]; var gain = new double[n];
        var l = new int[n]; var r = new int[n];
        // walk from the root: checks that children are in range and every reachable node is reached once
        // (xgboost keeps pruned nodes in the arrays; they are unreachable and become inert leaves)
        var seen = new bool[n];
        var stack = new Stack<int>();
        stack.Push(0); seen[0] = true;
        for (int k = 0; k < n; k++) { l[k] = -1; r[k] = -1; }
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            cover[k] = hess[k];
            if (left[k] < 0)
            {
                value[k] = cond[k] * weight;
                continue;
            }
            int a = left[k], b = right[k];
            if (a >= n || b < 0 || b >= n || seen[a] || seen[b] || a == b)
                throw new InputFormatException(source, 0, InputProblem.Syntax, $"{where}: node {k} has bad children ({a}, {b})");
            if (split[k] < 0 || split[k] >= numFeature)
                throw new InputFormatException(source, 0, InputProblem.Syntax, $"{where}: node {k} splits on feature {split[k]} of {numFeature}");
            seen[a] = seen[b] = true;
            l[k] = a; r[k] = b;
            feature[k] = split[k];
            threshold[k] = ThresholdForDoubleInputs(cond[k]);
            gain[k] = loss[k];
            stack.Push(b); stack.Push(a);
        }
        return new DecisionTree(feature, threshold, l, r, defaultLeft, value, cover, gain).Reachable();
    }

    private static int[] Ints(JsonElement t, string name) => [.. t.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    // float32 values written as shortest round-trip decimals: parse as float, then widen, to keep the exact value
    private static float[] Floats(JsonElement t, string name) => [.. t.GetProperty(name).EnumerateArray().Select(e => e.GetSingle())];

    private static int ParseInt(JsonElement obj, string name, int fallback) =>
        obj.TryGetProperty(name, out var v)
            ? v.ValueKind == JsonValueKind.String ? int.Parse(v.GetString()!, NumberStyles.Integer, CultureInfo.InvariantCulture) : v.GetInt32()
            : fallback;

    private static InputFormatException Unsupported(string source, string what) =>
        new(source, 0, InputProblem.Unsupported, $"xgboost model with {what} is not supported");
}
