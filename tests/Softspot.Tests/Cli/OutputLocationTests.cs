using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>
/// Every command that writes checks its output locations before any work starts (OutputLocation): an existing folder
/// where a file goes, a file where a folder goes or on the way, a folder that cannot be written. Missing folders are
/// created when the output is written. (Tests run as root, so "cannot be written" is shown with /proc and a path under a file.)
/// </summary>
public class OutputLocationTests
{
    private static string Structure => Paths.Data("CuZr_500.dump");

    public static TheoryData<string[], string> FileOutputs(string bad) => new()
    {
        { ["voronoi", Structure, "--elements", "Cu,Zr", "--out", bad], "--out" },
        { ["voronoi", Structure, "--elements", "Cu,Zr", "--faces", bad], "--faces" },
        { ["featurize", Structure, "--elements", "Cu,Zr", "--out", bad], "--out" },
        { ["featurize", Structure, "--elements", "Cu,Zr", "--out", "{d}/ok.csv", "--dump", bad], "--dump" },
        { ["label", "d2min", "--reference", Structure, "--deformed", Structure, "--out", bad], "--out" },
        { ["label", "activation", "--events", "e.csv", "--out", bad], "--out" },
        { ["predict", "--model", "m.json", "--features", "f.csv", "--out", bad], "--out" },
        { ["merge", "a.csv", "--out", bad], "--out" },
        { ["simulate", "art", "--structure", Structure, "--potential", "CuZr_mm.eam.fs", "--searches", "1", "--seed", "1", "--out", bad], "--out" },
    };

    public static TheoryData<string[], string> Folders(string bad) => new()
    {
        { ["train", "--features", "f.csv", "--labels", "l.csv", "--target", "plastic", "--out", bad], "--out" },
        { ["transfer", "--model", "m.json", "--features", "f.csv", "--labels", "l.csv", "--target", "plastic", "--out", bad], "--out" },
        { ["simulate", "quench", "--composition", "Cu64Zr36", "--potential", "CuZr_mm.eam.fs", "--seed", "1", "--out", bad], "--out" },
        { ["simulate", "shear", "--structure", Structure, "--potential", "CuZr_mm.eam.fs", "--out", bad], "--out" },
        { ["demo", "--out", bad], "--out" },
    };

    public static TheoryData<string[], string> ExistingFolderAsFile() => FileOutputs("{dir}");
    public static TheoryData<string[], string> FileUnderAFile() => FileOutputs("{file}/out.csv");
    public static TheoryData<string[], string> InProc() => FileOutputs("/proc/softspot-out.csv");
    public static TheoryData<string[], string> FileAsFolder() => Folders("{file}");
    public static TheoryData<string[], string> FolderUnderAFile() => Folders("{file}/sub");

    private static (string Line, TempDir Dir) Fail(string[] args)
    {
        var dir = new TempDir();
        Directory.CreateDirectory(dir.File("existing"));
        File.WriteAllText(dir.File("file.txt"), "x\n");
        var resolved = args.Select(a => a.Replace("{dir}", dir.File("existing")).Replace("{file}", dir.File("file.txt")).Replace("{d}", dir.Path)).ToArray();
        return (CliRunner.AssertOneLineError(CliRunner.Run(resolved)), dir);
    }

    [Theory]
    [MemberData(nameof(ExistingFolderAsFile))]
    public void AnExistingFolderIsNotAFileOutput(string[] args, string option)
    {
        var (line, dir) = Fail(args);
        using var _ = dir;
        Assert.Contains($"{option} {dir.File("existing")}: is a folder", line);
        Assert.Equal(["existing", "file.txt"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order());
    }

    [Theory]
    [MemberData(nameof(FileUnderAFile))]
    public void AFileOnTheWayIsRefused(string[] args, string option)
    {
        var (line, dir) = Fail(args);
        using var _ = dir;
        Assert.Contains($"{option} {dir.File("file.txt")}/out.csv: {dir.File("file.txt")} is a file, not a folder", line);
    }

    [Theory]
    [MemberData(nameof(InProc))]
    public void AFolderThatCannotBeWrittenIsRefusedBeforeAnyWork(string[] args, string option)
    {
        var (line, dir) = Fail(args);
        using var _ = dir;
        Assert.Contains($"{option} /proc/softspot-out.csv: cannot write in /proc", line);
    }

    [Theory]
    [MemberData(nameof(FileAsFolder))]
    public void AnExistingFileIsNotAFolderOutput(string[] args, string option)
    {
        var (line, dir) = Fail(args);
        using var _ = dir;
        Assert.Contains($"{option} {dir.File("file.txt")}: is a file; give a folder", line);
    }

    [Theory]
    [MemberData(nameof(FolderUnderAFile))]
    public void AFolderUnderAFileIsRefused(string[] args, string option)
    {
        var (line, dir) = Fail(args);
        using var _ = dir;
        Assert.Contains($"{option} {dir.File("file.txt")}/sub: {dir.File("file.txt")} is a file, not a folder", line);
    }

    [Fact]
    public void MissingFoldersAreCreatedWhenTheOutputIsWritten()
    {
        using var dir = new TempDir();
        string output = dir.File("a/b/cells.csv");
        Assert.Equal(0, CliRunner.Run("voronoi", Structure, "--elements", "Cu,Zr", "--out", output, "--quiet").Code);
        Assert.True(File.Exists(output));
        Assert.Empty(Directory.GetFiles(dir.Path, ".*", SearchOption.AllDirectories));
    }

    [Fact]
    public void ACheckCreatesNothing()
    {
        using var dir = new TempDir();
        OutputLocation.CheckFile(dir.File("x/y/z.csv"), "--out");
        OutputLocation.CheckFolder(dir.File("d/e"), "--out");
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
        Assert.Throws<OutputLocationException>(() => OutputLocation.CheckFile("", "--out"));
    }

    [Fact]
    public void AtomicFileRefusesAFolderTargetAsTheUsersProblem()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<OutputLocationException>(() => AtomicFile.Write(dir.Path, w => w.Write("x")));
        Assert.Contains("is a folder", e.Message);
    }

    [Fact]
    public void RunChecksThePipelinesOutputFolderBeforeAnyWork()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("file.txt"), "x\n");
        string yaml = File.ReadAllText(Path.Combine(Paths.RepoRoot, "src", "Softspot", "Pipelines", "demo.yaml"))
            .Replace("data/", Paths.RepoRoot + "/data/").Replace("output: softspot-demo", $"output: {dir.File("file.txt")}/out");
        File.WriteAllText(dir.File("p.yaml"), yaml);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string line = CliRunner.AssertOneLineError(CliRunner.Run("run", dir.File("p.yaml")));
        Assert.Contains($"is a file, not a folder", line);
        Assert.True(clock.Elapsed.TotalSeconds < 20, "checked only after the work");
    }
}
