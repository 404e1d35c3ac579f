using Softspot.Structures;

namespace Softspot.Descriptors.Geometry;

/// <summary>
/// The packing of one hull triangle (a, b, c) of a neighbour shell around a centre O at the origin, with atomic
/// radii (descriptor-spec.md B.9, B.10): the triangle's area and how much of it the three atoms' discs cover, the
/// tetrahedron (O, a, b, c)'s volume and how much of it the four atoms' spheres fill, and the solid angles at the
/// shell atoms.
/// </summary>
public readonly struct ShellTriangle
{
    /// <summary>Triangle area (A^2).</summary>
    public readonly double Area;
    /// <summary>Area interstice eta = max(0, 1 - covered / area).</summary>
    public readonly double AreaInterstice;
    /// <summary>Tetrahedron volume |det(a, b, c)| / 6 (A^3).</summary>
    public readonly double TetVolume;
    /// <summary>Signed volume a.(b x c) / 6: sums to the hull volume over outward triangles.</summary>
    public readonly double SignedVolume;
    /// <summary>Volume interstice xi = max(0, 1 - filled / volume).</summary>
    public readonly double VolumeInterstice;
    /// <summary>Sum over a, b, c of (solid angle at the atom in the tetrahedron) x R^3 (for the cluster packing efficiency).</summary>
    public readonly double ShellSolidAngleR3;

    public ShellTriangle(Vec3 a, Vec3 b, Vec3 c, double ra, double rb, double rc, double ro)
    {
        var ab = b - a; var ac = c - a; var bc = c - b;
        double la = a.Norm, lb = b.Norm, lc = c.Norm, lab = ab.Norm, lac = ac.Norm, lbc = bc.Norm;
        Area = 0.5 * ab.Cross(ac).Norm;
        // interior angles of the triangle (they sum to pi)
        double alphaA = Math.Acos(Math.Clamp(ab.Dot(ac) / (lab * lac), -1, 1));
        double alphaB = Math.Acos(Math.Clamp(-ab.Dot(bc) / (lab * lbc), -1, 1));
        double alphaC = Math.PI - alphaA - alphaB;
        double covered = 0.5 * (alphaA * ra * ra + alphaB * rb * rb + alphaC * rc * rc);
        AreaInterstice = Area > 0 ? Math.Max(0, 1 - covered / Area) : 0;

        double det = a.Dot(b.Cross(c));
        SignedVolume = det / 6;
        TetVolume = Math.Abs(SignedVolume);
        // solid angles (Van Oosterom and Strackee): the triple product is |det| at every vertex of the tetrahedron
        double triple = Math.Abs(det);
        double ad = ab.Dot(a), acd = ac.Dot(a), bb = ab.Dot(b), bcb = bc.Dot(b), acc = ac.Dot(c), bcc = bc.Dot(c);
        double abac = ab.Dot(ac), abbc = ab.Dot(bc), acbc = ac.Dot(bc);
        double oa = SolidAngleFrom(triple, lab, lac, la, abac, -ad, -acd);
        double ob = SolidAngleFrom(triple, lab, lbc, lb, -abbc, bb, -bcb);
        double oc = SolidAngleFrom(triple, lac, lbc, lc, acbc, acc, bcc);
        double oo = SolidAngleFrom(triple, la, lb, lc, a.Dot(b), a.Dot(c), b.Dot(c));
        ShellSolidAngleR3 = oa * ra * ra * ra + ob * rb * rb * rb + oc * rc * rc * rc;
        double filled = (ShellSolidAngleR3 + oo * ro * ro * ro) / 3;
        VolumeInterstice = TetVolume > 0 ? Math.Max(0, 1 - filled / TetVolume) : 0;
    }

    /// <summary>Solid angle from |u.(v x w)|, the lengths of u, v, w and their dot products.</summary>
    private static double SolidAngleFrom(double triple, double lu, double lv, double lw, double uv, double uw, double vw) =>
        2 * Math.Atan2(triple, lu * lv * lw + uv * lw + uw * lv + vw * lu);

    /// <summary>The angle between two vectors (radians).</summary>
    public static double Angle(Vec3 u, Vec3 v)
    {
        double c = u.Dot(v) / Math.Sqrt(u.Norm2 * v.Norm2);
        return Math.Acos(Math.Clamp(c, -1, 1));
    }

    /// <summary>Solid angle of the triangle spanned by edge vectors u, v, w from a vertex (Van Oosterom and Strackee).</summary>
    public static double SolidAngle(Vec3 u, Vec3 v, Vec3 w)
    {
        double lu = u.Norm, lv = v.Norm, lw = w.Norm;
        double numerator = Math.Abs(u.Dot(v.Cross(w)));
        double denominator = lu * lv * lw + u.Dot(v) * lw + u.Dot(w) * lv + v.Dot(w) * lu;
        return 2 * Math.Atan2(numerator, denominator);
    }
}
