using System.Reflection;
using System.Runtime.CompilerServices;

namespace Softspot.Tests.Architecture;

/// <summary>
/// No hidden global state: no type of Softspot or Softspot.Cli has a static field that can be reassigned (every one
/// is const or readonly) or a static property with a setter, public or not. Settings travel in the objects and
/// arguments of the computations instead (e.g. the thread count).
/// </summary>
public class NoMutableStaticsTests
{
    private const BindingFlags DeclaredStatics = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static TheoryData<string> Assemblies => new() { "Softspot", "Softspot.Cli" };

    private static Assembly Load(string name) => name switch
    {
        "Softspot" => typeof(Softspot.Neighbours.Parallelism).Assembly,
        "Softspot.Cli" => typeof(Softspot.Cli.Commands.CommonOptions).Assembly,
        _ => throw new ArgumentException(name),
    };

    /// <summary>Types and members the compiler made up (closures, state machines, backing fields): names with '&lt;'.</summary>
    private static bool CompilerGenerated(MemberInfo m) => m.Name.Contains('<') || m.IsDefined(typeof(CompilerGeneratedAttribute), inherit: false);

    /// <summary>"Type.member" of every static field that is neither const nor readonly, and of every static property with a setter.</summary>
    public static List<string> MutableStatics(Assembly assembly)
    {
        var found = new List<string>();
        foreach (var type in assembly.GetTypes())
        {
            if (CompilerGenerated(type) || (type.DeclaringType is { } outer && CompilerGenerated(outer))) continue;
            foreach (var f in type.GetFields(DeclaredStatics))
                if (!f.IsLiteral && !f.IsInitOnly && !f.Name.Contains('<'))
                    found.Add($"{type.FullName}.{f.Name} (static field, not readonly)");
            foreach (var p in type.GetProperties(DeclaredStatics))
                if (p.SetMethod is not null && !p.Name.Contains('<'))
                    found.Add($"{type.FullName}.{p.Name} (static property with a setter)");
        }
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    [Theory, MemberData(nameof(Assemblies))]
    public void NoTypeHasMutableStaticState(string assembly)
    {
        var found = MutableStatics(Load(assembly));
        Assert.True(found.Count == 0, $"mutable static state in {assembly}:\n" + string.Join("\n", found));
    }

    private static class Planted
    {
#pragma warning disable CS0169, CS0649 // never used: only reflection looks at them
        internal static int Field;
        private static readonly int Readonly;
        private const int Const = 1;
#pragma warning restore CS0169, CS0649
        internal static string Settable { get; set; } = "";
        private static int PrivateSetter { get; set; }
        internal static int GetOnly { get; } = 1;
        internal static int Computed => Const + Readonly;
    }

    /// <summary>The check can fail: in this assembly it finds exactly the planted mutable statics.</summary>
    [Fact]
    public void TheCheckFindsPlantedMutableStatics()
    {
        var name = typeof(Planted).FullName!;
        var found = MutableStatics(typeof(Planted).Assembly).Where(s => s.StartsWith(name + ".", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [$"{name}.Field (static field, not readonly)", $"{name}.PrivateSetter (static property with a setter)", $"{name}.Settable (static property with a setter)"],
            found);
    }
}
