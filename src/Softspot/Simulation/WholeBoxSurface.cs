namespace Softspot.Simulation;

/// <summary>
/// The surface of any <see cref="IForceEngine"/> restricted to some mobile atoms: every call evaluates the whole
/// configuration (frozen atoms at their reference positions). Exact, but the cost grows with the whole box; the
/// native EAM engine offers a local surface whose cost does not.
/// </summary>
public sealed class WholeBoxSurface : IPotentialSurface
{
    private readonly IForceEngine _engine;
    private readonly int[] _mobile;
    private readonly double[] _positions, _forces;

    public WholeBoxSurface(IForceEngine engine, ReadOnlySpan<double> positions, IReadOnlyList<int>? mobile = null)
    {
        if (positions.Length != 3 * engine.Count) throw new ArgumentException($"expected {3 * engine.Count} coordinates, got {positions.Length}");
        _engine = engine;
        _mobile = mobile?.ToArray() ?? Enumerable.Range(0, engine.Count).ToArray();
        _positions = positions.ToArray();
        _forces = new double[positions.Length];
    }

    public IReadOnlyList<int> Mobile => _mobile;
    public long Calls { get; private set; }

    public double Compute(ReadOnlySpan<double> x, Span<double> forces)
    {
        FlatCoordinates.Scatter(x, _mobile, _positions);
        double e = _engine.Compute(_positions, _forces);
        Calls++;
        FlatCoordinates.Gather(_forces, _mobile, forces);
        return e;
    }
}
