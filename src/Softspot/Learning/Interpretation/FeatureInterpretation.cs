namespace Softspot.Learning.Interpretation;

/// <summary>One feature of a reduced model as the interpretation figures show it.</summary>
/// <param name="Name">The feature's column.</param>
/// <param name="Gain">Its share of the total gain, averaged over the reduced cross-validation models (each model's shares sum to 1 over the reduced features).</param>
/// <param name="Shap">Its mean |SHAP| (margin units: log-odds for classification) over every row, averaged over the same models.</param>
/// <param name="ShapShare">The same divided by the sum over the reduced features (they sum to 1).</param>
/// <param name="Mean">Its mean over the rows (the centre of the z-scores).</param>
/// <param name="Std">Its population standard deviation over the rows (ddof 0: the unit of the z-scores).</param>
/// <param name="Groups">The distribution of its z-score, (x − Mean) / Std, in each group of rows (0 for every row when Std is 0).</param>
public sealed record InterpretedFeature(string Name, double Gain, double Shap, double ShapShare, double Mean, double Std, IReadOnlyList<GroupDistribution> Groups);

/// <summary>
/// The features that survived the reduction, interpreted as Wang, Ding and Ma (2020), Fig. 4, do: gain importance
/// averaged over the reduced 3 x 5 models with the mean |SHAP| of the same models, their Pearson correlations, and
/// their distributions in groups of the rows (e.g. the atoms of high, middle and low activation energy).
/// </summary>
/// <param name="Features">The reduced features by decreasing <see cref="InterpretedFeature.Gain"/> (ties: the reduction's order).</param>
/// <param name="Correlation">Pearson r between the features over every row, in the order of <see cref="Features"/> (pairwise deletion of non-finite values).</param>
/// <param name="Groups">The groups' names, in the order of each feature's <see cref="InterpretedFeature.Groups"/>.</param>
/// <param name="Rows">The rows (labelled atoms) everything is computed over.</param>
/// <param name="Models">The reduced models the gain and |SHAP| are averaged over.</param>
public sealed record FeatureInterpretation(IReadOnlyList<InterpretedFeature> Features, double[][] Correlation, IReadOnlyList<string> Groups, int Rows, int Models)
{
    /// <summary>
    /// The interpretation of a training run with a reduction (<see cref="TrainingResult.ReducedModels"/>), over
    /// every row of its request; <paramref name="groupOfRow"/> gives each row's index in <paramref name="groups"/>.
    /// </summary>
    public static FeatureInterpretation Of(TrainingRequest request, TrainingResult result, IReadOnlyList<string> groups, IReadOnlyList<int> groupOfRow,
        int points = KernelDensity.DefaultPoints)
    {
        if (result.Reduction is not { } reduction || result.ReducedGain is not { } gain || result.ReducedModels.Count == 0)
            throw new ArgumentException("the training run has no reduced models to interpret", nameof(result));
        if (groupOfRow.Count != request.Rows) throw new ArgumentException($"{groupOfRow.Count} group indices for {request.Rows} rows", nameof(groupOfRow));
        if (groupOfRow.Any(g => g < 0 || g >= groups.Count)) throw new ArgumentException($"a group index is not one of the {groups.Count} groups", nameof(groupOfRow));
        var kept = reduction.Kept;
        int k = kept.Count, n = request.Rows;
        var columns = kept.Select(name => Array.IndexOf(request.FeatureNames, name)).ToArray();
        var x = TrainingPipeline.Rows(request.X, request.FeatureNames.Length, [.. Enumerable.Range(0, n)], columns);
        var shap = Importance.MeanAbsoluteShap(result.ReducedModels, x, request.Options.Threads);
        double shapSum = shap.Sum();
        var order = GainImportance.Ranking(gain.Share);
        var r = Importance.Correlation(x, k, request.Options.Threads);

        var features = order.Select(f =>
        {
            var values = Enumerable.Range(0, n).Select(i => x[i * k + f]).ToArray();
            var finite = values.Where(double.IsFinite).ToArray();
            double mean = finite.Length > 0 ? finite.Average() : double.NaN;
            double std = finite.Length > 0 ? Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / finite.Length) : double.NaN;
            var z = values.Select(v => std > 0 ? (v - mean) / std : double.IsFinite(v) ? 0 : double.NaN).ToArray();
            var distributions = groups.Select((g, gi) => GroupDistribution.Of(g, Enumerable.Range(0, n).Where(i => groupOfRow[i] == gi).Select(i => z[i]), points)).ToList();
            return new InterpretedFeature(kept[f], gain.Share[f], shap[f], shapSum > 0 ? shap[f] / shapSum : 0, mean, std, distributions);
        }).ToList();
        var correlation = order.Select(a => order.Select(b => r[a, b]).ToArray()).ToArray();
        return new FeatureInterpretation(features, correlation, [.. groups], n, result.ReducedModels.Count);
    }
}
