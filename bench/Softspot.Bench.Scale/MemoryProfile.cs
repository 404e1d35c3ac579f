using System.Diagnostics;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Bench.Scale;

/// <summary>
/// Where the memory of featurizing one frame goes: builds the frame's structures in process one stage at a time (as
/// <c>softspot featurize --preset interstice</c> does) and prints, per stage, the bytes per atom of what it keeps
/// (array lengths times element sizes), the live managed heap after a full collection, and the process's peak
/// resident set so far (VmHWM). Run before the memory work of the scale issue, it also listed the stored hulls and the
/// whole output table.
/// </summary>
internal static class MemoryProfile
{
    public static void Run(string dump)
    {
        var clock = Stopwatch.StartNew();
        var snapshot = StructureFile.ReadFirst(dump);
        int n = snapshot.Count;
        Console.WriteLine($"# memory profile: {n:N0} atoms, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        Console.WriteLine("| stage | kept (bytes per atom) | live heap after (bytes per atom) | peak resident so far (bytes per atom) | seconds |");
        Console.WriteLine("|---|---|---|---|---|");
        void Stage(string what, long kept)
        {
            long live = GC.GetTotalMemory(forceFullCollection: true);
            using var self = Process.GetCurrentProcess();
            Console.WriteLine(FormattableString.Invariant(
                $"| {what} | {kept / (double)n:F0} | {live / (double)n:F0} | {self.PeakWorkingSet64 / (double)n:F0} | {clock.Elapsed.TotalSeconds:F2} |"));
            clock.Restart();
        }
        Stage("snapshot (ids, types, positions)", Bytes(snapshot.Ids) + Bytes(snapshot.Types) + Bytes(snapshot.Positions));

        Featurize(snapshot, Stage);
        var tessellation = VoronoiTessellator.Compute(snapshot);
        Stage("for comparison, after the above is dropped: the unfiltered tessellation (featurize never holds it)",
            Bytes(tessellation.Volume) + Bytes(tessellation.FaceOffsets) + Bytes(tessellation.Neighbour) + Bytes(tessellation.NeighbourVector)
            + Bytes(tessellation.Area) + Bytes(tessellation.Edges) + Bytes(tessellation.PyramidVolume));
        GC.KeepAlive(tessellation);
    }

    /// <summary>The stages of one frame of <c>softspot featurize --preset interstice</c>; nothing outlives the call.</summary>
    private static void Featurize(Snapshot snapshot, Action<string, long> stage)
    {
        int n = snapshot.Count;
        var frame = new FrameContext(snapshot, new FeaturizeSettings());
        stage("Voronoi neighbour table (faces filtered as each cell is built)", Bytes(frame.Neighbours(NeighbourKind.Voronoi)));
        stage("distance neighbour table (4 A)", Bytes(frame.Neighbours(NeighbourKind.Distance)));
        var set = Presets.Find("interstice").Build(snapshot.RequireElements());
        long block = 0;
        foreach (var (_, rows) in set.ComputeBlocks(frame, BlockRows)) block = Bytes(rows.Values);
        stage($"features: {set.ShortRangeColumns.Count} short-range columns of every atom + one block of {BlockRows} output rows "
            + "(hulls built per atom, not kept)", (long)set.ShortRangeColumns.Count * sizeof(double) * n + block);
    }

    /// <summary>Rows per output block, as <c>softspot featurize</c> writes them.</summary>
    private const int BlockRows = 1 << 14;

    private static long Bytes(NeighbourTable t) => Bytes(t.Offsets) + Bytes(t.Index) + Bytes(t.Vectors) + Bytes(t.Distances)
        + Bytes(t.Areas) + Bytes(t.Edges) + Bytes(t.Pyramids);

    private static long Bytes<T>(T[]? array) where T : unmanaged => array is null ? 0 : (long)array.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
}
