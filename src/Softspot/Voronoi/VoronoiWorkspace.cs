using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>
/// Buffers that tessellations reuse: the faces each chunk of atoms builds before they are joined into atom order, and
/// each thread's working cell. A tessellation without a workspace allocates them afresh and drops them; giving the
/// same workspace to every tessellation of a run (frame after frame, <see cref="VoronoiTessellator.Compute"/>) builds
/// each frame's faces in the memory of the previous frame's, which is already mapped, instead of in new pages. The
/// buffers it holds stay allocated as long as the workspace lives (about 50 bytes per face of the largest frame), so a
/// run that does more with a frame than tessellate it (featurize: its neighbour tables and descriptors come after) would
/// carry them through its peak: <c>softspot voronoi</c> uses one, featurize does not. Safe to share between threads;
/// results never depend on it.
/// </summary>
public sealed class VoronoiWorkspace
{
    private readonly Stack<ChunkFaces> _chunks = new();
    private readonly Stack<CellScratch> _scratch = new();

    internal ChunkFaces RentChunk(int atoms)
    {
        lock (_chunks)
            if (_chunks.TryPop(out var c)) { c.Clear(); return c; }
        return new ChunkFaces(atoms);
    }

    internal void Return(ChunkFaces chunk)
    {
        lock (_chunks) _chunks.Push(chunk);
    }

    internal CellScratch RentScratch()
    {
        lock (_scratch)
            if (_scratch.TryPop(out var s)) return s;
        return new CellScratch();
    }

    internal void Return(CellScratch scratch)
    {
        lock (_scratch) _scratch.Push(scratch);
    }
}

/// <summary>One chunk's cells, in the order they were built, and their faces.</summary>
internal sealed class ChunkFaces(int atoms)
{
    /// <summary>Faces per cell that the buffers start with: a glass cell has about 14, a crystal's 12 to 14.</summary>
    private const int FacesPerCell = 16;

    public readonly List<int> Atoms = new(atoms), FaceCounts = new(atoms);
    public readonly List<double> Volumes = new(atoms);
    public readonly FaceBuffer Faces = new(atoms * FacesPerCell);

    public void Clear()
    {
        Atoms.Clear(); FaceCounts.Clear(); Volumes.Clear(); Faces.Truncate(0);
    }
}

/// <summary>One thread's working state while it builds cells: the cell, the neighbour candidates and small scratch.</summary>
internal sealed class CellScratch
{
    public readonly ConvexCell Cell = new();
    public readonly Neighbours.CandidateBuffer Candidates = new();
    public readonly Vec3[] WallMirror = new Vec3[6];
    public readonly List<int> Kept = [];
}
