using System.Globalization;
using System.Text.RegularExpressions;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Scale;

/// <summary>
/// The scale issue's one-machine goal, checked cheaply: <c>softspot featurize --preset interstice</c>, run as users run
/// it (a child process, every core), on replicas of the shipped 2,000-atom Cu64Zr36 glass. Its peak memory (the
/// command's own report: the process's VmHWM) is a fixed start-up part plus a part in proportion to the atoms of a
/// frame, at a bounded cost per atom, and a file of three frames peaks as one of them does, because frames are
/// streamed. The 1,000,000-atom numbers are in BENCHMARKS.md (bench/Softspot.Bench.Scale).
/// </summary>
public partial class FeaturizeMemoryTests(ITestOutputHelper output)
{
    /// <summary>
    /// Peak memory per additional atom, between 16,000 and 128,000 atoms: 1,900 to 2,300 bytes measured, 3,800 before
    /// the scale work (which held the unfiltered tessellation, every hull and the whole output table).
    /// </summary>
    private const double MaxBytesPerAtom = 3000;

    /// <summary>The fixed part: a .NET process with Softspot loaded and a frame's buffers, about 60 MiB.</summary>
    private const double MaxFixedMiB = 120;

    private static readonly string Glass = Paths.Data("glasses/Cu64Zr36/glass.dump.gz");
    private static readonly string Sheared = Paths.Data("glasses/Cu64Zr36/shear/sheared.dump.gz");

    [Fact]
    public void PeakMemoryFollowsTheAtomsOfOneFrame()
    {
        using var dir = new TempDir();
        var glass = StructureFile.ReadFirst(Glass);
        double small = PeakMiB(dir, [glass.Replicate(2, 2, 2)]), large = PeakMiB(dir, [glass.Replicate(4, 4, 4)]);
        // three frames of 64,000 atoms (the glass at 2, 4 and 6 % shear strain) in one file
        double frames = PeakMiB(dir, StructureFile.ReadFrames(Sheared).Take(3).Select(f => f.Replicate(2, 4, 4)));

        double perAtom = (large - small) * 1048576 / (128_000 - 16_000);
        double Predicted(int atoms) => small + perAtom * (atoms - 16_000) / 1048576;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak MiB: 16,000 atoms {small}, 128,000 atoms {large}, 3 frames of 64,000 {frames} (one frame predicted {Predicted(64_000):F0}); {perAtom:F0} bytes per atom, fixed part {Predicted(0):F0} MiB"));
        Assert.InRange(perAtom, 500, MaxBytesPerAtom);
        Assert.InRange(Predicted(0), 0, MaxFixedMiB);
        // streamed: within half a frame of one frame's peak (holding a second frame would add a whole one)
        Assert.InRange(frames, double.NegativeInfinity, Predicted(64_000) + 0.5 * perAtom * 64_000 / 1048576);
    }

    /// <summary>Writes the frames as a dump, featurizes it in a child process and returns the peak memory it reports.</summary>
    private static double PeakMiB(TempDir dir, IEnumerable<Snapshot> frames)
    {
        string input = dir.File("frames.dump"), table = dir.File("features.csv");
        LammpsDumpWriter.Write(input, frames);
        string dotnet = ExternalTool.Require("dotnet", "dotnet-sdk");
        string stdout = ExternalTool.Run(dotnet, [typeof(Softspot.Cli.Program).Assembly.Location, "featurize", input, "--preset", "interstice", "--out", table], dir.Path);
        File.Delete(table);
        File.Delete(input);
        var m = PeakReport().Match(stdout);
        Assert.True(m.Success, stdout);
        return double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"peak memory (\d+) MiB")]
    private static partial Regex PeakReport();
}
