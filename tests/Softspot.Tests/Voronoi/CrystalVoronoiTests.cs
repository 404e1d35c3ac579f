using System.Globalization;
using Softspot.Structures;
using Softspot.Tests.Neighbours;
using Softspot.Voronoi;

namespace Softspot.Tests.Voronoi;

/// <summary>
/// Perfect crystals: the most degenerate input (four or more bisector planes through one vertex, planes touching the
/// cell in a point or an edge; amlearn crashes there). Every cell must be the exact polyhedron:
/// fcc rhombic dodecahedron (12 rhombi, volume a^3/4, rhombus diagonals a/sqrt2 and a/2, area a^2 sqrt2/8),
/// bcc truncated octahedron (6 squares of area a^2/8 at distance a, 8 regular hexagons of area 3 sqrt3 a^2/16 at
/// distance a sqrt3/2, volume a^3/2), sc cube (6 squares a^2, volume a^3). No zero-area faces from the planes that
/// only touch the cell (fcc second shell at the 4-fold vertices, sc second and third shells along edges and corners).
/// </summary>
public class CrystalVoronoiTests
{
    private const double Rel = 1e-12;

    /// <summary>Expected faces: neighbour-vector shell (distance), area, edges.</summary>
    private sealed record Shell(double Distance, double Area, int Edges, Vec3[] Vectors);

    private sealed record Expectation(double Volume, int[] Index, int Coordination, Shell[] Shells);

    private static Vec3[] Permutations(double p, double q, double r)
    {
        var set = new List<Vec3>();
        double[] v = [p, q, r];
        int[][] perms = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        foreach (var pm in perms)
            for (int signs = 0; signs < 8; signs++)
            {
                var w = new Vec3((signs & 1) != 0 ? -v[pm[0]] : v[pm[0]], (signs & 2) != 0 ? -v[pm[1]] : v[pm[1]], (signs & 4) != 0 ? -v[pm[2]] : v[pm[2]]);
                if (!set.Any(x => (x - w).Norm2 < 1e-20)) set.Add(w);
            }
        return set.ToArray();
    }

    private static Expectation Expected(string lattice, double a) => lattice switch
    {
        "fcc" => new(a * a * a / 4, [0, 12, 0, 0, 0], 12,
            [new(a / Math.Sqrt(2), a * a * Math.Sqrt(2) / 8, 4, Permutations(a / 2, a / 2, 0))]),
        "bcc" => new(a * a * a / 2, [0, 6, 0, 8, 0], 14,
            [new(a * Math.Sqrt(3) / 2, 3 * Math.Sqrt(3) * a * a / 16, 6, Permutations(a / 2, a / 2, a / 2)),
             new(a, a * a / 8, 4, Permutations(a, 0, 0))]),
        "sc" => new(a * a * a, [0, 6, 0, 0, 0], 6, [new(a, a * a, 4, Permutations(a, 0, 0))]),
        _ => throw new ArgumentOutOfRangeException(nameof(lattice)),
    };

    private static double LatticeConstant(string lattice) => lattice switch { "fcc" => 4.066, "bcc" => 2.9, _ => 2.5 };

    public static TheoryData<string> Lattices => new() { "fcc", "bcc", "sc" };

    [Theory]
    [MemberData(nameof(Lattices))]
    public void OrthogonalCrystalHasExactCells(string lattice)
    {
        double a = LatticeConstant(lattice);
        var s = TestSystems.CubicCrystal(lattice, a, 4);
        AssertExactCells(s, Expected(lattice, a));
    }

    [Theory]
    [MemberData(nameof(Lattices))]
    public void OffsetCrystalHasExactCells(string lattice)
    {
        // the cell origin and the lattice are both moved off zero, by different amounts: atoms sit at arbitrary
        // fractional coordinates and several of them wrap across the cell boundary
        double a = LatticeConstant(lattice);
        var s = TestSystems.CubicCrystal(lattice, a, 4, origin: new Vec3(0.37, -1.21, 2.05), latticeOffset: new Vec3(0.113, 0.291, -0.437));
        AssertExactCells(s, Expected(lattice, a));
    }

    /// <summary>Triclinic cells whose edge vectors are lattice vectors (so the crystal is still perfect).</summary>
    public static TheoryData<string, double, double, double, double, double, double> TiltedCells => new()
    {
        // fcc: lattice vectors are multiples of a/2 with an even coordinate sum
        { "fcc", 4, 4, 4, 1.0, 0.5, -1.5 },
        // bcc: multiples of a/2 with all coordinates of equal parity
        { "bcc", 4, 4, 3.5, 1.0, 0.5, -1.5 },
        // sc: multiples of a
        { "sc", 4, 4, 4, 1.0, -1.0, 1.0 },
    };

    [Theory]
    [MemberData(nameof(TiltedCells))]
    public void TriclinicCrystalHasExactCells(string lattice, double lx, double ly, double lz, double xy, double xz, double yz)
    {
        double a = LatticeConstant(lattice);
        var cell = new Cell(new Vec3(-0.61, 0.23, 1.07), lx * a, ly * a, lz * a, xy * a, xz * a, yz * a);
        Assert.True(cell.IsTriclinic);
        var s = TestSystems.LatticeInCell(cell, lattice, a, latticeOffset: new Vec3(0.05, -0.02, 0.31));
        AssertExactCells(s, Expected(lattice, a));
    }

    private static void AssertExactCells(Snapshot s, Expectation e)
    {
        var inv = CultureInfo.InvariantCulture;
        var t = VoronoiTessellator.Compute(s);
        Assert.Equal(s.Count, t.AtomCount);
        double total = 0;
        for (int i = 0; i < s.Count; i++)
        {
            long id = s.Ids[i];
            Assert.True(Math.Abs(t.Volume[i] - e.Volume) <= Rel * e.Volume, string.Format(inv, "atom {0}: volume {1:R}, exact {2:R}", id, t.Volume[i], e.Volume));
            Assert.True(e.Index.SequenceEqual(t.VoronoiIndex(i)), $"atom {id}: Voronoi index <{string.Join(",", t.VoronoiIndex(i))}>, expected <{string.Join(",", e.Index)}>; face areas {string.Join(" ", Enumerable.Range(t.FaceOffsets[i], t.FaceCount(i)).Select(f => t.Area[f].ToString("G6", inv)))}");
            Assert.Equal(e.Coordination, t.Coordination(i));
            Assert.Equal(e.Coordination, t.FaceCount(i));
            var seen = new HashSet<(int, int)>();
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                var v = t.NeighbourVector[f];
                int shell = Array.FindIndex(e.Shells, sh => Math.Abs(v.Norm - sh.Distance) < 1e-9);
                Assert.True(shell >= 0, $"atom {id}: face with neighbour vector {v} is not in a nearest shell");
                var sh = e.Shells[shell];
                int which = Array.FindIndex(sh.Vectors, w => (w - v).Norm < 1e-9);
                Assert.True(which >= 0, $"atom {id}: neighbour vector {v} is not a lattice vector of the shell");
                Assert.True(seen.Add((shell, which)), $"atom {id}: two faces with neighbour vector {v}");
                Assert.True(Math.Abs(t.Area[f] - sh.Area) <= Rel * sh.Area, string.Format(inv, "atom {0} face {1}: area {2:R}, exact {3:R}", id, v, t.Area[f], sh.Area));
                Assert.Equal(sh.Edges, t.Edges[f]);
                double pyramid = sh.Area * sh.Distance / 6;
                Assert.True(Math.Abs(t.PyramidVolume[f] - pyramid) <= Rel * pyramid, string.Format(inv, "atom {0} face {1}: pyramid {2:R}, exact {3:R}", id, v, t.PyramidVolume[f], pyramid));
                // the neighbour really is the atom at that lattice vector (modulo the cell)
                int j = t.Neighbour[f];
                Assert.InRange(j, 0, s.Count - 1);
                var miss = s.Cell.MinimumImage(s.Positions[j] - s.Positions[i] - v);
                Assert.True(miss.Norm < 1e-9, $"atom {id}: neighbour {s.Ids[j]} is not at {v} (off by {miss})");
            }
            total += t.Volume[i];
        }
        Assert.True(Math.Abs(total - s.Cell.Volume) <= Rel * s.Cell.Volume, string.Format(inv, "sum of volumes {0:R}, cell {1:R}", total, s.Cell.Volume));
    }

    /// <summary>
    /// Radical (power) tessellation of a B2 (CsCl) crystal, A at the cube corners with radius rA, B at the centres
    /// with rB. The power plane between A and B (distance d = a sqrt3/2) lies at x_A = (d^2 + rA^2 - rB^2) / 2d from
    /// A (x_B = d - x_A from B); like atoms are a apart with equal radii, so their planes stay at a/2. Each cell is the
    /// cube |x_k| &lt;= a/2 cut by the octahedron |x|+|y|+|z| &lt;= t, t = sqrt3 x. For a/2 &lt;= t &lt;= a the six square
    /// faces are diamonds of half-diagonal s = t - a/2 (area 2 s^2) and the eight faces on the octahedron are the
    /// triangles of side t sqrt2 with their corners cut (hexagons of area sqrt3/2 (t^2 - 3 s^2)), so
    /// V = 2 a s^2 + 4/3 t (t^2 - 3 s^2), and V_A + V_B = a^3.
    /// </summary>
    [Fact]
    public void RadicalB2CrystalHasAnalyticPowerCells()
    {
        const double a = 3.0, rA = 1.58, rB = 1.26;
        var s = TestSystems.CubicCrystal("bcc", a, 4, origin: new Vec3(0.2, -0.3, 0.1), typePerBasis: true); // type 1 = A (corners), 2 = B (centres)
        Assert.Equal(64, s.Types.Count(x => x == 2));
        double d = a * Math.Sqrt(3) / 2;
        double xA = (d * d + rA * rA - rB * rB) / (2 * d), xB = d - xA;
        (double Volume, double Square, double Hexagon) Cell(double x)
        {
            double t = Math.Sqrt(3) * x, sq = t - a / 2;
            Assert.InRange(t, a / 2, a); // the regime of the formula
            return (2 * a * sq * sq + 4.0 / 3 * t * (t * t - 3 * sq * sq), 2 * sq * sq, Math.Sqrt(3) / 2 * (t * t - 3 * sq * sq));
        }
        var cA = Cell(xA); var cB = Cell(xB);
        Assert.InRange(cA.Volume + cB.Volume, a * a * a * (1 - Rel), a * a * a * (1 + Rel));
        Assert.True(cA.Volume > 17.5 && cB.Volume < 9.5); // clearly not the plain bcc 13.5 / 13.5

        var t = VoronoiTessellator.Compute(s, new VoronoiOptions { RadiusByType = [0, rA, rB] });
        var inv = CultureInfo.InvariantCulture;
        for (int i = 0; i < s.Count; i++)
        {
            bool isA = s.Types[i] == 1;
            var c = isA ? cA : cB;
            double x = isA ? xA : xB;
            Assert.True(Math.Abs(t.Volume[i] - c.Volume) <= Rel * c.Volume, string.Format(inv, "atom {0} ({1}): volume {2:R}, exact {3:R}", s.Ids[i], isA ? "A" : "B", t.Volume[i], c.Volume));
            Assert.Equal([0, 6, 0, 8, 0], t.VoronoiIndex(i));
            Assert.Equal(14, t.FaceCount(i));
            for (int f = t.FaceOffsets[i]; f < t.FaceOffsets[i + 1]; f++)
            {
                int j = t.Neighbour[f];
                bool unlike = s.Types[j] != s.Types[i];
                double dist = t.Distance(f);
                Assert.InRange(dist, (unlike ? d : a) - 1e-9, (unlike ? d : a) + 1e-9);
                double area = unlike ? c.Hexagon : c.Square, height = unlike ? x : a / 2;
                Assert.True(Math.Abs(t.Area[f] - area) <= Rel * area, string.Format(inv, "atom {0} face to {1}: area {2:R}, exact {3:R}", s.Ids[i], s.Ids[j], t.Area[f], area));
                Assert.Equal(unlike ? 6 : 4, t.Edges[f]);
                double pyramid = area * height / 3;
                Assert.True(Math.Abs(t.PyramidVolume[f] - pyramid) <= Rel * pyramid, string.Format(inv, "atom {0} face to {1}: pyramid {2:R}, exact {3:R}", s.Ids[i], s.Ids[j], t.PyramidVolume[f], pyramid));
            }
        }
        Assert.True(Math.Abs(t.Volume.Sum() - s.Cell.Volume) <= Rel * s.Cell.Volume);
    }
}
