using Softspot.Descriptors.Geometry;

namespace Softspot.Descriptors;

/// <summary>
/// Cluster packing efficiency (descriptor-spec.md B.10; Yang et al., PRL 109, 105502 (2012)): the volume of the
/// centre sphere plus the parts of the shell atoms' spheres inside the shell's convex hull, over the hull's volume.
/// Fewer than 4 neighbours: 0.
/// </summary>
public sealed class ClusterPackingEfficiency : Descriptor
{
    public override IReadOnlyList<FeatureColumn> Columns { get; } =
        [new("Cluster_packing_efficiency_miracle_voro", "(4/3 pi R_O^3 + sum_j Omega_j R_j^3 / 3) / V_hull over the Voronoi shell's convex hull")];

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        var shells = frame.Shells;
        return (atom, values) =>
        {
            var triangles = shells.Of(atom);
            if (triangles.Length == 0) { values[0] = 0; return; }
            int start = table.Start(atom);
            double ro = frame.Radius(atom), hull = 0, shell = 0;
            foreach (var (a, b, c) in triangles)
            {
                var g = new ShellTriangle(table.Vectors[start + a], table.Vectors[start + b], table.Vectors[start + c],
                    frame.Radius(table.Index[start + a]), frame.Radius(table.Index[start + b]), frame.Radius(table.Index[start + c]), ro);
                hull += g.SignedVolume;
                shell += g.ShellSolidAngleR3;
            }
            values[0] = (4.0 / 3.0 * Math.PI * ro * ro * ro + shell / 3) / hull;
        };
    }
}

/// <summary>
/// Atomic packing efficiency (descriptor-spec.md B.11; Laws, Miracle and Ferry, Nat. Commun. 6, 8123 (2015)):
/// R_O / mean(R_neighbours) - R*(CN), with the ideal radius ratio R* of the coordination number (Voronoi
/// neighbours). Fewer than 4 neighbours: 0 (as the reference); more than 24: NaN (no ideal ratio is tabulated;
/// the reference crashes).
/// </summary>
public sealed class AtomicPackingEfficiency : Descriptor
{
    private static readonly double[] IdealRatio =
    [
        double.NaN, double.NaN, double.NaN, 0.154701, 0.224745, 0.361654, 0.414214, 0.518145, 0.616517, 0.709914,
        0.798907, 0.884003, 0.902113, 0.976006, 1.04733, 1.11632, 1.18318, 1.2481, 1.31123, 1.37271, 1.43267,
        1.49119, 1.5484, 1.60436, 1.65915,
    ];

    public override IReadOnlyList<FeatureColumn> Columns { get; } =
        [new("Atomic_packing_efficiency_miracle_voro", "R_O / mean neighbour radius - ideal radius ratio R*(CN) (Voronoi neighbours)")];

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        return (atom, values) =>
        {
            int n = table.Count(atom);
            double sum = 0;
            for (int k = table.Start(atom); k < table.End(atom); k++) sum += frame.Radius(table.Index[k]);
            values[0] = Of(frame.Radius(atom), n == 0 ? 0 : sum / n, n);
        };
    }

    /// <summary>R_O / mean neighbour radius - R*(CN): 0 below 4 neighbours, NaN above 24.</summary>
    public static double Of(double centreRadius, double meanNeighbourRadius, int coordination) =>
        coordination < 4 ? 0 : coordination >= IdealRatio.Length ? double.NaN : centreRadius / meanNeighbourRadius - IdealRatio[coordination];
}
