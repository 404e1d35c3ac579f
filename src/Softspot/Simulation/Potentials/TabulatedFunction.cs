using System.Runtime.CompilerServices;

namespace Softspot.Simulation.Potentials;

/// <summary>
/// A function tabulated at equally spaced knots x_k = k h (k = 0 .. n-1), interpolated the way the LAMMPS
/// pair_style eam family interpolates its embedding, density and r*phi tables, so that energies and forces agree
/// with LAMMPS to rounding:
/// <list type="bullet">
/// <item>the slope at each knot (per unit of the index k) is a 4th-order central difference,
/// s_k = ((f_{k-2} - f_{k+2}) + 8 (f_{k+1} - f_{k-1})) / 12, with the 2nd-order central difference
/// (f_{k+1} - f_{k-1}) / 2 at the second and last-but-one knots and one-sided differences at the two ends;</item>
/// <item>each interval carries the cubic Hermite polynomial through its two knot values with those two slopes;</item>
/// <item>a point x is located as in LAMMPS: p = x (1/h) + 1, interval m = (int) p clamped to [1, n-1]
/// (1-based), fraction t = p - m clamped to at most 1; below the table the first cubic is extrapolated, beyond
/// the last knot the value stays at the last knot (t = 1) while the derivative is the last knot's slope;</item>
/// <item>optionally (<see cref="ExtrapolatesLinearly"/>, used for the embedding function F(rho), as LAMMPS does
/// for densities beyond the table) the value beyond the last knot continues linearly with that slope.</item>
/// </list>
/// </summary>
public sealed class TabulatedFunction
{
    /// <summary>Numbers stored per interval in <see cref="Coefficients"/>.</summary>
    internal const int Stride = 7;

    private readonly double[] _values;
    /// <summary>
    /// Per interval k (0 .. n-2), in units of the fraction t: f_k, s_k, c2, c3 of the value
    /// ((c3 t + c2) t + s_k) t + f_k, then d0, d1, d2 of the derivative with respect to x, (d2 t + d1) t + d0.
    /// </summary>
    private readonly double[] _coefficients;

    /// <summary>Number of knots.</summary>
    public int Count { get; }
    /// <summary>Knot spacing h.</summary>
    public double Spacing { get; }
    /// <summary>1/h: LAMMPS locates points by multiplying with the reciprocal spacing.</summary>
    public double InverseSpacing { get; }
    /// <summary>Position of the last knot, (n - 1) h (LAMMPS' rhomax for the embedding function).</summary>
    public double End { get; }
    /// <summary>Beyond <see cref="End"/> the value continues linearly with the last slope (otherwise it stays constant).</summary>
    public bool ExtrapolatesLinearly { get; }

    /// <param name="values">the tabulated values f(k h), k = 0 .. n-1 (at least 5).</param>
    /// <param name="spacing">the knot spacing h (positive).</param>
    /// <param name="extrapolateLinearly">continue linearly beyond the last knot (embedding functions).</param>
    public TabulatedFunction(ReadOnlySpan<double> values, double spacing, bool extrapolateLinearly = false)
    {
        if (values.Length < MinimumKnots)
            throw new ArgumentException($"a tabulated function needs at least {MinimumKnots} values, got {values.Length}", nameof(values));
        if (!(spacing > 0) || !double.IsFinite(spacing))
            throw new ArgumentOutOfRangeException(nameof(spacing), "the knot spacing must be a positive number");
        int n = values.Length;
        Count = n;
        Spacing = spacing;
        InverseSpacing = 1.0 / spacing;
        End = (n - 1) * spacing;
        ExtrapolatesLinearly = extrapolateLinearly;
        _values = values.ToArray();
        var slope = new double[n];
        for (int k = 0; k < n; k++)
        {
            if (k == 0) slope[k] = values[1] - values[0];
            else if (k == n - 1) slope[k] = values[n - 1] - values[n - 2];
            else if (k == 1 || k == n - 2) slope[k] = 0.5 * (values[k + 1] - values[k - 1]);
            else slope[k] = ((values[k - 2] - values[k + 2]) + 8.0 * (values[k + 1] - values[k - 1])) / 12.0;
        }
        _coefficients = new double[Stride * (n - 1)];
        for (int k = 0; k < n - 1; k++)
        {
            double df = values[k + 1] - values[k];
            double c2 = 3.0 * df - 2.0 * slope[k] - slope[k + 1];
            double c3 = slope[k] + slope[k + 1] - 2.0 * df;
            var c = _coefficients.AsSpan(Stride * k, Stride);
            c[0] = values[k]; c[1] = slope[k]; c[2] = c2; c[3] = c3;
            c[4] = slope[k] / spacing; c[5] = 2.0 * c2 / spacing; c[6] = 3.0 * c3 / spacing;
        }
    }

    /// <summary>The fewest knots the slope formula works with.</summary>
    public const int MinimumKnots = 5;

    /// <summary>The tabulated value at knot <paramref name="k"/>.</summary>
    public double this[int k] => _values[k];

    /// <summary>The interpolated value at <paramref name="x"/>.</summary>
    public double Value(double x) => Evaluate(x, out _);

    /// <summary>The interpolated value at <paramref name="x"/> and its derivative with respect to x.</summary>
    public double Evaluate(double x, out double derivative)
    {
        int k = Locate(x, InverseSpacing, Count, out double t);
        double v = Interpolate(_coefficients, Stride * k, t, out derivative);
        if (ExtrapolatesLinearly && x > End) v += derivative * (x - End);
        return v;
    }

    /// <summary>The interval coefficients (<see cref="Stride"/> per interval), for evaluators that inline <see cref="Interpolate"/>.</summary>
    internal double[] Coefficients => _coefficients;

    /// <summary>
    /// The 0-based interval of <paramref name="x"/> (0 .. count-2) and the fraction t within it, located as LAMMPS
    /// does (see the type's summary).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Locate(double x, double inverseSpacing, int count, out double t)
    {
        double p = x * inverseSpacing + 1.0;
        int m = (int)p; // truncation toward zero, saturating (NaN gives 0)
        if (m < 1) m = 1;
        else if (m > count - 1) m = count - 1;
        t = p - m;
        if (t > 1.0) t = 1.0;
        return m - 1;
    }

    /// <summary>
    /// Value and derivative of one interval's cubic at fraction <paramref name="t"/>, from its seven coefficients
    /// starting at <paramref name="at"/> (laid out as in <see cref="Coefficients"/>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static double Interpolate(double[] coefficients, int at, double t, out double derivative)
    {
        ref double c = ref coefficients[at];
        _ = coefficients[at + Stride - 1];
        derivative = (Unsafe.Add(ref c, 6) * t + Unsafe.Add(ref c, 5)) * t + Unsafe.Add(ref c, 4);
        return ((Unsafe.Add(ref c, 3) * t + Unsafe.Add(ref c, 2)) * t + Unsafe.Add(ref c, 1)) * t + c;
    }
}
