using System.Collections;
using System.Globalization;
using System.Reflection;
using Softspot.IO;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization.NamingConventions;

namespace Softspot.Pipelines;

/// <summary>
/// Checks a pipeline file's YAML against the shape of <see cref="PipelineConfig"/> before it is read into it, so
/// that every problem of shape is told in YAML terms, naming the file, the line and the key: an unknown key, a
/// mapping where a list belongs, text where a number belongs ("pipeline.yaml:7: 'labels.plastic.strains' must be a
/// list of numbers, not 'abc'"), an empty value. An empty value (<c>seed:</c>) is always an error: leave a key out
/// to get its default. The first problem is reported.
/// </summary>
internal static class PipelineSchema
{
    private const int MaxDepth = 32;

    public static void Check(YamlNode root, string source)
    {
        if (root is YamlScalarNode s && IsNull(s)) return; // an empty file: the validator says what is missing
        if (root is not YamlMappingNode)
            throw Fail(source, root, "a pipeline file is a mapping of keys (output:, glasses:, tasks:, ...), one 'key: value' a line");
        Node(root, typeof(PipelineConfig), "", source, 0);
    }

    private static void Node(YamlNode node, Type type, string key, string source, int depth)
    {
        if (depth > MaxDepth) throw Fail(source, node, $"'{key}' is nested too deeply");
        if (node is YamlScalarNode { } scalar && IsNull(scalar))
            throw Fail(source, node, $"'{key}' is empty: give {Expected(type)}, or leave the key out for its default");
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            if (node is not YamlScalarNode) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
            return;
        }
        if (type == typeof(int) || type == typeof(double))
        {
            if (node is not YamlScalarNode n) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
            string v = n.Value ?? "";
            bool ok = type == typeof(int)
                ? int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
                : double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d);
            if (!ok) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not '{Short(v)}'");
            return;
        }
        if (type == typeof(bool))
        {
            if (node is not YamlScalarNode { Value: "true" or "false" }) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
            return;
        }
        if (type == typeof(FileList))
        {
            if (node is YamlScalarNode) return;
            if (node is not YamlSequenceNode files) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
            if (files.Children.Count == 0) throw Fail(source, node, $"'{key}' is an empty list: give at least one file");
            foreach (var (item, k) in files.Children.Select((c, k) => (c, k))) Node(item, typeof(string), $"{key}[{k}]", source, depth + 1);
            return;
        }
        if (ElementOf(type) is { } element)
        {
            if (node is not YamlSequenceNode seq) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
            foreach (var (item, k) in seq.Children.Select((c, k) => (c, k))) Node(item, element, $"{key}[{k}]", source, depth + 1);
            return;
        }
        if (node is not YamlMappingNode map) throw Fail(source, node, $"'{key}' must be {Expected(type)}, not {Kind(node)}");
        var properties = Properties(type);
        foreach (var (k, value) in map.Children)
        {
            if (k is not YamlScalarNode { Value: { } name }) throw Fail(source, k, $"a key{(key.Length > 0 ? $" of '{key}'" : "")} must be a name, not {Kind(k)}");
            string path = key.Length == 0 ? name : $"{key}.{name}";
            if (!properties.TryGetValue(name, out var property))
                throw Fail(source, k, $"unknown key '{name}'{(key.Length > 0 ? $" in {key}" : "")} (expected one of: {string.Join(", ", properties.Keys)})");
            Node(value, property.PropertyType, path, source, depth + 1);
        }
    }

    /// <summary>A plain empty value, ~ or null: YAML's null.</summary>
    private static bool IsNull(YamlScalarNode s) =>
        s.Style is ScalarStyle.Plain or ScalarStyle.Any && s.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static Dictionary<string, PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite)
            .ToDictionary(p => UnderscoredNamingConvention.Instance.Apply(p.Name), StringComparer.Ordinal);

    private static Type? ElementOf(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;

    /// <summary>What a value of <paramref name="type"/> is, in YAML terms.</summary>
    private static string Expected(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(int)) return "a whole number";
        if (type == typeof(double)) return "a number";
        if (type == typeof(string)) return "one value (text)";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(FileList)) return "a file or a list of files";
        if (ElementOf(type) is { } e)
            return e == typeof(double) ? "a list of numbers" : e == typeof(int) ? "a list of whole numbers" : e == typeof(string) ? "a list of names, e.g. [a, b]"
                : $"a list of mappings (- {string.Join(": ..., ", Properties(e).Keys.Take(2))}: ...)";
        return $"a mapping ({string.Join(", ", Properties(type).Keys)})";
    }

    private static string Kind(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode s => $"'{Short(s.Value ?? "")}'",
        _ => "this",
    };

    private static string Short(string v)
    {
        v = v.Replace('\n', ' ').Replace('\r', ' ');
        return v.Length <= 40 ? v : v[..37] + "...";
    }

    private static InputFormatException Fail(string source, YamlNode node, string problem) =>
        new(source, node.Start.Line, InputProblem.Syntax, problem);
}

/// <summary>One file or several in order (YAML: a single value or a list), e.g. a shear series split over files.</summary>
public sealed class FileList : List<string>
{
    public FileList() { }
    public FileList(IEnumerable<string> files) : base(files) { }
}

/// <summary>Reads a <see cref="FileList"/> from a scalar (one file) or a sequence of scalars.</summary>
internal sealed class FileListConverter : YamlDotNet.Serialization.IYamlTypeConverter
{
    public bool Accepts(Type type) => type == typeof(FileList);

    public object? ReadYaml(IParser parser, Type type, YamlDotNet.Serialization.ObjectDeserializer rootDeserializer)
    {
        var list = new FileList();
        if (parser.TryConsume<YamlDotNet.Core.Events.Scalar>(out var one)) { list.Add(one.Value); return list; }
        parser.Consume<YamlDotNet.Core.Events.SequenceStart>();
        while (!parser.TryConsume<YamlDotNet.Core.Events.SequenceEnd>(out _))
            list.Add(parser.Consume<YamlDotNet.Core.Events.Scalar>().Value);
        return list;
    }

    public void WriteYaml(IEmitter emitter, object? value, Type type, YamlDotNet.Serialization.ObjectSerializer serializer) =>
        throw new NotSupportedException("pipeline files are read, not written");
}
