using Softspot.Numerics;

namespace Softspot.Simulation.Art;

/// <summary>
/// What one search found; energies relative to the initial minimum; per-atom displacements (A) of the mobile atoms
/// from the initial minimum at the saddle and in the final state, and those states' mobile coordinates (empty when
/// the search did not get that far).
/// </summary>
public sealed record ArtOutcome(
    bool Converged, string Status, double Eact, double Efinal, double Eigenvalue, double SecondEigenvalue, double SaddleForce,
    double[] SaddleDisplacement, double[] FinalDisplacement, long ForceCalls, int BasinSteps, int ActivationSteps)
{
    public double[] Saddle { get; init; } = [];
    public double[] Final { get; init; } = [];
}

/// <summary>
/// One ART nouveau search (Barkema and Mousseau 1996; Malek and Mousseau 2000; Cances et al. 2009) on a surface of
/// mobile atoms, starting from a minimum: a random push of the initiating atom and its neighbours, followed with
/// relaxation perpendicular to it until the lowest Hessian eigenvalue (Lanczos) falls below a threshold; then
/// convergence onto the saddle along the lowest mode (Newton steps uphill along it with relaxation perpendicular to
/// it, the mode refreshed by Lanczos at every step) until the total force is below the tolerance; a check that the saddle
/// has exactly one negative eigenvalue; a push over and a minimisation to the final state, and a push back and a
/// minimisation that must return to the initial minimum.
/// </summary>
public sealed class ArtSearch
{
    private readonly IPotentialSurface _surface;
    private readonly ArtSettings _settings;
    private readonly int _n;
    private readonly Lanczos _lanczos, _confirm;
    private readonly Fire _fire;
    private readonly double[] _perpendicular;

    /// <summary>Receives one line per basin and activation step (energy, curvature, forces), for diagnosing settings.</summary>
    public Action<string>? Trace { get; set; }

    /// <param name="surface">The energy (eV) and forces (eV/A) as a function of the mobile atoms' coordinates.</param>
    /// <param name="settings">The search's parameters: pushes, Lanczos, thresholds and tolerances.</param>
    /// <param name="translations">the surface is a whole periodic box: its three uniform translations are zero modes
    /// and are projected out of the eigenvector searches.</param>
    public ArtSearch(IPotentialSurface surface, ArtSettings settings, bool translations = false)
    {
        _surface = surface;
        _settings = settings;
        _n = 3 * surface.Mobile.Count;
        _lanczos = new Lanczos(_n, settings.LanczosIterations) { Step = settings.LanczosStep, Tolerance = settings.LanczosTolerance };
        _confirm = new Lanczos(_n, Math.Max(60, settings.LanczosIterations)) { Step = settings.LanczosStep, Central = true, Tolerance = 1e-5, MinIterations = 15 };
        _fire = new Fire(_n);
        _perpendicular = new double[_n];
        _zeroModes = translations ? Translations(_n) : [];
    }

    private readonly double[][] _zeroModes;

    private static double[][] Translations(int n)
    {
        var modes = new double[3][];
        for (int c = 0; c < 3; c++)
        {
            modes[c] = new double[n];
            for (int i = c; i < n; i += 3) modes[c][i] = 1 / Math.Sqrt(n / 3);
        }
        return modes;
    }

    /// <summary>
    /// Runs one search from the minimum <paramref name="x0"/> (mobile coordinates, energy <paramref name="e0"/>), with
    /// the random initial direction on the mobile atoms listed in <paramref name="initial"/> (local indices).
    /// </summary>
    public ArtOutcome Run(ReadOnlySpan<double> x0, double e0, IReadOnlyList<int> initial, SplitMix64 rng)
    {
        var s = _settings;
        long calls0 = _surface.Calls;
        var x = x0.ToArray();
        var f = new double[_n];
        var push = new double[_n];
        foreach (int a in initial)
            for (int c = 0; c < 3; c++) push[3 * a + c] = rng.NextGaussian();
        foreach (var z in _zeroModes) VectorMath.RemoveComponent(push, z);
        if (VectorMath.Normalize(push) == 0) throw new ArgumentException("no atoms to displace");
        var mode = push.ToArray();
        double lambda = double.NaN, e = e0;
        ArtOutcome Fail(string why, int basin, int act) =>
            new(false, why, double.NaN, double.NaN, lambda, double.NaN, double.NaN, [], [], _surface.Calls - calls0, basin, act);

        // 1. leave the basin along the push, relaxing in the hyperplane perpendicular to it; the lowest mode is looked
        //    at from basin step LanczosFromStep on (the first pushes are always in the harmonic well)
        int basinSteps = 0;
        bool left = false;
        _fire.Reset();
        while (basinSteps < s.MaxBasinSteps)
        {
            basinSteps++;
            VectorMath.Axpy(s.BasinStep, push, x);
            e = RelaxPerpendicular(x, f, push, s.BasinRelaxSteps, s.BasinRelaxForce);
            if (basinSteps < s.LanczosFromStep) continue;
            lambda = _lanczos.Lowest(_surface, x, f, mode, _zeroModes);
            Trace?.Invoke(FormattableString.Invariant($"basin {basinSteps}: dE {e - e0:F4} eV, lambda {lambda:F4} (lanczos {_lanczos.LastIterations}), |f| {VectorMath.Norm(f):F4}, f.push {VectorMath.Dot(f, push):F4}"));
            if (lambda < s.EigenvalueThreshold) { left = true; break; }
        }
        if (!left) return Fail("stayed in the basin", basinSteps, 0);

        // 2. converge onto the saddle. Negative curvature: a Newton step uphill along the lowest mode (at most
        //    ActivationStep; over the first SmoothSteps steps the direction turns from the push to the mode), then
        //    relaxation perpendicular to it, with more steps allowed as the force falls (near the saddle the mode hardly
        //    turns). Positive curvature (the path relaxed back into a convex region): a push along the initial direction,
        //    as in the basin. The search is abandoned when the curvature stays positive for LostCurvatureSteps steps or
        //    the energy falls back to the initial minimum's.
        int activation = 0, positive = 0;
        double force = VectorMath.Norm(f);
        var direction = new double[_n];
        _fire.Reset();
        while (!(force < s.SaddleForce && lambda < 0))
        {
            if (++activation > s.MaxActivationSteps) return Fail("no convergence to a saddle", basinSteps, activation);
            double step;
            int relax;
            if (lambda < 0)
            {
                double fMode = VectorMath.Dot(f, mode);
                step = Math.Min(Math.Abs(fMode / lambda), s.ActivationStep);
                double w = Math.Min(1, (double)activation / (s.SmoothSteps + 1));
                // uphill along the mode: against the force's component on it
                for (int i = 0; i < _n; i++) direction[i] = w * -Math.Sign(fMode) * mode[i] + (1 - w) * push[i];
                VectorMath.Normalize(direction);
                relax = force > 1 ? s.ActivationRelaxSteps : force > 0.1 ? 2 * s.ActivationRelaxSteps : 4 * s.ActivationRelaxSteps;
            }
            else
            {
                push.CopyTo(direction, 0);
                step = s.BasinStep;
                relax = s.ActivationRelaxSteps;
            }
            VectorMath.Axpy(step, direction, x);
            e = RelaxPerpendicular(x, f, direction, relax, s.SaddleForce / 2);
            force = VectorMath.Norm(f);
            lambda = _lanczos.Lowest(_surface, x, f, mode, _zeroModes);
            positive = lambda < 0 ? 0 : positive + 1;
            Trace?.Invoke(FormattableString.Invariant($"activation {activation}: step {step:F4}, dE {e - e0:F4} eV, lambda {lambda:F4} (lanczos {_lanczos.LastIterations}), |f| {force:F4}, f.mode {VectorMath.Dot(f, mode):F4}"));
            if (positive >= s.LostCurvatureSteps) return Fail("lost the negative curvature", basinSteps, activation);
            if (positive > 0 && e - e0 < s.MinimumBarrier) return Fail("fell back into the initial basin", basinSteps, activation);
            if (e - e0 > 10) return Fail("energy rose above 10 eV", basinSteps, activation);
        }

        // 3. the saddle: one negative eigenvalue, not too flat, a real barrier
        var saddle = x.ToArray();
        double eSaddle = e, saddleForce = force;
        lambda = _confirm.Lowest(_surface, saddle, f, mode, _zeroModes);
        var second = new double[_n];
        for (int i = 0; i < _n; i++) second[i] = rng.NextGaussian();
        double lambda2 = _confirm.Lowest(_surface, saddle, f, second, [.. _zeroModes, mode.ToArray()]);
        double eact = eSaddle - e0;
        var saddleDisp = Displacements(saddle, x0);
        ArtOutcome Reject(string why) =>
            new(false, why, eact, double.NaN, lambda, lambda2, saddleForce, saddleDisp, [], _surface.Calls - calls0, basinSteps, activation) { Saddle = saddle };
        if (!(lambda < -s.MinimumCurvature)) return Reject($"saddle curvature {lambda:G3} eV/A^2 is flatter than -{s.MinimumCurvature}");
        if (lambda2 < -s.SecondEigenvalueTolerance) return Reject($"a second negative eigenvalue ({lambda2:G3} eV/A^2)");
        if (eact < s.MinimumBarrier) return Reject($"barrier {eact:G3} eV is below {s.MinimumBarrier} eV");

        // 4. push over to the final state, and back to check the connection to the initial minimum
        Orient(mode, saddle, x0);
        var forward = saddle.ToArray();
        VectorMath.Axpy(s.PushOver, mode, forward);
        double eForward = Minimize(forward, f);
        if (s.CheckConnection)
        {
            var back = saddle.ToArray();
            VectorMath.Axpy(-s.PushOver, mode, back);
            double eBack = Minimize(back, f, x0);
            bool backHome = Distance(back, x0) < s.ConnectTolerance;
            bool forwardHome = Distance(forward, x0) < s.ConnectTolerance;
            if (!backHome && forwardHome) { (forward, back) = (back, forward); (eForward, eBack) = (eBack, eForward); (backHome, forwardHome) = (true, false); }
            if (!backHome)
                return Reject(FormattableString.Invariant(
                    $"the saddle does not connect to the initial minimum (relaxing back ends {Distance(back, x0):F2} A away; dE {eBack - e0:F4} eV; forward dE {eForward - e0:F4} eV)"));
        }
        if (Distance(forward, x0) < s.ConnectTolerance) return Reject("the final state is the initial minimum");
        return new ArtOutcome(true, "saddle", eact, eForward - e0, lambda, lambda2, saddleForce, saddleDisp, Displacements(forward, x0),
            _surface.Calls - calls0, basinSteps, activation) { Saddle = saddle, Final = forward };
    }

    /// <summary>
    /// Relaxes <paramref name="x"/> in the hyperplane perpendicular to the unit <paramref name="direction"/> with FIRE, for
    /// at most <paramref name="maxSteps"/> steps, stopping once the perpendicular force is below <paramref name="tolerance"/>
    /// or below the force along the direction (relaxing further would not help the next step along it); returns
    /// the energy, with the full force at the final <paramref name="x"/> in <paramref name="f"/>.
    /// </summary>
    private double RelaxPerpendicular(double[] x, double[] f, ReadOnlySpan<double> direction, int maxSteps, double tolerance)
    {
        _fire.RemoveVelocityAlong(direction);
        double e = _surface.Compute(x, f);
        for (int r = 0; r < maxSteps; r++)
        {
            f.CopyTo(_perpendicular, 0);
            double along = VectorMath.Dot(_perpendicular, direction);
            VectorMath.Axpy(-along, direction, _perpendicular);
            double perpendicular = VectorMath.Norm(_perpendicular);
            if (perpendicular < tolerance || perpendicular < Math.Abs(along)) break;
            _fire.Step(x, _perpendicular);
            e = _surface.Compute(x, f);
        }
        return e;
    }

    /// <summary>Minimises in place with FIRE until no atom feels more than the tolerance; returns the energy.</summary>
    public double Minimize(Span<double> x, Span<double> f) => Minimize(x, f, default);

    /// <summary>
    /// Minimises in place with FIRE; with <paramref name="home"/> given, stops as soon as no atom is farther from it than
    /// half the connection tolerance (relaxing back from a saddle only has to show that it ends there).
    /// </summary>
    private double Minimize(Span<double> x, Span<double> f, ReadOnlySpan<double> home)
    {
        _fire.Reset();
        double e = _surface.Compute(x, f);
        for (int step = 0; step < _settings.MaxMinimizeSteps && VectorMath.MaxAtomNorm(f) > _settings.MinimizeForce; step++)
        {
            if (!home.IsEmpty && Distance(x, home) < _settings.ConnectTolerance / 2) break;
            _fire.Step(x, f);
            e = _surface.Compute(x, f);
        }
        return e;
    }

    /// <summary>The largest atom displacement between two states, net translation removed for a whole periodic box.</summary>
    private double Distance(ReadOnlySpan<double> a, ReadOnlySpan<double> b) => MaxOf(Displacements(a, b));

    private static double MaxOf(double[] d) => d.Length == 0 ? 0 : d.Max();

    /// <summary>Points the mode away from the initial minimum.</summary>
    private static void Orient(Span<double> mode, ReadOnlySpan<double> x, ReadOnlySpan<double> x0)
    {
        double d = 0;
        for (int i = 0; i < mode.Length; i++) d += mode[i] * (x[i] - x0[i]);
        if (d < 0) VectorMath.Scale(mode, -1);
    }

    /// <summary>Per-atom displacements from <paramref name="x0"/>, less the mean one when translations are zero modes.</summary>
    private double[] Displacements(ReadOnlySpan<double> x, ReadOnlySpan<double> x0)
    {
        var d = new double[x.Length / 3];
        double mx = 0, my = 0, mz = 0;
        if (_zeroModes.Length > 0)
        {
            for (int a = 0; a < d.Length; a++) { mx += x[3 * a] - x0[3 * a]; my += x[3 * a + 1] - x0[3 * a + 1]; mz += x[3 * a + 2] - x0[3 * a + 2]; }
            mx /= d.Length; my /= d.Length; mz /= d.Length;
        }
        for (int a = 0; a < d.Length; a++)
        {
            double dx = x[3 * a] - x0[3 * a] - mx, dy = x[3 * a + 1] - x0[3 * a + 1] - my, dz = x[3 * a + 2] - x0[3 * a + 2] - mz;
            d[a] = Math.Sqrt(dx * dx + dy * dy + dz * dz);
        }
        return d;
    }
}
