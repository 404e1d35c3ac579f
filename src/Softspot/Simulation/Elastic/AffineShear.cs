using System.Globalization;
using Softspot.Structures;

namespace Softspot.Simulation.Elastic;

/// <summary>The three simple-shear planes of a restricted-triclinic cell, named by the tilt factor they change.</summary>
public enum ShearPlane
{
    /// <summary>x displaced in proportion to y: deformation gradient I + gamma e_x (x) e_y.</summary>
    Xy,
    /// <summary>x displaced in proportion to z: deformation gradient I + gamma e_x (x) e_z.</summary>
    Xz,
    /// <summary>y displaced in proportion to z: deformation gradient I + gamma e_y (x) e_z.</summary>
    Yz,
}

/// <summary>
/// A homogeneous (affine) simple shear of a periodic structure, cell and atoms together: the deformation gradient
/// F = I + gamma e_a (x) e_b for the plane ab, applied to every cell vector and to every atom's position relative
/// to the cell origin. gamma is the engineering shear strain: xy moves each atom by gamma (y - ylo) along x, xz by
/// gamma (z - zlo) along x, yz by gamma (z - zlo) along y. The cell's tilt of the plane grows by gamma Ly (xy) or
/// gamma Lz (xz, yz); for xy on a cell with a yz tilt, xz also grows by gamma yz (F maps c = (xz, yz, Lz) to
/// (xz + gamma yz, yz, Lz)). LAMMPS does the same with <see cref="ChangeBoxCommand"/> (change_box ... remap keeps
/// fractional coordinates, so xy alone would also shear along z when yz is not 0). The energy derivative is then
/// dE/dgamma = V sigma_ab exactly (sigma the cell stress).
/// </summary>
public static class AffineShear
{
    /// <summary>The structure sheared by <paramref name="strain"/> on <paramref name="plane"/> (unwrapped positions stay unwrapped).</summary>
    public static Snapshot Apply(Snapshot structure, ShearPlane plane, double strain)
    {
        var cell = Sheared(structure.Cell, plane, strain);
        var o = structure.Cell.Origin;
        var positions = structure.Positions.Select(p => plane switch
        {
            ShearPlane.Xy => new Vec3(p.X + strain * (p.Y - o.Y), p.Y, p.Z),
            ShearPlane.Xz => new Vec3(p.X + strain * (p.Z - o.Z), p.Y, p.Z),
            _ => new Vec3(p.X, p.Y + strain * (p.Z - o.Z), p.Z),
        }).ToArray();
        return new Snapshot(cell, structure.Ids, structure.Types, positions) { Elements = structure.Elements, Source = structure.Source };
    }

    /// <summary>The cell sheared by <paramref name="strain"/> on <paramref name="plane"/>: F applied to its three vectors.</summary>
    public static Cell Sheared(Cell c, ShearPlane plane, double strain)
    {
        if (!double.IsFinite(strain)) throw new ArgumentOutOfRangeException(nameof(strain), "the shear strain must be finite");
        var (xy, xz, yz) = Tilts(c, plane, strain);
        return new Cell(c.Origin, c.Lx, c.Ly, c.Lz, xy, xz, yz, c.Periodic[0], c.Periodic[1], c.Periodic[2]);
    }

    /// <summary>
    /// The LAMMPS command that applies the same shear to a triclinic box and its atoms:
    /// <c>change_box all xy delta (gamma Ly) [xz delta (gamma yz)] remap units box</c>, or xz / yz delta gamma Lz.
    /// </summary>
    public static string ChangeBoxCommand(Cell c, ShearPlane plane, double strain)
    {
        var (xy, xz, yz) = Tilts(c, plane, strain);
        var ic = CultureInfo.InvariantCulture;
        string changes = plane switch
        {
            ShearPlane.Xy => string.Create(ic, $"xy delta {xy - c.Xy:R}") + (c.Yz != 0 ? string.Create(ic, $" xz delta {xz - c.Xz:R}") : ""),
            ShearPlane.Xz => string.Create(ic, $"xz delta {xz - c.Xz:R}"),
            _ => string.Create(ic, $"yz delta {yz - c.Yz:R}"),
        };
        return $"change_box all {changes} remap units box";
    }

    private static (double Xy, double Xz, double Yz) Tilts(Cell c, ShearPlane plane, double strain) => plane switch
    {
        ShearPlane.Xy => (c.Xy + strain * c.Ly, c.Xz + strain * c.Yz, c.Yz),
        ShearPlane.Xz => (c.Xy, c.Xz + strain * c.Lz, c.Yz),
        ShearPlane.Yz => (c.Xy, c.Xz, c.Yz + strain * c.Lz),
        _ => throw new ArgumentOutOfRangeException(nameof(plane)),
    };
}
