namespace Softspot.Learning;

/// <summary>
/// One regression tree in flat arrays (the layout xgboost's JSON model uses): node k splits on feature
/// <c>Feature[k]</c> and goes to <c>Left[k]</c> when x &lt; <c>Threshold[k]</c>, else to <c>Right[k]</c>; a missing value
/// (NaN) goes left when <c>DefaultLeft[k]</c>. Node k is a leaf when <c>Left[k]</c> &lt; 0, with output
/// <c>Value[k]</c> (already scaled by the learning rate). <c>Cover[k]</c> is the training weight (sum of hessians)
/// that reached the node and <c>Gain[k]</c> the loss reduction of its split (0 at leaves): TreeSHAP and gain
/// importance read them. Node 0 is the root.
/// </summary>
public sealed class DecisionTree
{
    public int[] Feature { get; }
    public double[] Threshold { get; }
    public int[] Left { get; }
    public int[] Right { get; }
    public bool[] DefaultLeft { get; }
    public double[] Value { get; }
    public double[] Cover { get; }
    public double[] Gain { get; }

    public DecisionTree(int[] feature, double[] threshold, int[] left, int[] right, bool[] defaultLeft, double[] value, double[] cover, double[] gain)
    {
        int n = feature.Length;
        if (threshold.Length != n || left.Length != n || right.Length != n || defaultLeft.Length != n || value.Length != n || cover.Length != n || gain.Length != n)
            throw new ArgumentException("every node array must have the same length");
        if (n == 0) throw new ArgumentException("a tree needs at least its root");
        Feature = feature; Threshold = threshold; Left = left; Right = right; DefaultLeft = defaultLeft; Value = value; Cover = cover; Gain = gain;
    }

    public int NodeCount => Feature.Length;
    public bool IsLeaf(int node) => Left[node] < 0;

    /// <summary>The leaf a feature row falls into.</summary>
    public int LeafOf(ReadOnlySpan<double> x)
    {
        int k = 0;
        while (Left[k] >= 0)
        {
            double v = x[Feature[k]];
            k = double.IsNaN(v) ? (DefaultLeft[k] ? Left[k] : Right[k]) : v < Threshold[k] ? Left[k] : Right[k];
        }
        return k;
    }

    /// <summary>The tree's output for a feature row.</summary>
    public double Predict(ReadOnlySpan<double> x) => Value[LeafOf(x)];

    /// <summary>
    /// The same tree without its unreachable nodes (xgboost keeps pruned nodes in its arrays), renumbered in depth-first
    /// order from the root: predictions are unchanged, and every node is reachable once, as a model file requires.
    /// </summary>
    public DecisionTree Reachable()
    {
        var order = new List<int>(NodeCount);
        var stack = new Stack<int>();
        stack.Push(0);
        while (stack.Count > 0)
        {
            int k = stack.Pop();
            order.Add(k);
            if (Left[k] >= 0) { stack.Push(Right[k]); stack.Push(Left[k]); }
        }
        if (order.Count == NodeCount && order.Select((k, i) => k == i).All(x => x)) return this;
        var index = new int[NodeCount];
        for (int i = 0; i < order.Count; i++) index[order[i]] = i;
        int[] Pick(int[] a) => order.Select(k => a[k]).ToArray();
        double[] PickD(double[] a) => order.Select(k => a[k]).ToArray();
        return new DecisionTree(Pick(Feature), PickD(Threshold), order.Select(k => Left[k] >= 0 ? index[Left[k]] : -1).ToArray(),
            order.Select(k => Left[k] >= 0 ? index[Right[k]] : -1).ToArray(), order.Select(k => DefaultLeft[k]).ToArray(), PickD(Value), PickD(Cover), PickD(Gain));
    }

    /// <summary>The depth of the deepest leaf (a lone root has depth 0).</summary>
    public int Depth
    {
        get
        {
            int max = 0;
            var stack = new Stack<(int Node, int Depth)>();
            stack.Push((0, 0));
            while (stack.Count > 0)
            {
                var (k, d) = stack.Pop();
                if (Left[k] < 0) { max = Math.Max(max, d); continue; }
                stack.Push((Left[k], d + 1)); stack.Push((Right[k], d + 1));
            }
            return max;
        }
    }
}
