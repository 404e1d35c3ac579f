using System.Numerics;

namespace Softspot.Descriptors;

/// <summary>
/// The fixed tables of the SNAP bispectrum for one band limit 2j_max: the (2j₁, 2j₂, 2j) triples in LAMMPS
/// <c>compute sna/atom</c> order, the layout of the hyperspherical harmonics U^j (one (2j+1)×(2j+1) block per j),
/// the square-root factors of their recursion and, for every triple, the Clebsch–Gordan products that contract
/// U^{j₁}·U^{j₂} with (U^j)*. Built once per descriptor; read-only afterwards, so one instance serves every thread.
/// </summary>
/// <remarks>
/// All angular momenta are stored doubled (twoJ = 2j), as integers; an index m_a = 0 … twoJ stands for
/// m = (2m_a − twoJ)/2. U^j[m_a, m_b] is stored at <see cref="Index"/> = (start of the block of j) + m_b·(twoJ+1) + m_a.
/// B_{j₁,j₂,j} = Σ_{m,m'} (U^j_{m,m'})* Σ C^{j m}_{j₁ m₁ j₂ m₂} C^{j m'}_{j₁ m₁' j₂ m₂'} U^{j₁}_{m₁,m₁'} U^{j₂}_{m₂,m₂'},
/// each term of which is one entry of the flat contraction lists (<see cref="Terms"/>).
/// </remarks>
internal sealed class BispectrumBasis
{
    /// <summary>The band limit 2j_max.</summary>
    public int TwoJMax { get; }

    /// <summary>The (2j₁, 2j₂, 2j) triples in LAMMPS order: j₁ = 0…, j₂ = 0…j₁, j = j₁−j₂ … min(2j_max, j₁+j₂) step 2, j ≥ j₁.</summary>
    public (int J1, int J2, int J)[] Triples { get; }

    /// <summary>Complex entries of all U^j blocks, j = 0 … j_max.</summary>
    public int USize { get; }

    private readonly int[] _block;

    /// <summary>√(p/q) for 1 ≤ p, q ≤ 2j_max + 1 (index p·(2j_max+2) + q).</summary>
    private readonly double[] _root;

    /// <summary>One contraction term: the U^j, U^{j₁}, U^{j₂} entries and the product of the two Clebsch–Gordan coefficients.</summary>
    public readonly record struct Term(int U, int U1, int U2, double Coefficient);

    /// <summary>Every triple's terms, back to back; triple t owns <c>Terms[TermStart[t] .. TermStart[t+1]]</c>.</summary>
    public Term[] Terms { get; }

    /// <summary>Where each triple's terms start (one more entry than triples).</summary>
    public int[] TermStart { get; }

    public BispectrumBasis(int twoJMax)
    {
        if (twoJMax < 0 || twoJMax > 20) throw new ArgumentOutOfRangeException(nameof(twoJMax), "2j_max must lie in 0 … 20");
        TwoJMax = twoJMax;
        _block = new int[twoJMax + 2];
        for (int j = 0; j <= twoJMax; j++) _block[j + 1] = _block[j] + (j + 1) * (j + 1);
        USize = _block[twoJMax + 1];
        int n = twoJMax + 2;
        _root = new double[n * n];
        for (int p = 1; p < n; p++)
            for (int q = 1; q < n; q++) _root[p * n + q] = Math.Sqrt((double)p / q);

        var triples = new List<(int, int, int)>();
        for (int j1 = 0; j1 <= twoJMax; j1++)
            for (int j2 = 0; j2 <= j1; j2++)
                for (int j = j1 - j2; j <= Math.Min(twoJMax, j1 + j2); j += 2)
                    if (j >= j1) triples.Add((j1, j2, j));
        Triples = triples.ToArray();

        var terms = new List<Term>();
        TermStart = new int[Triples.Length + 1];
        for (int t = 0; t < Triples.Length; t++)
        {
            var (j1, j2, j) = Triples[t];
            var pairs = CouplingPairs(j1, j2, j);
            foreach (var a in pairs)
                foreach (var b in pairs)
                    terms.Add(new Term(Index(j, a.M, b.M), Index(j1, a.M1, b.M1), Index(j2, a.M2, b.M2), a.Cg * b.Cg));
            TermStart[t + 1] = terms.Count;
        }
        Terms = terms.ToArray();
    }

    /// <summary>Where U^j[m_a, m_b] is stored (doubled j, indices 0 … twoJ): column-major, so that a block's first half (2m_b ≤ twoJ) is contiguous.</summary>
    public int Index(int twoJ, int ma, int mb) => _block[twoJ] + mb * (twoJ + 1) + ma;

    /// <summary>One coupling m₁ + m₂ = m of (j₁, j₂) to j, as indices, with its Clebsch–Gordan coefficient.</summary>
    private readonly record struct Pair(int M, int M1, int M2, double Cg);

    private static List<Pair> CouplingPairs(int j1, int j2, int j)
    {
        var pairs = new List<Pair>();
        for (int a1 = 0; a1 <= j1; a1++)
            for (int a2 = 0; a2 <= j2; a2++)
            {
                int m1 = 2 * a1 - j1, m2 = 2 * a2 - j2, m = m1 + m2; // doubled
                if (Math.Abs(m) > j) continue;
                pairs.Add(new Pair((m + j) / 2, a1, a2, ClebschGordan(j1, m1, j2, m2, j, m)));
            }
        return pairs;
    }

    /// <summary>
    /// ⟨j₁ m₁ j₂ m₂ | j m⟩ by Racah's formula, every argument doubled (so half-integers are integers);
    /// zero unless m = m₁ + m₂ and the triangle holds.
    /// </summary>
    public static double ClebschGordan(int j1, int m1, int j2, int m2, int j, int m)
    {
        if (m1 + m2 != m || j < Math.Abs(j1 - j2) || j > j1 + j2 || ((j1 + j2 + j) & 1) != 0) return 0;
        if (Math.Abs(m1) > j1 || Math.Abs(m2) > j2 || Math.Abs(m) > j) return 0;
        static double F(int doubled) => Factorial(doubled / 2);
        double sum = 0;
        for (int k = 0; ; k++)
        {
            // the factorial arguments in units of 1 (k counts whole steps)
            int a = (j1 + j2 - j) / 2 - k, b = (j1 - m1) / 2 - k, c = (j2 + m2) / 2 - k;
            int d = (j - j2 + m1) / 2 + k, e = (j - j1 - m2) / 2 + k;
            if (a < 0 || b < 0 || c < 0) break;
            if (d < 0 || e < 0) continue;
            double term = 1 / (Factorial(k) * Factorial(a) * Factorial(b) * Factorial(c) * Factorial(d) * Factorial(e));
            sum += (k & 1) == 0 ? term : -term;
        }
        double norm = (j + 1) * F(j1 + j2 - j) * F(j1 - j2 + j) * F(-j1 + j2 + j) / F(j1 + j2 + j + 2);
        double ms = F(j1 + m1) * F(j1 - m1) * F(j2 + m2) * F(j2 - m2) * F(j + m) * F(j - m);
        return Math.Sqrt(norm * ms) * sum;
    }

    private static double Factorial(int n)
    {
        double f = 1;
        for (int i = 2; i <= n; i++) f *= i;
        return f;
    }

    /// <summary>
    /// Adds weight·U^j(a, b), j = 0 … j_max, to the first half (2m_b ≤ twoJ) of (re, im), where (a, b) are the
    /// Cayley–Klein parameters of a neighbour; <see cref="CompleteHalves"/> fills the other half once every neighbour
    /// is in. Each SIMD lane is one neighbour (a lane of zero weight adds nothing); <paramref name="ur"/>/<paramref name="ui"/>
    /// are scratch of <see cref="USize"/> entries, and (re, im) are per-lane sums, added across lanes by the caller.
    /// </summary>
    /// <remarks>
    /// Thompson et al. (2015): U^0 = 1 and, for 2m_b ≤ twoJ,
    /// U^j[m_a, m_b] = √((twoJ−m_a)/(twoJ−m_b))·a*·U^{j−½}[m_a, m_b] − √(m_a/(twoJ−m_b))·b*·U^{j−½}[m_a−1, m_b];
    /// the other half follows from U^j[twoJ−m_a, twoJ−m_b] = (−1)^{m_a+m_b}·(U^j[m_a, m_b])*, a symmetry that sums of
    /// U (and the identity of the central atom) keep. Of it, only the column the next level's recursion reads (m_b =
    /// (twoJ+1)/2 for odd twoJ) is filled here.
    /// </remarks>
    public void AddU(Vector<double> ar, Vector<double> ai, Vector<double> br, Vector<double> bi, Vector<double> weight,
        Span<Vector<double>> ur, Span<Vector<double>> ui, Span<Vector<double>> re, Span<Vector<double>> im)
    {
        int n = TwoJMax + 2;
        ur[0] = Vector<double>.One; ui[0] = Vector<double>.Zero;
        re[0] += weight;
        for (int j = 1; j <= TwoJMax; j++)
        {
            int cur = _block[j], prev = _block[j - 1], w = j + 1, pw = j;
            for (int mb = 0; 2 * mb <= j; mb++)
            {
                int row = cur + mb * w, prow = prev + mb * pw;
                for (int ma = 0; ma <= j; ma++)
                {
                    Vector<double> vr = default, vi = default;
                    if (ma < j)
                    {
                        var f = new Vector<double>(_root[(j - ma) * n + (j - mb)]);
                        var pr = ur[prow + ma]; var pi = ui[prow + ma];
                        vr += f * (ar * pr + ai * pi);
                        vi += f * (ar * pi - ai * pr);
                    }
                    if (ma > 0)
                    {
                        var f = new Vector<double>(_root[ma * n + (j - mb)]);
                        var pr = ur[prow + ma - 1]; var pi = ui[prow + ma - 1];
                        vr -= f * (br * pr + bi * pi);
                        vi -= f * (br * pi - bi * pr);
                    }
                    ur[row + ma] = vr; ui[row + ma] = vi;
                    re[row + ma] += weight * vr; im[row + ma] += weight * vi;
                }
            }
            if ((j & 1) == 1 && j < TwoJMax)
            {
                int mb = (j + 1) / 2, row = cur + mb * w, from = cur + (j - mb) * w;
                for (int ma = 0; ma <= j; ma++)
                {
                    bool even = ((ma + mb) & 1) == 0;
                    ur[row + ma] = even ? ur[from + j - ma] : -ur[from + j - ma];
                    ui[row + ma] = even ? -ui[from + j - ma] : ui[from + j - ma];
                }
            }
        }
    }

    /// <summary>Fills the second half (2m_b &gt; twoJ) of every block of (re, im) from the first, by the symmetry of <see cref="AddU"/>.</summary>
    public void CompleteHalves(Span<double> re, Span<double> im)
    {
        for (int j = 1; j <= TwoJMax; j++)
        {
            int cur = _block[j], w = j + 1;
            for (int mb = j / 2 + 1; mb <= j; mb++)
            {
                int row = cur + mb * w, from = cur + (j - mb) * w;
                for (int ma = 0; ma <= j; ma++)
                {
                    double sign = ((ma + mb) & 1) == 0 ? 1 : -1;
                    re[row + ma] = sign * re[from + j - ma];
                    im[row + ma] = -sign * im[from + j - ma];
                }
            }
        }
    }

    /// <summary>The bispectrum components of a total density expansion (re, im), in <see cref="Triples"/> order.</summary>
    public void Contract(ReadOnlySpan<double> re, ReadOnlySpan<double> im, Span<double> b)
    {
        var terms = Terms;
        for (int t = 0; t < Triples.Length; t++)
        {
            double sum = 0;
            for (int k = TermStart[t]; k < TermStart[t + 1]; k++)
            {
                var term = terms[k];
                double r1 = re[term.U1], i1 = im[term.U1], r2 = re[term.U2], i2 = im[term.U2];
                double zr = r1 * r2 - i1 * i2, zi = r1 * i2 + i1 * r2;
                sum += term.Coefficient * (re[term.U] * zr + im[term.U] * zi);
            }
            b[t] = sum;
        }
    }
}
