using System.Globalization;
using Softspot.IO;
using Softspot.Labels;
using Softspot.Neighbours;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Labels;

public class NonAffineDisplacementTests
{
    private static readonly Snapshot Glass = ReferenceTable.Glass();

    /// <summary>x' = origin + F (x - origin), with the cell mapped by the same upper-triangular F (a LAMMPS cell stays one).</summary>
    private static Snapshot Affine(Snapshot s, double[,] f)
    {
        var o = s.Cell.Origin;
        var pos = s.Positions.Select(p =>
        {
            var d = p - o;
            return o + new Vec3(f[0, 0] * d.X + f[0, 1] * d.Y + f[0, 2] * d.Z, f[1, 1] * d.Y + f[1, 2] * d.Z, f[2, 2] * d.Z);
        }).ToArray();
        var c = s.Cell;
        var cell = new Cell(o, c.Lx * f[0, 0], c.Ly * f[1, 1], c.Lz * f[2, 2], f[0, 1] * c.Ly, f[0, 2] * c.Lz, f[1, 2] * c.Lz);
        return new Snapshot(cell, s.Ids, s.Types, pos) { Source = "affine", Elements = s.Elements };
    }

    [Fact]
    public void AnAffineDeformationHasNoNonAffineDisplacement()
    {
        double[,] f = { { 1.01, 0.08, -0.03 }, { 0, 0.98, 0.05 }, { 0, 0, 1.02 } };
        var r = NonAffineDisplacement.Compute(Glass, Affine(Glass, f));
        Assert.All(r.D2Min, d => Assert.InRange(d, 0, 1e-10));
        // the strain is the deformation's own, everywhere
        double expected = NonAffineDisplacement.VonMises([f[0, 0], f[0, 1], f[0, 2], f[1, 0], f[1, 1], f[1, 2], f[2, 0], f[2, 1], f[2, 2]]);
        Assert.All(r.ShearStrain, e => Assert.Equal(expected, e, 10));
        // simple shear gamma: von Mises strain of E = (F^T F - I)/2 is gamma/2 sqrt(1 + gamma^2/6) + ... check the pure case
        var shear = NonAffineDisplacement.Compute(Glass, Affine(Glass, new double[,] { { 1, 0.1, 0 }, { 0, 1, 0 }, { 0, 0, 1 } }));
        double g = 0.1, exx = 0, eyy = g * g / 2, exy = g / 2;
        Assert.All(shear.ShearStrain, e => Assert.Equal(Math.Sqrt(exy * exy + (exx - eyy) * (exx - eyy) / 6 + eyy * eyy / 6 + exx * exx / 6), e, 12));
    }

    [Fact]
    public void OneDisplacedAtomGivesTheAnalyticValues()
    {
        int k = 123;
        var u = new Vec3(0.11, -0.07, 0.05);
        var moved = Glass.Positions.ToArray();
        moved[k] += u;
        var deformed = new Snapshot(Glass.Cell, Glass.Ids, Glass.Types, moved) { Source = "moved" };
        const double cutoff = 5.0;
        var r = NonAffineDisplacement.Compute(Glass, deformed, cutoff);

        // independent neighbour vectors by brute force over the reference
        Vec3[] Bonds(int i) => Enumerable.Range(0, Glass.Count).Where(j => j != i)
            .Select(j => Glass.Cell.MinimumImage(Glass.Positions[j] - Glass.Positions[i])).Where(d => d.Norm < cutoff).ToArray();
        double[,] XInv(Vec3[] b)
        {
            var x = new double[3, 3];
            foreach (var d in b) for (int p = 0; p < 3; p++) for (int q = 0; q < 3; q++) x[p, q] += d[p] * d[q];
            var m = MathInverse(x);
            return m;
        }
        double Quad(double[,] m, Vec3 a, Vec3 b) { double s = 0; for (int p = 0; p < 3; p++) for (int q = 0; q < 3; q++) s += a[p] * m[p, q] * b[q]; return s; }

        // the displaced atom: |u|^2 (n - s^T X^-1 s), s = sum of its bonds
        var bk = Bonds(k);
        var sum = bk.Aggregate(Vec3.Zero, (a, b) => a + b);
        Assert.Equal(u.Norm2 * (bk.Length - Quad(XInv(bk), sum, sum)), r.D2Min[k], 12);
        // each neighbour i of k: |u|^2 (1 - d_ik^T X_i^-1 d_ik)
        int checkedNeighbours = 0;
        for (int i = 0; i < Glass.Count; i++)
        {
            if (i == k) continue;
            var dik = Glass.Cell.MinimumImage(Glass.Positions[k] - Glass.Positions[i]);
            if (dik.Norm >= cutoff) { Assert.InRange(r.D2Min[i], 0, 1e-20); continue; }
            Assert.Equal(u.Norm2 * (1 - Quad(XInv(Bonds(i)), dik, dik)), r.D2Min[i], 12);
            checkedNeighbours++;
        }
        Assert.True(checkedNeighbours > 20);
    }

    private static double[,] MathInverse(double[,] a)
    {
        double det = a[0, 0] * (a[1, 1] * a[2, 2] - a[1, 2] * a[2, 1]) - a[0, 1] * (a[1, 0] * a[2, 2] - a[1, 2] * a[2, 0]) + a[0, 2] * (a[1, 0] * a[2, 1] - a[1, 1] * a[2, 0]);
        var m = new double[3, 3];
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++)
            {
                int i1 = (j + 1) % 3, i2 = (j + 2) % 3, j1 = (i + 1) % 3, j2 = (i + 2) % 3;
                m[i, j] = (a[i1, j1] * a[i2, j2] - a[i1, j2] * a[i2, j1]) / det;
            }
        return m;
    }

    [Fact]
    public void AgreesWithAnIndependentNumpyImplementationOnTheShearedGlass()
    {
        string python = ExternalTool.Require("python3", "python3-numpy");
        if (File.Exists("/usr/bin/python3")) python = "/usr/bin/python3"; // Debian's, with python3-numpy
        string sheared = Paths.Data("CuZr_500_shear.dump");
        var frames = StructureFile.ReadFrames(sheared).ToList();
        Assert.True(frames.Count >= 3);
        using var dir = new TempDir();
        File.WriteAllText(dir.File("d2min.py"), NumpyScript);
        foreach (int f in new[] { 1, frames.Count - 1 })
        {
            var ours = NonAffineDisplacement.Compute(frames[0], frames[f]);
            string output = ExternalTool.Run(python, [dir.File("d2min.py"), sheared, "0", f.ToString(CultureInfo.InvariantCulture), "5.0"], dir.Path);
            var theirs = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).ToDictionary(
                x => long.Parse(x[0], CultureInfo.InvariantCulture), x => (D2: double.Parse(x[1], CultureInfo.InvariantCulture), Eta: double.Parse(x[2], CultureInfo.InvariantCulture)));
            Assert.Equal(frames[0].Count, theirs.Count);
            for (int i = 0; i < frames[0].Count; i++)
            {
                var t = theirs[frames[0].Ids[i]];
                Assert.True(Math.Abs(ours.D2Min[i] - t.D2) <= 1e-8 * Math.Abs(t.D2) + 1e-12, $"atom {frames[0].Ids[i]}: D2min {ours.D2Min[i]:R} vs numpy {t.D2:R}");
                Assert.True(Math.Abs(ours.ShearStrain[i] - t.Eta) <= 1e-8 * Math.Abs(t.Eta) + 1e-12, $"atom {frames[0].Ids[i]}: strain {ours.ShearStrain[i]:R} vs numpy {t.Eta:R}");
            }
        }
    }

    /// <summary>An independent D2min: numpy least squares (lstsq), brute-force neighbours, its own dump parser.</summary>
    private const string NumpyScript = """
import sys
import numpy as np

def frames(path):
    with open(path) as f:
        lines = f.read().split('\n')
    i, out = 0, []
    while i < len(lines) and lines[i].startswith('ITEM: TIMESTEP'):
        n = int(lines[i + 3])
        head = lines[i + 4].split()
        tri = 'xy' in head
        b = [list(map(float, lines[i + 5 + k].split())) for k in range(3)]
        xy, xz, yz = (b[0][2], b[1][2], b[2][2]) if tri else (0.0, 0.0, 0.0)
        xlo = b[0][0] - min(0.0, xy, xz, xy + xz); xhi = b[0][1] - max(0.0, xy, xz, xy + xz)
        ylo = b[1][0] - min(0.0, yz); yhi = b[1][1] - max(0.0, yz)
        zlo, zhi = b[2][0], b[2][1]
        h = np.array([[xhi - xlo, xy, xz], [0, yhi - ylo, yz], [0, 0, zhi - zlo]])
        cols = lines[i + 8].split()[2:]
        data = np.array([list(map(float, l.split())) for l in lines[i + 9:i + 9 + n]])
        ids = data[:, cols.index('id')].astype(int)
        x = data[:, [cols.index('x'), cols.index('y'), cols.index('z')]]
        order = np.argsort(ids)
        out.append((ids[order], x[order], h))
        i += 9 + n
    return out

def minimum_image(d, h):
    s = np.linalg.solve(h, d.T).T
    s -= np.round(s)
    return s @ h.T

fr = frames(sys.argv[1])
ids, x0, h0 = fr[int(sys.argv[2])]
_, x1, h1 = fr[int(sys.argv[3])]
rc = float(sys.argv[4])
for i in range(len(ids)):
    d0 = minimum_image(x0 - x0[i], h0)
    r = np.linalg.norm(d0, axis=1)
    nb = np.where((r < rc) & (np.arange(len(ids)) != i))[0]
    a = d0[nb]
    b = minimum_image(x1[nb] - x1[i], h1)
    jt, _, _, _ = np.linalg.lstsq(a, b, rcond=None)   # b ~ a J^T
    res = b - a @ jt
    J = jt.T
    E = 0.5 * (J.T @ J - np.eye(3))
    eta = np.sqrt(E[0,1]**2 + E[0,2]**2 + E[1,2]**2 + ((E[0,0]-E[1,1])**2 + (E[0,0]-E[2,2])**2 + (E[1,1]-E[2,2])**2) / 6)
    print(ids[i], repr(float((res**2).sum())), repr(float(eta)))
""";
}
