namespace Softspot.Descriptors;

/// <summary>
/// Statistics (descriptor-spec.md B.0) of a per-neighbour quantity over each atom's neighbours: distances (B.7),
/// distance interstices (B.8), Voronoi face areas and pyramid volumes (B.6), the latter optionally per face edge
/// count 3..7 (faces with 7 or more edges together; an empty group gives 0).
/// </summary>
public sealed class NeighbourStatistics : Descriptor
{
    /// <summary>The quantity of the neighbour in slot <c>k</c> of <c>table</c> around <c>atom</c>.</summary>
    public delegate double Quantity(FrameContext frame, NeighbourTable table, int atom, int k);

    private readonly NeighbourKind _kind;
    private readonly Quantity _quantity;
    private readonly Stat[] _stats;
    private readonly bool _byEdges;

    public override IReadOnlyList<FeatureColumn> Columns { get; }

    private NeighbourStatistics(NeighbourKind kind, string prefix, string edgePrefix, string definition, Quantity quantity, Stat[]? stats, bool byEdges)
    {
        if (byEdges && kind != NeighbourKind.Voronoi) throw new ArgumentException("statistics per edge count need Voronoi neighbours");
        _kind = kind; _quantity = quantity; _stats = stats ?? Statistics.All5; _byEdges = byEdges;
        string sfx = Suffix(kind);
        Columns = byEdges
            ? [.. Enumerable.Range(3, 5).SelectMany(e => _stats.Select(s => new FeatureColumn(
                $"{e}_edged_{edgePrefix}_{Statistics.Name(s)}_{sfx}",
                $"{Statistics.Describe(s)} of the {definition} of the {(e == 7 ? "7-or-more" : e.ToString())}-edged faces")))]
            : [.. _stats.Select(s => new FeatureColumn($"{prefix}_{Statistics.Name(s)}_{sfx}", $"{Statistics.Describe(s)} of the {definition} ({(kind == NeighbourKind.Voronoi ? "Voronoi" : "distance")} neighbours)"))];
    }

    /// <summary>distance_{stat}: centre-neighbour distances.</summary>
    public static NeighbourStatistics Distance(NeighbourKind kind, Stat[]? stats = null) =>
        new(kind, "distance", "", "centre-neighbour distances (A)", (f, t, i, k) => t.Distances[k], stats, false);

    /// <summary>Dist_interstice_{stat}: d_ij / (R_i + R_j) - 1 over the neighbours (negative: overlap).</summary>
    public static NeighbourStatistics DistanceInterstice(NeighbourKind kind, Stat[]? stats = null) =>
        new(kind, "Dist_interstice", "", "distance interstices d/(R_i+R_j)-1",
            (f, t, i, k) => t.Distances[k] / (f.Radius(i) + f.Radius(t.Index[k])) - 1, stats, false);

    /// <summary>Facet_area_{stat} (or {e}_edged_area_{stat}): Voronoi face areas.</summary>
    public static NeighbourStatistics FaceArea(Stat[]? stats = null, bool byEdges = false) =>
        new(NeighbourKind.Voronoi, "Facet_area", "area", "Voronoi face areas (A^2)", (f, t, i, k) => t.Areas![k], stats, byEdges);

    /// <summary>Subpolyhedra_vol_{stat} (or {e}_edged_vol_{stat}): pyramid volumes from the atom to each Voronoi face.</summary>
    public static NeighbourStatistics PyramidVolume(Stat[]? stats = null, bool byEdges = false) =>
        new(NeighbourKind.Voronoi, "Subpolyhedra_vol", "vol", "Voronoi face pyramid volumes (A^3)", (f, t, i, k) => t.Pyramids![k], stats, byEdges);

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(_kind);
        return (atom, values) =>
        {
            int start = table.Start(atom), n = table.Count(atom);
            Span<double> buf = n <= 256 ? stackalloc double[n] : new double[n];
            if (!_byEdges)
            {
                for (int k = 0; k < n; k++) buf[k] = _quantity(frame, table, atom, start + k);
                Statistics.Compute(buf, _stats, values);
                return;
            }
            for (int e = 3; e <= 7; e++)
            {
                int m = 0;
                for (int k = 0; k < n; k++)
                {
                    int edges = table.Edges![start + k];
                    if (edges == e || (e == 7 && edges > 7)) buf[m++] = _quantity(frame, table, atom, start + k);
                }
                Statistics.Compute(buf[..m], _stats, values.Slice((e - 3) * _stats.Length, _stats.Length));
            }
        };
    }
}
