using Softspot.Simulation;
using Softspot.Simulation.Art;
using Softspot.Structures;

namespace Softspot.Tests.Simulation;

/// <summary>The searches refuse a structure the potential cannot evaluate, instead of recording barriers from NaN.</summary>
public sealed class ArtInitialStateTests
{
    /// <summary>A harmonic well around the origin that gives NaN on one atom, as a potential does for atoms on top of each other.</summary>
    private sealed class BrokenEngine(int count, int nanAtom, bool nanEnergy) : IForceEngine
    {
        public int Count => count;
        public string Name => "test engine";
        public double Compute(ReadOnlySpan<double> positions, Span<double> forces)
        {
            double e = 0;
            for (int i = 0; i < positions.Length; i++) { forces[i] = -positions[i]; e += 0.5 * positions[i] * positions[i]; }
            forces[3 * nanAtom + 1] = double.NaN;
            return nanEnergy ? double.NaN : e;
        }
        public void Dispose() { }
    }

    private static Snapshot Structure() => new(new Cell(new Vec3(-5, -5, -5), 10, 10, 10), [11, 12, 13], [1, 1, 1],
        [new Vec3(0, 0, 0), new Vec3(1, 0, 0), new Vec3(1, 0, 0)]);

    [Theory]
    [InlineData(false, "non-finite force")]
    [InlineData(true, "non-finite energy")]
    public void ANonFiniteForceOrEnergyIsRefusedNamingTheAtom(bool nanEnergy, string what)
    {
        using var engine = new BrokenEngine(3, nanAtom: 2, nanEnergy);
        var e = Assert.Throws<SoftspotException>(() => ArtCampaign.InitialMinimum(engine, Structure(), new ArtSettings()));
        Assert.Contains(what, e.Message);
        Assert.Contains("atom 13", e.Message);
        Assert.Contains("test engine", e.Message);
    }
}
