using Softspot.Simulation.Art;

namespace Softspot.Simulation.Elastic;

/// <summary>How a minimisation ended: the energy (eV), the largest force on an atom (eV/A) and the steps it took.</summary>
public sealed record RelaxationResult(double Energy, double MaxForce, int Steps, bool Converged);

/// <summary>
/// Energy minimisation of a whole configuration at fixed cell with any <see cref="IForceEngine"/>: FIRE (the
/// minimiser of the saddle searches, <see cref="Fire"/>) on all 3N coordinates until no atom feels more than the
/// force tolerance. Deterministic: the same engine and start give the same bits.
/// </summary>
public static class Relaxation
{
    /// <summary>The default force tolerance (eV/A): tight enough for stresses converged far below 1e-6 relative.</summary>
    public const double DefaultForceTolerance = 1e-8;

    /// <summary>
    /// Minimises from <paramref name="positions"/> (3N, relaxed in place) until the largest force on an atom is at most
    /// <paramref name="forceTolerance"/> eV/A, or <paramref name="maxSteps"/> FIRE steps; the result says which.
    /// </summary>
    public static RelaxationResult Minimize(IForceEngine engine, Span<double> positions, double forceTolerance = DefaultForceTolerance, int maxSteps = 200_000)
    {
        if (!(forceTolerance > 0)) throw new ArgumentOutOfRangeException(nameof(forceTolerance), "the force tolerance must be positive");
        if (maxSteps < 0) throw new ArgumentOutOfRangeException(nameof(maxSteps), "the step limit cannot be negative");
        if (positions.Length != 3 * engine.Count) throw new ArgumentException($"expected {3 * engine.Count} coordinates, got {positions.Length}", nameof(positions));
        var f = new double[positions.Length];
        var fire = new Fire(positions.Length);
        fire.Reset();
        double e = engine.Compute(positions, f);
        double fmax = VectorMath.MaxAtomNorm(f);
        int step = 0;
        for (; step < maxSteps && fmax > forceTolerance; step++)
        {
            if (!double.IsFinite(e) || !double.IsFinite(fmax))
                throw new SoftspotException($"{engine.Name} gives a non-finite energy or force during the minimisation (step {step}): atoms too close together?");
            fire.Step(positions, f);
            e = engine.Compute(positions, f);
            fmax = VectorMath.MaxAtomNorm(f);
        }
        return new RelaxationResult(e, fmax, step, fmax <= forceTolerance);
    }
}
