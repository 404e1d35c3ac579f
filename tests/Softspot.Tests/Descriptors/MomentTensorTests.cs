using System.IO.Compression;
using System.Text.Json;
using Xunit.Abstractions;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// Moment tensor descriptors against MLIP (shared/reference/table1/mtp-mlip, from github.com/imw-md/motep, MIT): the
/// energies MLIP recorded for 1001 configurations of a one-species crystal (out.cfg.gz) recomputed from the level-20
/// basis and the fitted potential pot.mtp, E = Σ_i (species coefficient + Σ_α ξ_α B_α(i)), which weighs every one of
/// the 288 basis functions; the 288 evaluated independently by full tensor contraction from motep's contraction tree
/// (moments_level20.json); invariance under rotation, translation and renumbering on a glass; the preset.
/// </summary>
public class MomentTensorTests(ITestOutputHelper output)
{
    private static string Mlip(string name) => Paths.Reference(Path.Combine("table1", "mtp-mlip", name));

    private static readonly Lazy<MtpFile> Potential = new(() => MtpFile.Read(Mlip("pot.mtp")));

    /// <summary>One configuration of an MLIP .cfg file: cell rows, types (0-based), positions and the energy.</summary>
    private sealed record Configuration(Vec3[] Cell, int[] Types, Vec3[] Positions, double Energy);

    private static List<Configuration> ReadCfg(string path)
    {
        using var text = new StreamReader(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
        var all = new List<Configuration>();
        string? line;
        int size = 0; Vec3[] cell = []; int[] types = []; Vec3[] pos = []; double energy = double.NaN;
        static double[] Numbers(string s) => [.. s.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(x => double.Parse(x, System.Globalization.CultureInfo.InvariantCulture))];
        while ((line = text.ReadLine()) is not null)
        {
            string t = line.Trim();
            if (t == "BEGIN_CFG") { energy = double.NaN; continue; }
            if (t == "Size") size = int.Parse(text.ReadLine()!.Trim());
            else if (t == "Supercell")
                cell = [.. Enumerable.Range(0, 3).Select(_ => Numbers(text.ReadLine()!)).Select(v => new Vec3(v[0], v[1], v[2]))];
            else if (t.StartsWith("AtomData:"))
            {
                types = new int[size]; pos = new Vec3[size];
                for (int i = 0; i < size; i++)
                {
                    var v = Numbers(text.ReadLine()!);
                    types[i] = (int)v[1]; pos[i] = new Vec3(v[2], v[3], v[4]);
                }
            }
            else if (t == "Energy") energy = Numbers(text.ReadLine()!)[0];
            else if (t == "END_CFG") all.Add(new Configuration(cell, types, pos, energy));
        }
        return all;
    }

    /// <summary>
    /// A configuration's energy from our descriptors: the cell (7.22 A) is narrower than two cutoffs (5 A), so the
    /// configuration is replicated 2x2x2 and the site energies of its own atoms (the replica's first ones) summed.
    /// </summary>
    private static double Energy(MomentTensorDescriptors d, MtpFile pot, Configuration c, double[] sums)
    {
        Assert.True(c.Cell[0].Y == 0 && c.Cell[0].Z == 0 && c.Cell[1].X == 0 && c.Cell[1].Z == 0 && c.Cell[2].X == 0 && c.Cell[2].Y == 0);
        var snapshot = new Snapshot(new Cell(Vec3.Zero, c.Cell[0].X, c.Cell[1].Y, c.Cell[2].Z),
            [.. Enumerable.Range(1, c.Types.Length).Select(i => (long)i)], [.. c.Types.Select(t => t + 1)], c.Positions).Replicate(2, 2, 2);
        var kernel = d.Bind(new FrameContext(snapshot, new FeaturizeSettings { Threads = 1 }));
        var b = new double[d.Columns.Count];
        double e = 0;
        Array.Clear(sums);
        for (int i = 0; i < c.Types.Length; i++)
        {
            kernel(i, b);
            e += pot.SpeciesCoefficients![c.Types[i]];
            for (int a = 0; a < b.Length; a++) { e += pot.MomentCoefficients![a] * b[a]; sums[a] += b[a]; }
        }
        return e;
    }

    // The recorded energies have 12 decimals (rounding 5e-13 eV; the energies are -0.18..1.85 eV), and the sum
    // Σ ξ_α B_α cancels (ξ_α reach 3e3), so rounding in the basis adds a few 1e-12 eV: the worst of the 1001 is
    // 3.4e-12 eV. 1e-10 eV (about 1e-10 relative) leaves room for summation order and is still a thousand times
    // below what swapping any two adjacent basis functions does (checked below).
    private const double EnergyTolerance = 1e-10;

    /// <summary>Every 10th configuration (101 of them, a few seconds); <see cref="EveryEnergyMlipRecordedIsReproduced"/> does all 1001.</summary>
    [Fact]
    public void EnergiesMlipRecordedAreReproducedFromTheLevel20Basis() => CheckEnergies(10);

    /// <summary>All 1001 configurations of out.cfg.gz.</summary>
    [Fact, Trait("Category", "Slow")]
    public void EveryEnergyMlipRecordedIsReproduced() => CheckEnergies(1);

    private void CheckEnergies(int every)
    {
        var pot = Potential.Value;
        Assert.NotNull(pot.RadialFunctions);
        // the fitted potential's tree is the embedded level-20 one, table for table
        Assert.Equal(MomentTensorBasis.Level20.Basic, pot.Basis.Basic);
        Assert.Equal(MomentTensorBasis.Level20.Products, pot.Basis.Products);
        Assert.Equal(MomentTensorBasis.Level20.Scalars, pot.Basis.Scalars);
        Assert.Equal(1, pot.SpeciesCount);
        Assert.Equal(288, pot.MomentCoefficients!.Count);

        var d = new MomentTensorDescriptors(MomentTensorBasis.Level20, pot.RadialFunctions!);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var all = ReadCfg(Mlip("out.cfg.gz"));
        output.WriteLine($"read in {clock.Elapsed.TotalSeconds:F2} s");
        Assert.Equal(1001, all.Count);
        var configurations = all.Where((_, k) => k % every == 0).ToList();
        double worst = 0;
        var sums = new double[288];
        var columnSums = new List<double[]>();
        foreach (var c in configurations)
        {
            double e = Energy(d, pot, c, sums);
            worst = Math.Max(worst, Math.Abs(e - c.Energy));
            columnSums.Add([.. sums]);
        }
        output.WriteLine($"{configurations.Count} energies in {clock.Elapsed.TotalSeconds:F2} s: worst error {worst:G3} eV");
        Assert.True(worst <= EnergyTolerance, $"worst energy error {worst:G3} eV");

        // the check is sensitive to the order: swapping B_α and B_α+1 moves some energy by more than 1000x the tolerance
        var xi = pot.MomentCoefficients!;
        for (int a = 0; a + 1 < 288; a++)
        {
            double moved = columnSums.Max(s => Math.Abs((xi[a] - xi[a + 1]) * (s[a + 1] - s[a])));
            Assert.True(moved > 1000 * EnergyTolerance, $"swapping B_{a + 1} and B_{a + 2} changes the energies by {moved:G3} eV only");
        }
    }

    /// <summary>Scalar basis function values by full tensor contraction of motep's tree (numpy tensordot axes order).</summary>
    private sealed class TensorTree(MtpRadialFunctions radial, Vec3[] bonds)
    {
        private readonly Dictionary<string, double[]> _memo = [];

        private static int Rank(int length) => (int)Math.Round(Math.Log(length) / Math.Log(3));

        public double[] Evaluate(JsonElement node)
        {
            string key = node.GetRawText();
            if (_memo.TryGetValue(key, out var done)) return done;
            double[] value = node[0].ValueKind == JsonValueKind.Number ? Basic(node[0].GetInt32(), node[1].GetInt32()) : Contract(node);
            _memo[key] = value;
            return value;
        }

        /// <summary>M_{μ,ν} = Σ_j f_μ(r_j) u_j ⊗ … ⊗ u_j (ν times), index i_1 most significant.</summary>
        private double[] Basic(int mu, int nu)
        {
            int size = (int)Math.Pow(3, nu);
            var m = new double[size];
            var basis = new double[radial.BasisSize]; var f = new double[radial.FunctionCount];
            foreach (var v in bonds)
            {
                double r = v.Norm;
                radial.Evaluate(r, 0, basis, f);
                double[] u = [v.X / r, v.Y / r, v.Z / r];
                for (int idx = 0; idx < size; idx++)
                {
                    double p = f[mu];
                    for (int k = 0, rest = idx; k < nu; k++, rest /= 3) p *= u[rest % 3];
                    m[idx] += p;
                }
            }
            return m;
        }

        /// <summary>tensordot(A, B, axes=(la, lb)): free axes of A, then free axes of B.</summary>
        private double[] Contract(JsonElement node)
        {
            var a = Evaluate(node[0]); var b = Evaluate(node[1]);
            int[] la = [.. node[3][0].EnumerateArray().Select(x => x.GetInt32())], lb = [.. node[3][1].EnumerateArray().Select(x => x.GetInt32())];
            int ra = Rank(a.Length), rb = Rank(b.Length), k = la.Length;
            int[] freeA = [.. Enumerable.Range(0, ra).Except(la)], freeB = [.. Enumerable.Range(0, rb).Except(lb)];
            int outRank = freeA.Length + freeB.Length;
            Assert.Equal(node[2].GetInt32(), outRank);
            var result = new double[(int)Math.Pow(3, outRank)];
            var ia = new int[ra]; var ib = new int[rb];
            int contracted = (int)Math.Pow(3, k);
            for (int o = 0; o < result.Length; o++)
            {
                // output digits: most significant first, A's free axes then B's
                for (int t = outRank - 1, rest = o; t >= 0; t--, rest /= 3)
                {
                    if (t < freeA.Length) ia[freeA[t]] = rest % 3; else ib[freeB[t - freeA.Length]] = rest % 3;
                }
                double sum = 0;
                for (int c = 0; c < contracted; c++)
                {
                    for (int t = 0, rest = c; t < k; t++, rest /= 3) { ia[la[t]] = rest % 3; ib[lb[t]] = rest % 3; }
                    sum += a[Flat(ia)] * b[Flat(ib)];
                }
                result[o] = sum;
            }
            return result;
        }

        private static int Flat(int[] index)
        {
            int f = 0;
            foreach (int i in index) f = f * 3 + i;
            return f;
        }
    }

    [Fact]
    public void TheBasisFunctionsAreMotepsContractionTree()
    {
        // independent of MLIP's component tables: the 288 scalars of motep's level-20 tree, each by explicit tensor
        // contraction, on a few glass atoms with the preset's radial functions. motep lists them in another order
        // (the energies above pin MLIP's), so every B_alpha must equal exactly one of motep's, and vice versa.
        using var json = JsonDocument.Parse(File.ReadAllText(Mlip("moments_level20.json")));
        var tree = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(288, tree.Length);
        var glass = ReferenceTable.Glass();
        var d = MomentTensorDescriptors.Level20(2.0, 5.0);
        var table = new FeatureSet([d]).Compute(glass, new FeaturizeSettings { Threads = 1 });
        var list = new FrameContext(glass).WithinCutoff(5.0);
        int[] atoms = [0, 17, 250, 499];
        var theirs = new double[288, atoms.Length];
        for (int k = 0; k < atoms.Length; k++)
        {
            var contraction = new TensorTree(d.Radial, list.VectorsOf(atoms[k]).ToArray());
            for (int a = 0; a < 288; a++)
            {
                var v = contraction.Evaluate(tree[a]);
                Assert.Single(v);
                theirs[a, k] = v[0];
            }
        }
        bool Same(int ours, int motep)
        {
            for (int k = 0; k < atoms.Length; k++)
            {
                double x = table.Row(atoms[k])[ours], y = theirs[motep, k];
                if (!(Math.Abs(x - y) <= 1e-10 * Math.Abs(y) + 1e-12)) return false;
            }
            return true;
        }
        var matchedBy = new int[288];
        for (int a = 0; a < 288; a++)
        {
            var matches = Enumerable.Range(0, 288).Where(m => Same(a, m)).ToArray();
            Assert.True(matches.Length == 1, $"B_{a + 1} equals {matches.Length} of motep's scalars");
            matchedBy[a] = matches[0];
        }
        Assert.Equal(288, matchedBy.Distinct().Count());
        output.WriteLine("motep's index of each B_alpha: " + string.Join(",", matchedBy));
    }

    [Fact]
    public void TheLevel20TreeIsConsistent()
    {
        var basis = MomentTensorBasis.Level20;
        Assert.Equal(288, basis.Scalars.Count);
        Assert.Equal(1352, basis.MomentCount);
        Assert.Equal(5, basis.RadialFunctionCount);
        Assert.Equal(8, basis.MaxRank);
        // levels add up along every product, and every scalar has level <= 20 (and every level 2..20 with one occurs)
        foreach (var p in basis.Products) Assert.Equal(basis.Levels[p.Target], basis.Levels[p.Left] + basis.Levels[p.Right]);
        var levels = basis.Scalars.Select(s => basis.Levels[s]).ToArray();
        Assert.True(levels.Max() == 20 && levels.Min() == 2);
        Assert.Equal(288, basis.Scalars.Distinct().Count());
    }

    [Fact]
    public void ThePresetIs288DistinctColumnsAndTheElementFlag()
    {
        var glass = ReferenceTable.Glass();
        var set = Presets.Find("mtp").Build(glass.Elements!);
        Assert.Equal(289, set.Columns.Count);
        Assert.Equal([.. Enumerable.Range(1, 288).Select(i => $"mtp_B{i:D3}"), FeatureSet.ElementFlagColumn], set.Columns.Select(c => c.Name));
        var table = set.Compute(glass);
        var columns = Enumerable.Range(0, 288).Select(a => table.Column($"mtp_B{a + 1:D3}")).ToArray();
        foreach (var c in columns)
        {
            Assert.All(c, x => Assert.True(double.IsFinite(x)));
            Assert.True(c.Max() - c.Min() > 1e-6 * c.Max(Math.Abs), "a constant column");
        }
        // no two columns are proportional on the glass (correlation below 1 - 1e-9)
        var z = columns.Select(Standardise).ToArray();
        double most = 0;
        for (int a = 0; a < 288; a++)
            for (int b = a + 1; b < 288; b++)
            {
                double r = 0;
                for (int i = 0; i < z[a].Length; i++) r += z[a][i] * z[b][i];
                Assert.True(Math.Abs(r) < 1 - 1e-9, $"B_{a + 1} and B_{b + 1} are proportional (r = {r:R})");
                most = Math.Max(most, Math.Abs(r));
            }
        output.WriteLine($"largest |correlation| of two columns: {most:R}");
        Assert.Equal(glass.Types.Select(t => (double)(t - 1)), table.Column(FeatureSet.ElementFlagColumn));
    }

    private static double[] Standardise(double[] x)
    {
        double mean = x.Average(), norm = Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)));
        return [.. x.Select(v => (v - mean) / norm)];
    }

    /// <summary>
    /// Equal rows up to rounding: |difference| ≤ rel × the column's largest magnitude (a basis function can be a small
    /// difference of large products, so its rounding scales with the column, not with the value).
    /// </summary>
    private double AssertSameRows(FeatureTable expected, FeatureTable actual, int[] rowOf, double rel)
    {
        var scale = new double[expected.ColumnCount];
        for (int i = 0; i < expected.Rows; i++)
            for (int k = 0; k < scale.Length; k++) scale[k] = Math.Max(scale[k], Math.Abs(expected[i, k]));
        double worst = 0;
        for (int i = 0; i < expected.Rows; i++)
        {
            var e = expected.Row(i); var a = actual.Row(rowOf[i]);
            for (int k = 0; k < e.Length; k++)
            {
                double err = Math.Abs(e[k] - a[k]) / Math.Max(scale[k], double.Epsilon);
                worst = Math.Max(worst, err);
                Assert.True(err <= rel, $"row {i}, column {expected.Columns[k].Name}: {e[k]:R} vs {a[k]:R}");
            }
        }
        output.WriteLine($"worst difference {worst:G3} of the column's largest magnitude");
        return worst;
    }

    [Fact]
    public void RotatingTranslatingAndRenumberingTheGlassChangesNothing()
    {
        var glass = StructureFile.ReadFirst(Paths.Data(Path.Combine("glasses", "Cu64Zr36", "glass.dump.gz")));
        var set = Presets.Find("mtp").Build(glass.RequireElements());
        var reference = set.Compute(glass);

        // translated, wrapped and renumbered (atoms in reverse order): the same rows, bit for bit up to summation order
        int n = glass.Count;
        var shift = new Vec3(3.3, -7.1, 11.9);
        var moved = new Snapshot(glass.Cell, [.. glass.Ids.Reverse()], [.. glass.Types.Reverse()],
            [.. glass.Positions.Reverse().Select(p => glass.Cell.Wrap(p + shift))]) { Elements = glass.Elements };
        AssertSameRows(reference, set.Compute(moved), [.. Enumerable.Range(0, n).Select(i => n - 1 - i)], 1e-11);

        // rotated: a periodic cell cannot be rotated freely, so a ball of atoms is cut out (in open space) and rotated
        var centre = glass.Positions[0];
        var ball = Enumerable.Range(0, n).Select(i => (i, d: glass.Cell.MinimumImage(glass.Positions[i] - centre))).Where(x => x.d.Norm < 11).ToArray();
        var box = Cell.Orthogonal(new Vec3(-40, -40, -40), new Vec3(40, 40, 40), periodic: false);
        var open = new Snapshot(box, [.. ball.Select(x => glass.Ids[x.i])], [.. ball.Select(x => glass.Types[x.i])], [.. ball.Select(x => x.d)]) { Elements = glass.Elements };
        // a rotation by Euler angles (0.3, 1.1, -2.0) and a translation
        double a = 0.3, b = 1.1, c = -2.0;
        double[,] rz1 = { { Math.Cos(a), -Math.Sin(a), 0 }, { Math.Sin(a), Math.Cos(a), 0 }, { 0, 0, 1 } };
        double[,] rx = { { 1, 0, 0 }, { 0, Math.Cos(b), -Math.Sin(b) }, { 0, Math.Sin(b), Math.Cos(b) } };
        double[,] rz2 = { { Math.Cos(c), -Math.Sin(c), 0 }, { Math.Sin(c), Math.Cos(c), 0 }, { 0, 0, 1 } };
        static Vec3 Apply(double[,] m, Vec3 v) => new(m[0, 0] * v.X + m[0, 1] * v.Y + m[0, 2] * v.Z, m[1, 0] * v.X + m[1, 1] * v.Y + m[1, 2] * v.Z, m[2, 0] * v.X + m[2, 1] * v.Y + m[2, 2] * v.Z);
        var rotated = new Snapshot(box, open.Ids, open.Types, [.. open.Positions.Select(p => Apply(rz2, Apply(rx, Apply(rz1, p))) + new Vec3(1.5, -2.5, 0.7))]) { Elements = glass.Elements };
        var before = set.Compute(open);
        var after = set.Compute(rotated);
        AssertSameRows(before, after, [.. Enumerable.Range(0, open.Count)], 1e-11);
        // and an atom deep inside the ball sees what it sees in the periodic glass
        Assert.Equal(0, ball[0].i);
        var inner = new FeatureTable(set.Columns, 1, reference.Row(0).ToArray());
        AssertSameRows(inner, new FeatureTable(set.Columns, 1, after.Row(0).ToArray()), [0], 1e-11);
    }

    [Fact]
    public void ThreadsDoNotChangeAValue()
    {
        var glass = ReferenceTable.Glass();
        var set = Presets.Find("mtp").Build(glass.Elements!);
        var one = set.Compute(glass, new FeaturizeSettings { Threads = 1 });
        var two = set.Compute(glass, new FeaturizeSettings { Threads = 2 });
        Assert.Equal(one.Values, two.Values);
    }

    [Fact]
    public void TheCutoffsAreSettingsThatARecipeReproduces()
    {
        var glass = ReferenceTable.Glass();
        var settings = new FeaturizeSettings { MtpRmin = 1.8, MtpRcut = 4.2 };
        var (features, recipe) = new Featurizer("mtp", settings).Compute(glass);
        var json = recipe.ToJsonElement();
        Assert.Equal(4.2, json.GetProperty("settings").GetProperty("mtp_rcut").GetDouble());
        Assert.Equal(1.8, json.GetProperty("settings").GetProperty("mtp_rmin").GetDouble());
        var again = Featurizer.For(FeatureRecipe.FromJson(json)!).Compute(glass).Features;
        Assert.Equal(features.Values, again.Values);
        // and they change the values
        var standard = new Featurizer("mtp").Compute(glass).Features;
        Assert.NotEqual(standard.Values, features.Values);
    }

    [Fact]
    public void FeaturizeWritesTheColumnsAndRecordsTheCutoffs()
    {
        using var dir = new TempDir();
        var (code, _, err) = CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "mtp",
            "--mtp-rcut", "4.5", "--threads", "1", "--out", dir.File("f.csv"));
        Assert.True(code == 0, err);
        string header = File.ReadLines(dir.File("f.csv")).First();
        Assert.Equal(string.Join(',', ["frame", "id", "type", "element", .. Enumerable.Range(1, 288).Select(i => $"mtp_B{i:D3}"), "element_flag"]), header);
        var recipe = FeatureRecipe.Load(dir.File("f.json"));
        Assert.Equal("mtp", recipe.Preset);
        Assert.Equal(4.5, recipe.Settings.MtpRcut);
        Assert.Equal(2.0, recipe.Settings.MtpRmin);

        var (describeCode, listing, _) = CliRunner.Run("describe", "--preset", "mtp");
        Assert.Equal(0, describeCode);
        Assert.StartsWith("# preset mtp: 289 columns", listing);
    }

    [Fact]
    public void BadCutoffsAreOneLineErrors()
    {
        using var dir = new TempDir();
        var line = CliRunner.AssertOneLineError(CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "mtp",
            "--mtp-rmin", "5", "--mtp-rcut", "4", "--out", dir.File("x.csv")));
        Assert.Contains("--mtp-rmin", line);
        Assert.False(File.Exists(dir.File("x.csv")));
        // a cutoff wider than half the cell
        line = CliRunner.AssertOneLineError(CliRunner.Run("featurize", Paths.Data("CuZr_500.dump"), "--elements", "Cu,Zr", "--preset", "mtp",
            "--mtp-rcut", "12", "--out", dir.File("y.csv")));
        output.WriteLine(line);
    }

    [Fact]
    public void MalformedMtpFilesNameTheLine()
    {
        var lines = File.ReadAllLines(Mlip("pot.mtp"));
        int at = Array.FindIndex(lines, l => l.StartsWith("moment_coeffs"));
        var cut = lines.ToArray();
        cut[at] = cut[at][..cut[at].LastIndexOf(',')] + "}";
        var e = Assert.Throws<InputFormatException>(() => MtpFile.Parse(cut, "pot.mtp"));
        Assert.Equal(at + 1, e.Line);
        Assert.Contains("288 numbers expected, found 287", e.Message);

        var other = lines.Select(l => l.Replace("RBChebyshev", "RBShapeev")).ToArray();
        Assert.Contains("RBShapeev is not supported", Assert.Throws<InputFormatException>(() => MtpFile.Parse(other, "x.mtp")).Message);
        Assert.Contains("not an MTP file", Assert.Throws<InputFormatException>(() => MtpFile.Parse(["MTX"], "x.mtp")).Message);
        // a template (no radial or linear coefficients) reads
        var template = MtpFile.Read(Mlip("initial.mtp"));
        Assert.Null(template.RadialFunctions);
        Assert.Null(template.MomentCoefficients);
        Assert.Equal(0.5, template.MinDistance);
        Assert.Equal(5, template.Cutoff);
    }
}
