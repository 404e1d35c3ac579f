using System.CommandLine;
using Softspot.IO;
using Softspot.Simulation;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Simulation.Shear;
using Softspot.Simulation.Art;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Reporting;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot simulate quench|shear|art</c>: make glasses, shear them and search their activated events.</summary>
internal static class SimulateCommand
{
    public static Command Build(TextWriter stdout)
    {
        var cmd = new Command("simulate", "Make the data: melt-quench glasses and shear them with LAMMPS, search activated events (ART nouveau)");
        cmd.Subcommands.Add(Quench(stdout));
        cmd.Subcommands.Add(Shear(stdout));
        cmd.Subcommands.Add(Art(stdout));
        return cmd;
    }

    private static Option<int> Ranks() => new("--ranks")
    {
        Description = "MPI ranks for LAMMPS (mpirun -np N); 1 runs lmp serially", DefaultValueFactory = _ => 1,
    };

    private static Option<string?> PairStyle() => new("--pair-style")
    {
        Description = "LAMMPS pair style of the potential (default: from its name: eam/fs, eam/alloy)",
    };

    private static Command Quench(TextWriter stdout)
    {
        var composition = new Option<string>("--composition") { Description = "Alloy, e.g. Cu64Zr36 (type 1 = first element)", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials, e.g. CuZr_mm.eam.fs)", Required = true };
        var atoms = new Option<int>("--atoms") { Description = "Number of atoms", DefaultValueFactory = _ => 2000 };
        var rate = new Option<double>("--rate") { Description = "Quench rate (K/s)", DefaultValueFactory = _ => 1e13 };
        var seed = new Option<long>("--seed") { Description = "Seed of the random placement and velocities", Required = true };
        var melt = new Option<double>("--melt-temperature") { Description = "Melt temperature (K)", DefaultValueFactory = _ => 2000 };
        var meltTime = new Option<double>("--melt-time") { Description = "Time in the melt (ps)", DefaultValueFactory = _ => 40 };
        var final = new Option<double>("--final-temperature") { Description = "Temperature the quench ends at (K), before the minimisation", DefaultValueFactory = _ => 50 };
        var volume = new Option<double?>("--volume") { Description = "Starting volume per atom (A^3; default from atomic radii)" };
        var gzip = new Option<bool>("--gzip") { Description = "Write glass.dump.gz instead of glass.dump" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: glass.dump, quench.lmp, quench.log, provenance.json", Required = true };
        var ranks = Ranks();
        var pairStyle = PairStyle();
        var cmd = new Command("quench", "Melt-quench a glass with LAMMPS at zero pressure and relax it to its inherent structure")
        {
            composition, potential, atoms, rate, seed, melt, meltTime, final, volume, gzip, output, ranks, pairStyle,
        };
        cmd.SetAction(p =>
        {
            var comp = Composition.Parse(p.GetValue(composition)!);
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, comp.ElementsInOrder.Select(e => e.Symbol).ToList(), p.GetValue(pairStyle));
            var protocol = new QuenchProtocol(comp, pot, p.GetValue(atoms), p.GetValue(rate), p.GetValue(seed))
            {
                MeltTemperature = p.GetValue(melt), MeltPicoseconds = p.GetValue(meltTime), FinalTemperature = p.GetValue(final), VolumePerAtom = p.GetValue(volume),
            };
            protocol.Validate();
            string dir = Path.GetFullPath(p.GetValue(output)!);
            Directory.CreateDirectory(dir);
            string version = LammpsInstallation.Version();
            var started = DateTimeOffset.UtcNow;
            string raw = $".quench-{Environment.ProcessId}.dump";
            AtomicFile.Write(Path.Combine(dir, "quench.lmp"), w => w.Write(protocol.Script(raw)));
            stdout.WriteLine($"quench {comp} ({protocol.Atoms} atoms, {string.Join(" + ", comp.Counts(protocol.Atoms))}) with {pot.PairStyle} {Path.GetFileName(pot.File)}: "
                             + $"{protocol.TotalSteps:N0} MD steps; LAMMPS log: {Path.Combine(dir, "quench.log")}");
            try
            {
                LammpsProcess.Run(dir, "quench.lmp", "quench.log", "simulate quench: MD steps", protocol.TotalSteps, p.GetValue(ranks));
                var map = ElementMap.Parse(string.Join(',', pot.Elements));
                var glass = StructureFile.ReadFirst(Path.Combine(dir, raw), map);
                string structure = Path.Combine(dir, p.GetValue(gzip) ? "glass.dump.gz" : "glass.dump");
                LammpsDumpWriter.Write(structure, [glass]);
                string summary = File.ReadLines(Path.Combine(dir, "quench.log")).LastOrDefault(l => l.StartsWith("inherent structure:", StringComparison.Ordinal)) ?? "";
                Provenance.Write(Path.Combine(dir, "provenance.json"), new
                {
                    Command = "softspot " + Provenance.CommandLine,
                    Softspot = Descriptors.FeatureRecipe.Version,
                    Lammps = version,
                    Composition = comp.ToString(),
                    Counts = comp.ElementsInOrder.Zip(comp.Counts(protocol.Atoms)).ToDictionary(x => x.First.Symbol, x => x.Second),
                    protocol.Atoms, QuenchRateKPerS = protocol.Rate, protocol.Seed,
                    MeltTemperatureK = protocol.MeltTemperature, MeltPs = protocol.MeltPicoseconds, FinalTemperatureK = protocol.FinalTemperature,
                    HoldPs = protocol.HoldPicoseconds, TimestepFs = protocol.TimestepFemtoseconds,
                    StartVolumePerAtom = protocol.VolumePerAtom ?? comp.LiquidVolumePerAtom,
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

    /// <summary>The structure's element names (from --elements or the file) as the potential's element list.</summary>
    private static (Snapshot Structure, ElementMap Map) ReadStructure(string path, string? elements)
    {
        var s = StructureFile.ReadFirst(path, CommonOptions.ParseElements(elements));
        return (s, s.RequireElements());
    }

    private static Command Shear(TextWriter stdout)
    {
        var structure = new Option<string>("--structure") { Description = "The glass (its first frame)", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials)", Required = true };
        var elements = CommonOptions.Elements();
        var maxStrain = new Option<double>("--max-strain") { Description = "Shear strain to reach", DefaultValueFactory = _ => 0.10 };
        var step = new Option<double>("--step") { Description = "Strain step (each followed by a minimisation)", DefaultValueFactory = _ => 1e-4 };
        var snapshots = new Option<string>("--snapshots") { Description = "Strains at which to write the structure, comma-separated", DefaultValueFactory = _ => "0.02,0.04,0.06,0.08,0.10" };
        var ftol = new Option<double>("--force-tolerance") { Description = "Minimisation force tolerance (eV/A)", DefaultValueFactory = _ => 1e-6 };
        var gzip = new Option<bool>("--gzip") { Description = "Write the structures gzip-compressed (.dump.gz)" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: reference.dump, sheared.dump (one frame per snapshot), stress_strain.csv, shear.lmp, shear.log, provenance.json", Required = true };
        var ranks = Ranks();
        var pairStyle = PairStyle();
        var cmd = new Command("shear", "Athermal quasi-static simple shear with LAMMPS: snapshots for label d2min and the stress-strain curve")
        {
            structure, potential, elements, maxStrain, step, snapshots, ftol, gzip, output, ranks, pairStyle,
        };
        cmd.SetAction(p =>
        {
            var (glass, map) = ReadStructure(p.GetValue(structure)!, p.GetValue(elements));
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, map.ElementsByType.Select(e => e.Symbol).ToList(), p.GetValue(pairStyle));
            var strains = CommonOptions.ParseNumbers(p.GetValue(snapshots)!, "--snapshots");
            var protocol = new ShearProtocol(pot, p.GetValue(maxStrain), p.GetValue(step), strains) { ForceTolerance = p.GetValue(ftol) };
            protocol.Validate();
            string dir = Path.GetFullPath(p.GetValue(output)!);
            string work = Path.Combine(dir, $".shear-{Environment.ProcessId}");
            Directory.CreateDirectory(work);
            string version = LammpsInstallation.Version();
            var started = DateTimeOffset.UtcNow;
            stdout.WriteLine($"shear {glass.Count} atoms ({map}) in {protocol.Steps} steps of {protocol.Step:G4} to {protocol.MaxStrain:G4}; LAMMPS log: {Path.Combine(dir, "shear.log")}");
            try
            {
                LammpsDataWriter.Write(Path.Combine(work, "input.data"), glass);
                string script = protocol.Script("input.data", "stress_strain.csv");
                AtomicFile.Write(Path.Combine(dir, "shear.lmp"), w => w.Write(script));
                File.WriteAllText(Path.Combine(work, "shear.lmp"), script);
                try { LammpsProcess.Run(work, "shear.lmp", "shear.log", "simulate shear: strain steps", protocol.Steps, p.GetValue(ranks)); }
                finally { if (File.Exists(Path.Combine(work, "shear.log"))) File.Copy(Path.Combine(work, "shear.log"), Path.Combine(dir, "shear.log"), true); }
                string ext = p.GetValue(gzip) ? ".dump.gz" : ".dump";
                Snapshot Frame(int k) => StructureFile.ReadFirst(Path.Combine(work, $"frame_{k}.dump"), map);
                LammpsDumpWriter.Write(Path.Combine(dir, "reference" + ext), [Frame(0)]);
                LammpsDumpWriter.Write(Path.Combine(dir, "sheared" + ext), protocol.SnapshotSteps.Select(Frame));
                File.Copy(Path.Combine(work, "stress_strain.csv"), Path.Combine(dir, "stress_strain.csv"), true);
                var curve = File.ReadLines(Path.Combine(dir, "stress_strain.csv")).Skip(1).Select(l => l.Split(',')).ToList();
                double peak = curve.Max(f => double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
                Provenance.Write(Path.Combine(dir, "provenance.json"), new
                {
                    Command = "softspot " + Provenance.CommandLine,
                    Softspot = Descriptors.FeatureRecipe.Version,
                    Lammps = version,
                    Structure = Provenance.Input(p.GetValue(structure)!),
                    Elements = map.ToString(),
                    Potential = Provenance.Input(pot.File), pot.PairStyle,
                    protocol.MaxStrain, StrainStep = protocol.Step, protocol.Steps, protocol.ForceTolerance,
                    Snapshots = protocol.Snapshots.Zip(protocol.SnapshotSteps, (s, k) => new { Strain = s, Step = k, Timestep = k }).ToList(),
                    PeakShearStressGpa = peak,
                    Started = started, WallSeconds = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
                });
                stdout.WriteLine($"peak shear stress {peak:F3} GPa; wrote {Path.Combine(dir, "reference" + ext)}, {Path.Combine(dir, "sheared" + ext)} ({strains.Count} frames), stress_strain.csv");
            }
            catch (LammpsException)
            {
                stdout.WriteLine($"LAMMPS's working files are kept in {work}");
                throw;
            }
            Directory.Delete(work, recursive: true);
            return 0;
        });
        return cmd;
    }

    private static Command Art(TextWriter stdout)
    {
        var structure = new Option<string>("--structure") { Description = "The glass (its first frame), relaxed to a minimum", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials)", Required = true };
        var elements = CommonOptions.Elements();
        var atoms = new Option<string>("--atoms") { Description = "Initiating atoms: all, a comma-separated id list, or sample:N (N atoms drawn with the seed)", DefaultValueFactory = _ => "all" };
        var searches = new Option<int>("--searches") { Description = "Searches started around each atom (attempts 0..K-1; raising K later adds attempts)", Required = true };
        var seed = new Option<long>("--seed") { Description = "Seed: each search's random push comes from (seed, atom id, attempt)", Required = true };
        var engine = new Option<string>("--engine") { Description = "Force engine: native (tabulated EAM in Softspot) or lammps (any potential, through liblammps)", DefaultValueFactory = _ => "native" };
        var shard = new Option<string?>("--shard") { Description = "k/N: run every N-th selected atom starting at the k-th (default: SLURM_ARRAY_TASK_ID/SLURM_ARRAY_TASK_COUNT when set)" };
        var radius = new Option<double?>("--mobile-radius") { Description = "Local mode: only atoms within this distance (A) of the initiating atom move (default: all atoms move)" };
        var saddleForce = new Option<double>("--saddle-force") { Description = "Saddle convergence: norm of the total force (eV/A)", DefaultValueFactory = _ => new ArtSettings().SaddleForce };
        var threshold = new Option<double>("--eigenvalue-threshold") { Description = "Leave the basin when the lowest eigenvalue falls below this (eV/A^2)", DefaultValueFactory = _ => new ArtSettings().EigenvalueThreshold };
        var output = new Option<string>("--out", "-o") { Description = "Events CSV (appended; searches already in it are skipped) + .moved.csv + .json", Required = true };
        var basinStep = new Option<double>("--basin-step") { Description = "Push length per basin step (A)", DefaultValueFactory = _ => new ArtSettings().BasinStep };
        var activationStep = new Option<double>("--activation-step") { Description = "Largest step along the lowest mode when converging onto the saddle (A)", DefaultValueFactory = _ => new ArtSettings().ActivationStep };
        var lostSteps = new Option<int>("--lost-curvature-steps") { Description = "Give up after this many activation steps in a row without negative curvature", DefaultValueFactory = _ => new ArtSettings().LostCurvatureSteps };
        var initialRadius = new Option<double>("--initial-radius") { Description = "Atoms within this distance of the initiating atom get the random push (A)", DefaultValueFactory = _ => new ArtSettings().InitialRadius };
        var trace = new Option<bool>("--trace") { Description = "Print every basin and activation step of every search (for tuning; use with --threads 1)" };
        var threads = CommonOptions.Threads();
        var pairStyle = PairStyle();
        var cmd = new Command("art", "ART nouveau: saddle points and activation energies of events started around chosen atoms")
        {
            structure, potential, elements, atoms, searches, seed, engine, shard, radius, saddleForce, threshold, basinStep, activationStep, lostSteps, initialRadius, output, trace, threads, pairStyle,
        };
        cmd.SetAction(p =>
        {
            var (glass, map) = ReadStructure(p.GetValue(structure)!, p.GetValue(elements));
            var symbols = map.ElementsByType.Select(e => e.Symbol).ToList();
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, symbols, p.GetValue(pairStyle));
            var (k, n) = Shards.Parse(p.GetValue(shard));
            var selected = ArtCampaign.Select(glass, p.GetValue(atoms)!, p.GetValue(seed), k, n);
            var settings = new ArtSettings
            {
                SaddleForce = p.GetValue(saddleForce), EigenvalueThreshold = p.GetValue(threshold), BasinStep = p.GetValue(basinStep), InitialRadius = p.GetValue(initialRadius),
                ActivationStep = p.GetValue(activationStep), LostCurvatureSteps = p.GetValue(lostSteps),
            };
            int nThreads = p.GetValue(threads) ?? Environment.ProcessorCount;
            if (nThreads < 1) throw new UsageException("--threads must be at least 1");
            string engineName = p.GetValue(engine)!;
            Func<IForceEngine> makeEngine = engineName switch
            {
                "native" => NativeEngine(glass, pot, symbols),
                "lammps" => () => new LammpsForceEngine(glass, pot),
                _ => throw new UsageException($"--engine {engineName}: expected native or lammps"),
            };
            double? mobileRadius = p.GetValue(radius);
            var campaign = new ArtCampaign
            {
                Structure = glass, Atoms = selected, Searches = p.GetValue(searches), Seed = p.GetValue(seed), Settings = settings,
                MobileRadius = mobileRadius, Threads = nThreads, Trace = p.GetValue(trace) ? stdout.WriteLine : null,
            };
            string outPath = p.GetValue(output)!;
            using var events = new EventsFile(outPath);
            // the initial minimum: the structure itself, relaxed further if it is not one
            var minimum = Flatten(glass);
            string relaxNote;
            using (var e = makeEngine())
            {
                var whole = new WholeBoxSurface(e, minimum);
                var f = new double[minimum.Length];
                whole.Compute(minimum, f);
                double fmax = MaxAtomForce(f);
                if (fmax > settings.MinimizeForce)
                {
                    var relax = new ArtSearch(whole, settings with { MinimizeForce = settings.MinimizeForce / 10 });
                    relax.Minimize(minimum, f);
                    relaxNote = $"largest force {fmax:G3} eV/A: relaxed first to {MaxAtomForce(f):G3} eV/A";
                }
                else relaxNote = $"largest force {fmax:G3} eV/A: a minimum";
                stdout.WriteLine($"{glass.Count} atoms, {e.Name}; {relaxNote}");
            }
            int total = selected.Count * campaign.Searches, skip = selected.Sum(id => Enumerable.Range(0, campaign.Searches).Count(a => events.Done.Contains(ArtCampaign.SearchId(id, a))));
            stdout.WriteLine($"{selected.Count} atoms x {campaign.Searches} searches{(n > 1 ? $" (shard {k}/{n})" : "")}: {total - skip} to run, {skip} already in {outPath}; "
                             + $"{(mobileRadius is { } mr ? $"atoms within {mr} A move" : "all atoms move")}, {nThreads} thread(s)");
            var started = DateTimeOffset.UtcNow;
            SurfaceProvider Provider()
            {
                var e = makeEngine();
                return (x, mobile) => mobile is null ? new WholeBoxSurface(e, x)
                    : e is EamForceEngine eam ? new EamLocalSurface(eam, x, mobile) : new WholeBoxSurface(e, x, mobile);
            }
            var (ran, converged) = campaign.Run(minimum, Provider, events, new Progress("simulate art: searches", total - skip));
            double hours = (DateTimeOffset.UtcNow - started).TotalHours;
            Provenance.Write(Path.ChangeExtension(Path.GetFullPath(outPath), ".json"), new
            {
                Command = "softspot " + Provenance.CommandLine,
                Softspot = Descriptors.FeatureRecipe.Version,
                Structure = Provenance.Input(p.GetValue(structure)!), Elements = map.ToString(),
                Potential = Provenance.Input(pot.File), pot.PairStyle, Engine = engineName,
                Atoms = p.GetValue(atoms), Selected = selected.Count, Shard = $"{k}/{n}", campaign.Searches, campaign.Seed,
                MobileRadius = mobileRadius, Threads = nThreads, InitialState = relaxNote, Settings = settings,
                LastRun = new { Started = started, Ran = ran, Converged = converged, WallHours = Math.Round(hours, 4), SearchesPerHourPerThread = ran > 0 ? Math.Round(ran / hours / nThreads, 1) : 0 },
            });
            stdout.WriteLine($"ran {ran} searches ({converged} converged) in {hours * 60:F1} min: {(ran > 0 ? ran / hours / nThreads : 0):F0} searches per hour per thread; events in {outPath}");
            return 0;
        });
        return cmd;
    }

    private static Func<IForceEngine> NativeEngine(Snapshot glass, PotentialSpec pot, IReadOnlyList<string> symbols)
    {
        var setfl = SetflPotential.Read(pot.File);
        return () => new EamForceEngine(glass, setfl, symbols);
    }

    private static double[] Flatten(Snapshot s)
    {
        var x = new double[3 * s.Count];
        for (int i = 0; i < s.Count; i++) { x[3 * i] = s.Positions[i].X; x[3 * i + 1] = s.Positions[i].Y; x[3 * i + 2] = s.Positions[i].Z; }
        return x;
    }

    private static double MaxAtomForce(double[] f)
    {
        double m = 0;
        for (int i = 0; i < f.Length; i += 3) m = Math.Max(m, f[i] * f[i] + f[i + 1] * f[i + 1] + f[i + 2] * f[i + 2]);
        return Math.Sqrt(m);
    }
}
