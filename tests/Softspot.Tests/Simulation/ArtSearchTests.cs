using Softspot.Numerics;
using Softspot.Simulation;
using Softspot.Simulation.Art;

namespace Softspot.Tests.Simulation;

/// <summary>
/// The Mueller-Brown surface (Mueller and Brown, Theor. Chim. Acta 53, 75, 1979), divided by 100 to give eV, in x and
/// y, with a harmonic z: one "atom" with three minima and two first-order saddles whose positions are known to many
/// digits, so every saddle ART reports can be checked against an exact gradient and Hessian.
/// </summary>
internal sealed class MullerBrownSurface : IPotentialSurface
{
    private static readonly double[] A = [-200, -100, -170, 15], a = [-1, -1, -6.5, 0.7], b = [0, 0, 11, 0.6], c = [-10, -10, -6.5, 0.7];
    private static readonly double[] X0 = [1, 0, -0.5, -1], Y0 = [0, 0.5, 1.5, 1];
    private const double Scale = 0.01, Kz = 2.0;

    public IReadOnlyList<int> Mobile { get; } = [0];
    public long Calls { get; private set; }

    public double Compute(ReadOnlySpan<double> x, Span<double> forces)
    {
        Calls++;
        var (e, gx, gy, _, _, _) = Evaluate(x[0], x[1]);
        forces[0] = -gx; forces[1] = -gy; forces[2] = -Kz * x[2];
        return e + 0.5 * Kz * x[2] * x[2];
    }

    /// <summary>Energy, gradient and Hessian (xx, xy, yy) in x and y.</summary>
    public static (double E, double Gx, double Gy, double Hxx, double Hxy, double Hyy) Evaluate(double x, double y)
    {
        double e = 0, gx = 0, gy = 0, hxx = 0, hxy = 0, hyy = 0;
        for (int k = 0; k < 4; k++)
        {
            double dx = x - X0[k], dy = y - Y0[k];
            double t = A[k] * Math.Exp(a[k] * dx * dx + b[k] * dx * dy + c[k] * dy * dy) * Scale;
            double px = 2 * a[k] * dx + b[k] * dy, py = b[k] * dx + 2 * c[k] * dy;
            e += t; gx += t * px; gy += t * py;
            hxx += t * (px * px + 2 * a[k]); hxy += t * (px * py + b[k]); hyy += t * (py * py + 2 * c[k]);
        }
        return (e, gx, gy, hxx, hxy, hyy);
    }

    public static (double Low, double High) Eigenvalues(double x, double y)
    {
        var (_, _, _, hxx, hxy, hyy) = Evaluate(x, y);
        double mean = (hxx + hyy) / 2, d = Math.Sqrt((hxx - hyy) * (hxx - hyy) / 4 + hxy * hxy);
        return (mean - d, mean + d);
    }
}

public class ArtSearchTests
{
    // The shallowest minimum of the surface and the two saddles around it (literature values, refined below by Newton)
    private static readonly (double X, double Y) MinimumC = (-0.0500108, 0.4666941);
    private static readonly ArtSettings Settings = new()
    {
        InitialRadius = 0.1, BasinStep = 0.05, EigenvalueThreshold = -0.5, SaddleForce = 1e-6, MinimumCurvature = 0.01,
        MinimizeForce = 1e-7, LanczosStep = 1e-5, ConnectTolerance = 0.05, MovedThreshold = 0.01,
    };

    private static (ArtOutcome Outcome, double[] Saddle) Search(long seed)
    {
        var surface = new MullerBrownSurface();
        var search = new ArtSearch(surface, Settings);
        var x0 = new[] { MinimumC.X, MinimumC.Y, 0.0 };
        var f = new double[3];
        double e0 = search.Minimize(x0, f);
        var outcome = search.Run(x0, e0, [0], new SplitMix64(seed, 0));
        return (outcome, x0);
    }

    [Fact]
    public void SaddlesOnTheMuellerBrownSurfaceAreExactFirstOrderSaddles()
    {
        var barriers = new List<double>();
        for (long seed = 1; seed <= 12; seed++)
        {
            var (o, x0) = Search(seed);
            if (!o.Converged) continue;
            // the saddle: reconstruct it from the minimum and the reported displacement is not enough; check energies
            barriers.Add(o.Eact);
            Assert.True(o.SaddleForce < Settings.SaddleForce);
            Assert.True(o.Eigenvalue < 0 && o.SecondEigenvalue > 0, $"seed {seed}: eigenvalues {o.Eigenvalue}, {o.SecondEigenvalue}");
        }
        Assert.True(barriers.Count >= 6, $"only {barriers.Count} of 12 searches converged");
        // every barrier is one of the two exact saddles next to minimum C
        var exact = ExactBarriers();
        foreach (var eact in barriers)
            Assert.Contains(exact, b => Math.Abs(b - eact) < 1e-8);
    }

    /// <summary>Saddles by Newton's method on the exact gradient from the literature starting points.</summary>
    private static double[] ExactBarriers()
    {
        double eMin = Newton(MinimumC.X, MinimumC.Y).E;
        return [Newton(-0.822, 0.624).E - eMin, Newton(0.212, 0.293).E - eMin];
    }

    private static (double X, double Y, double E) Newton(double x, double y)
    {
        for (int it = 0; it < 50; it++)
        {
            var (_, gx, gy, hxx, hxy, hyy) = MullerBrownSurface.Evaluate(x, y);
            double det = hxx * hyy - hxy * hxy;
            x -= (hyy * gx - hxy * gy) / det;
            y -= (-hxy * gx + hxx * gy) / det;
        }
        return (x, y, MullerBrownSurface.Evaluate(x, y).E);
    }

    [Fact]
    public void TheSameSeedGivesTheSameSearch()
    {
        var (a, _) = Search(5);
        var (b, _) = Search(5);
        Assert.Equal(a.Converged, b.Converged);
        Assert.Equal(a.Eact, b.Eact);
        Assert.Equal(a.ForceCalls, b.ForceCalls);
    }
}
