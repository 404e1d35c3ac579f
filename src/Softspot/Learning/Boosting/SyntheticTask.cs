using Softspot.Numerics;
namespace Softspot.Learning;

/// <summary>
/// The synthetic classification task of the GBDT benchmarks (shared/reference/ecosystem.md: 80 float features, 20 of
/// them noisy copies of others, a nonlinear rule plus noise, top 5 % positive), written down exactly so that tests,
/// benchmarks and the Python reference see the same table for a seed.
/// <para>
/// With <c>c</c> columns, the first <c>c - c/4</c> are independent: column j is standard normal when j % 3 == 0,
/// uniform on [-2, 2] when j % 3 == 1 and a centred log-normal (exp(N(0, 0.5)) - 1) when j % 3 == 2. The last
/// <c>c/4</c> columns are noisy copies of the first ones: x[base + k] = x[k] + N(0, 0.5). Every value is rounded to
/// float precision. The latent score is
/// 1.5 x0 x1 + 2 sin(1.5 x2) + x3^2 - 1.5 |x4| + 1.5 [x5 &gt; 0.5] x6 + tanh(2 x7) x8 + 0.4 x9 x10 x11
/// + 0.3 (x12 + ... + x19) + N(0, 1.5^2) (terms on columns that do not exist are left out), and the label is 1 for the
/// top <c>positiveFraction</c> of the scores. <see cref="Generate"/> also returns the score itself, the regression
/// target of the squared-error variant.
/// </para>
/// </summary>
public static class SyntheticTask
{
    /// <summary>Rows x columns features (row-major), 0/1 labels and the latent score; optionally with NaN holes.</summary>
    /// <param name="rows">Rows (samples) to generate, at least 1.</param>
    /// <param name="columns">Feature columns, at least 4; the last <c>columns/4</c> are noisy copies of the first ones.</param>
    /// <param name="seed">Seed of the random stream: the same seed gives the same table.</param>
    /// <param name="positiveFraction">Fraction of rows, those with the highest latent score, labelled 1.</param>
    /// <param name="missingFraction">Fraction of values set to NaN in every fifth column (columns 4, 9, 14, ...).</param>
    public static (double[] X, double[] Labels, double[] Score) Generate(int rows, int columns = 80, int seed = 1, double positiveFraction = 0.05, double missingFraction = 0)
    {
        if (rows < 1 || columns < 4) throw new ArgumentOutOfRangeException(nameof(columns), "need at least one row and four columns");
        var rng = new SplitMix64(seed, 9, 0);
        int copies = columns / 4, independent = columns - copies;
        var x = new double[(long)rows * columns];
        var score = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            var row = x.AsSpan(i * columns, columns);
            for (int j = 0; j < independent; j++)
                row[j] = (j % 3) switch
                {
                    0 => Normal(rng),
                    1 => 4 * rng.NextDouble() - 2,
                    _ => Math.Exp(0.5 * Normal(rng)) - 1,
                };
            for (int k = 0; k < copies; k++) row[independent + k] = row[k % independent] + 0.5 * Normal(rng);
            for (int j = 0; j < columns; j++) row[j] = (float)row[j];
            long rowStart = (long)i * columns;
            double V(int j) => j < independent ? x[rowStart + j] : 0;
            double s = 1.5 * V(0) * V(1) + 2 * Math.Sin(1.5 * V(2)) + V(3) * V(3) - 1.5 * Math.Abs(V(4))
                + (V(5) > 0.5 ? 1.5 * V(6) : 0) + Math.Tanh(2 * V(7)) * V(8) + 0.4 * V(9) * V(10) * V(11);
            for (int j = 12; j < 20; j++) s += 0.3 * V(j);
            score[i] = s + 1.5 * Normal(rng);
            if (missingFraction > 0)
                for (int j = 4; j < columns; j += 5)
                    if (rng.NextDouble() < missingFraction) row[j] = double.NaN;
        }
        var sorted = (double[])score.Clone();
        Array.Sort(sorted);
        int positives = (int)Math.Round(positiveFraction * rows);
        double cut = positives > 0 ? sorted[rows - positives] : double.PositiveInfinity;
        var labels = new double[rows];
        for (int i = 0; i < rows; i++) labels[i] = score[i] >= cut ? 1 : 0;
        return (x, labels, score);
    }

    private static double Normal(SplitMix64 rng)
    {
        double u = 1 - rng.NextDouble(), v = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
