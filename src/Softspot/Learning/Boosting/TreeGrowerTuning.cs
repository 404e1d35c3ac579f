namespace Softspot.Learning;

/// <summary>
/// When <see cref="TreeGrower"/> goes parallel and how it lays out its work. None of it changes a model (the paths
/// give bit-identical trees); the defaults are the measured ones, and tests set other values to force every path.
/// </summary>
internal sealed record TreeGrowerTuning
{
    public static TreeGrowerTuning Default { get; } = new();

    /// <summary>Work (rows x features for histograms) below which a node is processed on one thread.</summary>
    public long ParallelMinWork { get; init; } = 200_000;

    /// <summary>
    /// Nodes with fewer than Rows / RowMajorDensity rows are built from the row-major bins (measured on 200k and 1M
    /// rows x 80: feature-major is faster down to about 1/64 of the rows, row-major below).
    /// </summary>
    public int RowMajorDensity { get; init; } = 64;

    /// <summary>Rows per chunk when a node's gradient pairs are gathered in parallel.</summary>
    public int GatherChunk { get; init; } = 32768;

    /// <summary>Rows per chunk of a parallel partition (fixed, so that the joined order never depends on threads).</summary>
    public int PartitionChunk { get; init; } = 32768;
}
