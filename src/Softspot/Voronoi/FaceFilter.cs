namespace Softspot.Voronoi;

/// <summary>
/// Chooses which Voronoi faces count as neighbours. Filters remove faces; they do not change the edge counts of
/// the faces they keep (as in OVITO and amlearn). Edges shorter than a length are dropped at tessellation time
/// instead (<see cref="VoronoiOptions.EdgeThreshold"/>).
/// </summary>
public abstract class FaceFilter
{
    /// <summary>Appends the indices of the kept faces of an atom, in output order.</summary>
    public abstract void Select(VoronoiTessellation t, int atom, List<int> kept);

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

    private sealed class Threshold(double value, bool relative) : FaceFilter
    {
        public override void Select(VoronoiTessellation t, int atom, List<int> kept)
        {
            var faces = t.Faces(atom);
            double limit = value;
            if (relative)
            {
                double total = 0;
                for (int f = faces.Start.Value; f < faces.End.Value; f++) total += t.Area[f];
                limit = value * total;
            }
            for (int f = faces.Start.Value; f < faces.End.Value; f++)
                if (t.Area[f] >= limit) kept.Add(f);
        }
    }

    private sealed class RunningMean(double fraction) : FaceFilter
    {
        public override void Select(VoronoiTessellation t, int atom, List<int> kept)
        {
            int start = t.FaceOffsets[atom], n = t.FaceOffsets[atom + 1] - start;
            Span<int> order = n <= 256 ? stackalloc int[n] : new int[n];
            for (int k = 0; k < n; k++) order[k] = start + k;
            // neighbour-index order (images of one atom by distance): insertion sort, lists are short
            for (int k = 1; k < n; k++)
            {
                int f = order[k], j = k;
                while (j > 0 && After(t, order[j - 1], f)) { order[j] = order[j - 1]; j--; }
                order[j] = f;
            }
            if (fraction <= 0) { foreach (int f in order) kept.Add(f); return; }
            double total = 0;
            foreach (int f in order) total += t.Area[f];
            int m = n;
            foreach (int f in order)
            {
                if (t.Area[f] < fraction * total / m) m--;
                else kept.Add(f);
            }
        }

        private static bool After(VoronoiTessellation t, int a, int b) =>
            t.Neighbour[a] != t.Neighbour[b] ? t.Neighbour[a] > t.Neighbour[b] : t.NeighbourVector[a].Norm2 > t.NeighbourVector[b].Norm2;
    }
}
