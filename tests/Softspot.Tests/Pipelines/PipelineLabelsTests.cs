using Softspot.Pipelines;

namespace Softspot.Tests.Pipelines;

public class PipelineLabelsTests
{
    [Fact]
    public void RanksAreTakenWithinEachGlassAsFractionsOfItsAtoms()
    {
        // glass 0: 3, 1, 2, 2 (ties share ranks 2 and 3); glass 1, interleaved: 10, 5
        double[] values = [3, 10, 1, 2, 5, 2];
        int[] frames = [0, 1, 0, 0, 1, 0];
        Assert.Equal([4 / 4.0, 2 / 2.0, 1 / 4.0, 2.5 / 4, 1 / 2.0, 2.5 / 4], PipelineLabels.RanksWithin(values, frames));
        // a glass's scale does not matter: the plastic sites are each glass's top fraction
        Assert.Equal(PipelineLabels.RanksWithin(values, frames), PipelineLabels.RanksWithin([3, 1e4, 1, 2, 5e3, 2], frames));
    }
}
