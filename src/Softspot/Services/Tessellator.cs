using System.Diagnostics;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot;

/// <summary>What <see cref="Tessellator.Write"/> did.</summary>
/// <param name="Frames">Frames tessellated.</param>
/// <param name="Last">The last frame and its tessellation (for a summary), or null when the file had none.</param>
/// <param name="Seconds">Wall time.</param>
public sealed record TessellationSummary(int Frames, (Snapshot Structure, VoronoiTessellation Tessellation)? Last, double Seconds);

/// <summary>
/// Voronoi or radical (power) tessellations of snapshots, as voro++ computes them: per-atom volume, coordination,
/// Voronoi index and every face. <see cref="Tessellate"/> does one snapshot; <see cref="Write"/> streams every frame of
/// a structure file to per-atom and per-face CSV tables, reusing its buffers from frame to frame.
/// </summary>
public sealed class Tessellator
{
    /// <summary>The per-atom table's columns.</summary>
    public static readonly IReadOnlyList<string> CellColumns = ["frame", "id", "type", "element", "volume", "coordination", "vi3", "vi4", "vi5", "vi6", "vi7"];
    /// <summary>The per-face table's columns.</summary>
    public static readonly IReadOnlyList<string> FaceColumns = ["frame", "id", "neighbor_id", "distance", "area", "edges", "pyramid_volume"];

    private readonly RunContext _context;
    private readonly VoronoiWorkspace _workspace = new();

    /// <summary>Radical (power) tessellation with atomic radii instead of the plain one.</summary>
    public bool Radical { get; }
    /// <summary>Radius overrides in A by element or type (e.g. Cu=1.26,Zr=1.58); Miracle radii otherwise. Implies <see cref="Radical"/>.</summary>
    public string? Radii { get; }
    /// <summary>Edges shorter than this (A) are not counted in the Voronoi index.</summary>
    public double EdgeThreshold { get; }
    /// <summary>Which faces count as neighbours (null: every face).</summary>
    public FaceFilter? Filter { get; }

    /// <summary>A tessellator: plain, or radical when asked or when radii are given.</summary>
    public Tessellator(bool radical = false, string? radii = null, double edgeThreshold = 0, FaceFilter? filter = null, RunContext? context = null)
    {
        if (!(edgeThreshold >= 0)) throw new SoftspotException($"the edge threshold must not be negative, not {edgeThreshold}");
        Radical = radical || radii is not null;
        Radii = radii; EdgeThreshold = edgeThreshold; Filter = filter;
        _context = context ?? RunContext.Default;
    }

    /// <summary>The tessellation of one snapshot (in its buffers, reused by the next call: keep what you need of it).</summary>
    public VoronoiTessellation Tessellate(Snapshot s) => VoronoiTessellator.Compute(s, new VoronoiOptions
    {
        RadiusByType = Radical ? Voronoi.Radii.ByType(s, Radii) : null,
        EdgeThreshold = EdgeThreshold,
        Filter = Filter,
        Threads = _context.Threads,
    }, _workspace);

    /// <summary>
    /// Tessellates every frame of a structure file (one frame in memory at a time), writing the per-atom table
    /// (<see cref="CellColumns"/>) and the per-face table (<see cref="FaceColumns"/>) where asked, each atomically.
    /// </summary>
    public TessellationSummary Write(string structure, string? cells, string? faces = null, ElementMap? elements = null)
    {
        var clock = Stopwatch.StartNew();
        using var cellFile = cells is null ? null : AtomicFile.Create(cells);
        using var faceFile = faces is null ? null : AtomicFile.Create(faces);
        var cellTable = cellFile is null ? null : new CsvTableWriter(cellFile.Writer, CellColumns);
        var faceTable = faceFile is null ? null : new CsvTableWriter(faceFile.Writer, FaceColumns);
        var progress = _context.Progress("voronoi: frames");
        (Snapshot, VoronoiTessellation)? last = null;
        int frames = 0;
        foreach (var s in StructureFile.ReadFrames(structure, elements))
        {
            _context.Cancellation.ThrowIfCancellationRequested();
            var t = Tessellate(s);
            if (cellTable is not null) WriteCellRows(cellTable, s, t);
            if (faceTable is not null) WriteFaceRows(faceTable, s, t);
            last = (s, t);
            frames++;
            progress.Step($"timestep {s.Timestep}");
        }
        progress.Done();
        cellFile?.Commit();
        faceFile?.Commit();
        return new TessellationSummary(frames, last, clock.Elapsed.TotalSeconds);
    }

    private static void WriteCellRows(CsvTableWriter csv, Snapshot s, VoronoiTessellation t)
    {
        for (int i = 0; i < s.Count; i++)
        {
            csv.Number(s.Frame).Number(s.Ids[i]).Number(s.Types[i]).Text(s.Elements?[s.Types[i]]?.Symbol ?? "")
               .Number(t.Volume[i]).Number(t.Coordination(i));
            foreach (int n in t.VoronoiIndex(i)) csv.Number(n);
            csv.EndRow();
        }
    }

    private static void WriteFaceRows(CsvTableWriter csv, Snapshot s, VoronoiTessellation t)
    {
        for (int i = 0; i < s.Count; i++)
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                int j = t.Neighbour[f];
                csv.Number(s.Frame).Number(s.Ids[i]).Number(j >= 0 ? s.Ids[j] : j).Number(t.Distance(f))
                   .Number(t.Area[f]).Number(t.Edges[f]).Number(t.PyramidVolume[f]).EndRow();
            }
    }
}
