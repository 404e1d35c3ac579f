using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Softspot.Pipelines;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Fuzz;

/// <summary>
/// Mutated pipeline files (the built-in demo.yaml and any YAML under data/recipes: truncated, bytes flipped, lines
/// deleted, duplicated or swapped, values replaced by text, NaN, huge numbers, empty values, lists, mappings, tabs)
/// through the pipeline loader and validator: each either gives a configuration or a <see cref="SoftspotException"/>,
/// never another exception, never a hang (a time limit per case). The mutations are drawn by FsCheck generators with
/// a fixed seed (SOFTSPOT_FUZZ_SEED to change it), SOFTSPOT_FUZZ_CASES of them (default 400: a few seconds).
/// </summary>
public sealed class PipelineYamlFuzzTests(ITestOutputHelper output)
{
    private const int DefaultCases = 400;
    private const ulong DefaultSeed = 20190714;
    private static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(10);

    /// <summary>One mutation: what to do, where (a fraction of the text or of its lines), with what.</summary>
    public sealed record Mutation(string Kind, double Where, double Other, string Value)
    {
        public string Apply(string text)
        {
            var lines = text.Split('\n').ToList();
            int Line(double f) => Math.Min(lines.Count - 1, (int)(f * lines.Count));
            switch (Kind)
            {
                case "truncate": return text[..(int)(Where * text.Length)];
                case "flip":
                {
                    var bytes = Encoding.UTF8.GetBytes(text);
                    if (bytes.Length == 0) return text;
                    int i = Math.Min(bytes.Length - 1, (int)(Where * bytes.Length));
                    bytes[i] ^= (byte)(1 << (int)(Other * 8) % 8);
                    return Encoding.UTF8.GetString(bytes);
                }
                case "char":
                {
                    int i = Math.Min(text.Length, (int)(Where * text.Length));
                    return text[..i] + Value + text[i..];
                }
                case "delete": lines.RemoveAt(Line(Where)); break;
                case "duplicate": { int l = Line(Where); lines.Insert(l, lines[l]); break; }
                case "swap": { int a = Line(Where), b = Line(Other); (lines[a], lines[b]) = (lines[b], lines[a]); break; }
                case "value":
                {
                    // the value of a 'key: value' line (comments dropped), replaced
                    var candidates = lines.Select((l, k) => (l, k)).Where(x => x.l.Contains(": ") && !x.l.TrimStart().StartsWith('#')).ToList();
                    if (candidates.Count == 0) return text;
                    var (line, k) = candidates[Math.Min(candidates.Count - 1, (int)(Where * candidates.Count))];
                    lines[k] = line[..(line.IndexOf(": ", StringComparison.Ordinal) + 1)] + (Value.Length == 0 ? "" : " " + Value);
                    break;
                }
            }
            return string.Join('\n', lines);
        }

        public override string ToString() => $"{Kind} at {Where:F3}/{Other:F3} '{Value}'";
    }

    private static readonly string[] Values =
    [
        "", "~", "null", "text", "NaN", ".nan", ".inf", "-.inf", "1e999", "-1e999", "99999999999999999999", "-99999999999999999999",
        "0", "-1", "1.5", "0x10", "[]", "{}", "[a, b]", "[1, two]", "{a: 1}", "\"\"", "''", "'unclosed", "[unclosed", "{unclosed",
        "!!binary aGVsbG8=", "!!int x", "&anchor 1", "*nosuch", "? complex", "- item", "|", ">", "%YAML", "@", "`", "\t1", "é", "\u0000",
        "true", "yes", "2019-07-14", "1_000", "+5", ".5", "5.", "1e3", "interstice, motifs",
    ];

    private static readonly Gen<Mutation> Mutations =
        from kind in Gen.Elements("truncate", "flip", "char", "delete", "duplicate", "swap", "value", "value", "value")
        from at in Gen.Choose(0, 100_000).Select(x => x / 100_000.0)
        from other in Gen.Choose(0, 100_000).Select(x => x / 100_000.0)
        from value in Gen.Elements(Values.Concat(["\t", ":", "- ", "#", "\n", "[", "]", "{", "}", ",", "&a ", "*a", "---\n", "\"", "'"]).ToArray())
        select new Mutation(kind, at, other, value);

    /// <summary>The valid pipeline files the mutations start from, with the folder their paths are relative to.</summary>
    public static IReadOnlyList<(string Name, string Text, string Base)> Seeds()
    {
        var seeds = new List<(string, string, string)> { ("demo.yaml", PipelineFile.DemoText(), Paths.RepoRoot) };
        string recipes = Path.Combine(Paths.RepoRoot, "data", "recipes");
        if (Directory.Exists(recipes))
            foreach (var f in Directory.EnumerateFiles(recipes, "*.y*ml", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                seeds.Add((Path.GetRelativePath(Paths.RepoRoot, f), File.ReadAllText(f), Path.GetDirectoryName(f)!));
        return seeds;
    }

    private static int Cases => FuzzBudget.Cases(DefaultCases);
    private static ulong Seed => FuzzBudget.Seed(DefaultSeed);

    /// <summary>Null when the text loads or fails with a SoftspotException; else what went wrong.</summary>
    private static string? Problem(string text, string baseDir)
    {
        Exception? thrown = null;
        var work = Task.Run(() =>
        {
            try { PipelineFile.Parse(text, "fuzz.yaml", baseDir); }
            catch (SoftspotException e) when (!e.Message.Contains("System.", StringComparison.Ordinal) && !e.Message.Contains("   at ", StringComparison.Ordinal)) { }
            catch (Exception e) { thrown = e; }
        });
        if (!work.Wait(TimeLimit)) return $"no answer within {TimeLimit.TotalSeconds} s (a hang)";
        return thrown is null ? null : $"{thrown.GetType().Name}: {thrown.Message}{(thrown is SoftspotException ? " (a .NET name or stack trace in the message)" : "")}";
    }

    [Fact]
    public void TheSeedsAreValid()
    {
        foreach (var (name, text, baseDir) in Seeds()) PipelineFile.Parse(text, name, baseDir);
    }

    [Fact]
    public void MutatedPipelineFilesLoadOrFailWithSoftspotsOwnError()
    {
        var seeds = Seeds();
        // one, two or three mutations on top of each other
        var gen = from count in Gen.Choose(1, 3)
                  from seed in Gen.Choose(0, seeds.Count - 1)
                  from list in Gen.ListOf(Mutations, count)
                  select (Seed: seed, List: list.ToList());
        var cases = Gen.Sample(gen, Cases, new Rnd(Seed), 50);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failures = new List<string>();
        int valid = 0, refused = 0;
        foreach (var (k, c) in cases.Select((c, k) => (k, c)))
        {
            var (name, text, baseDir) = seeds[c.Seed];
            string mutated = c.List.Aggregate(text, (t, m) => m.Apply(t));
            if (Problem(mutated, baseDir) is { } problem)
            {
                failures.Add($"case {k} ({name}: {string.Join(" + ", c.List)}): {problem}\n--- mutated file:\n{mutated}\n---");
                if (failures.Count >= 5) break;
            }
            else if (Loads(mutated, baseDir)) valid++;
            else refused++;
        }
        output.WriteLine($"{cases.Length} cases (seed {Seed}) in {clock.Elapsed.TotalSeconds:F1} s: {valid} valid, {refused} refused with SoftspotException, {failures.Count} failures");
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private static bool Loads(string text, string baseDir)
    {
        try { PipelineFile.Parse(text, "fuzz.yaml", baseDir); return true; }
        catch (SoftspotException) { return false; }
    }
}
