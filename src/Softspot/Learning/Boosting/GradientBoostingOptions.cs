using System.Text.Json.Serialization;
using Softspot.Neighbours;

namespace Softspot.Learning;

/// <summary>
/// Which features a split may use. <see cref="Sqrt"/> draws floor(sqrt(m)) features (at least one), otherwise
/// max(1, floor(<see cref="Fraction"/> x m)) are drawn, without replacement. <see cref="PerSplit"/> draws a new set for
/// every node that is considered for a split (scikit-learn's <c>max_features</c>, xgboost's <c>colsample_bynode</c>);
/// otherwise one set is drawn per tree (xgboost's <c>colsample_bytree</c>). Unlike scikit-learn, a node whose drawn
/// features give no valid split stays a leaf (scikit-learn goes on drawing). Draws come from the fit's seeded
/// generator, in node order, on the calling thread.
/// </summary>
public readonly record struct FeatureSubsample(double Fraction, bool Sqrt, bool PerSplit)
{
    /// <summary>Every feature at every split.</summary>
    public static FeatureSubsample All => new(1, false, false);
    /// <summary>scikit-learn's <c>max_features='sqrt'</c>: floor(sqrt(m)) features drawn afresh at every split.</summary>
    public static FeatureSubsample SqrtPerSplit => new(1, true, true);
    public static FeatureSubsample PerTree(double fraction) => new(fraction, false, false);
    public static FeatureSubsample PerNode(double fraction) => new(fraction, false, true);

    /// <summary>How many of <paramref name="columns"/> features are drawn.</summary>
    public int Count(int columns) => Sqrt
        ? Math.Clamp((int)Math.Floor(Math.Sqrt(columns)), 1, columns)
        : Math.Clamp((int)Math.Floor(Fraction * columns + 1e-9), 1, columns);

    internal bool IsAll(int columns) => Count(columns) == columns;
}

/// <summary>
/// Hyper-parameters of <see cref="GradientBoosting"/>. Names follow xgboost where they exist.
/// </summary>
public sealed record GradientBoostingOptions
{
    /// <summary>Classification (binary log-loss) or regression (squared error).</summary>
    public Objective Objective { get; init; } = Objective.BinaryLogistic;
    /// <summary>Number of boosting rounds (trees), <c>n_estimators</c>.</summary>
    public int Trees { get; init; } = 200;
    /// <summary>Shrinkage applied to every leaf value (<c>eta</c>).</summary>
    public double LearningRate { get; init; } = 0.1;
    /// <summary>
    /// Maximum depth (the root is depth 0). Without <see cref="MaxLeaves"/> trees grow depth-wise: every splittable node
    /// of a level is split before the next level. With <see cref="MaxLeaves"/> this is only an extra cap, and 0 means
    /// no cap.
    /// </summary>
    public int MaxDepth { get; init; } = 6;
    /// <summary>When set, trees grow leaf-wise (xgboost's <c>grow_policy=lossguide</c>): the leaf with the largest
    /// gain is split next until the tree has this many leaves.</summary>
    public int? MaxLeaves { get; init; }
    /// <summary>Minimum sum of hessians in each child (xgboost's <c>min_child_weight</c>).</summary>
    public double MinChildWeight { get; init; } = 1;
    /// <summary>
    /// Minimum number of training rows in each child. A value below 1 is a fraction of the training rows,
    /// rounded up (scikit-learn's float <c>min_samples_leaf</c>: 0.001 of 20,000 rows is 20 rows); a value of 1 or
    /// more is a count. Rows are counted unweighted. 0 or 1 switch the check off.
    /// </summary>
    public double MinSamplesLeaf { get; init; }
    /// <summary>L2 regularisation of the leaf values (<c>lambda</c>): leaf = -G / (H + L2).</summary>
    public double L2 { get; init; } = 1;
    /// <summary>Minimum loss reduction to make a split (<c>gamma</c>); a split also needs a gain above 1e-6.</summary>
    public double MinSplitGain { get; init; }
    /// <summary>Fraction of the rows each tree sees: each row is kept with this probability, drawn per tree.</summary>
    public double RowSubsample { get; init; } = 1;
    /// <summary>Which features each tree or split may use (xgboost's colsample_*).</summary>
    public FeatureSubsample FeatureSubsample { get; init; } = FeatureSubsample.All;
    /// <summary>Histogram bins per feature, at most 256 (one byte); a feature with NaN uses one of them for NaN.</summary>
    public int MaxBins { get; init; } = 256;
    /// <summary>
    /// Stop when the validation loss (log-loss or RMSE) has not improved for this many rounds and keep the trees up to
    /// the best round. Needs a validation set.
    /// </summary>
    public int? EarlyStoppingRounds { get; init; }
    /// <summary>Seed of the row and feature subsampling.</summary>
    public int Seed { get; init; }
    /// <summary>
    /// Threads to train on (at least 1; default: every core); xgboost's <c>nthread</c>. The managed engine's models do
    /// not depend on it, so it is not serialized (model metadata).
    /// </summary>
    [JsonIgnore]
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;

    /// <summary>
    /// The profile of the papers' reference code (amlearn's <c>GradientBoostingClassifier</c>): 300 trees of depth 2,
    /// learning rate 0.1, <c>max_features='sqrt'</c> per split, <c>min_samples_leaf=0.001</c> of the rows, no L2 and no
    /// hessian floor (scikit-learn has neither), seed 2019. Differences from scikit-learn: histogram (256-bin) split
    /// search, and splits chosen by the Newton gain rather than Friedman's MSE on the gradients.
    /// </summary>
    public static GradientBoostingOptions Reference { get; } = new()
    {
        Trees = 300, LearningRate = 0.1, MaxDepth = 2, FeatureSubsample = FeatureSubsample.SqrtPerSplit,
        MinSamplesLeaf = 0.001, L2 = 0, MinChildWeight = 0, Seed = 2019,
    };

    /// <summary>
    /// The default profile (also the benchmark's, against xgboost): 200 trees, learning rate 0.1, leaf-wise growth to
    /// 31 leaves, no depth cap, L2 = 1, min_child_weight = 1, 256 bins, every feature.
    /// </summary>
    public static GradientBoostingOptions Default { get; } = new()
    {
        Trees = 200, LearningRate = 0.1, MaxLeaves = 31, MaxDepth = 0, L2 = 1, MinChildWeight = 1,
    };

    internal void Validate()
    {
        if (Trees < 1) throw new ArgumentException("Trees must be at least 1");
        if (!(LearningRate > 0)) throw new ArgumentException("LearningRate must be positive");
        if (MaxDepth < 0 || (MaxLeaves is null && MaxDepth < 1)) throw new ArgumentException("MaxDepth must be at least 1 for depth-wise growth (0 = no cap only with MaxLeaves)");
        if (MaxLeaves is < 2) throw new ArgumentException("MaxLeaves must be at least 2");
        if (MinChildWeight < 0 || MinSamplesLeaf < 0 || L2 < 0 || MinSplitGain < 0) throw new ArgumentException("MinChildWeight, MinSamplesLeaf, L2 and MinSplitGain cannot be negative");
        if (!(RowSubsample > 0 && RowSubsample <= 1)) throw new ArgumentException("RowSubsample must be in (0, 1]");
        if (!FeatureSubsample.Sqrt && !(FeatureSubsample.Fraction > 0 && FeatureSubsample.Fraction <= 1)) throw new ArgumentException("FeatureSubsample.Fraction must be in (0, 1]");
        if (MaxBins < 2 || MaxBins > 256) throw new ArgumentException("MaxBins must be between 2 and 256");
        if (EarlyStoppingRounds is < 1) throw new ArgumentException("EarlyStoppingRounds must be at least 1");
    }
}
