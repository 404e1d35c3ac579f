using System.Reflection;
using System.Xml.Linq;

namespace Softspot.Tests.Library;

/// <summary>
/// The library's entry points are documented: every public type of the services (namespace Softspot) and every type
/// their public members take or return, and each of their public members, has XML documentation in the package's
/// Softspot.xml (a positional record's properties through its param tags).
/// </summary>
public sealed class PublicSurfaceTests
{
    private static readonly Assembly Library = typeof(SoftspotException).Assembly;

    /// <summary>The services and the library types in their signatures.</summary>
    public static IReadOnlyList<Type> Surface()
    {
        var services = Library.GetExportedTypes().Where(t => t.Namespace == "Softspot").ToList();
        var surface = new HashSet<Type>(services);
        foreach (var t in services)
            foreach (var m in PublicMembers(t))
                foreach (var used in Signature(m).SelectMany(Unwrap))
                    if (used.Assembly == Library && used.IsPublic || used.IsNestedPublic && used.Assembly == Library) surface.Add(used);
        return [.. surface.OrderBy(t => t.FullName)];
    }

    private static IEnumerable<Type> Signature(MemberInfo m) => m switch
    {
        MethodBase b => [.. b.GetParameters().Select(p => p.ParameterType), .. b is MethodInfo mi ? [mi.ReturnType] : Array.Empty<Type>()],
        PropertyInfo p => [p.PropertyType],
        FieldInfo f => [f.FieldType],
        _ => [],
    };

    private static IEnumerable<Type> Unwrap(Type t)
    {
        if (t.IsByRef || t.IsArray || t.IsPointer) return Unwrap(t.GetElementType()!);
        if (t.IsGenericType) return [t.GetGenericTypeDefinition(), .. t.GetGenericArguments().SelectMany(Unwrap)];
        return [t];
    }

    private static readonly string[] Generated = ["Equals", "GetHashCode", "ToString", "Deconstruct", "<Clone>$", "PrintMembers", "GetType"];

    private static IEnumerable<MemberInfo> PublicMembers(Type t) =>
        t.GetMembers(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .Where(m => m is not MethodInfo { IsSpecialName: true } && !Generated.Contains(m.Name) && !m.Name.StartsWith("op_", StringComparison.Ordinal)
                        && m is not Type && !(t.IsEnum && m.Name == "value__")
                        && m.GetCustomAttribute<System.Runtime.CompilerServices.CompilerGeneratedAttribute>() is null);

    [Fact]
    public void EveryPublicTypeAndMemberOfTheServicesAndTheirTypesIsDocumented()
    {
        string xml = Path.ChangeExtension(Library.Location, ".xml");
        Assert.True(File.Exists(xml), $"{xml}: the library's XML documentation is not built (GenerateDocumentationFile)");
        var docs = XDocument.Load(xml).Descendants("member")
            .Where(m => m.Element("summary") is not null || m.Element("inheritdoc") is not null)
            .ToDictionary(m => (string)m.Attribute("name")!, m => m);
        var names = docs.Keys.ToList();
        var missing = new List<string>();
        foreach (var t in Surface())
        {
            string type = t.FullName!.Replace('+', '.');
            int tick = type.IndexOf('`');
            string typeId = "T:" + type;
            if (!docs.TryGetValue(typeId, out var typeDoc)) { missing.Add(typeId); continue; }
            var parameters = typeDoc.Elements("param").Select(p => (string?)p.Attribute("name")).ToHashSet();
            foreach (var m in PublicMembers(t))
            {
                string prefix = m switch
                {
                    ConstructorInfo => "M:" + type + ".#ctor",
                    MethodInfo => "M:" + type + "." + m.Name,
                    PropertyInfo => "P:" + type + "." + m.Name,
                    FieldInfo => "F:" + type + "." + m.Name,
                    EventInfo => "E:" + type + "." + m.Name,
                    _ => "?",
                };
                bool documented = names.Any(n => n == prefix || n.StartsWith(prefix + "(", StringComparison.Ordinal) || n.StartsWith(prefix + "``", StringComparison.Ordinal))
                    || m is PropertyInfo && parameters.Contains(m.Name)
                    || m is ConstructorInfo && t.GetProperties().Any(p => parameters.Contains(p.Name)) // a positional record's constructor
                    || m is ConstructorInfo c && c.GetParameters().Length == 0 && t.GetConstructors().Length == 1; // the implicit one
                if (!documented) missing.Add(prefix);
            }
        }
        Assert.True(missing.Count == 0, $"{missing.Count} undocumented public types or members:\n" + string.Join("\n", missing.Distinct()));
    }

    [Fact]
    public void TheSurfaceHoldsTheServicesAndWhatTheyExchange()
    {
        var surface = Surface();
        foreach (var t in new[] { typeof(Featurizer), typeof(PlasticLabeler), typeof(ActivationLabeler), typeof(Trainer), typeof(SoftnessModel), typeof(RunContext),
                     typeof(Softspot.IO.KeyedTable), typeof(Softspot.Descriptors.FeatureRecipe), typeof(Softspot.Learning.ModelInfo), typeof(Softspot.Structures.Snapshot) })
            Assert.Contains(t, surface);
    }
}
