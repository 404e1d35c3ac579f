namespace Softspot.Structures;

/// <summary>
/// A simulation cell in the LAMMPS restricted-triclinic convention: edge vectors a = (lx, 0, 0),
/// b = (xy, ly, 0), c = (xz, yz, lz) from <see cref="Origin"/>, with periodicity per dimension.
/// An orthogonal cell is the case xy = xz = yz = 0.
/// </summary>
public sealed class Cell
{
    public Vec3 Origin { get; }
    public double Lx { get; }
    public double Ly { get; }
    public double Lz { get; }
    public double Xy { get; }
    public double Xz { get; }
    public double Yz { get; }
    /// <summary>Periodicity along a, b and c.</summary>
    public bool[] Periodic { get; }

    public Cell(Vec3 origin, double lx, double ly, double lz, double xy = 0, double xz = 0, double yz = 0,
        bool periodicA = true, bool periodicB = true, bool periodicC = true)
    {
        if (!(lx > 0) || !(ly > 0) || !(lz > 0) || !double.IsFinite(lx * ly * lz))
            throw new ArgumentException(FormattableString.Invariant(
                $"the cell has zero or negative volume (lx={lx:G10}, ly={ly:G10}, lz={lz:G10})"));
        if (!double.IsFinite(xy) || !double.IsFinite(xz) || !double.IsFinite(yz))
            throw new ArgumentException("the cell tilt factors are not finite numbers");
        Origin = origin; Lx = lx; Ly = ly; Lz = lz; Xy = xy; Xz = xz; Yz = yz;
        Periodic = [periodicA, periodicB, periodicC];
    }

    /// <summary>An orthogonal cell from lower and upper corners.</summary>
    public static Cell Orthogonal(Vec3 lo, Vec3 hi, bool periodic = true) =>
        new(lo, hi.X - lo.X, hi.Y - lo.Y, hi.Z - lo.Z, 0, 0, 0, periodic, periodic, periodic);

    public Vec3 A => new(Lx, 0, 0);
    public Vec3 B => new(Xy, Ly, 0);
    public Vec3 C => new(Xz, Yz, Lz);
    public Vec3 Vector(int axis) => axis switch { 0 => A, 1 => B, 2 => C, _ => throw new ArgumentOutOfRangeException(nameof(axis)) };
    public Vec3 Hi => Origin + new Vec3(Lx, Ly, Lz);
    public double Volume => Lx * Ly * Lz;
    public bool IsTriclinic => Xy != 0 || Xz != 0 || Yz != 0;
    public bool AnyPeriodic => Periodic[0] || Periodic[1] || Periodic[2];

    /// <summary>
    /// Distance between the two faces of the cell spanned by the other two edge vectors (the "perpendicular
    /// width" along axis d). A sphere of radius r fits inside a periodic cell without touching its own image
    /// only if 2r is below every periodic width.
    /// </summary>
    public double PerpendicularWidth(int axis) => axis switch
    {
        0 => Volume / B.Cross(C).Norm,
        1 => Volume / C.Cross(A).Norm,
        2 => Volume / A.Cross(B).Norm,
        _ => throw new ArgumentOutOfRangeException(nameof(axis)),
    };

    /// <summary>The smallest perpendicular width over the periodic directions (infinity when none is periodic).</summary>
    public double MinPeriodicWidth
    {
        get
        {
            double w = double.PositiveInfinity;
            for (int d = 0; d < 3; d++) if (Periodic[d]) w = Math.Min(w, PerpendicularWidth(d));
            return w;
        }
    }

    /// <summary>
    /// Throws <see cref="CutoffTooLargeException"/> when a cutoff is too large for minimum-image distances to be
    /// unique: an atom would see two images of the same neighbour (or itself) within the cutoff.
    /// </summary>
    public void EnsureCutoffFits(double cutoff, string what = "cutoff")
    {
        for (int d = 0; d < 3; d++)
        {
            if (!Periodic[d]) continue;
            double w = PerpendicularWidth(d);
            if (2 * cutoff > w)
                throw new CutoffTooLargeException(FormattableString.Invariant(
                    $"{what} {cutoff:G6} A is larger than half the periodic cell width along {"abc"[d]} ({w / 2:G6} A): minimum-image distances would not be unique; use a larger (replicated) cell or a smaller {what}"));
        }
    }

    /// <summary>Fractional (scaled) coordinates of a Cartesian position, relative to the origin.</summary>
    public Vec3 ToFractional(Vec3 r)
    {
        var d = r - Origin;
        double sz = d.Z / Lz;
        double sy = (d.Y - Yz * sz) / Ly;
        double sx = (d.X - Xy * sy - Xz * sz) / Lx;
        return new Vec3(sx, sy, sz);
    }

    /// <summary>Fractional components of a displacement (no origin).</summary>
    public Vec3 DisplacementToFractional(Vec3 d)
    {
        double sz = d.Z / Lz;
        double sy = (d.Y - Yz * sz) / Ly;
        double sx = (d.X - Xy * sy - Xz * sz) / Lx;
        return new Vec3(sx, sy, sz);
    }

    public Vec3 ToCartesian(Vec3 s) => Origin + FractionalToDisplacement(s);

    public Vec3 FractionalToDisplacement(Vec3 s) =>
        new(Lx * s.X + Xy * s.Y + Xz * s.Z, Ly * s.Y + Yz * s.Z, Lz * s.Z);

    /// <summary>Maps a position into the cell along every periodic direction (fractional coordinate in [0, 1)).</summary>
    public Vec3 Wrap(Vec3 r)
    {
        var s = ToFractional(r);
        var w = ToCartesian(new Vec3(WrapUnit(s.X, Periodic[0]), WrapUnit(s.Y, Periodic[1]), WrapUnit(s.Z, Periodic[2])));
        var f = ToFractional(w);
        for (int d = 0; d < 3; d++)
            if (Periodic[d] && !(f[d] >= 0 && f[d] < 1)) return SettleInside(w);
        return w;
    }

    /// <summary>
    /// Rounding in <see cref="ToCartesian"/> can leave a point on a face a hair outside [0, 1) (e.g. fractional
    /// -5e-18): nudges the Cartesian coordinate that controls each periodic fractional coordinate, c (z) first,
    /// then b (y), then a (x), so that later nudges do not disturb earlier ones (the cell matrix is triangular).
    /// </summary>
    private Vec3 SettleInside(Vec3 w)
    {
        for (int d = 2; d >= 0; d--)
        {
            if (!Periodic[d]) continue;
            double scale = Math.Max(Math.Abs(w[d]), Math.Abs(Origin[d]) + (d == 0 ? Lx : d == 1 ? Ly : Lz));
            double step = Math.BitIncrement(scale) - scale; // one ulp of the coordinates involved, doubled each try
            for (int i = 0; i < 64; i++, step *= 2)
            {
                double f = ToFractional(w)[d];
                if (f >= 0 && f < 1) break;
                double x = f < 0 ? w[d] + step : w[d] - step;
                w = d == 0 ? w with { X = x } : d == 1 ? w with { Y = x } : w with { Z = x };
            }
        }
        return w;
    }

    internal static double WrapUnit(double s, bool periodic)
    {
        if (!periodic) return s;
        double w = s - Math.Floor(s);
        return w >= 1.0 ? 0.0 : w; // floor rounding can give exactly 1 for tiny negative s
    }

    /// <summary>
    /// The shortest periodic image of a displacement. Exact in any restricted-triclinic cell: after reducing the
    /// fractional components to [-1/2, 1/2], neighbouring images are checked whenever the result is not provably
    /// the shortest (longer than half the smallest periodic width). An image n steps away along a has a component
    /// |n + s_a| w_a along the normal of the b-c face (w_a the perpendicular width), so only |n| below
    /// |d| / w_a + 1/2 can be shorter: strongly tilted cells (beyond LAMMPS' tilt limits) search further.
    /// </summary>
    public Vec3 MinimumImage(Vec3 d)
    {
        var s = DisplacementToFractional(d);
        double sx = Periodic[0] ? s.X - Math.Round(s.X) : s.X;
        double sy = Periodic[1] ? s.Y - Math.Round(s.Y) : s.Y;
        double sz = Periodic[2] ? s.Z - Math.Round(s.Z) : s.Z;
        var best = FractionalToDisplacement(new Vec3(sx, sy, sz));
        double half = 0.5 * MinPeriodicWidth;
        if (best.Norm2 <= half * half) return best;
        double bestN2 = best.Norm2;
        double length = Math.Sqrt(bestN2);
        int Range(int axis) => Periodic[axis] ? Math.Max(1, (int)Math.Floor(length / PerpendicularWidth(axis) + 0.5 + 1e-9)) : 0;
        int rx = Range(0), ry = Range(1), rz = Range(2);
        var start = best;
        for (int i = -rx; i <= rx; i++)
        for (int j = -ry; j <= ry; j++)
        for (int k = -rz; k <= rz; k++)
        {
            var c = start + i * A + j * B + k * C;
            double n2 = c.Norm2;
            if (n2 < bestN2) { bestN2 = n2; best = c; }
        }
        return best;
    }

    /// <summary>The LAMMPS dump bounding box (xlo_bound ... ) for this cell, as LAMMPS documents it.</summary>
    public (double xloB, double xhiB, double yloB, double yhiB, double zloB, double zhiB) LammpsBoundingBox()
    {
        double xlo = Origin.X, ylo = Origin.Y, zlo = Origin.Z;
        double xhi = xlo + Lx, yhi = ylo + Ly, zhi = zlo + Lz;
        double xloB = xlo + Math.Min(Math.Min(0.0, Xy), Math.Min(Xz, Xy + Xz));
        double xhiB = xhi + Math.Max(Math.Max(0.0, Xy), Math.Max(Xz, Xy + Xz));
        double yloB = ylo + Math.Min(0.0, Yz);
        double yhiB = yhi + Math.Max(0.0, Yz);
        return (xloB, xhiB, yloB, yhiB, zlo, zhi);
    }

    /// <summary>The cell from a LAMMPS dump bounding box and tilt factors (the inverse of <see cref="LammpsBoundingBox"/>).</summary>
    public static Cell FromLammpsBoundingBox(double xloB, double xhiB, double yloB, double yhiB, double zloB, double zhiB,
        double xy, double xz, double yz, bool pa, bool pb, bool pc)
    {
        double xlo = xloB - Math.Min(Math.Min(0.0, xy), Math.Min(xz, xy + xz));
        double xhi = xhiB - Math.Max(Math.Max(0.0, xy), Math.Max(xz, xy + xz));
        double ylo = yloB - Math.Min(0.0, yz);
        double yhi = yhiB - Math.Max(0.0, yz);
        return new Cell(new Vec3(xlo, ylo, zloB), xhi - xlo, yhi - ylo, zhiB - zloB, xy, xz, yz, pa, pb, pc);
    }

    public override string ToString()
    {
        string p = string.Concat(Periodic.Select(x => x ? "p" : "f"));
        return IsTriclinic
            ? FormattableString.Invariant($"triclinic {Lx:G8} x {Ly:G8} x {Lz:G8} A, tilts xy={Xy:G6} xz={Xz:G6} yz={Yz:G6}, origin {Origin}, periodic {p}")
            : FormattableString.Invariant($"orthogonal {Lx:G8} x {Ly:G8} x {Lz:G8} A, origin {Origin}, periodic {p}");
    }
}

/// <summary>A cutoff (or search radius) that does not fit the periodic cell.</summary>
public sealed class CutoffTooLargeException(string message) : SoftspotException(message);
