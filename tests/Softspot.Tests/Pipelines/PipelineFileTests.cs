using Softspot.IO;
using Softspot.Pipelines;
using Softspot.Tests.Support;

namespace Softspot.Tests.Pipelines;

/// <summary>Pipeline files: unknown keys, bad values and missing files are clear errors before any work starts.</summary>
public class PipelineFileTests
{
    private static string Glasses(string root) => $"""
        glasses:
          - name: A
            structure: {root}/data/glasses/Cu64Zr36/glass.dump.gz
            elements: Cu,Zr
            shear:
              reference: {root}/data/glasses/Cu64Zr36/shear/reference.dump.gz
              deformed: {root}/data/glasses/Cu64Zr36/shear/sheared.dump.gz
            events: {root}/data/glasses/Cu64Zr36/art/events.csv
          - name: B
            structure: {root}/data/glasses/Fe80P20/glass.dump.gz
            elements: Fe,P
        """;

    private static PipelineConfig Parse(string yaml) => PipelineFile.Parse(yaml, "test.yaml", Paths.RepoRoot);

    [Fact]
    public void UnknownKeyNamesTheLineAndTheKnownKeys()
    {
        var e = Assert.Throws<InputFormatException>(() => Parse("output: x\npresetz: [interstice]\n"));
        Assert.Equal(2, e.Line);
        Assert.Contains("unknown key 'presetz'", e.Message);
        Assert.Contains("presets", e.Message);
        Assert.StartsWith("test.yaml:2:", e.Message);
        var nested = Assert.Throws<InputFormatException>(() => Parse(Glasses(Paths.RepoRoot) + "\n    structur: x\n"));
        Assert.Contains("unknown key 'structur'", nested.Message);
        Assert.Contains("structure", nested.Message);
    }

    [Fact]
    public void MalformedValuesNameTheLine()
    {
        var e = Assert.Throws<InputFormatException>(() => Parse("output: x\nseed: abc\n"));
        Assert.Equal(2, e.Line);
        var l = Assert.Throws<InputFormatException>(() => Parse("learning:\n  trees: [1, 2]\n"));
        Assert.Equal(2, l.Line);
    }

    [Fact]
    public void DuplicateKeysAreErrors()
    {
        var e = Assert.Throws<InputFormatException>(() => Parse("tasks:\n  - name: T\n    label: h_eact\n    label: l_eact\n"));
        Assert.Equal(4, e.Line);
        Assert.Contains("label", e.Message);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        string yaml = Glasses(Paths.RepoRoot) + """

              - name: C
                structure: no/such/glass.dump
            presets: [interstice, voronoi-indx]
            labels:
              plastic: {strains: [0.1]}
            tasks:
              - {name: T1, label: h_eact, glasses: [A, B]}
              - {name: T2, label: plastic@0.05, glasses: [A]}
              - {name: T3, label: softness, glasses: [Z]}
            transfer:
              - {task: T9, test: A}
            learning: {engine: lightgbm, trees: 0}
            """;
        var e = Assert.Throws<PipelineConfigException>(() => Parse(yaml));
        string all = string.Join("\n", e.Problems);
        Assert.Contains("glasses[2] (C).structure: no such file " + Path.Combine(Paths.RepoRoot, "no/such/glass.dump"), all);
        Assert.Contains("unknown preset 'voronoi-indx'", all);
        Assert.Contains("tasks[0] (T1).label: h_eact needs events on glass B", all);
        Assert.Contains("tasks[1] (T2).label: plastic@0.05 needs the strain 0.05 in labels.plastic.strains", all);
        Assert.Contains("tasks[2] (T3).label: label 'softness': expected h_eact, l_eact or plastic@STRAIN", all);
        Assert.Contains("transfer[0].task: unknown task 'T9'", all);
        Assert.Contains("learning.engine: 'lightgbm'", all);
        Assert.Contains("learning.trees: must be at least 1", all);
        Assert.Equal(8, e.Problems.Count);
        Assert.StartsWith("test.yaml: 8 problems:", e.Message);
    }

    [Fact]
    public void CommandChecksTheFileBeforeAnyWork()
    {
        using var dir = new TempDir();
        string output = dir.File("out"), file = dir.File("p.yaml");
        File.WriteAllText(file, $"output: {output}\n" + Glasses(Paths.RepoRoot) + "\ntasks:\n  - {name: T, label: l_eact, glasses: [B]}\n");
        string error = CliRunner.AssertOneLineError(CliRunner.Run("run", file));
        Assert.Contains("tasks[0] (T).label: l_eact needs events on glass B", error);
        Assert.StartsWith($"softspot: error: {file}:", error);
        Assert.False(Directory.Exists(output));
        Assert.Contains("no such pipeline file", CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("missing.yaml"))));
    }

    [Fact]
    public void StrainsMissingFromTheShearRunAreNamed()
    {
        using var dir = new TempDir();
        string file = dir.File("p.yaml");
        File.WriteAllText(file, $"output: {dir.File("out")}\npresets: [voronoi-index]\n" + Glasses(Paths.RepoRoot)
            + "\nlabels:\n  plastic: {strains: [0.1, 0.03]}\ntasks:\n  - {name: T, label: plastic@0.03, glasses: [A]}\n");
        string error = CliRunner.AssertOneLineError(CliRunner.Run("run", file));
        Assert.Contains("sheared.dump.gz: no frame at shear strain 0.03 (its frames are at 0.02, 0.04, 0.06, 0.08, 0.1)", error);
    }

    [Fact]
    public void GlassesOfOtherElementsCannotBePooled()
    {
        using var dir = new TempDir();
        string file = dir.File("p.yaml"), root = Paths.RepoRoot;
        File.WriteAllText(file, $"output: {dir.File("out")}\npresets: [voronoi-index, radial-sf]\n" + Glasses(root) + $$"""

                shear: {reference: {{root}}/data/glasses/Fe80P20/shear/reference.dump.gz, deformed: {{root}}/data/glasses/Fe80P20/shear/sheared.dump.gz}
            labels:
              plastic: {strains: [0.1]}
            tasks:
              - {name: T, label: plastic@0.1, glasses: [A, B]}
              - {name: U, label: plastic@0.1, glasses: [B, A]}
            """);
        string error = CliRunner.AssertOneLineError(CliRunner.Run("run", file));
        Assert.StartsWith($"softspot: error: {file}: 2 problems: task T:", error);
        Assert.Contains("task T: glasses A and B have different radial-sf columns", error);
        Assert.Contains("task U: glasses B and A have different radial-sf columns", error);
        Assert.DoesNotContain("voronoi-index columns", error);
    }

    [Fact]
    public void TheDemoPipelineIsPrintedAndValid()
    {
        var r = CliRunner.Run("demo", "--print-config");
        Assert.Equal(0, r.Code);
        Assert.Equal(PipelineFile.DemoText(), r.Out);
        // saved at the repository's root, it is a valid pipeline naming the shipped files
        var c = PipelineFile.Parse(r.Out, "demo.yaml", Paths.RepoRoot);
        // the twelve representations of the paper's Table 1 in its order, each a preset, and one combination
        Assert.Equal([.. Softspot.Reporting.PaperTable1.Rows.Select(x => x.Preset), "interstice+soap"], c.Presets);
        Assert.All(c.Presets, p => Softspot.Descriptors.Presets.Find(p));
        Assert.Equal("CuZr_mm.eam.fs", c.Potential);
        Assert.Equal(["Cu64Zr36-annealed", "Cu50Zr50-annealed", "Fe80P20"], c.Glasses.Select(g => g.Name));
        // the activation tasks pool the two annealed glasses (one search version)
        Assert.All(c.Tasks.Where(t => t.Task.NeedsEvents), t => Assert.Equal(["Cu64Zr36-annealed", "Cu50Zr50-annealed"], t.Glasses));
        // labelled atoms have at least 10 converged searches (issue 18's campaign goal; ShippedArtDataTests)
        Assert.Equal(10, c.Labels.Activation.MinEvents);
        // the 2019 paper's figures on the annealed glass's 80-frame series, and the leakage diagnostics
        Assert.Equal("Cu64Zr36-annealed", c.QuenchInSoftness!.Glass);
        // the flexibility volume by the harmonic estimate (an atom of Cu50Zr50-annealed flips in low-temperature MD)
        Assert.Equal(new Softspot.Simulation.Vibration.VibrationSettings { Method = Softspot.Simulation.Vibration.MsdMethod.Harmonic, Temperature = 10 }, c.Flexibility!.Settings());
        Assert.Equal(5.0, c.Diagnostics!.BlockedCutoff);
        Assert.Equal(["H-Eact", "L-Eact", "Plastic-2%", "Plastic-6%", "Plastic-10%"], c.Tasks.Select(t => t.Name));
        Assert.Contains(c.Transfer, x => x.Task == "L-Eact" && x.Label == "plastic@0.02");
        Assert.Equal(Path.Combine(Paths.RepoRoot, "softspot-demo"), c.Output);
    }
}
