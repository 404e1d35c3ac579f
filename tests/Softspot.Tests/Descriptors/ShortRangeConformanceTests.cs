using Softspot.Descriptors;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.Descriptors;

/// <summary>
/// Every short-range descriptor against the amlearn reference tables of the 500-atom Cu64Zr36 glass, with the
/// tolerances of amlearn-cuzr500/README.md: integers exact; geometry rel 1e-9 / abs 1e-10 (the CSV's 12 digits);
/// i-fold symmetry abs 1e-7 (amlearn rounds to float32).
/// </summary>
public class ShortRangeConformanceTests
{
    private static readonly Snapshot Glass = ReferenceTable.Glass();

    private static void Check(string file, Descriptor d, double rel, double abs, FeaturizeSettings? settings = null)
    {
        var table = new FeatureSet([d]).Compute(Glass, settings);
        var reference = ReferenceTable.Load(file);
        Assert.Equal(reference.Columns, table.Columns.Select(c => c.Name)); // same names, same order
        reference.AssertMatches(Glass, table, rel, abs);
    }

    [Fact] public void CoordinationVoronoi() => Check("sro_CN_voro.csv", new Coordination(NeighbourKind.Voronoi), 0, 0);
    [Fact] public void CoordinationDistance() => Check("sro_CN_dist.csv", new Coordination(NeighbourKind.Distance), 0, 0);
    [Fact] public void VoronoiIndexCounts() => Check("sro_VoroIndex.csv", new VoronoiIndex(), 0, 0);
    [Fact] public void Motifs() => Check("sro_CharacterMotif.csv", new CharacterMotifs(), 0, 0);

    [Fact]
    public void FoldSymmetryMatchesInFloat32Mode() =>
        Check("sro_IFoldSymmetry.csv", new FoldSymmetry(), 0, 1e-7, new FeaturizeSettings { Float32FoldSymmetry = true });

    [Fact]
    public void FoldSymmetryInDoubleIsWithinFloat32Rounding() => Check("sro_IFoldSymmetry.csv", new FoldSymmetry(), 0, 1e-7);

    [Fact] public void AreaWeightedFoldSymmetry() => Check("sro_AreaWtIFoldSymmetry.csv", new FoldSymmetry(FoldWeighting.Area), 0, 1e-7);
    [Fact] public void VolumeWeightedFoldSymmetry() => Check("sro_VolWtIFoldSymmetry.csv", new FoldSymmetry(FoldWeighting.Volume), 0, 1e-7);
    [Fact] public void FaceAreaStatistics() => Check("sro_VoroAreaStats.csv", NeighbourStatistics.FaceArea(), 1e-9, 1e-10);
    [Fact] public void PyramidVolumeStatistics() => Check("sro_VoroVolStats.csv", NeighbourStatistics.PyramidVolume(), 1e-9, 1e-10);

    // an empty edge class is a denormal (about 2.6e-315) in the reference: 0 here, within abs 1e-10
    [Fact] public void FaceAreaStatisticsPerEdgeCount() => Check("sro_VoroAreaStatsSeparate.csv", NeighbourStatistics.FaceArea(byEdges: true), 1e-9, 1e-10);
    [Fact] public void PyramidVolumeStatisticsPerEdgeCount() => Check("sro_VoroVolStatsSeparate.csv", NeighbourStatistics.PyramidVolume(byEdges: true), 1e-9, 1e-10);

    [Fact] public void DistanceStatisticsVoronoi() => Check("sro_DistStats_voro.csv", NeighbourStatistics.Distance(NeighbourKind.Voronoi), 1e-9, 1e-10);
    [Fact] public void DistanceStatisticsDistance() => Check("sro_DistStats_dist.csv", NeighbourStatistics.Distance(NeighbourKind.Distance), 1e-9, 1e-10);
    [Fact] public void DistanceIntersticeVoronoi() => Check("sro_DistanceInterstice_voro.csv", NeighbourStatistics.DistanceInterstice(NeighbourKind.Voronoi), 1e-9, 1e-10);
    [Fact] public void DistanceIntersticeDistance() => Check("sro_DistanceInterstice_dist.csv", NeighbourStatistics.DistanceInterstice(NeighbourKind.Distance), 1e-9, 1e-10);
    [Fact] public void VolumeAndAreaInterstice() => Check("sro_VolumeAreaInterstice.csv", new VolumeAreaInterstice(), 1e-9, 1e-10);
    [Fact] public void VolumeAndAreaIntersticeAllTypes() => Check("sro_VolumeAreaInterstice_alltypes.csv", VolumeAreaInterstice.AllTypes(), 1e-9, 1e-10);
    [Fact] public void ClusterPacking() => Check("sro_ClusterPackingEfficiency.csv", new ClusterPackingEfficiency(), 1e-9, 1e-10);
    [Fact] public void AtomicPacking() => Check("sro_AtomicPackingEfficiency.csv", new AtomicPackingEfficiency(), 1e-9, 1e-10);
}
