namespace Softspot.Descriptors;

/// <summary>
/// The Voronoi index of an atom: counts of its (kept) faces with 3, 4, 5, 6 and 7-or-more edges; faces with fewer
/// than 3 edges are not counted (descriptor-spec.md B.3). Shared by the index, motif and i-fold descriptors.
/// </summary>
internal static class VoronoiTopology
{
    public static void Count(NeighbourTable voronoi, int atom, Span<int> counts)
    {
        counts[..5].Clear();
        var edges = voronoi.Edges!;
        for (int k = voronoi.Start(atom); k < voronoi.End(atom); k++)
        {
            int e = edges[k];
            if (e >= 3) counts[Math.Min(e, 7) - 3]++;
        }
    }
}

/// <summary>Voronoi_idx_{3..7}_voro: numbers of faces with 3, 4, 5, 6, 7-or-more edges.</summary>
public sealed class VoronoiIndex : Descriptor
{
    public override IReadOnlyList<FeatureColumn> Columns { get; } =
        [.. Enumerable.Range(3, 5).Select(e => new FeatureColumn($"Voronoi_idx_{e}_voro", $"number of Voronoi faces with {(e == 7 ? "7 or more" : e.ToString())} edges"))];

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        return (atom, values) =>
        {
            Span<int> c = stackalloc int[5];
            VoronoiTopology.Count(table, atom, c);
            for (int e = 0; e < 5; e++) values[e] = c[e];
        };
    }
}

/// <summary>
/// Character motifs (descriptor-spec.md B.4), 0/1: is_&lt;0,0,12,0,0&gt; (icosahedron), is_&lt;0,0,12,4,0&gt;, and
/// unless <paramref name="baselineOnly"/>, is_polytetrahedral (the reference's literal rule 2 n4 + n5 = 12) and
/// either of the first two.
/// </summary>
public sealed class CharacterMotifs(bool baselineOnly = false) : Descriptor
{
    public override IReadOnlyList<FeatureColumn> Columns { get; } = baselineOnly
        ? [Icosahedral, Z16]
        : [Icosahedral, Z16, new("is_polytetrahedral_voro", "1 if 2 n4 + n5 = 12 (the reference's polytetrahedral rule), else 0"),
           new("is_<0,0,12,0/4,0>_voro", "1 if the Voronoi index is <0,0,12,0,0> or <0,0,12,4,0>, else 0")];

    private static readonly FeatureColumn Icosahedral = new("is_<0,0,12,0,0>_voro", "1 if the Voronoi index is <0,0,12,0,0> (icosahedron), else 0");
    private static readonly FeatureColumn Z16 = new("is_<0,0,12,4,0>_voro", "1 if the Voronoi index is <0,0,12,4,0> (Z16 Frank-Kasper), else 0");

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        return (atom, values) =>
        {
            Span<int> c = stackalloc int[5];
            VoronoiTopology.Count(table, atom, c);
            bool ico = c[0] == 0 && c[1] == 0 && c[2] == 12 && c[3] == 0 && c[4] == 0;
            bool z16 = c[0] == 0 && c[1] == 0 && c[2] == 12 && c[3] == 4 && c[4] == 0;
            values[0] = ico ? 1 : 0;
            values[1] = z16 ? 1 : 0;
            if (values.Length > 2)
            {
                values[2] = 2 * c[1] + c[2] == 12 ? 1 : 0;
                values[3] = ico || z16 ? 1 : 0;
            }
        };
    }
}

/// <summary>How i-fold symmetry indices weight each face.</summary>
public enum FoldWeighting { Count, Area, Volume }

/// <summary>
/// i-fold symmetry indices (descriptor-spec.md B.5) for e = 3..7: the share of faces with e edges (by count:
/// n_e / CN, float32-rounded if <see cref="FeaturizeSettings.Float32FoldSymmetry"/>), or of the total face area or
/// pyramid volume.
/// </summary>
public sealed class FoldSymmetry(FoldWeighting weighting = FoldWeighting.Count) : Descriptor
{
    public override IReadOnlyList<FeatureColumn> Columns { get; } =
        [.. Enumerable.Range(3, 5).Select(e => new FeatureColumn(
            weighting switch { FoldWeighting.Area => "Area_wt_", FoldWeighting.Volume => "Vol_wt_", _ => "" } + $"{e}_fold_symm_idx_voro",
            weighting switch
            {
                FoldWeighting.Area => $"share of the face area on {e}-edged faces",
                FoldWeighting.Volume => $"share of the pyramid volume on {e}-edged faces",
                _ => $"share of the faces with {e} edges",
            } + (e == 7 ? " (7 or more)" : "")))];

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        bool f32 = frame.Settings.Float32FoldSymmetry;
        var weight = weighting switch { FoldWeighting.Area => table.Areas, FoldWeighting.Volume => table.Pyramids, _ => null };
        return (atom, values) =>
        {
            values[..5].Clear();
            double total = 0;
            for (int k = table.Start(atom); k < table.End(atom); k++)
            {
                double w = weight is null ? 1 : weight[k];
                total += w;
                int e = table.Edges![k];
                if (e >= 3) values[Math.Min(e, 7) - 3] += w;
            }
            if (total == 0) return;
            for (int e = 0; e < 5; e++)
                values[e] = weight is null && f32 ? (float)values[e] / (float)total : values[e] / total;
        };
    }
}
