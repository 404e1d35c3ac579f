using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using Softspot.IO;

namespace Softspot.Simulation;

/// <summary>
/// How a simulated file came to be: the command and all its parameters, the seed, the versions of Softspot and
/// LAMMPS, the inputs with their SHA-256, and when and how long it ran. Written as JSON next to the outputs.
/// </summary>
public static class Provenance
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Softspot's version with the commit it was built from (e.g. 0.1.0+5965f75c...).</summary>
    public static string SoftspotVersion { get; } =
        typeof(Provenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>The SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var f = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(f));
    }

    /// <summary>An input file for the record: its full path and hash.</summary>
    public static object Input(string path) => new { Path = Path.GetFullPath(path), Sha256 = Sha256(path) };

    /// <summary>Writes <paramref name="record"/> (any object; snake_case keys) atomically.</summary>
    public static void Write(string path, object record) =>
        AtomicFile.Write(path, w => w.Write(JsonSerializer.Serialize(record, Options)));

    /// <summary>The command line as typed, for the record.</summary>
    public static string CommandLine => string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ') ? $"\"{a}\"" : a));
}
