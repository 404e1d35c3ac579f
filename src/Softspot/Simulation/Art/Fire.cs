namespace Softspot.Simulation.Art;

/// <summary>
/// The FIRE minimiser (Bitzek, Koskinen, Gaehler, Moseler and Gumbsch, PRL 97, 170201, 2006): damped unit-mass
/// dynamics that mixes the velocity towards the force while the power F.v stays positive, and stops and shrinks the
/// time step when it turns negative. Used on the plain force (minimisation), on the force perpendicular to a push
/// (relaxation in the hyperplane) and on the force with its component along the lowest mode inverted (saddle
/// convergence). Each step moves no atom by more than <see cref="MaxStep"/>.
/// </summary>
internal sealed class Fire(int dimension)
{
    private readonly double[] _v = new double[dimension];
    private double _dt, _alpha;
    private int _positive;

    public double TimeStepStart { get; init; } = 0.15;
    public double TimeStepMax { get; init; } = 0.3;
    public double MaxStep { get; init; } = 0.1;
    private const int NMin = 5;
    private const double Increase = 1.1, Decrease = 0.5, AlphaStart = 0.1, AlphaShrink = 0.99;

    public void Reset()
    {
        Array.Clear(_v);
        _dt = TimeStepStart;
        _alpha = AlphaStart;
        _positive = 0;
    }

    /// <summary>Removes the velocity along a unit vector (after a separate move along it, so the dynamics stays in the hyperplane).</summary>
    public void RemoveVelocityAlong(ReadOnlySpan<double> unit) => VectorMath.RemoveComponent(_v, unit);

    /// <summary>One step of x along the (possibly projected or modified) force <paramref name="f"/>.</summary>
    public void Step(Span<double> x, ReadOnlySpan<double> f)
    {
        if (_dt == 0) Reset();
        double power = VectorMath.Dot(f, _v);
        if (power > 0)
        {
            double vn = VectorMath.Norm(_v), fn = VectorMath.Norm(f);
            if (fn > 0)
                for (int i = 0; i < dimension; i++) _v[i] = (1 - _alpha) * _v[i] + _alpha * vn * f[i] / fn;
            if (++_positive > NMin) { _dt = Math.Min(_dt * Increase, TimeStepMax); _alpha *= AlphaShrink; }
        }
        else
        {
            Array.Clear(_v);
            _dt *= Decrease;
            _alpha = AlphaStart;
            _positive = 0;
        }
        for (int i = 0; i < dimension; i++) _v[i] += _dt * f[i];
        double largest = 0;
        for (int i = 0; i < dimension; i += 3)
            largest = Math.Max(largest, _v[i] * _v[i] + _v[i + 1] * _v[i + 1] + _v[i + 2] * _v[i + 2]);
        double scale = Math.Sqrt(largest) * _dt > MaxStep ? MaxStep / (Math.Sqrt(largest) * _dt) : 1;
        for (int i = 0; i < dimension; i++) x[i] += scale * _dt * _v[i];
    }
}
