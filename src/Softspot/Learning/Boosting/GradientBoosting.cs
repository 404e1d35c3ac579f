using Softspot.Numerics;
using System.Text.Json;
using Softspot.Neighbours;

namespace Softspot.Learning;

/// <summary>
/// Histogram gradient boosting of regression trees (second-order, as xgboost's <c>hist</c> method), returning a
/// <see cref="TreeEnsemble"/>.
/// <list type="bullet">
/// <item>Features are quantised once into at most <see cref="GradientBoostingOptions.MaxBins"/> quantile bins per
/// feature (cuts are data values, placed on up to 200,000 sampled rows); NaN gets a bin of its own, sent left or right
/// by each split (the learned default direction).</item>
/// <item>Each node's split maximises G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) over sums of
/// gradients G and hessians H (stored as the node's <see cref="DecisionTree.Gain"/>; xgboost's gain convention, twice
/// the second-order loss reduction); every node's <see cref="DecisionTree.Value"/> is learning rate x -G/(H+lambda)
/// (its Newton step; leaves' values are the tree's output) and its <see cref="DecisionTree.Cover"/> is H. Leaves have
/// Feature 0 and Threshold 0.</item>
/// <item>A split on bin b of feature f is stored as the threshold "x &lt; cut[f][b]" with the cut a data value, so
/// prediction on the raw doubles reproduces the training partition exactly.</item>
/// <item>Row weights multiply each row's gradient and hessian (and weigh the base rate); bins are placed on
/// unweighted values. Row subsampling keeps each row with probability RowSubsample, drawn per tree.</item>
/// <item>Histograms: feature-major byte bins, per-node (gradient, hessian) histograms in double precision, built for
/// the smaller child only (the sibling is parent - child), four features per pass over the node's rows.</item>
/// <item>Deterministic for a seed, whatever <see cref="GradientBoostingOptions.Threads"/> is: histograms are built per feature
/// (threads split the features), every random draw happens on the calling thread, and sums run in row order.</item>
/// </list>
/// After <see cref="Fit"/>, <see cref="ValidationLoss"/> and <see cref="BestIteration"/> describe the run.
/// </summary>
public sealed class GradientBoosting
{
    /// <summary>Validation loss (log-loss or RMSE) after each round, when a validation set was given.</summary>
    public IReadOnlyList<double> ValidationLoss { get; private set; } = [];
    /// <summary>Number of trees kept (the best round with early stopping, else every tree).</summary>
    public int BestIteration { get; private set; }
    /// <summary>Margins of the training rows after the last kept tree, accumulated from the training partitions.</summary>
    internal double[] TrainingMargins { get; private set; } = [];
    /// <summary>Test hook: called after each tree with the leaf node of every training row in that tree's partition
    /// (-1 for rows left out by row subsampling).</summary>
    internal Action<int, int[]>? OnTree { get; set; }
    /// <summary>When the tree grower goes parallel and how it lays out its work (tests exercise every path with it).</summary>
    internal TreeGrowerTuning Tuning { get; init; } = TreeGrowerTuning.Default;

    public TreeEnsemble Fit(double[] features, int rows, int columns, double[] labels, string[] featureNames,
        GradientBoostingOptions options, double[]? weights = null, (double[] X, double[] y)? validation = null)
    {
        ArgumentNullException.ThrowIfNull(features); ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(featureNames); ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (rows < 1 || columns < 1) throw new ArgumentException("need at least one row and one column");
        if (features.LongLength != (long)rows * columns) throw new ArgumentException($"features has {features.LongLength} values, expected {rows} x {columns}");
        if (labels.Length != rows) throw new ArgumentException($"labels has {labels.Length} values for {rows} rows");
        if (featureNames.Length != columns) throw new ArgumentException($"{featureNames.Length} feature names for {columns} columns");
        if (weights is not null && (weights.Length != rows || weights.Any(w => !(w >= 0) || double.IsInfinity(w))))
            throw new ArgumentException("weights must be one finite non-negative value per row");
        bool logistic = options.Objective == Objective.BinaryLogistic;
        foreach (double y in labels)
            if (logistic ? y is not (0 or 1) : !double.IsFinite(y))
                throw new ArgumentException(logistic ? "binary labels must be 0 or 1" : "labels must be finite");
        int validationRows = 0;
        if (validation is { } v)
        {
            if (v.X.LongLength % columns != 0 || v.X.LongLength / columns != v.y.Length)
                throw new ArgumentException("validation X must have the training columns and one row per label");
            validationRows = v.y.Length;
        }
        if (options.EarlyStoppingRounds is not null && validationRows == 0) throw new ArgumentException("early stopping needs a validation set");

        double sw = 0, swy = 0;
        for (int i = 0; i < rows; i++) { double w = weights?[i] ?? 1; sw += w; swy += w * labels[i]; }
        if (!(sw > 0)) throw new ArgumentException("the weights sum to zero");
        double baseMargin = swy / sw;
        if (logistic)
        {
            double p = Math.Clamp(baseMargin, 1e-12, 1 - 1e-12);
            baseMargin = Math.Log(p / (1 - p));
        }

        long tb = BoostProfile.Start();
        var data = new BinnedMatrix(features, rows, columns, options.MaxBins, options.Seed, options.Threads);
        BoostProfile.Stop(BoostProfile.Binning, tb);
        var grower = new TreeGrower(data, options, Tuning);
        var rng = new SplitMix64(options.Seed, 7, 0);
        var margin = new double[rows];
        Array.Fill(margin, baseMargin);
        double[]? validMargin = null;
        if (validationRows > 0) { validMargin = new double[validationRows]; Array.Fill(validMargin, baseMargin); }
        var losses = new List<double>();
        var trees = new List<DecisionTree>();
        int best = 0; double bestLoss = double.PositiveInfinity;
        int[]? active = options.RowSubsample < 1 ? new int[rows] : null;
        int treeFeatureCount = options.FeatureSubsample.PerSplit ? columns : options.FeatureSubsample.Count(columns);
        var allFeatures = Enumerable.Range(0, columns).ToArray();
        int[]? leafOf = OnTree is null ? null : new int[rows];

        for (int t = 0; t < options.Trees; t++)
        {
            long tg = BoostProfile.Start();
            Gradients(options.Objective, margin, labels, weights, grower.Gh, grower.Stride, options.Threads);
            BoostProfile.Stop(BoostProfile.Gradients, tg);
            int activeCount = rows;
            if (active is not null)
            {
                activeCount = 0;
                for (int i = 0; i < rows; i++) if (rng.NextDouble() < options.RowSubsample) active[activeCount++] = i;
                if (activeCount == 0) active[activeCount++] = rng.NextInt(rows);
            }
            var treeFeatures = treeFeatureCount == columns ? allFeatures : TreeGrower.SampleSorted(rng, columns, treeFeatureCount);
            var tree = grower.Grow(active, activeCount, treeFeatures, rng);
            trees.Add(tree);

            // training margins: rows of each leaf from the partition; rows left out by subsampling through the bins
            long tm = BoostProfile.Start();
            if (leafOf is not null) Array.Fill(leafOf, -1);
            foreach (var (leaf, leafRows) in grower.LeafRows())
            {
                double value = tree.Value[leaf];
                foreach (int r in leafRows.Span) { margin[r] += value; if (leafOf is not null) leafOf[r] = leaf; }
            }
            if (active is not null)
            {
                int next = 0;
                for (int i = 0; i < rows; i++)
                {
                    if (next < activeCount && active[next] == i) { next++; continue; }
                    margin[i] += tree.Value[BinnedLeaf(tree, data, i)];
                }
            }
            BoostProfile.Stop(BoostProfile.Margins, tm);
            OnTree?.Invoke(t, leafOf!);

            if (validMargin is not null)
            {
                var (vx, vy) = validation!.Value;
                Parallelism.MapChunks(validationRows, 4096, options.Threads, (a, b) =>
                {
                    for (int i = a; i < b; i++) validMargin[i] += tree.Predict(vx.AsSpan(i * columns, columns));
                    return 0;
                });
                double loss = Loss(options.Objective, validMargin, vy);
                losses.Add(loss);
                if (loss < bestLoss) { bestLoss = loss; best = t + 1; }
                else if (options.EarlyStoppingRounds is { } stop && t + 1 - best >= stop) break;
            }
        }
        int kept = options.EarlyStoppingRounds is not null ? best : trees.Count;
        if (kept < trees.Count)
        {
            // margins of the kept trees only
            for (int t = kept; t < trees.Count; t++)
                for (int i = 0; i < rows; i++) margin[i] -= trees[t].Value[BinnedLeaf(trees[t], data, i)];
            trees.RemoveRange(kept, trees.Count - kept);
        }
        ValidationLoss = losses;
        BestIteration = kept;
        TrainingMargins = margin;

        var metadata = new Dictionary<string, JsonElement>
        {
            ["trainer"] = JsonSerializer.SerializeToElement("Softspot.Learning.GradientBoosting"),
            ["options"] = JsonSerializer.SerializeToElement(options, MetadataJson),
            ["training_rows"] = JsonSerializer.SerializeToElement(rows),
            ["trees_kept"] = JsonSerializer.SerializeToElement(kept),
        };
        if (losses.Count > 0) metadata["validation_loss"] = JsonSerializer.SerializeToElement(losses);
        return new TreeEnsemble(options.Objective, baseMargin, trees, featureNames) { Metadata = metadata };
    }

    private static readonly JsonSerializerOptions MetadataJson = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The leaf of training row i, walking the tree on its bins (the same partition as x &lt; threshold).</summary>
    private static int BinnedLeaf(DecisionTree tree, BinnedMatrix data, int i)
    {
        int k = 0;
        while (tree.Left[k] >= 0)
        {
            int f = tree.Feature[k];
            int b = data.Bin(f, i);
            if (b == data.MissingBin[f]) k = tree.DefaultLeft[k] ? tree.Left[k] : tree.Right[k];
            else k = b < BinnedMatrix.UpperBound(data.Cuts[f], tree.Threshold[k]) ? tree.Left[k] : tree.Right[k];
        }
        return k;
    }

    /// <summary>First and second derivatives of the loss at the margins, times the weights, into gh (stride doubles a row).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Gradients(Objective objective, double[] margin, double[] y, double[]? w, double[] gh, int stride, int threads)
    {
        Parallelism.MapChunks(margin.Length, 16384, threads, (a, b) =>
        {
            for (int i = a; i < b; i++)
            {
                double g, h;
                if (objective == Objective.BinaryLogistic)
                {
                    double p = 1 / (1 + Math.Exp(-margin[i]));
                    g = p - y[i];
                    h = Math.Max(p * (1 - p), 1e-16);
                }
                else { g = margin[i] - y[i]; h = 1; }
                if (w is not null) { g *= w[i]; h *= w[i]; }
                gh[stride * i] = g; gh[stride * i + 1] = h;
            }
            return 0;
        });
    }

    private static double Loss(Objective objective, double[] margin, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < margin.Length; i++)
        {
            if (objective == Objective.BinaryLogistic)
            {
                double m = margin[i];
                // log(1 + e^m) - y m, stable for both signs
                sum += Math.Max(m, 0) + Math.Log(1 + Math.Exp(-Math.Abs(m))) - y[i] * m;
            }
            else { double d = margin[i] - y[i]; sum += d * d; }
        }
        return objective == Objective.BinaryLogistic ? sum / margin.Length : Math.Sqrt(sum / margin.Length);
    }
}
