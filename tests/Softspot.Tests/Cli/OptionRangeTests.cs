using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>Every numeric option refuses values out of its range (and NaN, infinities) before any work, naming the option.</summary>
public class OptionRangeTests
{
    private static string Structure => Paths.Data("CuZr_500.dump");
    private static string[] Art(params string[] extra) =>
        ["simulate", "art", "--structure", Structure, "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs", "--searches", "1", "--seed", "1", "--out", "{d}/e.csv", .. extra];
    private static string[] Shear(params string[] extra) =>
        ["simulate", "shear", "--structure", Structure, "--elements", "Cu,Zr", "--potential", "CuZr_mm.eam.fs", "--out", "{d}/sh", .. extra];
    private static string[] Quench(params string[] extra) =>
        ["simulate", "quench", "--composition", "Cu64Zr36", "--potential", "CuZr_mm.eam.fs", "--seed", "1", "--out", "{d}/q", .. extra];
    private static string[] Train(params string[] extra) =>
        ["train", "--features", "f.csv", "--labels", "l.csv", "--target", "plastic", "--out", "{d}/t", .. extra];

    public static TheoryData<string[], string> Cases() => new()
    {
        { ["voronoi", Structure, "--threads", "0"], "--threads must be at least 1" },
        { ["voronoi", Structure, "--edge-threshold", "-1"], "--edge-threshold must not be negative" },
        { ["featurize", Structure, "--out", "{d}/f.csv", "--small-face", "2"], "--small-face must lie between 0 and 1" },
        { ["featurize", Structure, "--out", "{d}/f.csv", "--voronoi-cutoff", "0"], "--voronoi-cutoff must be positive" },
        { ["featurize", Structure, "--out", "{d}/f.csv", "--distance-cutoff", "NaN"], "--distance-cutoff must be a finite number" },
        { ["featurize", Structure, "--out", "{d}/f.csv", "--slurm", "0"], "--slurm must be at least 1" },
        { ["label", "d2min", "--reference", Structure, "--deformed", Structure, "--out", "{d}/d.csv", "--cutoff", "0"], "--cutoff must be positive" },
        { ["label", "d2min", "--reference", Structure, "--deformed", Structure, "--out", "{d}/d.csv", "--top", "1"], "--top must lie strictly between 0 and 1" },
        { ["label", "d2min", "--reference", Structure, "--deformed", Structure, "--out", "{d}/d.csv", "--threshold", "0"], "--threshold must be positive" },
        { ["label", "activation", "--events", "e.csv", "--out", "{d}/a.csv", "--tail", "0.5"], "--tail must lie strictly between 0 and 0.5" },
        { ["label", "activation", "--events", "e.csv", "--out", "{d}/a.csv", "--min-events", "0"], "--min-events must be at least 1" },
        { Train("--trees", "0"), "--trees must be at least 1" },
        { Train("--depth", "0"), "--depth must lie between 1 and 32" },
        { Train("--learning-rate", "0"), "--learning-rate must be above 0 and at most 1" },
        { Train("--reduce", "-1"), "--reduce must not be negative" },
        { Quench("--atoms", "1"), "--atoms must be at least 2" },
        { Quench("--rate", "-1e13"), "--rate must be positive" },
        { Quench("--melt-temperature", "Infinity"), "--melt-temperature must be a finite number" },
        { Quench("--ranks", "0"), "--ranks must be at least 1" },
        { Quench("--volume", "0"), "--volume must be positive" },
        { Shear("--step", "0"), "--step must be above 0 and at most 0.01" },
        { Shear("--max-strain", "3"), "--max-strain must be above 0 and at most 2" },
        { Shear("--force-tolerance", "0"), "--force-tolerance must be positive" },
        { ["simulate", "art", "--structure", Structure, "--potential", "CuZr_mm.eam.fs", "--searches", "0", "--seed", "1", "--out", "{d}/e.csv"], "--searches must lie between 1 and 1000" },
        { Art("--mobile-radius", "0"), "--mobile-radius must be positive" },
        { Art("--until-converged", "0"), "--until-converged must be at least 1" },
        { Art("--saddle-force", "-1"), "--saddle-force must be positive" },
        { Art("--eigenvalue-threshold", "0.1"), "--eigenvalue-threshold must be negative" },
        { Art("--basin-step", "0"), "--basin-step must be positive" },
        { Art("--activation-step", "0"), "--activation-step must be positive" },
        { Art("--lost-curvature-steps", "0"), "--lost-curvature-steps must be at least 1" },
        { Art("--basin-relax-steps", "-1"), "--basin-relax-steps must not be negative" },
        { Art("--activation-relax-steps", "-1"), "--activation-relax-steps must not be negative" },
        { Art("--initial-radius", "0"), "--initial-radius must be positive" },
        { Art("--until-converged", "3"), "--until-converged 3 must be at most --searches (1)" },
        { Shear("--max-strain", "0.01", "--step", "3e-3", "--snapshots", "0.009"), "--max-strain 0.01 is not a whole number of --step 0.003 (the nearest are 0.009 and 0.012)" },
        { Shear("--max-strain", "0.012", "--step", "3e-3", "--snapshots", "0.01"), "--snapshots: strain 0.01 is not a whole number of --step 0.003" },
        { Shear("--max-strain", "0.012", "--step", "3e-3", "--snapshots", "0.006,0.006"), "--snapshots: a strain is given twice" },
        { Shear("--max-strain", "0.012", "--step", "3e-3", "--snapshots", "0.015"), "--snapshots: strain 0.015 is not in (0, --max-strain 0.012]" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void OutOfRangeValuesAreRefusedNamingTheOption(string[] args, string expected)
    {
        using var dir = new TempDir();
        string line = CliRunner.AssertOneLineError(CliRunner.Run(args.Select(a => a.Replace("{d}", dir.Path)).ToArray()));
        Assert.Contains(expected, line);
        Assert.Empty(Directory.GetFileSystemEntries(dir.Path)); // refused before anything was written (no header-only events file)
    }

    [Fact]
    public void TheShearStrainsThatAreWholeStepsAreAccepted()
    {
        Softspot.Simulation.Shear.ShearProtocol.CheckStrains(0.1, 1e-4, [0.02, 0.04, 0.06, 0.08, 0.10]);
        Softspot.Simulation.Shear.ShearProtocol.CheckStrains(0.012, 3e-3, [0.003, 0.009, 0.012]);
        Softspot.Simulation.Shear.ShearProtocol.CheckStrains(0.3, 0.01, [0.07, 0.3]);
    }
}
