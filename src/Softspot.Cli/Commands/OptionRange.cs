using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Softspot.Cli.Commands;

/// <summary>
/// The range of a numeric option, checked while the command line is parsed (before any work starts): a value out of
/// range, NaN or infinite is a parse error naming the option, e.g. "--trees must be at least 1". Every numeric option
/// of every command declares its range through these (int, long and double options, nullable or not).
/// </summary>
internal static class OptionRange
{
    /// <summary>Values at least <paramref name="min"/>.</summary>
    public static Option<T> AtLeast<T>(this Option<T> o, double min) =>
        o.Range(v => v >= min, F($"must be at least {min}"));

    /// <summary>Values above zero.</summary>
    public static Option<T> Positive<T>(this Option<T> o) => o.Range(v => v > 0, "must be positive");

    /// <summary>Values of zero or more.</summary>
    public static Option<T> NonNegative<T>(this Option<T> o) => o.Range(v => v >= 0, "must not be negative");

    /// <summary>Values in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T> Within<T>(this Option<T> o, double min, double max) =>
        o.Range(v => v >= min && v <= max, F($"must lie between {min} and {max}"));

    /// <summary>Values strictly between <paramref name="min"/> and <paramref name="max"/>.</summary>
    public static Option<T> Between<T>(this Option<T> o, double min, double max) =>
        o.Range(v => v > min && v < max, F($"must lie strictly between {min} and {max}"));

    /// <summary>Values in (<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<T> AboveUpTo<T>(this Option<T> o, double min, double max) =>
        o.Range(v => v > min && v <= max, F($"must be above {min} and at most {max}"));

    /// <summary>Values below zero.</summary>
    public static Option<T> Negative<T>(this Option<T> o) => o.Range(v => v < 0, "must be negative");

    /// <summary>Only a finite number (any sign).</summary>
    public static Option<T> Finite<T>(this Option<T> o) => o.Range(_ => true, "");

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static Option<T> Range<T>(this Option<T> o, Func<double, bool> ok, string problem)
    {
        o.Validators.Add(result =>
        {
            if (result.Implicit || result.Tokens.Count == 0) return; // the default
            object? value;
            try { value = result.GetValueOrDefault<T>(); }
            catch (Exception) { return; } // not a number at all: the parser says so
            double? v = value switch
            {
                int i => i, long l => l, double d => d, float f => f, _ => null,
            };
            if (v is not { } x) return;
            string name = o.Name;
            if (!double.IsFinite(x)) result.AddError($"{name} must be a finite number, not {result.Tokens[^1].Value}");
            else if (!ok(x)) result.AddError($"{name} {problem} (got {result.Tokens[^1].Value})");
        });
        return o;
    }
}
