using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Softspot.Simulation.Potentials;

namespace Softspot.Simulation.Forces;

/// <summary>
/// The EAM evaluation over an <see cref="EamPairList"/>: E = sum_i F_i(rho_i) + sum_pairs phi(r), forces from
/// dE/dr = F'_i rho'_{j->i} + F'_j rho'_{i->j} + phi' along each pair.
/// </summary>
internal static class EamKernel
{
    /// <summary>How many active entries ahead the table lines are prefetched.</summary>
    private const int PrefetchDistance = 32;

    /// <summary>
    /// First pass: finds the listed pairs within the cutoff, adds their density contributions to
    /// <paramref name="rho"/> (at both atoms), caches their radial derivatives and returns the pair energy;
    /// optionally adds half of each pair energy to both atoms.
    /// </summary>
    /// <remarks>
    /// Done in two sweeps with the same arithmetic, in the same order, as one: the first finds the entries within the
    /// cutoff, their distances and their table intervals (positions only, cache-resident); the second evaluates the
    /// tables, prefetching the intervals of the entries a little ahead, since each lookup is a likely cache miss.
    /// </remarks>
    public static double Densities(EamTables t, EamPairList list, double[] pos, double[] rho, double[]? atomEnergy)
    {
        LocateActive(t, list, pos);
        return Evaluate(t, list, rho, atomEnergy);
    }

    /// <summary>Compacts each row to its entries within the cutoff; their distances, table intervals and fractions.</summary>
    private static void LocateActive(EamTables t, EamPairList list, double[] pos)
    {
        var rowStart = list.RowStart; var partner = list.Partner; var shift = list.Shift; var sv = list.ShiftVectors;
        var active = list.Active; var activeStart = list.ActiveStart; var distance = list.Distance;
        double cut2 = t.CutoffSquared;
        int q = 0;
        for (int i = 0; i < list.Rows; i++)
        {
            double xi = pos[3 * i], yi = pos[3 * i + 1], zi = pos[3 * i + 2];
            // the entries within the cutoff, compacted without branches (which ones are is unpredictable)
            activeStart[i] = q;
            for (int k = rowStart[i], end = rowStart[i + 1]; k < end; k++)
            {
                int j = partner[k], c = 3 * shift[k];
                double dx = (pos[3 * j] - xi) + sv[c];
                double dy = (pos[3 * j + 1] - yi) + sv[c + 1];
                double dz = (pos[3 * j + 2] - zi) + sv[c + 2];
                double r2 = dx * dx + dy * dy + dz * dz;
                active[q] = k;
                distance[q] = r2;
                q += r2 < cut2 ? 1 : 0;
            }
        }
        activeStart[list.Rows] = q;
        Intervals(t, list, q);
    }

    /// <summary>Turns the squared distances of the first <paramref name="count"/> active entries into distances, and locates their table intervals.</summary>
    private static void Intervals(EamTables t, EamPairList list, int count)
    {
        var active = list.Active; var distance = list.Distance; var table = list.Table;
        var tableAt = list.TableAt; var fraction = list.Fraction;
        int nr = t.DistanceKnots;
        double invDr = t.InverseDistanceSpacing;
        int a = 0;
        if (Avx.IsSupported)
        {
            // four at a time, lane by lane the operations of TabulatedFunction.Locate (the distances are finite and
            // below the cutoff: the truncation cannot overflow and the fraction is not NaN, so min = its clamp)
            var inv = Vector256.Create(invDr);
            var one = Vector256.Create(1.0);
            var first = Vector128.Create(1);
            var last = Vector128.Create(nr - 1);
            for (; a <= count - 4; a += 4)
            {
                var r = Vector256.Sqrt(Vector256.LoadUnsafe(ref distance[a]));
                r.StoreUnsafe(ref distance[a]);
                var p = r * inv + one;
                var m = Vector128.Min(Vector128.Max(Avx.ConvertToVector128Int32WithTruncation(p), first), last);
                Avx.Min(p - Avx.ConvertToVector256Double(m), one).StoreUnsafe(ref fraction[a]);
                for (int l = 0; l < 4; l++) tableAt[a + l] = table[active[a + l]] + EamTables.Stride * (m[l] - 1);
            }
        }
        for (; a < count; a++)
        {
            double r = Math.Sqrt(distance[a]);
            distance[a] = r;
            tableAt[a] = table[active[a]] + EamTables.Stride * TabulatedFunction.Locate(r, invDr, nr, out fraction[a]);
        }
    }

    /// <summary>The table sweep of <see cref="Densities"/> over the entries <see cref="LocateActive"/> found.</summary>
    private static unsafe double Evaluate(EamTables t, EamPairList list, double[] rho, double[]? atomEnergy)
    {
        var partner = list.Partner; var active = list.Active; var activeStart = list.ActiveStart;
        var distance = list.Distance; var tableAt = list.TableAt; var fraction = list.Fraction; var g = list.Gradient;
        var table = t.Fused;
        int count = activeStart[list.Rows];
        double energy = 0;
        fixed (double* lines = table) // already pinned: fixing costs nothing and gives the prefetch addresses
        {
            for (int i = 0; i < list.Rows; i++)
            {
                double rhoI = 0, energyI = 0;
                for (int a = activeStart[i], end = activeStart[i + 1]; a < end; a++)
                {
                    if (Sse.IsSupported && a + PrefetchDistance < count)
                    {
                        double* ahead = lines + tableAt[a + PrefetchDistance];
                        Sse.Prefetch0(ahead);
                        Sse.Prefetch0(ahead + EamTables.DensityOut);
                        Sse.Prefetch0(ahead + EamTables.ScaledPair);
                    }
                    int j = partner[active[a]];
                    double r = distance[a], p = fraction[a];
                    int at = tableAt[a];
                    double rhoIn = TabulatedFunction.Interpolate(table, at + EamTables.DensityIn, p, out double dIn);
                    double rhoOut = TabulatedFunction.Interpolate(table, at + EamTables.DensityOut, p, out double dOut);
                    double z = TabulatedFunction.Interpolate(table, at + EamTables.ScaledPair, p, out double dz);
                    double invR = 1.0 / r;
                    double phi = z * invR;
                    rhoI += rhoIn;
                    rho[j] += rhoOut;
                    energyI += phi;
                    if (atomEnergy is not null) atomEnergy[j] += 0.5 * phi;
                    g[3 * a] = dIn * invR;
                    g[3 * a + 1] = dOut * invR;
                    g[3 * a + 2] = (dz - phi) * invR * invR;
                }
                rho[i] += rhoI;
                energy += energyI;
                if (atomEnergy is not null) atomEnergy[i] += 0.5 * energyI;
            }
        }
        return energy;
    }

    /// <summary>
    /// Embedding energies of atoms [start, end): F(rho) into the total, F'(rho) into <paramref name="fp"/>; with
    /// <paramref name="offset"/>, offset[i] is subtracted from atom i's embedding energy.
    /// </summary>
    public static double Embed(EamTables t, int[] element, double[] rho, double[] fp, int start, int end, double[]? offset, double[]? atomEnergy)
    {
        double energy = 0;
        var embedding = t.Embedding;
        for (int i = start; i < end; i++)
        {
            double e = embedding[element[i]].Evaluate(rho[i], out fp[i]);
            if (offset is not null) e -= offset[i];
            energy += e;
            if (atomEnergy is not null) atomEnergy[i] += e;
        }
        return energy;
    }

    /// <summary>
    /// Second pass over the pairs found by <see cref="Densities"/>: adds the pair forces (from the cached
    /// derivatives and F') into <paramref name="f"/>.
    /// </summary>
    public static void Forces(EamPairList list, double[] pos, double[] fp, double[] f)
    {
        var partner = list.Partner; var shift = list.Shift; var sv = list.ShiftVectors;
        var active = list.Active; var activeStart = list.ActiveStart; var g = list.Gradient;
        for (int i = 0; i < list.Rows; i++)
        {
            double xi = pos[3 * i], yi = pos[3 * i + 1], zi = pos[3 * i + 2];
            double fpi = fp[i];
            double fx = 0, fy = 0, fz = 0;
            for (int a = activeStart[i], end = activeStart[i + 1]; a < end; a++)
            {
                int k = active[a];
                int j = partner[k], c = 3 * shift[k];
                double w = fpi * g[3 * a] + fp[j] * g[3 * a + 1] + g[3 * a + 2];
                double dx = (pos[3 * j] - xi) + sv[c];
                double dy = (pos[3 * j + 1] - yi) + sv[c + 1];
                double dz = (pos[3 * j + 2] - zi) + sv[c + 2];
                fx += w * dx; fy += w * dy; fz += w * dz;
                f[3 * j] -= w * dx; f[3 * j + 1] -= w * dy; f[3 * j + 2] -= w * dz;
            }
            f[3 * i] += fx; f[3 * i + 1] += fy; f[3 * i + 2] += fz;
        }
    }

    /// <summary>
    /// Third pass, after <see cref="Forces"/> (same cached derivatives and F'): each pair's virial r (x) f, split half
    /// to each of its atoms as LAMMPS' ev_tally does, added into <paramref name="virial"/> (six numbers per atom: xx,
    /// yy, zz, xy, xz, yz; eV). With d = x_j - x_i and the force on i w d, the pair's virial is -w d (x) d, so each
    /// atom gets -w/2 d (x) d (positive when the pair repels).
    /// </summary>
    public static void Virial(EamPairList list, double[] pos, double[] fp, double[] virial)
    {
        var partner = list.Partner; var shift = list.Shift; var sv = list.ShiftVectors;
        var active = list.Active; var activeStart = list.ActiveStart; var g = list.Gradient;
        for (int i = 0; i < list.Rows; i++)
        {
            double xi = pos[3 * i], yi = pos[3 * i + 1], zi = pos[3 * i + 2];
            double fpi = fp[i];
            double vxx = 0, vyy = 0, vzz = 0, vxy = 0, vxz = 0, vyz = 0;
            for (int a = activeStart[i], end = activeStart[i + 1]; a < end; a++)
            {
                int k = active[a];
                int j = partner[k], c = 3 * shift[k];
                double h = -0.5 * (fpi * g[3 * a] + fp[j] * g[3 * a + 1] + g[3 * a + 2]);
                double dx = (pos[3 * j] - xi) + sv[c];
                double dy = (pos[3 * j + 1] - yi) + sv[c + 1];
                double dz = (pos[3 * j + 2] - zi) + sv[c + 2];
                double xx = h * dx * dx, yy = h * dy * dy, zz = h * dz * dz, xy = h * dx * dy, xz = h * dx * dz, yz = h * dy * dz;
                vxx += xx; vyy += yy; vzz += zz; vxy += xy; vxz += xz; vyz += yz;
                int o = 6 * j;
                virial[o] += xx; virial[o + 1] += yy; virial[o + 2] += zz; virial[o + 3] += xy; virial[o + 4] += xz; virial[o + 5] += yz;
            }
            int q = 6 * i;
            virial[q] += vxx; virial[q + 1] += vyy; virial[q + 2] += vzz; virial[q + 3] += vxy; virial[q + 4] += vxz; virial[q + 5] += vyz;
        }
    }
}
