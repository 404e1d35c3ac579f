using Softspot.Descriptors;
using Softspot.Descriptors.Geometry;
using Softspot.Structures;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// The analytic packing cases of descriptor-spec.md A.6 (the reference's own unit tests), computed with the hull
/// and triangle geometry the interstice and packing descriptors use.
/// </summary>
public class PackingAnalyticTests
{
    private static (ShellTriangle[] Triangles, double Cpe) Shell(Vec3[] shell, double r)
    {
        var hull = new ConvexHull();
        Assert.True(hull.Build(shell));
        var tris = hull.Triangles.Select(t => new ShellTriangle(shell[t.A], shell[t.B], shell[t.C], r, r, r, r)).ToArray();
        double volume = tris.Sum(t => t.SignedVolume);
        double cpe = (4.0 / 3.0 * Math.PI * r * r * r + tris.Sum(t => t.ShellSolidAngleR3) / 3) / volume;
        return (tris, cpe);
    }

    [Fact]
    public void BccCube()
    {
        // centre (1/2, 1/2, 1/2) and the 8 corners of the unit cube, all radii sqrt(3)/4
        var corners = Enumerable.Range(0, 8).Select(i => new Vec3((i & 1) - 0.5, ((i >> 1) & 1) - 0.5, ((i >> 2) & 1) - 0.5)).ToArray();
        double r = Math.Sqrt(3) / 4;
        var (tris, cpe) = Shell(corners, r);
        Assert.Equal(12, tris.Length); // 6 squares, 2 triangles each
        Assert.Equal(1.0, tris.Sum(t => t.TetVolume), 12);
        foreach (var t in tris)
        {
            Assert.Equal(0.31982523841216826, t.VolumeInterstice, 12);
            Assert.Equal(0.4109513774519138, t.AreaInterstice, 12);
        }
        Assert.Equal(0.6801747615878317, cpe, 12);
        Assert.Equal(Math.PI * Math.Sqrt(3) / 8, cpe, 12); // the bcc packing fraction
        Assert.Equal(0.383483, AtomicPackingEfficiency.Of(r, r, 8), 6);
    }

    [Fact]
    public void FccShell()
    {
        // centre at the origin, its 12 nearest neighbours at distance 1, touching spheres (the reference's a = 2 shell scaled by 1/sqrt 2)
        double h = Math.Sqrt(0.5);
        var shell = new List<Vec3>();
        foreach (int s1 in new[] { -1, 1 })
            foreach (int s2 in new[] { -1, 1 })
            {
                shell.Add(new Vec3(s1 * h, s2 * h, 0)); shell.Add(new Vec3(s1 * h, 0, s2 * h)); shell.Add(new Vec3(0, s1 * h, s2 * h));
            }
        double r = 0.5; // half the nearest-neighbour distance (the reference's sqrt(2)/2 with a = 2 cube edge)
        var (tris, cpe) = Shell(shell.ToArray(), r);
        Assert.Equal(8 + 6 * 2, tris.Length); // 8 triangles, 6 squares split in two
        Assert.Equal(Math.Sqrt(2) * 5.0 / 3.0, tris.Sum(t => t.TetVolume), 12); // cuboctahedron of edge 1
        // Decision (descriptor-spec.md A.6): the spec lists volume interstices {0.27909705048253486, 0.2203644299557469,
        // 0.24973074021914088}, area interstices {0.2146018366025515, 0.09310031788289075, 0.44463963273020424} and
        // CPE 0.7437434130556606 for this shell. The spec's own formulas on the exact shell, evaluated independently
        // with Qhull (scipy) and numpy, give exactly two values of each (equilateral faces and half-squares) and CPE
        // 0.7443959977281805; the third values and that CPE are not reproducible from the definition (the reference's
        // test fixture is not the exact shell). We follow the definition and test against the independent evaluation.
        var volumes = tris.Select(t => Math.Round(t.VolumeInterstice, 12)).Distinct().OrderBy(v => v).ToArray();
        var areas = tris.Select(t => Math.Round(t.AreaInterstice, 12)).Distinct().OrderBy(v => v).ToArray();
        Assert.Equal([0.220364429956, 0.279097050483], volumes);
        Assert.Equal([0.093100317883, 0.214601836603], areas);
        Assert.Contains(Math.Round(0.2203644299557469, 12), volumes); // the spec's values that the definition gives
        Assert.Contains(Math.Round(0.27909705048253486, 12), volumes);
        Assert.Contains(Math.Round(0.2146018366025515, 12), areas);
        Assert.Contains(Math.Round(0.09310031788289075, 12), areas);
        Assert.Equal(0.7443959977281805, cpe, 12);
        Assert.Equal(0.097887, AtomicPackingEfficiency.Of(r, r, 12), 6);
    }
}
