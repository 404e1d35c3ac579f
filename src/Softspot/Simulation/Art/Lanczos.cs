namespace Softspot.Simulation.Art;

/// <summary>
/// The lowest eigenvalue and eigenvector of the Hessian of a surface at a point, by the Lanczos method, with each
/// Hessian-vector product taken from a finite difference of forces: H v = -(f(x + h v) - f(x)) / h (forward, one force
/// call) or -(f(x + h v) - f(x - h v)) / 2h (central, two). Full reorthogonalisation keeps the small Krylov basis
/// exact; given orthonormal vectors are projected out of every basis vector: the zero modes of a periodic box
/// (uniform translations), and the lowest mode once known, which gives the next eigenvalue.
/// </summary>
internal sealed class Lanczos(int dimension, int maxIterations)
{
    private readonly double[][] _basis = Enumerable.Range(0, maxIterations + 1).Select(_ => new double[dimension]).ToArray();
    private readonly double[] _w = new double[dimension], _xp = new double[dimension], _fp = new double[dimension], _fm = new double[dimension];
    private readonly double[] _alpha = new double[maxIterations], _beta = new double[maxIterations];

    /// <summary>Finite-difference step (A) along the unit basis vectors.</summary>
    public double Step { get; init; } = 0.002;
    public bool Central { get; init; }
    /// <summary>Stop once the lowest Ritz value changes by less than this (eV/A^2) between iterations.</summary>
    public double Tolerance { get; init; } = 1e-3;
    public int MinIterations { get; init; } = 3;

    /// <summary>
    /// Returns the lowest eigenvalue (eV/A^2); <paramref name="vector"/> holds the starting vector on entry and the unit
    /// eigenvector on return. <paramref name="forces"/> are the forces at <paramref name="x"/> (for forward differences).
    /// </summary>
    public double Lowest(IPotentialSurface surface, ReadOnlySpan<double> x, ReadOnlySpan<double> forces, Span<double> vector,
        IReadOnlyList<double[]>? deflate = null, int? iterations = null)
    {
        deflate ??= [];
        int max = Math.Min(iterations ?? maxIterations, maxIterations);
        var v0 = _basis[0];
        vector.CopyTo(v0);
        foreach (var d in deflate) VectorMath.RemoveComponent(v0, d);
        if (VectorMath.Normalize(v0) == 0) throw new ArgumentException("the Lanczos start vector is zero");
        double previous = double.PositiveInfinity, lowest = 0;
        double[] ritz = [];
        int m = 0;
        for (int j = 0; j < max; j++)
        {
            var v = _basis[j];
            HessianTimes(surface, x, forces, v, _w);
            _alpha[j] = VectorMath.Dot(v, _w);
            // w -= alpha v + beta v_prev, then reorthogonalise against the whole basis (and the deflated mode)
            for (int pass = 0; pass < 2; pass++)
            {
                for (int k = 0; k <= j; k++) VectorMath.Axpy(-VectorMath.Dot(_w, _basis[k]), _basis[k], _w);
                foreach (var d in deflate) VectorMath.RemoveComponent(_w, d);
            }
            m = j + 1;
            (lowest, ritz) = Tridiagonal.LowestEigenpair(_alpha.AsSpan(0, m), _beta.AsSpan(0, m - 1));
            double beta = VectorMath.Norm(_w);
            if (m >= MinIterations && Math.Abs(lowest - previous) < Tolerance || beta < 1e-10 || m == max) break;
            previous = lowest;
            _beta[j] = beta;
            var next = _basis[j + 1];
            for (int i = 0; i < dimension; i++) next[i] = _w[i] / beta;
        }
        vector.Clear();
        for (int k = 0; k < m; k++) VectorMath.Axpy(ritz[k], _basis[k], vector);
        VectorMath.Normalize(vector);
        LastIterations = m;
        return lowest;
    }

    /// <summary>Basis vectors used by the last call.</summary>
    public int LastIterations { get; private set; }

    private void HessianTimes(IPotentialSurface surface, ReadOnlySpan<double> x, ReadOnlySpan<double> f0, ReadOnlySpan<double> v, Span<double> result)
    {
        for (int i = 0; i < dimension; i++) _xp[i] = x[i] + Step * v[i];
        surface.Compute(_xp, _fp);
        if (Central)
        {
            for (int i = 0; i < dimension; i++) _xp[i] = x[i] - Step * v[i];
            surface.Compute(_xp, _fm);
            for (int i = 0; i < dimension; i++) result[i] = -(_fp[i] - _fm[i]) / (2 * Step);
        }
        else
            for (int i = 0; i < dimension; i++) result[i] = -(_fp[i] - f0[i]) / Step;
    }
}

/// <summary>Eigenvalues of a small symmetric tridiagonal matrix (the Lanczos matrix) by cyclic Jacobi rotations.</summary>
internal static class Tridiagonal
{
    /// <summary>The lowest eigenvalue and its unit eigenvector, for diagonal <paramref name="a"/> and off-diagonal <paramref name="b"/>.</summary>
    public static (double Value, double[] Vector) LowestEigenpair(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int n = a.Length;
        var m = new double[n, n];
        var v = new double[n, n];
        for (int i = 0; i < n; i++) { m[i, i] = a[i]; v[i, i] = 1; if (i + 1 < n) m[i, i + 1] = m[i + 1, i] = b[i]; }
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += m[p, q] * m[p, q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++)
                for (int q = p + 1; q < n; q++)
                {
                    if (Math.Abs(m[p, q]) < 1e-300) continue;
                    double theta = (m[q, q] - m[p, p]) / (2 * m[p, q]);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < n; k++)
                    {
                        double mkp = m[k, p], mkq = m[k, q];
                        m[k, p] = c * mkp - s * mkq; m[k, q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double mpk = m[p, k], mqk = m[q, k];
                        m[p, k] = c * mpk - s * mqk; m[q, k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < n; k++)
                    {
                        double vkp = v[k, p], vkq = v[k, q];
                        v[k, p] = c * vkp - s * vkq; v[k, q] = s * vkp + c * vkq;
                    }
                }
        }
        int best = 0;
        for (int i = 1; i < n; i++) if (m[i, i] < m[best, best]) best = i;
        var vec = new double[n];
        for (int k = 0; k < n; k++) vec[k] = v[k, best];
        return (m[best, best], vec);
    }
}
