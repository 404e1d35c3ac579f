using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>
/// The faces of one Voronoi cell, as a filter sees them: face k is shared with atom Neighbour[k] (negative for a
/// wall), whose image lies at Vector[k] from the cell's atom, and has area Area[k].
/// </summary>
public readonly ref struct CellFaces(ReadOnlySpan<int> neighbour, ReadOnlySpan<Vec3> vector, ReadOnlySpan<double> area)
{
    public ReadOnlySpan<int> Neighbour { get; } = neighbour;
    public ReadOnlySpan<Vec3> Vector { get; } = vector;
    public ReadOnlySpan<double> Area { get; } = area;
    public int Count => Neighbour.Length;
}

/// <summary>
/// Chooses which Voronoi faces count as neighbours. Filters remove faces; they do not change the edge counts of
/// the faces they keep (as in OVITO and amlearn). Edges shorter than a length are dropped at tessellation time
/// instead (<see cref="VoronoiOptions.EdgeThreshold"/>). A filter sees one cell at a time, so the tessellator can
/// apply it as each cell is built (<see cref="VoronoiOptions.Filter"/>) and never hold the unfiltered faces.
/// </summary>
public abstract class FaceFilter
{
    /// <summary>Appends the indices (0 = the cell's first face) of the kept faces of one cell, in output order.</summary>
    public abstract void Select(CellFaces faces, List<int> kept);

    /// <summary>Appends the indices of the kept faces of an atom of a tessellation, in output order.</summary>
    public void Select(VoronoiTessellation t, int atom, List<int> kept)
    {
        var range = t.Faces(atom);
        int first = range.Start.Value, before = kept.Count;
        Select(new CellFaces(t.Neighbour.AsSpan(range), t.NeighbourVector.AsSpan(range), t.Area.AsSpan(range)), kept);
        for (int k = before; k < kept.Count; k++) kept[k] += first;
    }

    /// <summary>Keeps faces with area at least <paramref name="minArea"/> (A^2).</summary>
    public static FaceFilter MinArea(double minArea) => new Threshold(minArea, relative: false);

    /// <summary>Keeps faces whose area is at least a fraction of the cell's total face area (OVITO's relative threshold).</summary>
    public static FaceFilter MinRelativeArea(double fraction) => new Threshold(fraction, relative: true);

    /// <summary>
    /// amlearn's VoroNN rule (descriptor-spec.md B.1 steps 5-6): faces in neighbour-index order; face i is dropped
    /// if its area is below fraction * A_tot / m, where A_tot is the total area of all faces (never reduced) and m
    /// the number of faces, decremented after each drop; kept faces are listed in neighbour-index order. A
    /// fraction of 0 keeps every face (amlearn would keep none: a bug not reproduced).
    /// </summary>
    public static FaceFilter AmlearnRunningMean(double fraction = 0.05) => new RunningMean(fraction);

    /// <summary>
    /// Of the faces this filter keeps, in its order, only those shared with atoms (no walls) whose image is closer than
    /// <paramref name="cutoff"/> (A). The filter itself still sees every face (e.g. for its total area).
    /// </summary>
    public FaceFilter AtomsCloserThan(double cutoff) => new Closer(this, cutoff * cutoff);

    private sealed class Threshold(double value, bool relative) : FaceFilter
    {
        public override void Select(CellFaces faces, List<int> kept)
        {
            double limit = value;
            if (relative)
            {
                double total = 0;
                for (int f = 0; f < faces.Count; f++) total += faces.Area[f];
                limit = value * total;
            }
            for (int f = 0; f < faces.Count; f++)
                if (faces.Area[f] >= limit) kept.Add(f);
        }
    }

    private sealed class RunningMean(double fraction) : FaceFilter
    {
        public override void Select(CellFaces faces, List<int> kept)
        {
            int n = faces.Count;
            Span<int> order = n <= 256 ? stackalloc int[n] : new int[n];
            for (int k = 0; k < n; k++) order[k] = k;
            // neighbour-index order (images of one atom by distance): insertion sort, lists are short
            for (int k = 1; k < n; k++)
            {
                int f = order[k], j = k;
                while (j > 0 && After(faces, order[j - 1], f)) { order[j] = order[j - 1]; j--; }
                order[j] = f;
            }
            if (fraction <= 0) { foreach (int f in order) kept.Add(f); return; }
            double total = 0;
            foreach (int f in order) total += faces.Area[f];
            int m = n;
            foreach (int f in order)
            {
                if (faces.Area[f] < fraction * total / m) m--;
                else kept.Add(f);
            }
        }

        private static bool After(CellFaces faces, int a, int b) =>
            faces.Neighbour[a] != faces.Neighbour[b] ? faces.Neighbour[a] > faces.Neighbour[b] : faces.Vector[a].Norm2 > faces.Vector[b].Norm2;
    }

    private sealed class Closer(FaceFilter inner, double cutoff2) : FaceFilter
    {
        public override void Select(CellFaces faces, List<int> kept)
        {
            int before = kept.Count;
            inner.Select(faces, kept);
            int to = before;
            for (int k = before; k < kept.Count; k++)
            {
                int f = kept[k];
                if (faces.Neighbour[f] >= 0 && faces.Vector[f].Norm2 < cutoff2) kept[to++] = f;
            }
            kept.RemoveRange(to, kept.Count - to);
        }
    }
}
