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
