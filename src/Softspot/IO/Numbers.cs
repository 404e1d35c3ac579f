using System.Globalization;

namespace Softspot.IO;

/// <summary>How Softspot prints numbers in the files it writes: shortest text that reads back to the same double.</summary>
public static class Numbers
{
    public static string Format(double v) => v.ToString("R", CultureInfo.InvariantCulture);
    public static string Format(long v) => v.ToString(CultureInfo.InvariantCulture);
}
