using System.Reflection;
using System.Text.RegularExpressions;
using Softspot.IO;
using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Softspot.Pipelines;

/// <summary>
/// Reads a pipeline file (YAML, via YamlDotNet): unknown keys and malformed values are errors naming the file and
/// line; then every path is resolved against the file's folder and the whole configuration is checked (see
/// <see cref="PipelineValidator"/>) before any work starts.
/// </summary>
public static partial class PipelineFile
{
    public static PipelineConfig Load(string path)
    {
        if (Directory.Exists(path)) throw new InputFormatException(path, 0, InputProblem.Syntax, "a folder, not a pipeline file");
        if (!File.Exists(path)) throw new InputFormatException(path, 0, InputProblem.Syntax, "no such pipeline file");
        return Parse(File.ReadAllText(path), path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses, resolves the paths against <paramref name="baseDirectory"/> and validates.</summary>
    public static PipelineConfig Parse(string yaml, string source, string baseDirectory)
    {
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).WithDuplicateKeyChecking()
            .WithTypeConverter(new FileListConverter()).Build();
        PipelineConfig config;
        try
        {
            // the shape first, in YAML terms (file, line, key); then the reading, which should then not fail
            CheckSyntax(yaml, source);
            var stream = new YamlDotNet.RepresentationModel.YamlStream();
            stream.Load(new StringReader(yaml));
            if (stream.Documents.Count > 1)
                throw new InputFormatException(source, stream.Documents[1].RootNode.Start.Line, InputProblem.Syntax, "a second YAML document (after ---): a pipeline file holds one");
            if (stream.Documents.Count == 1) PipelineSchema.Check(stream.Documents[0].RootNode, source);
            config = deserializer.Deserialize<PipelineConfig>(yaml) ?? new PipelineConfig();
        }
        catch (YamlException e)
        {
            throw new InputFormatException(source, SyntaxLine(yaml, e), InputProblem.Syntax, Describe(e));
        }
        catch (Exception e) when (IsYamlReaderFailure(e))
        {
            throw new InputFormatException(source, 0, InputProblem.Syntax,
                "the YAML reader cannot read this file (an alias *NAME without its anchor &NAME, or an unclosed [ or {?)");
        }
        Resolve(config, baseDirectory);
        PipelineValidator.Check(config, source);
        return config;
    }

    /// <summary>The built-in pipeline of <c>softspot demo</c>, as text (what <c>softspot demo --print-config</c> prints).</summary>
    public static string DemoText()
    {
        using var s = typeof(PipelineFile).Assembly.GetManifestResourceStream("Softspot.Pipelines.demo.yaml")
            ?? throw new InvalidOperationException("the demo pipeline is not embedded in the library");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    private static void Resolve(PipelineConfig c, string baseDir)
    {
        string? Abs(string? p) => string.IsNullOrWhiteSpace(p) ? p : Path.GetFullPath(p, baseDir);
        c.Output = Abs(c.Output)!;
        // a potential is a path relative to the file, or else a name in LAMMPS's potentials folder
        if (c.Potential is { } pot && File.Exists(Path.GetFullPath(pot, baseDir))) c.Potential = Path.GetFullPath(pot, baseDir);
        foreach (var g in c.Glasses)
        {
            g.Structure = Abs(g.Structure)!;
            g.Events = Abs(g.Events);
            if (g.Shear is { } s)
            {
                s.Reference = Abs(s.Reference)!; s.Deformed = new FileList(s.Deformed.Select(d => Abs(d)!));
                s.StressStrain = Abs(s.StressStrain);
            }
        }
    }

    /// <summary>
    /// Reads the YAML events once, so that a syntax error is reported with its line, also when the YAML reader fails
    /// with an exception of its own rather than a YamlException (it does on some unclosed flow lists): then the line
    /// is that of the last event it read.
    /// </summary>
    private static void CheckSyntax(string yaml, string source)
    {
        var parser = new Parser(new StringReader(yaml));
        long line = 1;
        try
        {
            while (parser.MoveNext()) line = parser.Current?.End.Line ?? line;
        }
        catch (YamlException e)
        {
            throw new InputFormatException(source, SyntaxLine(yaml, e), InputProblem.Syntax, Describe(e));
        }
        catch (Exception e) when (IsYamlReaderFailure(e))
        {
            throw new InputFormatException(source, line, InputProblem.Syntax, "not valid YAML after this line (an unclosed [ or {, or a stray character?)");
        }
    }

    /// <summary>An exception of the YAML reader's own on some malformed input, where a YamlException was due.</summary>
    private static bool IsYamlReaderFailure(Exception e) =>
        e.Source == "YamlDotNet" && e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or NullReferenceException or FormatException;

    /// <summary>The line of a syntax error; for a tab in the indentation, the line that has it (YamlDotNet gives the start of the enclosing block).</summary>
    private static long SyntaxLine(string yaml, YamlException e)
    {
        long line = e.Start.Line;
        if (e.Message.Contains("tab", StringComparison.Ordinal))
        {
            var lines = yaml.Split('\n');
            for (long k = Math.Max(1, line); k <= lines.Length; k++)
                if (lines[k - 1].TakeWhile(c => c is ' ' or '\t').Contains('\t')) return k;
        }
        return line;
    }

    /// <summary>YamlDotNet's message, with an unknown key named as such and the known keys listed.</summary>
    private static string Describe(YamlException e)
    {
        string message = (e.InnerException ?? e).Message;
        var m = UnknownProperty().Match(e.Message);
        if (m.Success && typeof(PipelineConfig).Assembly.GetType(m.Groups[2].Value) is { } type)
        {
            var known = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => UnderscoredNamingConvention.Instance.Apply(p.Name));
            return $"unknown key '{m.Groups[1].Value}' (expected one of: {string.Join(", ", known)})";
        }
        return message;
    }

    [GeneratedRegex(@"Property '([^']*)' not found on type '([^']*)'")]
    private static partial Regex UnknownProperty();
}
