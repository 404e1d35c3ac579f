using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Labels;

/// <summary>Per-atom D2min (A^2), von Mises shear strain and the number of reference neighbours used.</summary>
/// <param name="D2Min">D2min of each reference atom (A^2; NaN: too few neighbours).</param>
/// <param name="ShearStrain">The von Mises shear strain of each atom's best affine deformation.</param>
/// <param name="Neighbours">The reference neighbours each atom's D2min used.</param>
public sealed record NonAffineResult(double[] D2Min, double[] ShearStrain, int[] Neighbours)
{
    /// <summary>Atoms whose neighbours span no volume (fewer than 3 independent bonds): D2min and strain are NaN.</summary>
    public int Undefined => D2Min.Count(double.IsNaN);
}

/// <summary>
/// A reference structure prepared for D2min: its bonds (neighbours within <see cref="Cutoff"/>), found once and used
/// for every deformed frame of a series.
/// </summary>
public sealed class NonAffineReference
{
    /// <summary>The reference structure.</summary>
    public Snapshot Snapshot { get; }
    /// <summary>The neighbour cutoff (A).</summary>
    public double Cutoff { get; }
    /// <summary>Every atom's neighbours within <see cref="Cutoff"/> in the reference (the bonds d0).</summary>
    public NeighbourList Neighbours { get; }

    /// <summary>Finds the reference's bonds on <paramref name="threads"/> threads (default: every core).</summary>
    public NonAffineReference(Snapshot reference, double cutoff = 5.0, int? threads = null)
    {
        if (!(cutoff > 0)) throw new ArgumentOutOfRangeException(nameof(cutoff), "the D2min cutoff must be positive");
        Snapshot = reference;
        Cutoff = cutoff;
        Neighbours = NeighbourSearch.WithinCutoff(reference, cutoff, Parallelism.Resolve(threads));
    }
}

/// <summary>
/// Non-affine squared displacement D2min (Falk and Langer, PRE 57, 7192 (1998)), as OVITO computes it: for each
/// atom, the best local affine map J (least squares) from its reference bond vectors d0 (neighbours within the
/// cutoff in the reference snapshot) to the same bonds in the deformed snapshot d1, and D2min = sum |d1 - J d0|^2
/// (unnormalised, A^2). The von Mises shear strain comes from the Green-Lagrange strain E = (J^T J - I)/2:
/// sqrt(E_xy^2 + E_xz^2 + E_yz^2 + ((E_xx-E_yy)^2 + (E_xx-E_zz)^2 + (E_yy-E_zz)^2)/6). Atoms are matched by id, and
/// each snapshot's own cell gives its minimum-image bond vectors, so sheared triclinic cells are right.
/// </summary>
public static class NonAffineDisplacement
{
    /// <summary>D2min below this (A^2) is rounding, not rearrangement: plastic-site rules never label it.</summary>
    public const double NoiseFloor = 1e-10;

    /// <summary>D2min and strain of every atom of <paramref name="reference"/>, on <paramref name="threads"/> threads (default: every core).</summary>
    public static NonAffineResult Compute(Snapshot reference, Snapshot deformed, double cutoff = 5.0, int? threads = null) =>
        Compute(new NonAffineReference(reference, cutoff, threads), deformed, threads);

    /// <summary>
    /// D2min and strain of every atom of a prepared reference (its neighbour list built once, for a whole shear
    /// series), on <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static NonAffineResult Compute(NonAffineReference prepared, Snapshot deformed, int? threads = null)
    {
        int t = Parallelism.Resolve(threads);
        var reference = prepared.Snapshot;
        var map = MatchIds(reference, deformed);
        var neighbours = prepared.Neighbours;
        int n = reference.Count;
        var d2 = new double[n]; var strain = new double[n]; var count = new int[n];
        var cell = deformed.Cell;
        Parallelism.MapChunks(n, 1024, t, (start, end) =>
        {
            Span<double> x = stackalloc double[9], y = stackalloc double[9], inv = stackalloc double[9], j = stackalloc double[9];
            for (int i = start; i < end; i++)
            {
                x.Clear(); y.Clear();
                int s0 = neighbours.Offsets[i], s1 = neighbours.Offsets[i + 1];
                count[i] = s1 - s0;
                var pi = deformed.Positions[map[i]];
                for (int k = s0; k < s1; k++)
                {
                    var d0 = neighbours.Vectors[k];
                    var d1 = cell.MinimumImage(deformed.Positions[map[neighbours.Index[k]]] - pi);
                    AddOuter(x, d0, d0); AddOuter(y, d1, d0);
                }
                if (!Invert(x, inv)) { d2[i] = double.NaN; strain[i] = double.NaN; continue; }
                Multiply(y, inv, j); // J = Y X^-1
                double sum = 0;
                for (int k = s0; k < s1; k++)
                {
                    var d0 = neighbours.Vectors[k];
                    var d1 = cell.MinimumImage(deformed.Positions[map[neighbours.Index[k]]] - pi);
                    double rx = d1.X - (j[0] * d0.X + j[1] * d0.Y + j[2] * d0.Z);
                    double ry = d1.Y - (j[3] * d0.X + j[4] * d0.Y + j[5] * d0.Z);
                    double rz = d1.Z - (j[6] * d0.X + j[7] * d0.Y + j[8] * d0.Z);
                    sum += rx * rx + ry * ry + rz * rz;
                }
                d2[i] = sum;
                strain[i] = VonMises(j);
            }
            return 0;
        });
        return new NonAffineResult(d2, strain, count);
    }

    /// <summary>For each reference atom, the index of the atom with the same id in the deformed snapshot.</summary>
    private static int[] MatchIds(Snapshot reference, Snapshot deformed)
    {
        if (reference.Count != deformed.Count)
            throw new InputFormatException(deformed.Source ?? "deformed", 0, InputProblem.AtomCount,
                $"frame {deformed.Frame} has {deformed.Count} atoms but the reference ({reference.Source}) has {reference.Count}");
        var byId = deformed.IndexById();
        var map = new int[reference.Count];
        for (int i = 0; i < reference.Count; i++)
            if (!byId.TryGetValue(reference.Ids[i], out map[i]))
                throw new InputFormatException(deformed.Source ?? "deformed", 0, InputProblem.AtomCount,
                    $"frame {deformed.Frame} has no atom with id {reference.Ids[i]}, which the reference ({reference.Source}) has");
        return map;
    }

    private static void AddOuter(Span<double> m, Vec3 a, Vec3 b)
    {
        m[0] += a.X * b.X; m[1] += a.X * b.Y; m[2] += a.X * b.Z;
        m[3] += a.Y * b.X; m[4] += a.Y * b.Y; m[5] += a.Y * b.Z;
        m[6] += a.Z * b.X; m[7] += a.Z * b.Y; m[8] += a.Z * b.Z;
    }

    private static void Multiply(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c)
    {
        for (int r = 0; r < 3; r++)
            for (int col = 0; col < 3; col++)
                c[3 * r + col] = a[3 * r] * b[col] + a[3 * r + 1] * b[3 + col] + a[3 * r + 2] * b[6 + col];
    }

    /// <summary>Inverse of a symmetric positive semi-definite 3x3 matrix; false when (nearly) singular.</summary>
    private static bool Invert(ReadOnlySpan<double> m, Span<double> inv)
    {
        double c00 = m[4] * m[8] - m[5] * m[7], c01 = m[5] * m[6] - m[3] * m[8], c02 = m[3] * m[7] - m[4] * m[6];
        double det = m[0] * c00 + m[1] * c01 + m[2] * c02;
        double scale = m[0] + m[4] + m[8];
        if (!(Math.Abs(det) > 1e-12 * scale * scale * scale)) return false;
        double r = 1 / det;
        inv[0] = c00 * r; inv[1] = (m[2] * m[7] - m[1] * m[8]) * r; inv[2] = (m[1] * m[5] - m[2] * m[4]) * r;
        inv[3] = c01 * r; inv[4] = (m[0] * m[8] - m[2] * m[6]) * r; inv[5] = (m[2] * m[3] - m[0] * m[5]) * r;
        inv[6] = c02 * r; inv[7] = (m[1] * m[6] - m[0] * m[7]) * r; inv[8] = (m[0] * m[4] - m[1] * m[3]) * r;
        return true;
    }

    /// <summary>Von Mises shear strain of the Green-Lagrange strain of J (Shimizu, Ogata and Li 2007; as OVITO).</summary>
    public static double VonMises(ReadOnlySpan<double> j)
    {
        Span<double> e = stackalloc double[9];
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                e[3 * r + c] = 0.5 * (j[r] * j[c] + j[3 + r] * j[3 + c] + j[6 + r] * j[6 + c] - (r == c ? 1 : 0));
        double xx = e[0], yy = e[4], zz = e[8], xy = e[1], xz = e[2], yz = e[5];
        return Math.Sqrt(xy * xy + xz * xz + yz * yz + ((xx - yy) * (xx - yy) + (xx - zz) * (xx - zz) + (yy - zz) * (yy - zz)) / 6);
    }

    /// <summary>The engineering shear strains of the cell relative to the reference: Delta xy / ly, Delta xz / lz, Delta yz / lz.</summary>
    public static (double Xy, double Xz, double Yz) CellShear(Cell reference, Cell deformed) =>
        ((deformed.Xy - reference.Xy) / reference.Ly, (deformed.Xz - reference.Xz) / reference.Lz, (deformed.Yz - reference.Yz) / reference.Lz);
}
