using Softspot.Descriptors;
using Softspot.Neighbours;

namespace Softspot.Learning.Interpretation;

/// <summary>
/// Exact path-dependent TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent individualized feature attribution for
/// tree ensembles", Algorithm 2; the same algorithm as xgboost's <c>pred_contribs=True</c> and shap's TreeExplainer
/// with feature_perturbation="tree_path_dependent"), in double precision.
/// <para>For a row x, the contribution of feature i is its Shapley value in the game v(S) = E[f(x) | x_S], where
/// the expectation over the unknown features follows the training data as the trees saw it: at a split on a feature
/// outside S both branches are taken, weighted by their share of the node's <see cref="DecisionTree.Cover"/>. The
/// bias is v(∅) = <see cref="ExpectedValue"/> (BaseMargin plus each tree's cover-weighted mean leaf), and
/// sum(phi) + bias = margin(x) (the efficiency property; exact up to rounding for any covers, because the bias is
/// computed with the same branch fractions). Missing values (NaN) follow <see cref="DecisionTree.DefaultLeft"/>.
/// A node with zero cover gives both children fraction 0 (xgboost would divide by zero).</para>
/// <para>Cost per row and tree is O(L D²) for L leaves and depth D. The trees are flattened once into one node array;
/// the recursion works in a preallocated path buffer of (D + 1)(D + 2)/2 elements, so nothing is allocated per node.
/// Rows are explained in parallel chunks (<see cref="Parallelism.MapChunks{T}"/>) on <see cref="Threads"/> threads;
/// results do not depend on the number of threads.</para>
/// </summary>
public sealed class TreeShap
{
    private struct Node
    {
        public int Feature, Left, Right;
        public bool DefaultLeft;
        public double Threshold, Value;
        /// <summary>Cover of this node / cover of its parent (1 at a root): the weight of the branch when its feature is unknown.</summary>
        public double Fraction;
    }

    private struct PathElement
    {
        public int Feature;
        public double Zero, One, Weight;
    }

    private readonly Node[] _nodes;
    private readonly int[] _roots;
    private readonly int _pathLength;
    private readonly double[] _recip; // 1 / k for k = 0 .. max depth + 1 (entry 0 unused)

    public TreeEnsemble Model { get; }
    public int FeatureCount { get; }
    /// <summary>The bias: BaseMargin + sum over trees of the cover-weighted mean leaf value, E[margin] (xgboost's last contribution column).</summary>
    public double ExpectedValue { get; }
    /// <summary>Rows per parallel work item.</summary>
    public int ChunkSize { get; init; } = 32;
    /// <summary>Threads of <see cref="ExplainRows(double[])"/> (at least 1; default: every core).</summary>
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;

    public TreeShap(TreeEnsemble model)
    {
        Model = model;
        FeatureCount = model.FeatureNames.Count;
        var nodes = new List<Node>();
        _roots = new int[model.Trees.Count];
        int maxDepth = 0;
        double expected = model.BaseMargin;
        for (int t = 0; t < model.Trees.Count; t++)
        {
            var tree = model.Trees[t];
            _roots[t] = nodes.Count;
            var (mean, depth) = Flatten(tree, nodes);
            expected += mean;
            maxDepth = Math.Max(maxDepth, depth);
        }
        _nodes = [.. nodes];
        _pathLength = (maxDepth + 1) * (maxDepth + 2) / 2 + 1;
        _recip = [.. Enumerable.Range(0, maxDepth + 3).Select(k => k == 0 ? 0 : 1.0 / k)];
        ExpectedValue = expected;
    }

    // Copies a tree into the shared node array (reachable nodes only, parents before children) and returns the
    // cover-weighted mean of its leaves, computed with the same fractions the recursion uses.
    private static (double Mean, int Depth) Flatten(DecisionTree tree, List<Node> nodes)
    {
        int n = tree.NodeCount;
        var index = new int[n];
        Array.Fill(index, -1);
        var order = new List<(int Source, int Depth)>();
        var stack = new Stack<(int Source, int Depth)>();
        stack.Push((0, 0));
        index[0] = nodes.Count;
        int maxDepth = 0;
        while (stack.Count > 0)
        {
            var (k, d) = stack.Pop();
            order.Add((k, d));
            maxDepth = Math.Max(maxDepth, d);
            if (tree.Left[k] < 0) continue;
            foreach (int c in new[] { tree.Right[k], tree.Left[k] })
            {
                if (c < 0 || c >= n) throw new ArgumentException($"node {k} has a child {c} outside the tree");
                if (index[c] != -1) throw new ArgumentException($"node {c} is reached twice: not a tree");
                index[c] = -2; // claimed; numbered below in visiting order
                stack.Push((c, d + 1));
            }
        }
        int first = nodes.Count;
        for (int j = 0; j < order.Count; j++) index[order[j].Source] = first + j;
        foreach (var (k, _) in order)
        {
            bool leaf = tree.Left[k] < 0;
            nodes.Add(new Node
            {
                Feature = leaf ? -1 : tree.Feature[k],
                Left = leaf ? -1 : index[tree.Left[k]],
                Right = leaf ? -1 : index[tree.Right[k]],
                DefaultLeft = tree.DefaultLeft[k],
                Threshold = tree.Threshold[k],
                Value = leaf ? tree.Value[k] : 0,
                Fraction = 1,
            });
        }
        var span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nodes);
        foreach (var (k, _) in order)
        {
            if (tree.Left[k] < 0) continue;
            double c = tree.Cover[k];
            span[index[tree.Left[k]]].Fraction = c > 0 ? tree.Cover[tree.Left[k]] / c : 0;
            span[index[tree.Right[k]]].Fraction = c > 0 ? tree.Cover[tree.Right[k]] / c : 0;
        }
        // mean leaf value, bottom-up (children come after parents in 'order')
        var mean = new double[order.Count];
        for (int j = order.Count - 1; j >= 0; j--)
        {
            ref var node = ref span[first + j];
            mean[j] = node.Left < 0 ? node.Value
                : span[node.Left].Fraction * mean[node.Left - first] + span[node.Right].Fraction * mean[node.Right - first];
        }
        return (mean[0], maxDepth);
    }

    /// <summary>
    /// Contributions of one row (length <see cref="FeatureCount"/>) into <paramref name="phi"/> (length
    /// FeatureCount + 1; overwritten; the last entry is the bias). Allocates nothing after a thread's first call.
    /// </summary>
    public void Explain(ReadOnlySpan<double> row, Span<double> phi)
    {
        var path = PathBuffer.Value;
        if (path is null || path.Length < _pathLength) PathBuffer.Value = path = new PathElement[_pathLength];
        Explain(row, phi, path);
    }

    private static readonly ThreadLocal<PathElement[]?> PathBuffer = new(); // reused by single-row calls on this thread

    /// <summary>Contributions of one row: FeatureCount values and then the bias.</summary>
    public double[] Explain(ReadOnlySpan<double> row)
    {
        var phi = new double[FeatureCount + 1];
        Explain(row, phi);
        return phi;
    }

    /// <summary>
    /// Contributions of many rows given row-major (row i, feature f at [i * FeatureCount + f], the model's feature
    /// order), computed in parallel.
    /// </summary>
    public ShapValues ExplainRows(double[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (FeatureCount == 0 ? rows.Length != 0 : rows.Length % FeatureCount != 0)
            throw new ArgumentException($"{rows.Length} values are not whole rows of {FeatureCount} features", nameof(rows));
        int n = FeatureCount == 0 ? 0 : rows.Length / FeatureCount;
        int w = FeatureCount + 1;
        var values = new double[(long)n * w];
        Parallelism.MapChunks(n, ChunkSize, Threads, (start, end) =>
        {
            var path = new PathElement[_pathLength];
            for (int i = start; i < end; i++)
                Explain(rows.AsSpan(i * FeatureCount, FeatureCount), values.AsSpan(i * w, w), path);
            return 0;
        });
        return new ShapValues(values, n, Model.FeatureNames);
    }

    /// <summary>Contributions of every row of a feature table; the model's features are looked up by name.</summary>
    public ShapValues ExplainRows(FeatureTable table)
    {
        var columns = new int[FeatureCount];
        bool identity = table.ColumnCount == FeatureCount;
        for (int f = 0; f < FeatureCount; f++)
        {
            columns[f] = table.IndexOf(Model.FeatureNames[f]);
            if (columns[f] < 0) throw new SoftspotException($"the feature table has no column '{Model.FeatureNames[f]}' that the model uses");
            identity &= columns[f] == f;
        }
        if (identity) return ExplainRows(table.Values);
        var rows = new double[(long)table.Rows * FeatureCount];
        for (int i = 0; i < table.Rows; i++)
            for (int f = 0; f < FeatureCount; f++) rows[i * FeatureCount + f] = table[i, columns[f]];
        return ExplainRows(rows);
    }

    private void Explain(ReadOnlySpan<double> row, Span<double> phi, PathElement[] path)
    {
        if (row.Length != FeatureCount) throw new ArgumentException($"a row has {row.Length} values for {FeatureCount} features", nameof(row));
        if (phi.Length != FeatureCount + 1) throw new ArgumentException($"phi needs {FeatureCount + 1} entries (features and bias)", nameof(phi));
        phi.Clear();
        foreach (int root in _roots)
            Recurse(_nodes, _recip, path, root, row, phi, 0, 0, 1, 1, -1);
        phi[FeatureCount] = ExpectedValue;
    }

    // One node of Algorithm 2. The parent's unique path is path[parentStart .. parentStart + depth); this node's
    // copy of it starts at parentStart + depth and is extended by (zero, one, feature) at index 'depth'.
    private static void Recurse(Node[] nodes, double[] recip, PathElement[] path, int k, ReadOnlySpan<double> x, Span<double> phi,
        int parentStart, int depth, double zero, double one, int feature)
    {
        int start = parentStart + depth;
        if (depth > 0) Array.Copy(path, parentStart, path, start, depth);
        var p = path.AsSpan(start, depth + 1);
        Extend(p, depth, zero, one, feature);

        ref readonly var node = ref nodes[k];
        if (node.Left < 0)
        {
            if (depth > 0) Leaf(p, depth, node.Value, recip, phi);
            return;
        }

        int f = node.Feature;
        double xf = x[f];
        bool goLeft = double.IsNaN(xf) ? node.DefaultLeft : xf < node.Threshold;
        int hot = goLeft ? node.Left : node.Right, cold = goLeft ? node.Right : node.Left;

        double incomingZero = 1, incomingOne = 1;
        // a feature already on the path: undo that split and fold its fractions into this one
        for (int i = 1; i <= depth; i++)
        {
            if (p[i].Feature != f) continue;
            incomingZero = p[i].Zero; incomingOne = p[i].One;
            Unwind(p, depth, i);
            depth--;
            break;
        }

        double hotZero = nodes[hot].Fraction * incomingZero, coldZero = nodes[cold].Fraction * incomingZero;
        // a branch with both fractions 0 adds nothing (and would divide 0 by 0 when unwound)
        if (hotZero != 0 || incomingOne != 0)
            Recurse(nodes, recip, path, hot, x, phi, start, depth + 1, hotZero, incomingOne, f);
        if (coldZero != 0)
            Recurse(nodes, recip, path, cold, x, phi, start, depth + 1, coldZero, 0, f);
    }

    private static void Extend(Span<PathElement> p, int depth, double zero, double one, int feature)
    {
        p[depth].Feature = feature;
        p[depth].Zero = zero;
        p[depth].One = one;
        p[depth].Weight = depth == 0 ? 1 : 0;
        double inv = 1.0 / (depth + 1);
        for (int i = depth - 1; i >= 0; i--)
        {
            p[i + 1].Weight += one * p[i].Weight * (i + 1) * inv;
            p[i].Weight = zero * p[i].Weight * (depth - i) * inv;
        }
    }

    private static void Unwind(Span<PathElement> p, int depth, int index)
    {
        double one = p[index].One, zero = p[index].Zero;
        double next = p[depth].Weight;
        if (one != 0)
        {
            for (int i = depth - 1; i >= 0; i--)
            {
                double tmp = p[i].Weight;
                p[i].Weight = next * (depth + 1) / ((i + 1) * one);
                next = tmp - p[i].Weight * zero * (depth - i) / (depth + 1);
            }
        }
        else
        {
            for (int i = depth - 1; i >= 0; i--)
                p[i].Weight = p[i].Weight * (depth + 1) / (zero * (depth - i));
        }
        for (int i = index; i < depth; i++)
        {
            p[i].Feature = p[i + 1].Feature;
            p[i].Zero = p[i + 1].Zero;
            p[i].One = p[i + 1].One;
        }
    }

    // At a leaf: each path element's unwound weight sum (its feature's weight over subsets) times (one − zero) v.
    private static void Leaf(ReadOnlySpan<PathElement> p, int depth, double v, double[] recip, Span<double> phi)
    {
        for (int i = 1; i <= depth; i++)
            phi[p[i].Feature] += UnwoundPathSum(p, depth, i, recip) * (p[i].One - p[i].Zero) * v;
    }

    // Algorithm 2's UNWOUND-SUM with the divisions by integers replaced by a table of reciprocals.
    private static double UnwoundPathSum(ReadOnlySpan<PathElement> p, int depth, int index, double[] recip)
    {
        double one = p[index].One, zero = p[index].Zero;
        double next = p[depth].Weight, total = 0;
        if (one != 0)
        {
            // tmp = next (depth + 1) / ((i + 1) one); next = w_i − tmp zero (depth − i) / (depth + 1)
            double a = (depth + 1) / one, b = zero * recip[depth + 1];
            for (int i = depth - 1; i >= 0; i--)
            {
                double tmp = next * a * recip[i + 1];
                total += tmp;
                next = p[i].Weight - tmp * b * (depth - i);
            }
        }
        else
        {
            double a = (depth + 1) / zero;
            for (int i = depth - 1; i >= 0; i--)
                total += p[i].Weight * a * recip[depth - i];
        }
        return total;
    }
}
