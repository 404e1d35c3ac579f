using Softspot.Tests.Support;

namespace Softspot.Tests.Corpus;

/// <summary>
/// The bad-input corpus (tests/corpus/*.case) through the real command line in a child process: a bad input fails
/// with exit code 2 and one line "softspot: error: ..." naming the problem, no stack trace and nothing left behind;
/// an unusual but valid input gives the right result.
/// </summary>
public sealed class BadInputCorpusTests
{
    public static string Folder => Path.Combine(Paths.RepoRoot, "tests", "corpus");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(Folder, "*.case").Order(StringComparer.Ordinal)) data.Add(Path.GetFileNameWithoutExtension(f));
        return data;
    }

    [Fact]
    public void The_corpus_has_at_least_120_cases_and_every_one_parses()
    {
        var cases = Directory.GetFiles(Folder, "*.case").Select(CorpusCase.Parse).ToList();
        Assert.True(cases.Count >= 120, $"{cases.Count} cases");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Case(string name)
    {
        var c = CorpusCase.Parse(Path.Combine(Folder, name + ".case"));
        using var dir = new TempDir();
        foreach (var f in c.Files) f.Write(dir.Path, Paths.RepoRoot);
        for (int i = 0; i < c.Commands.Count; i++)
        {
            bool last = i == c.Commands.Count - 1;
            var before = Listing(dir.Path);
            var (code, stdout, stderr) = CliProcess.Run(c.Commands[i], workingDirectory: dir.Path, timeoutSeconds: 180);
            string command = "softspot " + string.Join(' ', c.Commands[i]);
            Assert.DoesNotContain("   at ", stderr);
            Assert.DoesNotContain("internal error", stderr);
            if (last && c.ExpectsError)
            {
                Assert.True(code == 2, $"{command}: exit code {code}, expected 2; stderr: {stderr}");
                var lines = stderr.TrimEnd('\n').Split('\n');
                Assert.True(lines.Length == 1 && lines[0].StartsWith("softspot: error: "), $"{command}: expected one error line, got:\n{stderr}");
                foreach (var e in c.Errors) Assert.True(lines[0].Contains(e, StringComparison.Ordinal), $"{command}: '{lines[0]}' does not contain '{e}'");
                var after = Listing(dir.Path);
                var left = after.Except(before).ToList();
                Assert.True(left.Count == 0, $"{command}: left behind {string.Join(", ", left)}");
            }
            else
            {
                Assert.True(code == 0, $"{command}: exit code {code}; stderr: {stderr}");
                if (last)
                {
                    foreach (var s in c.Stdout) Assert.True(stdout.Contains(s, StringComparison.Ordinal), $"{command}: stdout does not contain '{s}':\n{stdout}");
                    foreach (var f in c.Creates) Assert.True(File.Exists(dir.File(f)) || Directory.Exists(dir.File(f)), $"{command}: did not create {f}");
                    foreach (var (a, b) in c.Same) Assert.True(File.ReadAllBytes(dir.File(a)).AsSpan().SequenceEqual(File.ReadAllBytes(dir.File(b))), $"{a} and {b} differ");
                }
            }
        }
    }

    /// <summary>Every file and folder under <paramref name="root"/>, hidden ones included, relative to it.</summary>
    private static HashSet<string> Listing(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
            .Select(p => Path.GetRelativePath(root, p)).ToHashSet();
}
