namespace Softspot.Learning.Interpretation;

/// <summary>
/// SHAP contributions of a set of rows, laid out like xgboost's <c>pred_contribs=True</c> output: row i has
/// <see cref="FeatureCount"/> + 1 values, one per feature and then the bias (the expected margin). For every row,
/// the sum of the row's values (features and bias) is the model's margin.
/// </summary>
public sealed class ShapValues
{
    /// <summary>Row-major: row i, feature f at [i * (FeatureCount + 1) + f]; the bias at [i * (FeatureCount + 1) + FeatureCount].</summary>
    public double[] Values { get; }
    public int Rows { get; }
    public IReadOnlyList<string> FeatureNames { get; }
    public int FeatureCount => FeatureNames.Count;
    public int Width => FeatureNames.Count + 1;

    public ShapValues(double[] values, int rows, IReadOnlyList<string> featureNames)
    {
        if (values.Length != (long)rows * (featureNames.Count + 1)) throw new ArgumentException("values do not fit rows x (features + 1)");
        Values = values; Rows = rows; FeatureNames = featureNames;
    }

    /// <summary>The contributions of one row (features, then the bias).</summary>
    public ReadOnlySpan<double> Row(int row) => Values.AsSpan(row * Width, Width);
    public double this[int row, int feature] => Values[row * Width + feature];
    /// <summary>The bias of a row: the expected margin under the trees' cover weights (the same for every row).</summary>
    public double Bias(int row) => Values[row * Width + FeatureCount];

    /// <summary>Mean |SHAP| per feature over the rows (the usual global importance from SHAP values).</summary>
    public double[] MeanAbsolute()
    {
        var m = new double[FeatureCount];
        if (Rows == 0) return m;
        for (int i = 0; i < Rows; i++)
        {
            var r = Row(i);
            for (int f = 0; f < m.Length; f++) m[f] += Math.Abs(r[f]);
        }
        for (int f = 0; f < m.Length; f++) m[f] /= Rows;
        return m;
    }
}
