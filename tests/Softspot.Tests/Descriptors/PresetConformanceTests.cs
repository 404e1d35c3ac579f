using Softspot.Descriptors;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>Presets against the amlearn reference: the 80 interstice features column by column, and the full MRO table.</summary>
public class PresetConformanceTests
{
    private static readonly Snapshot Glass = ReferenceTable.Glass();

    [Fact]
    public void IntersticePresetIsThePapers80Features()
    {
        var set = Presets.Find("interstice").Build(Glass.Elements!);
        var table = set.Compute(Glass);
        Assert.Equal(80, table.ColumnCount);
        string[] sro =
        [
            .. new[] { "voro", "dist" }.SelectMany(nn => new[] { "mean", "std", "min", "max" }.Select(s => $"Dist_interstice_{s}_{nn}")),
            .. new[] { "Volume", "Area" }.SelectMany(q => new[] { "mean", "std", "min", "max" }.Select(s => $"{q}_interstice_{s}_voro")),
        ];
        Assert.Equal(sro, table.Columns.Take(16).Select(c => c.Name));
        // MRO: Voronoi-based columns first, then distance-based ones (the reference's order), stats inner
        string[] mroOrder = [.. sro.Where(c => c.EndsWith("_voro")), .. sro.Where(c => c.EndsWith("_dist"))];
        Assert.Equal(mroOrder.SelectMany(c => new[] { "mean", "std", "min", "max" }.Select(s => $"MRO_{s}_{c}")), table.Columns.Skip(16).Select(c => c.Name));

        ReferenceTable.Load("sro_DistanceInterstice_voro.csv").AssertMatches(Glass, table, 1e-9, 1e-10, sro.Where(c => c.StartsWith("Dist") && c.EndsWith("voro")));
        ReferenceTable.Load("sro_DistanceInterstice_dist.csv").AssertMatches(Glass, table, 1e-9, 1e-10, sro.Where(c => c.StartsWith("Dist") && c.EndsWith("dist")));
        ReferenceTable.Load("sro_VolumeAreaInterstice.csv").AssertMatches(Glass, table, 1e-9, 1e-10, sro.Where(c => !c.StartsWith("Dist")));
        ReferenceTable.Load("mro_all.csv").AssertMatches(Glass, table, 1e-9, 1e-10, table.Columns.Skip(16).Select(c => c.Name));
    }

    [Fact]
    public void PresetsHaveThePapersFeatureCounts()
    {
        int Count(string preset) => Presets.Find(preset).Build(Glass.Elements!).Columns.Count;
        Assert.Equal(80, Count("interstice"));
        Assert.Equal(5 + 1, Count("voronoi-index"));
        Assert.Equal(2 + 1, Count("motifs"));
        Assert.Equal(18 + 1, Count("sro"));
        Assert.Equal(72 + 1, Count("sro+mro"));
        Assert.Equal(16 + 1, Count("boop"));
        Assert.Equal(288 + 1, Count("mtp"));
        Assert.True(Count("all") > 600);
    }

    [Fact]
    public void ElementFlagIsTheTypeIndex()
    {
        var table = Presets.Find("voronoi-index").Build(Glass.Elements!).Compute(Glass);
        var flag = table.Column(FeatureSet.ElementFlagColumn);
        for (int i = 0; i < Glass.Count; i++) Assert.Equal(Glass.Types[i] - 1, flag[i]);
    }
}

/// <summary>
/// The reference's full medium-range table: the 74 short-range columns of sro_all_mro_input.csv coarse-grained
/// with all six statistics, plus MRO_Avg_{3..7}_fold_symm_idx, in amlearn-compatible mode (atan azimuth, float32
/// fold symmetry) since the reference's inputs were computed that way.
/// </summary>
public class MediumRangeConformanceTests
{
    [Fact]
    public void AllShortRangeColumnsAndTheirMroMatchTheReference()
    {
        var glass = ReferenceTable.Glass();
        var settings = new FeaturizeSettings { AmlearnAzimuth = true, Float32FoldSymmetry = true };
        var table = Presets.Find("all").Build(glass.Elements!).Compute(glass, settings);

        var sro = ReferenceTable.Load("sro_all_mro_input.csv");
        Assert.Equal(74, sro.Columns.Length);
        var mro = ReferenceTable.Load("mro_all.csv");
        Assert.Equal(74 * 6 + 5, mro.Columns.Length);
        // the same MRO columns in the same order
        var ours = table.Columns.Select(c => c.Name).Where(n => n.StartsWith("MRO_")).ToArray();
        Assert.Equal(mro.Columns, ours);

        foreach (var group in sro.Columns.GroupBy(Tolerance))
            sro.AssertMatches(glass, table, group.Key.Rel, group.Key.Abs, group);
        foreach (var group in mro.Columns.GroupBy(c => c.StartsWith("MRO_Avg") ? (0.0, 1e-7) : MroTolerance(c[(c.IndexOf('_', 4) + 1)..])))
            mro.AssertMatches(glass, table, group.Key.Item1, group.Key.Item2, group);
    }

    /// <summary>
    /// Statistics of q over neighbours (std, diff = mean - centre) are differences of values carrying amlearn's
    /// float32 noise (about 1e-7 of q ~ 0.1-0.6), so their tolerance is absolute on q's scale: 1e-6.
    /// </summary>
    private static (double Rel, double Abs) MroTolerance(string source) =>
        source.StartsWith("q_") || source.StartsWith("Coarse_grained_q_") ? (1e-6, 1e-6) : Tolerance(source);

    /// <summary>README tolerances by source column: BOOP q rel 1e-6, BOOP w abs 1e-6 + rel 1e-4, fold symmetry abs 1e-7, geometry 1e-9.</summary>
    private static (double Rel, double Abs) Tolerance(string column) =>
        column.StartsWith("q_") || column.StartsWith("Coarse_grained_q_") ? (1e-6, 1e-9)
        : column.StartsWith("w_") || column.StartsWith("Coarse_grained_w_") ? (1e-4, 1e-6)
        : column.Contains("fold_symm") ? (0, 1e-7)
        : (1e-9, 1e-10);
}
