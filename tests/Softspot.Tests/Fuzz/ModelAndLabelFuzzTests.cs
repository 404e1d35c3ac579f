using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Fuzz;

/// <summary>
/// Fuzzing of what train, predict and transfer read: valid label tables (CSV) and model.json files, mutated
/// (truncated, bytes flipped, lines and columns deleted or duplicated, numbers swapped for text, NaN or huge values,
/// and for models structural JSON changes: child indices moved, cycles made, fields dropped or nulled, trees
/// duplicated), must either load and give finite numbers or fail with Softspot's own error type: never another
/// exception, never a hang (each case runs under a time limit). The mutations are drawn by FsCheck generators from a
/// fixed seed (SOFTSPOT_FUZZ_SEED to change it); SOFTSPOT_FUZZ_CASES sets how many per test (default: a short CI run).
/// </summary>
public sealed partial class ModelAndLabelFuzzTests(ITestOutputHelper output)
{
    private static int Cases(int fallback) => FuzzBudget.Cases(fallback);

    private static ulong Seed => FuzzBudget.Seed(20190514UL);

    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>One mutation: what to do, and numbers that say where (taken modulo the text's size).</summary>
    public sealed record Mutation(string Kind, int A, int B, int C, string Token)
    {
        public override string ToString() => $"{Kind}({A}, {B}, {C}, '{Token}')";
    }

    private static readonly string[] Tokens =
        ["abc", "NaN", "nan", "Infinity", "-Infinity", "1e999", "-1e999", "1e308", "-1e308", "", " ", "0x10", "99999999999999999999", "-1", "-2",
         "2", "0.5", "\"x\"", "null", "true", "[]", "{}", "1,2", "\"", "\u00e9", "\0", "1e-320", "-0", "4294967296", "2147483648"];

    private static readonly string[] TextKinds = ["truncate", "flip", "delete-line", "duplicate-line", "swap-lines", "delete-column", "duplicate-column", "number-token", "insert-byte", "blank-line"];
    private static readonly string[] JsonKinds = ["child", "cycle", "drop-field", "null-field", "duplicate-tree", "feature", "shorten-array", "field-token", "drop-feature", "version"];

    private static Gen<Mutation> MutationGen(string[] kinds) =>
        from kind in Gen.Elements(kinds)
        from a in Gen.Choose(0, 1_000_000)
        from b in Gen.Choose(0, 1_000_000)
        from c in Gen.Choose(-3, 40)
        from token in Gen.Elements(Tokens)
        select new Mutation(kind, a, b, c, token);

    /// <summary>One to three mutations per case.</summary>
    private static Mutation[][] Draw(string[] kinds, int cases, ulong salt) =>
        Gen.Sample(Gen.Choose(1, 3).SelectMany(k => MutationGen(kinds).ArrayOf(k)), cases, new Rnd(Seed ^ salt), 30);

    // ---------------------------------------------------------------- text mutations

    public static string ApplyText(string text, Mutation m)
    {
        var lines = text.Split('\n').ToList();
        int L = Math.Max(1, lines.Count);
        switch (m.Kind)
        {
            case "truncate": return text[..(m.A % (text.Length + 1))];
            case "flip":
            {
                if (text.Length == 0) return text;
                var bytes = Encoding.UTF8.GetBytes(text);
                bytes[m.A % bytes.Length] ^= (byte)(1 << (m.B % 8));
                return Encoding.UTF8.GetString(bytes);
            }
            case "insert-byte":
            {
                int at = m.A % (text.Length + 1);
                return text[..at] + (char)(m.B % 128) + text[at..];
            }
            case "delete-line": lines.RemoveAt(m.A % L); break;
            case "duplicate-line": { int k = m.A % L; lines.Insert(m.B % L, lines[k]); break; }
            case "swap-lines": { int i = m.A % L, j = m.B % L; (lines[i], lines[j]) = (lines[j], lines[i]); break; }
            case "blank-line": lines.Insert(m.A % L, m.Token.Trim('"')); break;
            case "delete-column":
            case "duplicate-column":
                for (int i = 0; i < lines.Count; i++)
                {
                    var f = lines[i].Split(',').ToList();
                    if (f.Count == 0) continue;
                    int c = m.A % f.Count;
                    if (m.Kind == "delete-column") f.RemoveAt(c); else f.Insert(m.B % f.Count, f[c]);
                    lines[i] = string.Join(',', f);
                }
                break;
            default: // number-token, and the structural kinds when the text is not a model any more
            {
                var numbers = Number().Matches(text);
                if (numbers.Count == 0) return text + m.Token;
                var hit = numbers[m.A % numbers.Count];
                return text[..hit.Index] + m.Token + text[(hit.Index + hit.Length)..];
            }
        }
        return string.Join('\n', lines);
    }

    [GeneratedRegex(@"-?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Number();

    // ---------------------------------------------------------------- JSON (model) mutations

    public static string ApplyJson(string text, Mutation m)
    {
        // a structural mutation that does not fit what earlier ones left (e.g. a child index now text) becomes a text one
        try { return Structural(text, m); }
        catch (Exception e) when (e is InvalidOperationException or FormatException or InvalidCastException or NullReferenceException or ArgumentException)
        { return ApplyText(text, m); }
    }

    private static string Structural(string text, Mutation m)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { return ApplyText(text, m); }
        if (root is not JsonObject model || model["trees"] is not JsonArray trees || trees.Count == 0) return ApplyText(text, m);
        var tree = trees[m.A % trees.Count] as JsonObject;
        JsonArray? Arr(string name) => tree?[name] as JsonArray;
        int n = Arr("left")?.Count ?? 0;
        string[] arrays = ["feature", "threshold", "left", "right", "default_left", "value", "cover", "gain"];
        switch (m.Kind)
        {
            case "child" when n > 0:
                (m.B % 2 == 0 ? Arr("left") : Arr("right"))![m.B % n] = m.C switch { < 0 => m.C, _ => m.C % (n + 3) };
                break;
            case "cycle" when n > 1:
            {
                // a child pointing at the root, at itself, or at an earlier node
                var left = Arr("left")!;
                var internals = Enumerable.Range(0, n).Where(k => (int)left[k]! >= 0).ToArray();
                if (internals.Length == 0) break;
                int k = internals[m.B % internals.Length];
                int target = (m.C & 3) switch { 0 => 0, 1 => k, _ => Math.Max(0, k - 1) };
                (m.C % 2 == 0 ? left : Arr("right")!)[k] = target;
                break;
            }
            case "drop-field":
            {
                var obj = m.C % 2 == 0 ? model : tree!;
                var keys = obj.Select(kv => kv.Key).ToArray();
                if (keys.Length > 0) obj.Remove(keys[m.B % keys.Length]);
                break;
            }
            case "null-field":
            {
                var obj = m.C % 2 == 0 ? model : tree!;
                var keys = obj.Select(kv => kv.Key).ToArray();
                if (keys.Length > 0) obj[keys[m.B % keys.Length]] = null;
                break;
            }
            case "duplicate-tree": trees.Add(trees[m.B % trees.Count]!.DeepClone()); break;
            case "feature" when n > 0: Arr("feature")![m.B % n] = m.C; break;
            case "shorten-array":
            {
                var a = Arr(arrays[m.B % arrays.Length]);
                if (a is { Count: > 0 }) a.RemoveAt(a.Count - 1);
                break;
            }
            case "field-token" when n > 0:
            {
                var a = Arr(arrays[m.B % arrays.Length])!;
                a[m.C < 0 ? 0 : m.C % n] = Token(m.Token);
                break;
            }
            case "drop-feature":
                if (model["features"] is JsonArray f && f.Count > 0) f.RemoveAt(m.B % f.Count);
                break;
            case "version": model["version"] = Token(m.Token); break;
            default: return ApplyText(text, m);
        }
        return root.ToJsonString();
    }

    /// <summary>A token as a JSON value: a number when it parses as one, else the literal or a string.</summary>
    private static JsonNode? Token(string t)
    {
        if (t == "null") return null;
        if (t == "true") return JsonValue.Create(true);
        if (double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && t.Trim().Length > 0)
            return JsonNode.Parse(t.Trim());
        return JsonValue.Create(t);
    }

    // ---------------------------------------------------------------- the properties

    /// <summary>Runs <paramref name="body"/> under the time limit; a hang or an exception other than Softspot's fails.</summary>
    private static string? Outcome(Func<string> body)
    {
        var task = Task.Run(body);
        if (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(Limit)) return $"HANG (no result within {Limit.TotalSeconds} s)";
        if (task.IsFaulted)
        {
            var e = task.Exception!.InnerExceptions[0];
            return e is SoftspotException ? null : $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}";
        }
        return task.Result;
    }

    private static string FeatureCsv(int n) =>
        "frame,id,a,b\n" + string.Concat(Enumerable.Range(1, n).Select(i => FormattableString.Invariant($"0,{i},{(i * 7) % 11 / 10.0},{(i * 3) % 5}\n")));

    private static string LabelCsv(int n) =>
        "frame,id,y,e\n" + string.Concat(Enumerable.Range(1, n).Select(i => FormattableString.Invariant($"0,{i},{(i % 4 == 0 ? 1 : 0)},{i / 10.0}\n")));

    [Fact]
    public void Mutated_label_tables_train_or_fail_with_a_softspot_error()
    {
        using var dir = new TempDir();
        string featurePath = dir.File("f.csv");
        File.WriteAllText(featurePath, FeatureCsv(40));
        var features = KeyedTable.Read(featurePath);
        string valid = LabelCsv(40);
        int cases = Cases(300), loaded = 0, refused = 0;
        var findings = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var draws = Draw(TextKinds, cases, 0x1abe1);
        for (int c = 0; c < draws.Length; c++)
        {
            string text = draws[c].Aggregate(valid, ApplyText);
            string path = dir.File($"l{c}.csv");
            File.WriteAllText(path, text);
            var problem = Outcome(() =>
            {
                var labels = KeyedTable.Read(path);
                var request = TrainingPipeline.Join(features, labels, c % 2 == 0 ? "y" : "e") with
                {
                    Options = GradientBoostingOptions.Reference with { Trees = 2 }, Reduce = 1,
                };
                var result = TrainingPipeline.Run(request);
                if (result.TrainingScores.Any(s => !double.IsFinite(s))) return "a non-finite training score";
                return "";
            });
            if (problem is null) refused++;
            else if (problem.Length == 0) loaded++;
            else findings.Add($"case {c} [{string.Join(", ", draws[c].AsEnumerable())}]: {problem}\n--- input:\n{text}");
            File.Delete(path);
        }
        output.WriteLine($"label tables: {cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {loaded} trained, {refused} refused with a Softspot error, {findings.Count} findings (seed {Seed})");
        Assert.True(findings.Count == 0, string.Join("\n\n", findings.Take(3)));
    }

    [Fact]
    public void Mutated_models_predict_or_fail_with_a_softspot_error()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("f.csv"), FeatureCsv(60));
        File.WriteAllText(dir.File("l.csv"), LabelCsv(60));
        var features = KeyedTable.Read(dir.File("f.csv"));
        var request = TrainingPipeline.Join(features, KeyedTable.Read(dir.File("l.csv")), "y") with
        {
            Options = GradientBoostingOptions.Reference with { Trees = 4, MaxDepth = 3 }, Reduce = 0,
        };
        var model = TrainingPipeline.Run(request).Model;
        string valid = model.ToJson();
        double[][] rows = [[0.1, 1], [0.9, 4], [double.NaN, 2], [0.5, double.NaN], [-1e300, 1e300]];
        int cases = Cases(2000), loaded = 0, refused = 0;
        var findings = new List<string>();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var draws = Draw([.. TextKinds, .. JsonKinds, .. JsonKinds], cases, 0x30de1);
        for (int c = 0; c < draws.Length; c++)
        {
            string text = draws[c].Aggregate(valid, ApplyJson);
            string path = dir.File($"m{c}.json");
            File.WriteAllText(path, text);
            var problem = Outcome(() =>
            {
                var m = TreeEnsemble.Load(path);
                foreach (var row in rows)
                {
                    var x = row.Length >= m.FeatureNames.Count ? row[..m.FeatureNames.Count] : [.. row, .. new double[m.FeatureNames.Count - row.Length]];
                    double p = m.Predict(x);
                    if (double.IsNaN(p)) return $"prediction NaN for [{string.Join(", ", x)}]";
                }
                _ = m.Trees.Sum(t => t.Depth);
                return "";
            });
            if (problem is null) refused++;
            else if (problem.Length == 0) loaded++;
            else findings.Add($"case {c} [{string.Join(", ", draws[c].AsEnumerable())}]: {problem}\n--- input:\n{text}");
            File.Delete(path);
        }
        output.WriteLine($"models: {cases} cases in {clock.Elapsed.TotalSeconds:F1} s: {loaded} loaded and predicted, {refused} refused with a Softspot error, {findings.Count} findings (seed {Seed})");
        Assert.True(findings.Count == 0, string.Join("\n\n", findings.Take(3)));
    }

    [Fact]
    public void The_mutations_change_the_inputs()
    {
        // a fuzzer whose mutations were no-ops would pass vacuously
        string valid = LabelCsv(10);
        var draws = Draw(TextKinds, 50, 7);
        Assert.True(draws.Count(d => d.Aggregate(valid, ApplyText) != valid) >= 40);
        string json = """{"format":"softspot-trees","version":1,"trees":[{"left":[1,-1,-1],"right":[2,-1,-1],"feature":[0,0,0]}],"features":["a"]}""";
        var jd = Draw(JsonKinds, 50, 8);
        Assert.True(jd.Count(d => d.Aggregate(json, ApplyJson) != json) >= 40);
    }
}
