using System.Diagnostics;
using Softspot.Tests.Support;

namespace Softspot.Tests.Library;

/// <summary>
/// examples/run.sh packs the library, builds the two examples against the package alone and runs them: the README's
/// "Using Softspot from C#" works for someone who only has the package.
/// </summary>
public sealed class ExamplesTests
{
    [Fact]
    public void TheExamplesBuildAgainstThePackedLibraryAndRun()
    {
        string output = Directory.CreateTempSubdirectory("softspot-examples").FullName;
        try
        {
            var psi = new ProcessStartInfo(ExternalTool.Require("bash", "bash"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                ArgumentList = { Path.Combine(Paths.RepoRoot, "examples", "run.sh"), output },
            };
            using var p = Process.Start(psi)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            Assert.True(p.WaitForExit(900_000), "examples/run.sh did not finish in 15 minutes");
            Assert.True(p.ExitCode == 0, $"examples/run.sh failed ({p.ExitCode}):\n{stdout.Result}\n{stderr.Result}");

            // the package carries the documentation
            var package = Assert.Single(Directory.GetFiles(Path.Combine(output, "feed"), "Softspot.*.nupkg"));
            using (var zip = System.IO.Compression.ZipFile.OpenRead(package))
                Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/Softspot.xml");

            // a model that learnt something, reloaded, and a dump OVITO reads with a softness per atom
            var auc = System.Text.RegularExpressions.Regex.Match(stdout.Result, @"ROC-AUC ([0-9.]+)");
            Assert.True(auc.Success, stdout.Result);
            Assert.InRange(double.Parse(auc.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.7, 1.0);
            var loaded = SoftnessModel.Load(Path.Combine(output, "model", "model.json"));
            Assert.Equal("plastic", loaded.Info.Target);
            Assert.Equal("interstice", loaded.Recipe.Preset);
            var frame = Softspot.IO.StructureFile.ReadFirst(Path.Combine(output, "Cu50Zr50-softness.dump"));
            var softness = Assert.Single(frame.Extra, c => c.Name == "softness");
            Assert.Equal(2000, softness.Values.Length);
            Assert.All(softness.Values, v => Assert.InRange(v, 0.0, 1.0));
            // the same numbers as the library in this process
            var glass = Softspot.IO.StructureFile.ReadFirst(Path.Combine(Paths.RepoRoot, "data", "glasses", "Cu50Zr50", "glass.dump.gz"));
            Assert.Equal(loaded.Predict(glass), softness.Values);
        }
        finally { Directory.Delete(output, recursive: true); }
    }
}
