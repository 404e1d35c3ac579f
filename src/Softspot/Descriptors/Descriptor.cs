namespace Softspot.Descriptors;

/// <summary>Which neighbours a descriptor looks at; the suffix ends its column names (descriptor-spec.md B.15).</summary>
public enum NeighbourKind
{
    /// <summary>Voronoi neighbours after the small-face filter (suffix "voro").</summary>
    Voronoi,
    /// <summary>Atoms within a distance cutoff (suffix "dist").</summary>
    Distance,
}

/// <summary>One output column: its name (as in the reference tables) and a one-line definition.</summary>
public sealed record FeatureColumn(string Name, string Definition);

/// <summary>Computes one atom's values into its slice of a feature row. Must be safe to call from several threads.</summary>
public delegate void AtomKernel(int atom, Span<double> values);

/// <summary>
/// A per-atom descriptor: a small type that names the columns it writes and, bound to a frame, computes them for
/// any atom from the frame's shared neighbour tables. Descriptors never build neighbour tables themselves: the
/// <see cref="FrameContext"/> builds each kind once per frame and every descriptor reads the same one.
/// </summary>
public abstract class Descriptor
{
    /// <summary>The columns, in output order.</summary>
    public abstract IReadOnlyList<FeatureColumn> Columns { get; }

    /// <summary>Prepares frame-level data (e.g. per-atom harmonics) and returns the per-atom kernel.</summary>
    public abstract AtomKernel Bind(FrameContext frame);

    /// <summary>The suffix of a neighbour kind in column names.</summary>
    public static string Suffix(NeighbourKind kind) => kind == NeighbourKind.Voronoi ? "voro" : "dist";
}
