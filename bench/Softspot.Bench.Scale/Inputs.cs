using System.Globalization;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Bench.Scale;

/// <summary>
/// The benchmark's inputs, written once into bench/out/scale (gitignored) and reused: replicas of the shipped
/// 2,000-atom Cu64Zr36 glass as LAMMPS dumps for Softspot and as <c>id x y z</c> text for voro++, and a multi-frame
/// dump of replicated shear snapshots. Files are written atomically, so an interrupted run leaves none half-written.
/// </summary>
internal sealed class Inputs(string root, string dir)
{
    public string Glass => Path.Combine(root, "data", "glasses", "Cu64Zr36", "glass.dump.gz");
    private string Sheared => Path.Combine(root, "data", "glasses", "Cu64Zr36", "shear", "sheared.dump.gz");

    /// <summary>The glass replicated na x nb x nc, one frame: (dump, voro++ points, voro++ box arguments, atoms).</summary>
    public (string Dump, string Points, string[] Box, int Atoms) Replica(int na, int nb, int nc)
    {
        var glass = StructureFile.ReadFirst(Glass).Replicate(na, nb, nc);
        string dump = Path.Combine(dir, $"glass-{glass.Count}.dump"), points = Path.Combine(dir, $"glass-{glass.Count}.txt");
        if (!File.Exists(dump)) LammpsDumpWriter.Write(dump, [glass]);
        if (!File.Exists(points))
            AtomicFile.Write(points, w =>
            {
                for (int i = 0; i < glass.Count; i++)
                {
                    var p = glass.Cell.Wrap(glass.Positions[i]);
                    w.Write(FormattableString.Invariant($"{glass.Ids[i]} {p.X:R} {p.Y:R} {p.Z:R}\n"));
                }
            });
        var lo = glass.Cell.Origin; var hi = glass.Cell.Hi;
        string[] box = [.. new[] { lo.X, hi.X, lo.Y, hi.Y, lo.Z, hi.Z }.Select(v => v.ToString("R", CultureInfo.InvariantCulture))];
        return (dump, points, box, glass.Count);
    }

    /// <summary>
    /// The first <paramref name="frames"/> frames of the glass's shear run (at 2, 4, 6, ... % strain), each
    /// replicated na x nb x nc, in one dump: (dump, atoms per frame).
    /// </summary>
    public (string Dump, int AtomsPerFrame) ShearFrames(int frames, int na, int nb, int nc)
    {
        int perFrame = StructureFile.ReadFirst(Glass).Count * na * nb * nc;
        string dump = Path.Combine(dir, $"shear-{frames}x{perFrame}.dump");
        if (!File.Exists(dump))
            LammpsDumpWriter.Write(dump, StructureFile.ReadFrames(Sheared).Take(frames).Select(s => s.Replicate(na, nb, nc)));
        return (dump, perFrame);
    }
}
