using System.Globalization;
using System.IO.Compression;
using Softspot.Structures;

namespace Softspot.Tests.IO;

/// <summary>Comparisons and small file helpers shared by the IO and CLI tests.</summary>
public static class IoAssert
{
    /// <summary>|expected - actual| within tol times max(1, |expected|).</summary>
    public static void Close(double expected, double actual, double tol, string what = "")
    {
        double scale = Math.Max(1.0, Math.Abs(expected));
        if (!(Math.Abs(expected - actual) <= tol * scale))
            Assert.Fail(FormattableString.Invariant($"{what}: expected {expected:R}, got {actual:R} (difference {actual - expected:G3}, tolerance {tol * scale:G3})"));
    }

    public static void Close(Vec3 expected, Vec3 actual, double tol, string what = "")
    {
        Close(expected.X, actual.X, tol, what + ".x");
        Close(expected.Y, actual.Y, tol, what + ".y");
        Close(expected.Z, actual.Z, tol, what + ".z");
    }

    /// <summary>Index of every id (ids must be unique).</summary>
    public static Dictionary<long, int> ById(Snapshot s) => s.IndexById();

    /// <summary>The whitespace-separated numbers of a small text file (e.g. LAMMPS 'print ... file').</summary>
    public static double[] NumbersIn(string path) => ParseNumbers(File.ReadAllText(path));

    /// <summary>The whitespace-separated numbers of a text.</summary>
    public static double[] ParseNumbers(string text) =>
        text.Split([' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(t => double.Parse(t, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();

    /// <summary>Copies a file gzip-compressed to a new name.</summary>
    public static void Gzip(string from, string to)
    {
        using var input = File.OpenRead(from);
        using var output = File.Create(to);
        using var gz = new GZipStream(output, CompressionLevel.Optimal);
        input.CopyTo(gz);
    }

    /// <summary>Writes lines joined by '\n' (with a final newline).</summary>
    public static string WriteLines(string path, IEnumerable<string> lines)
    {
        File.WriteAllText(path, string.Join("\n", lines) + "\n");
        return path;
    }

    public static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
