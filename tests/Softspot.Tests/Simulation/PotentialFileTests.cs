using Softspot.Simulation.Potentials;

namespace Softspot.Tests.Simulation;

/// <summary>A feature recipe's potential: recorded by name and SHA-256, found again by name, refused when the file differs.</summary>
public class PotentialFileTests
{
    [Fact]
    public void A_potential_is_recorded_by_name_and_hash_and_found_again_by_name()
    {
        var opened = PotentialFile.Open("CuZr_mm.eam.fs");
        Assert.Equal("CuZr_mm.eam.fs", opened.Name);
        Assert.Equal(Softspot.Simulation.Provenance.Sha256(opened.Path!), opened.Sha256);
        var recorded = opened with { Path = null };
        Assert.Equal(opened.Path, recorded.Locate().Path);
        Assert.Equal("Cu", recorded.Read().Elements[0].Symbol);
    }

    [Fact]
    public void A_different_file_or_a_missing_one_is_refused_with_what_the_features_need()
    {
        var recorded = PotentialFile.Open("CuZr_mm.eam.fs") with { Path = null };
        string copy = Path.Combine(Path.GetTempPath(), $"softspot-pot-{Guid.NewGuid():N}.eam.fs");
        File.WriteAllText(copy, File.ReadAllText(PotentialFile.Open("CuZr_mm.eam.fs").Path!) + "\n");
        try
        {
            var wrong = Assert.Throws<SoftspotException>(() => recorded.Locate(copy));
            Assert.Contains("not the potential these features were computed with", wrong.Message);
            var missing = Assert.Throws<SoftspotException>(() => (recorded with { Name = "Nowhere.eam.fs" }).Locate());
            Assert.Contains("need the potential Nowhere.eam.fs", missing.Message);
            Assert.Contains("--potential", missing.Message);
        }
        finally { File.Delete(copy); }
    }
}
