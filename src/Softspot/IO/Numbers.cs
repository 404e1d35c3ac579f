using System.Globalization;

namespace Softspot.IO;

/// <summary>
/// How Softspot prints numbers in the files it writes: shortest text that reads back to the same double; and how it
/// reads integers from text.
/// </summary>
public static class Numbers
{
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string Format(long v) => v.ToString(CultureInfo.InvariantCulture);

    /// <summary>An integer, written as one ("1") or as a whole number with a fraction ("1.0", as some tools write integers).</summary>
    public static bool TryParseInteger(ReadOnlySpan<char> field, out long value)
    {
        if (long.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out value)) return true;
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d) && Math.Abs(d) < 9e15)
        {
            value = (long)d;
            return true;
        }
        return false;
    }
}
