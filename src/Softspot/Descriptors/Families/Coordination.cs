namespace Softspot.Descriptors;

/// <summary>CN_{voro|dist}: the number of neighbours (descriptor-spec.md B.2).</summary>
public sealed class Coordination(NeighbourKind kind) : Descriptor
{
    public override IReadOnlyList<FeatureColumn> Columns { get; } =
        [new($"CN_{Suffix(kind)}", kind == NeighbourKind.Voronoi ? "number of Voronoi neighbours (5 % small-face filter)" : "number of atoms within the distance cutoff")];

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(kind);
        return (atom, values) => values[0] = table.Count(atom);
    }
}
