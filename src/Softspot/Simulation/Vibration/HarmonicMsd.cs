using Softspot.Simulation.Art;
using Softspot.Neighbours;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;

namespace Softspot.Simulation.Vibration;

/// <summary>
/// The classical harmonic mean-square displacement of every atom about an energy minimum: MSD_i = k_B T tr[(H^+)_ii],
/// where H is the 3N x 3N Hessian and H^+ its pseudo-inverse (the three uniform translations are its null space
/// in a periodic cell). H comes from central differences of the native engine's forces (step <see cref="Step"/>,
/// then symmetrised); H^+'s diagonal from the Cholesky factor of A = H + c P, P the projector on the translations and c
/// the mean diagonal of H, since A^-1 = H^+ + P / c when the translations are H's only zero modes. Dense: memory
/// 8 (3N)^2 bytes, time O(N^3) (about a second for 500 atoms); meant for small cells and as the MD's check.
/// </summary>
public static class HarmonicMsd
{
    /// <summary>Finite-difference displacement (A).</summary>
    public const double Step = 1e-3;

    /// <summary>MSD of each atom (A^2) at <paramref name="temperature"/> K about the minimum <paramref name="minimum"/> (3N).</summary>
    public static double[] Compute(Snapshot structure, SetflPotential potential, IReadOnlyList<string> symbols, double[] minimum, double temperature, int threads)
    {
        int n = structure.Count, dim = 3 * n;
        if ((long)dim * dim > 400_000_000L)
            throw new SoftspotException($"{structure.Source ?? "structure"}: the harmonic MSD of {n} atoms needs a {dim} x {dim} Hessian ({8.0 * dim * dim / (1 << 30):F1} GiB): use --flex-method md");
        var h = Hessian(structure, potential, symbols, minimum, threads);
        // A = H + c P: P_(ia),(jb) = delta_ab / N
        double c = 0;
        for (int k = 0; k < dim; k++) c += h[(long)k * dim + k];
        c /= dim;
        for (int a = 0; a < dim; a++)
            for (int b = a % 3; b < dim; b += 3) h[(long)a * dim + b] += c / n;
        Cholesky(h, dim, threads, structure.Source);
        var diag = InverseDiagonal(h, dim, threads);
        double kT = MetalUnits.Boltzmann * temperature;
        var msd = new double[n];
        for (int i = 0; i < n; i++)
            msd[i] = kT * (diag[3 * i] + diag[3 * i + 1] + diag[3 * i + 2] - 3 / (c * n));
        return msd;
    }

    /// <summary>The symmetrised Hessian (eV/A^2), row-major dim x dim, by central differences of the forces.</summary>
    internal static double[] Hessian(Snapshot structure, SetflPotential potential, IReadOnlyList<string> symbols, double[] minimum, int threads)
    {
        int dim = minimum.Length;
        var h = new double[(long)dim * dim];
        Parallelism.MapChunks(dim, 64, threads, (start, end) =>
        {
            using var engine = new EamForceEngine(structure, potential, symbols);
            var x = (double[])minimum.Clone();
            var fp = new double[dim]; var fm = new double[dim];
            for (int a = start; a < end; a++)
            {
                x[a] = minimum[a] + Step; engine.Compute(x, fp);
                x[a] = minimum[a] - Step; engine.Compute(x, fm);
                x[a] = minimum[a];
                long row = (long)a * dim;
                for (int b = 0; b < dim; b++) h[row + b] = -(fp[b] - fm[b]) / (2 * Step);
            }
            return 0;
        });
        for (int a = 0; a < dim; a++)
            for (int b = a + 1; b < dim; b++)
            {
                double s = 0.5 * (h[(long)a * dim + b] + h[(long)b * dim + a]);
                h[(long)a * dim + b] = s; h[(long)b * dim + a] = s;
            }
        return h;
    }

    /// <summary>In place: the lower triangle of the row-major matrix becomes its Cholesky factor L (A = L L^T).</summary>
    internal static void Cholesky(double[] a, int dim, int threads, string? source)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        for (int j = 0; j < dim; j++)
        {
            long rj = (long)j * dim;
            double d = a[rj + j] - VectorMath.Dot(a.AsSpan((int)rj, j), a.AsSpan((int)rj, j));
            if (!(d > 0))
                throw new SoftspotException($"{source ?? "structure"}: the Hessian is not positive definite beyond the translations (an unstable or soft direction at the minimum): use --flex-method md");
            double ljj = Math.Sqrt(d);
            a[rj + j] = ljj;
            int rows = dim - j - 1;
            if (rows == 0) break;
            void Row(int i)
            {
                long ri = (long)i * dim;
                a[ri + j] = (a[ri + j] - VectorMath.Dot(a.AsSpan((int)ri, j), a.AsSpan((int)rj, j))) / ljj;
            }
            if (threads > 1 && (long)rows * j > 20_000) Parallel.For(j + 1, dim, options, Row);
            else for (int i = j + 1; i < dim; i++) Row(i);
        }
    }

    /// <summary>The diagonal of (L L^T)^-1 from the Cholesky factor: (A^-1)_kk = |L^-1 e_k|^2.</summary>
    internal static double[] InverseDiagonal(double[] l, int dim, int threads)
    {
        var diag = new double[dim];
        Parallelism.MapChunks(dim, 16, threads, (start, end) =>
        {
            var y = new double[dim];
            for (int k = start; k < end; k++)
            {
                y[k] = 1 / l[(long)k * dim + k];
                double s = y[k] * y[k];
                for (int i = k + 1; i < dim; i++)
                {
                    long ri = (long)i * dim;
                    y[i] = -VectorMath.Dot(l.AsSpan((int)(ri + k), i - k), y.AsSpan(k, i - k)) / l[ri + i];
                    s += y[i] * y[i];
                }
                diag[k] = s;
            }
            return 0;
        });
        return diag;
    }
}
