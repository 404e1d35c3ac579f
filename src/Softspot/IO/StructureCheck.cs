using System.Globalization;
using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// The one check of a structure read from a file, applied by <see cref="StructureFile"/> to every frame of every
/// format before any command sees it: what parses line by line but is no meaningful structure. A frame without atoms;
/// an atom type without an element when elements are named; a coordinate so far outside a periodic cell that
/// wrapping it is meaningless (1e300); an atom outside a non-periodic box (LAMMPS ff, fs, fm, ss ... boundaries); two
/// atoms at one position (closer than <see cref="MinSeparation"/>, found in O(N) with a cell list). Each error is an
/// <see cref="InputFormatException"/> naming the file and, where the reader recorded it, the atom's line.
/// </summary>
public static class StructureCheck
{
    /// <summary>Atoms closer than this (A) are one atom written twice, not a structure (bonds are ~1 A and more).</summary>
    public const double MinSeparation = 0.1;

    /// <summary>
    /// How far outside a periodic cell (in cell lengths) a coordinate may be: unwrapped coordinates of long runs are
    /// a few cells out; beyond this the position is garbage and wrapping it loses every digit.
    /// </summary>
    public const double MaxPeriodicImages = 1e6;

    /// <summary>Throws <see cref="InputFormatException"/> when the frame is not a meaningful structure; returns it otherwise.</summary>
    public static Snapshot Validate(Snapshot s)
    {
        string file = s.Source ?? "structure";
        string frame = s.Frame > 0 ? $"frame {s.Frame}: " : "";
        if (s.Count == 0)
            throw new InputFormatException(file, s.Lines?.Header ?? 0, InputProblem.AtomCount, $"{frame}the frame has no atoms");
        CheckCell(s.Cell, file, 0, frame);
        CheckElements(s, file, frame);
        var frac = CheckPositions(s, file, frame);
        CheckSeparations(s, frac, file, frame);
        return s;
    }

    /// <summary>How far a triclinic cell may be tilted (tilt over the edge it shears): a shear strain of 1000 %.</summary>
    public const double MaxTilt = 10;

    /// <summary>
    /// A periodic cell thinner than <see cref="MinSeparation"/> puts every atom on its own periodic image, and one tilted
    /// beyond <see cref="MaxTilt"/> (LAMMPS flips boxes long before) makes every periodic-image search take forever.
    /// </summary>
    private static void CheckCell(Cell cell, string file, long line, string frame)
    {
        foreach (var (name, tilt, edge, of) in new[] { ("xy", cell.Xy, cell.Lx, "lx"), ("xz", cell.Xz, cell.Lx, "lx"), ("yz", cell.Yz, cell.Ly, "ly") })
            if (Math.Abs(tilt) > MaxTilt * edge)
                throw new InputFormatException(file, line, InputProblem.DegenerateCell,
                    $"{frame}the cell's tilt factor {name} = {F(tilt)} is {F(Math.Abs(tilt) / edge)} times {of} = {F(edge)}: no meaningful box is tilted that far (LAMMPS flips a box at half its length)");
        for (int d = 0; d < 3; d++)
        {
            if (!cell.Periodic[d]) continue;
            double w = cell.PerpendicularWidth(d);
            if (w < MinSeparation)
                throw new InputFormatException(file, line, InputProblem.DegenerateCell,
                    $"{frame}the periodic cell is {F(w)} A wide along {"abc"[d]}: every atom would be closer than {MinSeparation} A to its own periodic image");
        }
    }

    private static long LineOf(Snapshot s, int atom) => s.Lines?.LineOf(atom) ?? 0;

    private static string F(double v) => v.ToString("g6", CultureInfo.InvariantCulture);

    private static void CheckElements(Snapshot s, string file, string frame)
    {
        if (s.Elements is null) return;
        int named = s.Elements.TypeCount;
        for (int i = 0; i < s.Count; i++)
            if (s.Types[i] > named)
                throw new InputFormatException(file, LineOf(s, i), InputProblem.UnknownElement,
                    $"{frame}atom {s.Ids[i]} has type {s.Types[i]} but only {named} element(s) are named ({s.Elements}): name one element per type with --elements");
    }

    /// <summary>Checks every coordinate; the fractional coordinates, wrapped along the periodic directions.</summary>
    private static Vec3[] CheckPositions(Snapshot s, string file, string frame)
    {
        var cell = s.Cell;
        var frac = new Vec3[s.Count];
        Span<double> width = [cell.PerpendicularWidth(0), cell.PerpendicularWidth(1), cell.PerpendicularWidth(2)];
        Span<double> tolerance = stackalloc double[3];
        for (int d = 0; d < 3; d++)
        {
            // coordinates are printed with a few digits (LAMMPS %g: 6) while bounds are printed in full: an atom on a
            // shrink-wrapped face may read a hair outside it
            double reach = Math.Max(Math.Abs(cell.Origin[d]), Math.Abs(cell.Origin[d] + width[d])) + width[d];
            tolerance[d] = (1e-3 + 1e-5 * reach) / width[d];
        }
        for (int i = 0; i < s.Count; i++)
        {
            var p = s.Positions[i];
            if (!double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))
                throw new InputFormatException(file, LineOf(s, i), InputProblem.NotANumber, $"{frame}atom {s.Ids[i]} has a position that is not a finite number ({F(p.X)}, {F(p.Y)}, {F(p.Z)})");
            var f = cell.ToFractional(p);
            Span<double> w = [f.X, f.Y, f.Z];
            for (int d = 0; d < 3; d++)
            {
                if (cell.Periodic[d])
                {
                    if (!(Math.Abs(w[d]) <= MaxPeriodicImages))
                        throw new InputFormatException(file, LineOf(s, i), InputProblem.NotANumber,
                            $"{frame}atom {s.Ids[i]} at ({F(p.X)}, {F(p.Y)}, {F(p.Z)}) is {F(Math.Abs(w[d]))} cell lengths away along {"abc"[d]} (more than {MaxPeriodicImages:g3}): not a meaningful position");
                    w[d] = Cell.WrapUnit(w[d], true);
                }
                else if (w[d] < -tolerance[d] || w[d] > 1 + tolerance[d])
                {
                    string bounds = cell.IsTriclinic
                        ? $"fractional coordinate {F(w[d])} along {"abc"[d]}, outside 0..1"
                        : $"outside {"xyz"[d]}lo {"xyz"[d]}hi = {F(cell.Origin[d])} {F(cell.Origin[d] + width[d])}";
                    string at = cell.IsTriclinic ? $"({F(p.X)}, {F(p.Y)}, {F(p.Z)})" : $"{"xyz"[d]} = {F(p[d])}";
                    throw new InputFormatException(file, LineOf(s, i), InputProblem.Syntax,
                        $"{frame}atom {s.Ids[i]} at {at} is outside the non-periodic box ({bounds}): LAMMPS would have lost it; its Voronoi cell and neighbours would be wrong");
                }
            }
            frac[i] = new Vec3(w[0], w[1], w[2]);
        }
        return frac;
    }

    /// <summary>
    /// Finds two atoms closer than <see cref="MinSeparation"/> (by the minimum image) in O(N): atoms are binned on a
    /// grid of fractional coordinates whose bins are at least that wide, so such a pair lies in neighbouring bins.
    /// </summary>
    private static void CheckSeparations(Snapshot s, Vec3[] frac, string file, string frame)
    {
        var cell = s.Cell;
        int n = s.Count;
        if (n < 2) return;
        Span<int> bins = stackalloc int[3];
        var lo = new double[3]; var span = new double[3];
        double spacing = Math.Cbrt(cell.Volume / n);
        for (int d = 0; d < 3; d++)
        {
            lo[d] = 0; span[d] = 1;
            if (!cell.Periodic[d])
            {
                double min = 0, max = 1;
                foreach (var f in frac) { min = Math.Min(min, f[d]); max = Math.Max(max, f[d]); }
                lo[d] = min; span[d] = max - min;
            }
            double w = cell.PerpendicularWidth(d) * span[d];
            bins[d] = (int)Math.Clamp(Math.Floor(w / Math.Max(MinSeparation, spacing)), 1, 1024);
        }
        while ((long)bins[0] * bins[1] * bins[2] > 2L * n + 8)
        {
            int d = bins[0] >= bins[1] && bins[0] >= bins[2] ? 0 : bins[1] >= bins[2] ? 1 : 2;
            bins[d] = Math.Max(1, bins[d] / 2);
        }
        int nx = bins[0], ny = bins[1], nz = bins[2];
        int Coord(double f, int d, int nb) => Math.Clamp((int)Math.Floor((f - lo[d]) / span[d] * nb), 0, nb - 1);
        var binOf = new int[n];
        var start = new int[nx * ny * nz + 1];
        for (int i = 0; i < n; i++)
        {
            var f = frac[i];
            binOf[i] = (Coord(f.Z, 2, nz) * ny + Coord(f.Y, 1, ny)) * nx + Coord(f.X, 0, nx);
            start[binOf[i] + 1]++;
        }
        for (int b = 0; b < start.Length - 1; b++) start[b + 1] += start[b];
        var order = new int[n];
        var fill = start[..^1];
        for (int i = 0; i < n; i++) order[fill[binOf[i]]++] = i;

        double min2 = MinSeparation * MinSeparation;
        bool px = cell.Periodic[0], py = cell.Periodic[1], pz = cell.Periodic[2];
        // an image n cells away along d is at least |ds_d + n| w_d away (w_d the perpendicular width): only the few n
        // with that below MinSeparation can hold a close pair (at most 3, as the widths are at least MinSeparation)
        double rx = MinSeparation / cell.PerpendicularWidth(0), ry = MinSeparation / cell.PerpendicularWidth(1), rz = MinSeparation / cell.PerpendicularWidth(2);
        Span<int> near = stackalloc int[27];
        // with fewer than 3 bins along a periodic direction, the neighbouring bins wrap onto the same bin: count it once
        bool wraps = (px && nx < 3) || (py && ny < 3) || (pz && nz < 3);
        for (int i = 0; i < n; i++)
        {
            int b = binOf[i], bx = b % nx, by = b / nx % ny, bz = b / (nx * ny);
            int count = 0;
            for (int dz = -1; dz <= 1; dz++)
            {
                int z = bz + dz;
                if (z < 0 || z >= nz) { if (!pz) continue; z = (z + nz) % nz; }
                for (int dy = -1; dy <= 1; dy++)
                {
                    int y = by + dy;
                    if (y < 0 || y >= ny) { if (!py) continue; y = (y + ny) % ny; }
                    for (int dx = -1; dx <= 1; dx++)
                    {
                        int x = bx + dx;
                        if (x < 0 || x >= nx) { if (!px) continue; x = (x + nx) % nx; }
                        int nb = (z * ny + y) * nx + x;
                        if (!wraps || !near[..count].Contains(nb)) near[count++] = nb;
                    }
                }
            }
            var fi = frac[i];
            int partner = -1;
            double partnerD2 = 0;
            for (int c = 0; c < count; c++)
                for (int k = start[near[c]]; k < start[near[c] + 1]; k++)
                {
                    int j = order[k];
                    if (j <= i || (partner >= 0 && j > partner)) continue;
                    var ds = frac[j] - fi;
                    double d2 = double.PositiveInfinity;
                    int x0 = px ? (int)Math.Ceiling(-rx - ds.X) : 0, x1 = px ? (int)Math.Floor(rx - ds.X) : 0;
                    int y0 = py ? (int)Math.Ceiling(-ry - ds.Y) : 0, y1 = py ? (int)Math.Floor(ry - ds.Y) : 0;
                    int z0 = pz ? (int)Math.Ceiling(-rz - ds.Z) : 0, z1 = pz ? (int)Math.Floor(rz - ds.Z) : 0;
                    for (int a = x0; a <= x1; a++)
                        for (int bb = y0; bb <= y1; bb++)
                            for (int cc = z0; cc <= z1; cc++)
                                d2 = Math.Min(d2, cell.FractionalToDisplacement(new Vec3(ds.X + a, ds.Y + bb, ds.Z + cc)).Norm2);
                    if (d2 < min2) { partner = j; partnerD2 = d2; }
                }
            if (partner >= 0)
            {
                long lineI = LineOf(s, i);
                string where = lineI > 0 ? $" (line {lineI})" : "";
                throw new InputFormatException(file, LineOf(s, partner), InputProblem.Syntax,
                    $"{frame}atoms {s.Ids[i]}{where} and {s.Ids[partner]} are {F(Math.Sqrt(partnerD2))} A apart (closer than {MinSeparation} A): one atom written twice, or a broken structure");
            }
        }
    }
}

/// <summary>
/// The line of the file each atom of a frame was read from (for messages): the first atom's line and, for files where
/// atom lines are not consecutive (comments, blank lines in a data file), the atoms where the numbering jumps.
/// </summary>
public sealed class AtomLines
{
    private readonly List<(int Atom, long Line)> _runs;

    /// <summary>The line of the frame's header (its atom count), for messages about the whole frame; 0 when unknown.</summary>
    public long Header { get; init; }

    public AtomLines(long firstAtomLine) => _runs = [(0, firstAtomLine)];

    /// <summary>Records the line of atom <paramref name="atom"/> (atoms in increasing order); costs nothing when lines run on.</summary>
    public void Record(int atom, long line)
    {
        if (LineOf(atom) != line) _runs.Add((atom, line));
    }

    public long LineOf(int atom)
    {
        int lo = 0, hi = _runs.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (_runs[mid].Atom <= atom) lo = mid; else hi = mid - 1;
        }
        return _runs[lo].Line + (atom - _runs[lo].Atom);
    }
}
