using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests;

public class SmokeTests
{
    [Fact]
    public void ShippedGlassReads()
    {
        var s = StructureFile.ReadFirst(Paths.Data("CuZr_500.dump"));
        Assert.Equal(500, s.Count);
        Assert.Null(s.Elements);
    }
}
