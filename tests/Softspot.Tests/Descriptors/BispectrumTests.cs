using System.Globalization;
using System.Text;
using Softspot.Descriptors;
using Softspot.Structures;
using Softspot.Tests.Simulation;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// The SNAP bispectrum preset against LAMMPS: Debian's lmp with the KIM SNAP model driver (openkim-models, the
/// 2019-2020 SNA code) returns B_k of every atom as its per-atom energy when the linear coefficients are the unit vector
/// e_k (β₀ = 0), so 30 <c>run 0</c> give all 30 components. Two parameter sets with different R and w per element (a
/// swapped or misapplied per-element convention fails), one with the switching function and bzeroflag 0, one without
/// switching, with rmin0, rfac0 and rcutfac changed and bzeroflag 1; both in one lmp process.
/// </summary>
public class BispectrumTests(ITestOutputHelper output)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The KIM model: 2 species, 2j_max = 6; its parameters are all set below (Ni stands for type 1, Mo for type 2).</summary>
    private const string KimModel = "SNAP_LiHuChen_2018_NiMo__MO_468686727341_000";

    // Observed: 2.1e-11 relative at worst over 2 x 500 x 30 values (summation order and lmp's 17-digit output).
    private const double Relative = 1e-8;

    /// <summary>One SNAP parameter set, as Softspot settings and as KIM parameters.</summary>
    private sealed record Case(string Name, FeaturizeSettings Settings, double[] R, double[] W, double RCutFac, double RFac0, double RMin0, bool Switch, bool BZero)
    {
        public string KimParameters() => string.Format(Inv,
            "kim param set rcutfac 1 {0:R} R 1:2 {1:R} {2:R} W 1:2 {3:R} {4:R} rfac0 1 {5:R} rmin0 1 {6:R} switchflag 1 {7} bzeroflag 1 {8}",
            RCutFac, R[0], R[1], W[0], W[1], RFac0, RMin0, Switch ? 1 : 0, BZero ? 1 : 0);
    }

    private static readonly Case[] Cases =
    [
        new("switching, bzeroflag 0", new FeaturizeSettings { SnaRadii = "Cu=2.8,Zr=3.5", SnaWeights = "Cu=0.6,Zr=1.2", SnaSubtractIsolated = false },
            [2.8, 3.5], [0.6, 1.2], 1.0, Bispectrum.DefaultRFac0, 0, true, false),
        new("no switching, rmin0, rfac0, rcutfac, bzeroflag 1",
            new FeaturizeSettings { SnaRadii = "2=2.6,Cu=3.1", SnaWeights = "Zr=0.7,Cu=1.3", SnaRCutFac = 1.1, SnaRFac0 = 0.95, SnaRMin0 = 0.5, SnaSwitch = false },
            [3.1, 2.6], [1.3, 0.7], 1.1, 0.95, 0.5, false, true),
    ];

    [Fact]
    public void MatchesLammpsKimSnapForEveryComponentOfEveryAtomOfTheGlass()
    {
        var glass = EamReference.Glass;
        var reference = Lammps(glass);
        for (int c = 0; c < Cases.Length; c++)
        {
            var table = Presets.Find("bispectrum").Build(glass.Elements!, Cases[c].Settings).Compute(glass, Cases[c].Settings);
            double worst = 0;
            for (int i = 0; i < glass.Count; i++)
                for (int k = 0; k < 30; k++)
                {
                    double expected = reference[c][i][k], actual = table[i, k], error = Math.Abs(actual - expected);
                    Assert.True(error <= Relative * Math.Abs(expected),
                        $"{Cases[c].Name}: atom {glass.Ids[i]} {table.Columns[k].Name} = {actual:R}, LAMMPS {expected:R}");
                    worst = Math.Max(worst, error / Math.Abs(expected));
                }
            output.WriteLine($"{Cases[c].Name}: worst relative difference {worst:G3} over {glass.Count} atoms x 30 components");
        }
    }

    /// <summary>B_k (structure order) of every case, from one lmp process: 30 unit-coefficient runs per case.</summary>
    private static double[][][] Lammps(Snapshot s)
    {
        using var dir = new TempDir();
        EamReference.WriteData(s, dir.File("s.data"), 2);
        var script = new StringBuilder($"""
            kim init {KimModel} metal
            boundary p p p
            atom_modify map array
            read_data s.data
            kim interactions Ni Mo
            compute pe all pe/atom
            thermo_style custom step pe

            """);
        for (int c = 0; c < Cases.Length; c++)
        {
            script.AppendLine(Cases[c].KimParameters());
            for (int k = 0; k < 30; k++)
            {
                // 31 coefficients per element (β₀ first): e_k for both elements
                var coeffs = new string[62];
                Array.Fill(coeffs, "0");
                coeffs[1 + k] = "1"; coeffs[31 + 1 + k] = "1";
                script.AppendLine($"kim param set coeffs 1:62 {string.Join(' ', coeffs)}");
                script.AppendLine($"dump d all custom 1 B{c}_{k}.dump id c_pe");
                script.AppendLine("dump_modify d sort id format float %.17g");
                script.AppendLine("run 0");
                script.AppendLine("undump d");
            }
        }
        try { ExternalTool.RunLammps(dir.Path, script.ToString()); }
        catch (InvalidOperationException e)
        {
            string log = File.Exists(dir.File("log.lammps")) ? string.Join('\n', File.ReadLines(dir.File("log.lammps")).TakeLast(5)) : "";
            throw new InvalidOperationException($"LAMMPS with the KIM model {KimModel} failed (apt-get install lammps openkim-models; .ci/run does this): {log}", e);
        }
        var index = s.IndexById();
        var result = new double[Cases.Length][][];
        for (int c = 0; c < Cases.Length; c++)
        {
            result[c] = Enumerable.Range(0, s.Count).Select(_ => new double[30]).ToArray();
            for (int k = 0; k < 30; k++)
            {
                var lines = File.ReadAllLines(dir.File($"B{c}_{k}.dump"));
                int start = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal)) + 1;
                Assert.Equal(s.Count, lines.Length - start);
                for (int l = start; l < lines.Length; l++)
                {
                    var parts = lines[l].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    result[c][index[long.Parse(parts[0], Inv)]][k] = double.Parse(parts[1], Inv);
                }
            }
        }
        return result;
    }

    [Fact]
    public void ColumnsAreLammpsOrderThenTheElementFlag()
    {
        // LAMMPS's list for twojmax = 6 (compute sna/atom docs): j1, then j2 <= j1, then j = j1-j2 .. j1+j2 step 2, j >= j1
        string[] lammps =
        [
            "0_0_0", "1_0_1", "1_1_2", "2_0_2", "2_1_3", "2_2_2", "2_2_4", "3_0_3", "3_1_4", "3_2_3", "3_2_5", "3_3_4", "3_3_6",
            "4_0_4", "4_1_5", "4_2_4", "4_2_6", "4_3_5", "4_4_4", "4_4_6", "5_0_5", "5_1_6", "5_2_5", "5_3_6", "5_4_5", "5_5_6",
            "6_0_6", "6_2_6", "6_4_6", "6_6_6",
        ];
        var set = Presets.Find("bispectrum").Build(ElementMap.Parse("Cu,Zr"));
        Assert.Equal([.. lammps.Select(n => "sna_" + n), FeatureSet.ElementFlagColumn], set.Columns.Select(c => c.Name));
    }

    [Fact]
    public void DefaultsAreDocumented()
    {
        var b = Bispectrum.FromSystem(ElementMap.Parse("Cu,Zr"), new FeaturizeSettings());
        Assert.Equal(2.2 * 1.26, b.RadiusByType[1], 12);
        Assert.Equal(2.2 * 1.58, b.RadiusByType[2], 12);
        Assert.Equal([1.0, 1.0], b.WeightByType.Skip(1));
        Assert.Equal((1.0, 0.99363, 0.0, true, true), (b.RCutFac, b.RFac0, b.RMin0, b.Switching, b.SubtractIsolated));
    }

    /// <summary>An atom with no neighbour in its cutoff has B = 2j + 1 (U^j = identity): zero after bzeroflag.</summary>
    [Fact]
    public void IsolatedAtomIsTwoJPlusOneOrZero()
    {
        var s = new Snapshot(new Cell(Vec3.Zero, 30, 30, 30), [1, 2], [1, 2], [new Vec3(1, 1, 1), new Vec3(15, 15, 15)]) { Elements = ElementMap.Parse("Cu,Zr") };
        var d = Bispectrum.FromSystem(s.Elements!, new FeaturizeSettings { SnaSubtractIsolated = false });
        var table = new FeatureSet([d]).Compute(s);
        var j = d.Columns.Select(c => int.Parse(c.Name.Split('_')[3], Inv)).ToArray();
        for (int k = 0; k < 30; k++) Assert.Equal(j[k] + 1.0, table[0, k], 12);
        var zero = new FeatureSet([Bispectrum.FromSystem(s.Elements!, new FeaturizeSettings())]).Compute(s);
        Assert.All(zero.Row(1).ToArray(), v => Assert.Equal(0.0, v, 12));
    }

    [Fact]
    public void SettingsTravelInTheRecipe()
    {
        var settings = Cases[1].Settings;
        var recipe = FeatureRecipe.Create("bispectrum", Presets.Find("bispectrum").Build(ElementMap.Parse("Cu,Zr"), settings), settings, ElementMap.Parse("Cu,Zr"), [double.NaN, 1.26, 1.58]);
        var json = recipe.ToJsonElement();
        Assert.Equal("2=2.6,Cu=3.1", json.GetProperty("settings").GetProperty("sna_radii").GetString());
        Assert.Equal(settings, FeatureRecipe.FromJson(json)!.Settings);
    }

    [Fact]
    public void PredictRecomputesFromTheRecipe()
    {
        var glass = EamReference.Glass;
        var (features, recipe) = new Featurizer("bispectrum", Cases[1].Settings).Compute(glass);
        var json = recipe.ToJsonElement();
        var again = Featurizer.For(FeatureRecipe.FromJson(json)!).Compute(glass).Features;
        Assert.Equal(features.Values, again.Values);
        var defaults = new Featurizer("bispectrum").Compute(glass).Features;
        Assert.NotEqual(features.Values, defaults.Values);
    }

    [Theory]
    [InlineData("Cu=abc", "--sna-radii")]
    [InlineData("Cu=-1", "--sna-radii")]
    [InlineData("Ni=2.5", "Ni is not one of the elements")]
    [InlineData("Xx=2.5", "neither an element nor an atom type")]
    [InlineData("3=2.5", "no atom type 3")]
    public void BadRadiiAreOneLineErrors(string spec, string expected)
    {
        var e = Assert.ThrowsAny<SoftspotException>(() => Bispectrum.FromSystem(ElementMap.Parse("Cu,Zr"), new FeaturizeSettings { SnaRadii = spec }));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
