using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Voronoi;

/// <summary>Settings of a tessellation.</summary>
public sealed record VoronoiOptions
{
    /// <summary>
    /// Radius of each atom type (index = type; index 0 unused) for a radical (power, Laguerre) tessellation, as
    /// voro++ -r computes it; null for the plain Voronoi tessellation.
    /// </summary>
    public double[]? RadiusByType { get; init; }

    /// <summary>Edges shorter than this (A) are not counted in a face's edge count (OVITO's edge threshold); 0 counts all.</summary>
    public double EdgeThreshold { get; init; }

    /// <summary>Threads (at least 1; default: every core). The result does not depend on it.</summary>
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;

    /// <summary>
    /// Keep only the faces this filter selects, in its order, as each cell is built (null keeps every face). The result
    /// is that of <see cref="VoronoiTessellation.Filter"/> on the whole tessellation, but the unfiltered faces of the
    /// frame are never held at once.
    /// </summary>
    public FaceFilter? Filter { get; init; }

    public bool Radical => RadiusByType is not null;
}

/// <summary>
/// Computes the Voronoi cell of every atom the way voro++ does: start from a box around the atom and clip it by
/// the bisecting (plain) or power (radical) plane of each neighbour in order of distance, stopping when no
/// farther neighbour can reach the cell (distance beyond twice the cell's circumradius, or the radical analogue).
/// Non-periodic directions are closed by walls at the box faces. Atoms are processed in parallel (on
/// <see cref="VoronoiOptions.Threads"/> threads); the result does not depend on the thread count.
/// </summary>
public static class VoronoiTessellator
{
    private const int TempWall = int.MinValue;
    private const int Chunk = 256;
    /// <summary>Radius of the first neighbour search around an atom, in units of the mean atomic spacing.</summary>
    private const double InitialRadius = 1.75;

    /// <summary>
    /// Tessellates a frame. <paramref name="workspace"/> (optional) lends the buffers of the faces being built and
    /// takes them back once they are joined, so that a run giving one workspace to every frame reuses them.
    /// </summary>
    public static VoronoiTessellation Compute(Snapshot s, VoronoiOptions? options = null, VoronoiWorkspace? workspace = null)
    {
        options ??= new VoronoiOptions();
        workspace ??= new VoronoiWorkspace();
        var radii = CheckRadii(s, options.RadiusByType);
        int n = s.Count;
        double spacing = Math.Cbrt(s.Cell.Volume / Math.Max(1, n));
        var grid = new CellGrid(s.Cell, s.Positions, 0.9 * spacing);
        var walls = Walls.Of(s.Cell, grid);
        double maxR2 = radii is null ? 0 : radii.Max(r => r * r);
        // process atoms in bin order for cache locality; chunks keep the output order fixed
        var order = grid.SpatialOrder();
        var chunks = Parallelism.MapChunks(n, Chunk, options.Threads, (start, end) =>
        {
            var scratch = workspace.RentScratch();
            var worker = new Worker(s, grid, walls, radii, maxR2, spacing, options.EdgeThreshold, options.Filter, scratch, workspace.RentChunk(end - start));
            for (int k = start; k < end; k++) worker.Compute(order[k]);
            workspace.Return(scratch);
            return worker.Result;
        });
        return Assemble(chunks, n, workspace);
    }

    private static double[]? CheckRadii(Snapshot s, double[]? radiusByType)
    {
        if (radiusByType is null) return null;
        int max = s.MaxType;
        if (radiusByType.Length <= max) throw new ArgumentException($"no radius for atom type {max}");
        for (int t = 1; t <= max; t++)
            if (!(radiusByType[t] >= 0) || !double.IsFinite(radiusByType[t]))
                throw new ArgumentException($"the radius of atom type {t} ({radiusByType[t]}) is not a non-negative number");
        return radiusByType;
    }

    /// <summary>
    /// Joins the chunks' faces (in bin order) into atom order. Each chunk goes back to the workspace once copied.
    /// </summary>
    private static VoronoiTessellation Assemble(ChunkFaces?[] chunks, int n, VoronoiWorkspace workspace)
    {
        var volume = new double[n];
        var offsets = new int[n + 1];
        foreach (var c in chunks)
            for (int k = 0; k < c!.Atoms.Count; k++) { volume[c.Atoms[k]] = c.Volumes[k]; offsets[c.Atoms[k] + 1] = c.FaceCounts[k]; }
        for (int i = 0; i < n; i++) offsets[i + 1] += offsets[i];
        var faces = new FaceArrays(offsets[n]);
        for (int ci = 0; ci < chunks.Length; ci++)
        {
            var c = chunks[ci]!;
            int src = 0;
            for (int k = 0; k < c.Atoms.Count; k++)
            {
                int m = c.FaceCounts[k];
                c.Faces.CopyTo(src, m, faces, offsets[c.Atoms[k]]);
                src += m;
            }
            chunks[ci] = null;
            workspace.Return(c);
        }
        return new VoronoiTessellation(volume, offsets, faces.Neighbour, faces.Vector, faces.Area, faces.Edges, faces.Pyramid);
    }

    /// <summary>The walls of the non-periodic directions, as fractional bounds.</summary>
    private sealed class Walls
    {
        public readonly bool[] Active = new bool[3];
        public readonly double[] Lo = new double[3], Hi = new double[3], Width = new double[3];
        public readonly Vec3[] Normal = new Vec3[3]; // unit normal of the planes of constant fractional coordinate

        public static Walls Of(Cell cell, CellGrid grid)
        {
            var w = new Walls();
            var a = cell.A; var b = cell.B; var c = cell.C;
            Vec3[] cross = [b.Cross(c), c.Cross(a), a.Cross(b)];
            for (int d = 0; d < 3; d++)
            {
                if (cell.Periodic[d]) continue;
                w.Active[d] = true;
                w.Normal[d] = cross[d] / cross[d].Norm;
                w.Width[d] = cell.PerpendicularWidth(d);
                double lo = 0, hi = 1;
                foreach (var p in grid.Wrapped)
                {
                    double s = cell.ToFractional(p)[d];
                    lo = Math.Min(lo, s); hi = Math.Max(hi, s);
                }
                w.Lo[d] = lo; w.Hi[d] = hi;
            }
            return w;
        }
    }

    /// <summary>One chunk's state: a thread's reusable cell and candidate buffer, and the chunk's output lists.</summary>
    private sealed class Worker(Snapshot s, CellGrid grid, Walls walls, double[]? radii, double maxR2, double spacing, double edgeThreshold,
        FaceFilter? filter, CellScratch scratch, ChunkFaces result) : FaceSink
    {
        private readonly ConvexCell _cell = scratch.Cell;
        private readonly CandidateBuffer _cand = scratch.Candidates;
        private readonly Vec3[] _wallMirror = scratch.WallMirror;
        private readonly List<int> _kept = scratch.Kept;
        public readonly ChunkFaces Result = result;
        private int _atom;
        private double _volume;

        public void Compute(int i)
        {
            _atom = i;
            for (int attempt = 0; ; attempt++)
            {
                double scale = attempt switch { 0 => 1.0, 1 => 100.0, 2 => 0.01, _ => 0 };
                if (scale == 0)
                    throw new VoronoiDegeneracyException($"the Voronoi cell of atom {s.Ids[i]} could not be built consistently");
                int mark = Result.Faces.Count;
                try
                {
                    Build(i, scale);
                    break;
                }
                catch (VoronoiDegeneracyException)
                {
                    Result.Faces.Truncate(mark);
                }
            }
        }

        private void Build(int i, double tolScale)
        {
            var centre = grid.Wrapped[i];
            double ri2 = radii is null ? 0 : radii[s.Types[i]] * radii[s.Types[i]];
            double h = 2.5 * spacing;
            double radius = InitialRadius * spacing;
            for (int restart = 0; ; restart++)
            {
                _cell.InitBox(h, h, h, TempWall);
                ApplyWalls(centre, tolScale);
                _cand.Clear();
                grid.Gather(centre, radius, i, _cand);
                _cand.SortByDistanceFast();
                double searched = radius;
                int k = 0;
                double rmax2 = _cell.MaxRadiusSquared();
                while (true)
                {
                    bool done = false;
                    for (; k < _cand.Count; k++)
                    {
                        double d2 = _cand.D2[k];
                        if (!CanReach(d2, rmax2, ri2))
                        {
                            rmax2 = _cell.MaxRadiusSquared();
                            if (!CanReach(d2, rmax2, ri2)) { done = true; break; }
                        }
                        int j = _cand.Index[k];
                        double c = radii is null ? 0.5 * d2 : 0.5 * (d2 + ri2 - radii[s.Types[j]] * radii[s.Types[j]]);
                        _cell.Cut(_cand.Dx[k], _cand.Dy[k], _cand.Dz[k], c, k, tolScale);
                        if (_cell.IsEmpty) { done = true; break; }
                    }
                    if (done) break;
                    // every candidate used: search farther if a farther atom could still cut the cell
                    rmax2 = _cell.MaxRadiusSquared();
                    double reach = Reach(rmax2, ri2);
                    if (reach <= searched) break;
                    double next = Math.Max(reach * (1 + 1e-9), searched * 1.25);
                    int before = _cand.Count;
                    grid.Gather(centre, next, i, _cand, minRadius: searched);
                    _cand.SortByDistanceFast(before);
                    searched = next;
                }
                if (!_cell.HasFaceLabelled(TempWall) || _cell.IsEmpty) break;
                if (restart > 40) throw new VoronoiDegeneracyException($"the Voronoi cell of atom {s.Ids[i]} is unbounded");
                h *= 2; // the starting box was too small for this cell
            }
            _volume = 0;
            int mark = Result.Faces.Count;
            _cell.Measure(this, edgeThreshold);
            if (filter is not null)
            {
                _kept.Clear();
                filter.Select(Result.Faces.Cell(mark), _kept);
                Result.Faces.Keep(mark, _kept);
            }
            Result.Atoms.Add(i);
            Result.FaceCounts.Add(Result.Faces.Count - mark);
            Result.Volumes.Add(_volume);
        }

        /// <summary>Whether an atom at squared distance d2 can cut a cell of circumradius sqrt(rmax2).</summary>
        private bool CanReach(double d2, double rmax2, double ri2)
        {
            if (radii is null) return d2 < 4 * rmax2;
            // power plane distance (d^2 + ri^2 - rj^2) / 2d >= (d^2 + ri^2 - maxR^2) / 2d, increasing in d
            double d = Math.Sqrt(d2);
            return (d2 + ri2 - maxR2) / (2 * d) < Math.Sqrt(rmax2);
        }

        /// <summary>The distance beyond which no atom can cut a cell of circumradius sqrt(rmax2).</summary>
        private double Reach(double rmax2, double ri2)
        {
            double rmax = Math.Sqrt(rmax2);
            if (radii is null) return 2 * rmax;
            return rmax + Math.Sqrt(Math.Max(0, rmax2 - ri2 + maxR2));
        }

        private void ApplyWalls(Vec3 centre, double tolScale)
        {
            var f = s.Cell.ToFractional(centre);
            for (int d = 0; d < 3; d++)
            {
                if (!walls.Active[d]) continue;
                var nrm = walls.Normal[d];
                double lo = (f[d] - walls.Lo[d]) * walls.Width[d], hi = (walls.Hi[d] - f[d]) * walls.Width[d];
                _wallMirror[2 * d] = -2 * lo * nrm;
                _wallMirror[2 * d + 1] = 2 * hi * nrm;
                _cell.Cut(-nrm.X, -nrm.Y, -nrm.Z, lo, -(2 * d + 1), tolScale);
                _cell.Cut(nrm.X, nrm.Y, nrm.Z, hi, -(2 * d + 2), tolScale);
            }
        }

        public void Add(int label, double area, int edges, double pyramidVolume)
        {
            _volume += pyramidVolume;
            if (label == TempWall) throw new VoronoiDegeneracyException($"the Voronoi cell of atom {s.Ids[_atom]} is unbounded");
            if (label < 0) Result.Faces.Add(label, _wallMirror[-label - 1], area, edges, pyramidVolume);
            else Result.Faces.Add(_cand.Index[label], new Vec3(_cand.Dx[label], _cand.Dy[label], _cand.Dz[label]), area, edges, pyramidVolume);
        }
    }
}
