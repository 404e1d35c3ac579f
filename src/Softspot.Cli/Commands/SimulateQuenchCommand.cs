using System.CommandLine;
using Softspot.IO;
using Softspot.Simulation;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot simulate quench</c>: a glass from a composition, by melt-quench in LAMMPS.</summary>
internal static class SimulateQuenchCommand
{
    public static Command Build(TextWriter stdout)
    {
        var composition = new Option<string>("--composition") { Description = "Alloy, e.g. Cu64Zr36 (type 1 = first element)", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials, e.g. CuZr_mm.eam.fs)", Required = true };
        var atoms = new Option<int>("--atoms") { Description = "Number of atoms", DefaultValueFactory = _ => 2000 }.AtLeast(2);
        var rate = new Option<double>("--rate") { Description = "Quench rate (K/s)", DefaultValueFactory = _ => 1e13 }.Positive();
        var seed = new Option<long>("--seed") { Description = "Seed of the random placement and velocities", Required = true };
        var melt = new Option<double>("--melt-temperature") { Description = "Melt temperature (K)", DefaultValueFactory = _ => 2000 }.Positive();
        var meltTime = new Option<double>("--melt-time") { Description = "Time in the melt (ps)", DefaultValueFactory = _ => 40 }.Positive();
        var final = new Option<double>("--final-temperature") { Description = "Temperature the quench ends at (K), before the minimisation", DefaultValueFactory = _ => 50 }.Positive();
        var volume = new Option<double?>("--volume") { Description = "Starting volume per atom (A^3; default from atomic radii)" }.Positive();
        var anneal = new Option<string?>("--anneal") { Description = "Stop the quench at T K and hold there (NPT) for P ps before going on at the same rate: T:P, e.g. 700:400" };
        var swaps = new Option<string?>("--swaps") { Description = "With --anneal: M Monte Carlo Cu/Zr identity swaps (fixed composition) every N MD steps: N:M, e.g. 100:100" };
        var gzip = new Option<bool>("--gzip") { Description = "Write glass.dump.gz instead of glass.dump" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: glass.dump, quench.lmp, quench.log, provenance.json", Required = true };
        var ranks = SimulateCommand.Ranks();
        var pairStyle = SimulateCommand.PairStyle();
        var cmd = new Command("quench", "Melt-quench a glass with LAMMPS at zero pressure and relax it to its inherent structure")
        {
            composition, potential, atoms, rate, seed, melt, meltTime, final, volume, anneal, swaps, gzip, output, ranks, pairStyle,
        };
        cmd.SetAction(p =>
        {
            OutputLocation.CheckFolder(p.GetValue(output), "--out");
            var comp = Composition.Parse(p.GetValue(composition)!);
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, comp.ElementsInOrder.Select(e => e.Symbol).ToList(), p.GetValue(pairStyle));
            var protocol = new QuenchProtocol(comp, pot, p.GetValue(atoms), p.GetValue(rate), p.GetValue(seed))
            {
                MeltTemperature = p.GetValue(melt), MeltPicoseconds = p.GetValue(meltTime), FinalTemperature = p.GetValue(final), VolumePerAtom = p.GetValue(volume),
                Anneal = Anneal(p.GetValue(anneal), p.GetValue(swaps)),
            };
            protocol.Validate();
            var counts = comp.Counts(protocol.Atoms); // before the folder exists: too few atoms for some element is an input error
            string dir = Path.GetFullPath(p.GetValue(output)!);
            Directory.CreateDirectory(dir);
            string version = LammpsInstallation.Version();
            var started = DateTimeOffset.UtcNow;
            string raw = $".quench-{Environment.ProcessId}.dump";
            AtomicFile.Write(Path.Combine(dir, "quench.lmp"), w => w.Write(protocol.Script(raw)));
            stdout.WriteLine($"quench {comp} ({protocol.Atoms} atoms, {string.Join(" + ", counts)}) with {pot.PairStyle} {Path.GetFileName(pot.File)}: "
                             + $"{protocol.TotalSteps:N0} MD steps; LAMMPS log: {Path.Combine(dir, "quench.log")}");
            try
            {
                LammpsProcess.Run(dir, "quench.lmp", "quench.log", "simulate quench: MD steps", protocol.TotalSteps, p.GetValue(ranks));
                var map = ElementMap.Parse(string.Join(',', pot.Elements));
                var glass = StructureFile.ReadFirst(Path.Combine(dir, raw), map);
                string structure = Path.Combine(dir, p.GetValue(gzip) ? "glass.dump.gz" : "glass.dump");
                LammpsDumpWriter.Write(structure, [glass]);
                string summary = LogLine(dir, "inherent structure:");
                Provenance.Write(Path.Combine(dir, "provenance.json"), new
                {
                    Command = "softspot " + Provenance.CommandLine,
                    Softspot = Provenance.SoftspotVersion,
                    Lammps = version,
                    Composition = comp.ToString(),
                    Counts = comp.ElementsInOrder.Zip(comp.Counts(protocol.Atoms)).ToDictionary(x => x.First.Symbol, x => x.Second),
                    protocol.Atoms, QuenchRateKPerS = protocol.Rate, protocol.Seed,
                    MeltTemperatureK = protocol.MeltTemperature, MeltPs = protocol.MeltPicoseconds, FinalTemperatureK = protocol.FinalTemperature,
                    HoldPs = protocol.HoldPicoseconds, TimestepFs = protocol.TimestepFemtoseconds,
                    StartVolumePerAtom = protocol.VolumePerAtom ?? comp.LiquidVolumePerAtom,
                    Anneal = protocol.Anneal is { } a ? new
                    {
                        TemperatureK = a.Temperature, a.Picoseconds, Steps = protocol.AnnealSteps, SwapEverySteps = a.SwapEvery, a.SwapAttempts,
                        Swaps = LogLine(dir, "swaps:"), Result = LogLine(dir, "annealed:"),
                    } : null,
                    Potential = Provenance.Input(pot.File), pot.PairStyle, Ranks = p.GetValue(ranks),
                    Result = summary, Structure = Path.GetFileName(structure),
                    Started = started, WallSeconds = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
                });
                stdout.WriteLine($"{summary}\nwrote {structure}");
            }
            finally
            {
                File.Delete(Path.Combine(dir, raw));
            }
            return 0;
        });
        return cmd;
    }

    /// <summary>The last line of the LAMMPS log that starts with <paramref name="prefix"/> (a line the script prints), or "".</summary>
    private static string LogLine(string dir, string prefix) =>
        File.ReadLines(Path.Combine(dir, "quench.log")).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal)) ?? "";

    /// <summary>The anneal stage from --anneal T:P and --swaps N:M.</summary>
    private static AnnealStage? Anneal(string? anneal, string? swaps)
    {
        if (anneal is null)
            return swaps is null ? null : throw new UsageException("--swaps needs --anneal (the swaps run during the anneal stage)");
        var (t, ps) = Pair(anneal, "--anneal", "T:P (K:ps), e.g. 700:400");
        var stage = new AnnealStage(t, ps);
        if (swaps is null) return stage;
        var (every, attempts) = Pair(swaps, "--swaps", "N:M (MD steps:attempts), e.g. 100:100");
        if (every != Math.Floor(every) || attempts != Math.Floor(attempts) || every < 1 || attempts < 1 || every > int.MaxValue || attempts > int.MaxValue)
            throw new UsageException($"--swaps {swaps}: N and M must be positive whole numbers");
        return stage with { SwapEvery = (int)every, SwapAttempts = (int)attempts };
    }

    private static (double, double) Pair(string text, string option, string expected)
    {
        var parts = text.Split(':');
        return parts.Length == 2 && double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double a)
                                 && double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double b)
                                 && double.IsFinite(a) && double.IsFinite(b)
            ? (a, b) : throw new UsageException($"{option} {text}: expected {expected}");
    }
}
