using System.CommandLine;
using Softspot.Simulation;
using Softspot.Simulation.Art;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Simulation.Potentials;
using Softspot.Reporting;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot simulate art</c>: ART nouveau searches around chosen atoms, appended to an events CSV.</summary>
internal static class SimulateArtCommand
{
    /// <param name="signals">The process's stop signals, which a campaign takes over (null: none, as in tests).</param>
    public static Command Build(TextWriter stdout, StopSignals? signals)
    {
        var structure = new Option<string>("--structure") { Description = "The glass (its first frame), relaxed to a minimum", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials)", Required = true };
        var elements = CommonOptions.Elements();
        var atoms = new Option<AtomSelection>("--atoms")
        {
            Description = "Initiating atoms: all, a comma-separated id list, or sample:N (N atoms drawn with the seed)",
            DefaultValueFactory = _ => new AtomSelection.All(),
            CustomParser = r =>
            {
                try { return AtomSelection.Parse(string.Join(",", r.Tokens.Select(t => t.Value))); }
                catch (SoftspotException e) { r.AddError("--" + e.Message); return null; }
            },
        };
        var searches = new Option<int>("--searches") { Description = "Searches started around each atom (attempts 0..K-1; raising K later adds attempts)", Required = true }.Within(1, ArtCampaign.MaxSearchesPerAtom);
        var untilConverged = new Option<int?>("--until-converged") { Description = "Stop starting searches around an atom once N of them converged (attempts still in order, at most --searches)" }.AtLeast(1);
        var order = new Option<string>("--order")
        {
            Description = "attempts: every atom's first search, then every atom's second, ... (a partial run labels all atoms about equally); atoms: atom by atom, those expected to be done soonest first (a partial run finishes as many atoms as it can). A complete run has the same events either way",
            DefaultValueFactory = _ => "attempts",
        };
        order.AcceptOnlyFromAmong("attempts", "atoms");
        var seed = new Option<long>("--seed") { Description = "Seed: each search's random push comes from (seed, atom id, attempt)", Required = true };
        var engine = new Option<string>("--engine") { Description = "Force engine: native (tabulated EAM in Softspot) or lammps (any potential, through liblammps)", DefaultValueFactory = _ => "native" };
        var shard = Shards.Option("run every N-th selected atom starting at the k-th");
        var radius = new Option<double?>("--mobile-radius") { Description = "Local mode: only atoms within this distance (A) of the initiating atom move (default: all atoms move)" }.Positive();
        var saddleForce = new Option<double>("--saddle-force") { Description = "Saddle convergence: norm of the total force (eV/A)", DefaultValueFactory = _ => new ArtSettings().SaddleForce }.Positive();
        var threshold = new Option<double>("--eigenvalue-threshold") { Description = "Leave the basin when the lowest eigenvalue falls below this (eV/A^2)", DefaultValueFactory = _ => new ArtSettings().EigenvalueThreshold }.Negative();
        var output = new Option<string>("--out", "-o") { Description = "Events CSV (appended; searches already in it are skipped) + .moved.csv + .json", Required = true };
        var basinStep = new Option<double>("--basin-step") { Description = "Push length per basin step (A)", DefaultValueFactory = _ => new ArtSettings().BasinStep }.Positive();
        var activationStep = new Option<double>("--activation-step") { Description = "Largest step along the lowest mode when converging onto the saddle (A)", DefaultValueFactory = _ => new ArtSettings().ActivationStep }.Positive();
        var lostSteps = new Option<int>("--lost-curvature-steps") { Description = "Give up after this many activation steps in a row without negative curvature", DefaultValueFactory = _ => new ArtSettings().LostCurvatureSteps }.AtLeast(1);
        var basinRelax = new Option<int>("--basin-relax-steps") { Description = "Perpendicular relaxation steps after each basin push", DefaultValueFactory = _ => new ArtSettings().BasinRelaxSteps }.NonNegative();
        var activationRelax = new Option<int>("--activation-relax-steps") { Description = "Perpendicular relaxation steps after each activation step", DefaultValueFactory = _ => new ArtSettings().ActivationRelaxSteps }.NonNegative();
        var initialRadius = new Option<double>("--initial-radius") { Description = "Atoms within this distance of the initiating atom get the random push (A)", DefaultValueFactory = _ => new ArtSettings().InitialRadius }.Positive();
        var trace = new Option<bool>("--trace") { Description = "Print every basin and activation step of every search (for tuning; use with --threads 1)" };
        var threads = CommonOptions.Threads();
        var pairStyle = SimulateCommand.PairStyle();
        var cmd = new Command("art", "ART nouveau: saddle points and activation energies of events started around chosen atoms")
        {
            structure, potential, elements, atoms, searches, untilConverged, order, seed, engine, shard, radius, saddleForce, threshold, basinStep, activationStep, lostSteps, basinRelax, activationRelax, initialRadius, output, trace, threads, pairStyle,
        };
        var slurm = new SlurmSubmit(cmd);
        cmd.SetAction(p =>
        {
            string artOut = p.GetValue(output)!;
            CommonOptions.CheckFiles((artOut, "--out"), (Path.ChangeExtension(artOut, ".json"), "--out (its .json record)"), (Simulation.Art.EventsFile.MovedPathFor(artOut), "--out (its .moved.csv)"));
            if (p.GetValue(untilConverged) is { } uc0 && uc0 > p.GetValue(searches))
                throw new UsageException($"--until-converged {uc0} must be at most --searches ({p.GetValue(searches)})");
            if (slurm.Submitted(p, artOut, stdout)) return 0;
            var (glass, map) = SimulateCommand.ReadStructure(p.GetValue(structure)!, p.GetValue(elements));
            var symbols = map.ElementsByType.Select(e => e.Symbol).ToList();
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, symbols, p.GetValue(pairStyle));
            var requested = Shards.Requested(p.GetValue(shard));
            var spec = requested ?? ShardSpec.Whole;
            var (k, n) = (spec.K, spec.N);
            var selected = p.GetValue(atoms)!.Resolve(glass, p.GetValue(seed), k, n);
            var settings = new ArtSettings
            {
                SaddleForce = p.GetValue(saddleForce), EigenvalueThreshold = p.GetValue(threshold), BasinStep = p.GetValue(basinStep), InitialRadius = p.GetValue(initialRadius),
                ActivationStep = p.GetValue(activationStep), LostCurvatureSteps = p.GetValue(lostSteps),
                BasinRelaxSteps = p.GetValue(basinRelax), ActivationRelaxSteps = p.GetValue(activationRelax),
            };
            int nThreads = p.GetValue(threads) ?? Environment.ProcessorCount;
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
                Structure = glass, Atoms = selected, Searches = p.GetValue(searches), UntilConverged = p.GetValue(untilConverged), Seed = p.GetValue(seed), Settings = settings,
                MobileRadius = mobileRadius, Threads = nThreads, Order = p.GetValue(order) == "atoms" ? ArtOrder.Atoms : ArtOrder.Attempts, Trace = p.GetValue(trace) ? stdout.WriteLine : null,
            };
            string outPath = p.GetValue(output)!;
            var job = requested is { } sh ? new ShardJob
            {
                Command = "simulate art", Shard = sh, Output = outPath, Format = "csv",
                Inputs = [InputFile.Of("structure", p.GetValue(structure)!), InputFile.Of("potential", pot.File)],
                Parameters = RunParameters.Of(("elements", map.ToString()), ("pair_style", pot.PairStyle), ("engine", engineName), ("atoms", p.GetValue(atoms)!.ToString()),
                    ("searches", campaign.Searches), ("until_converged", campaign.UntilConverged), ("seed", campaign.Seed), ("mobile_radius", mobileRadius), ("settings", settings)),
                Extensible = ["atoms", "searches", "until_converged"],
            } : null;
            if (job?.Done() is not null)
            {
                stdout.WriteLine($"simulate art: shard {job.Shard} already done ({outPath}, {ShardManifest.PathFor(outPath)})");
                return 0;
            }
            using var events = new EventsFile(outPath);
            string record = Path.ChangeExtension(Path.GetFullPath(outPath), ".json");
            var identity = ArtRunIdentity.Of(p.GetValue(structure)!, pot.File, map.ToString(), campaign.Seed, mobileRadius, settings);
            if (events.Outcomes.Count > 0)
            {
                // resuming: only the campaign that started the file may add to it
                var existing = ArtRunIdentity.Read(record)
                    ?? throw new UsageException($"{outPath} holds {events.Outcomes.Count} searches but {record} (the record of how they were made) is missing or unreadable: use another --out");
                if (existing.Difference(identity) is { } why)
                    throw new UsageException($"{outPath}: its {events.Outcomes.Count} searches were made with {why}; adding to them would mix two campaigns: use another --out");
            }
            double[] minimum;
            string relaxNote;
            using (var e = makeEngine())
            {
                (minimum, relaxNote) = ArtCampaign.InitialMinimum(e, glass, settings);
                stdout.WriteLine($"{glass.Count} atoms, {e.Name}; {relaxNote}");
            }
            var planned = campaign.Planned(events.Outcomes);
            int already = planned.Count(s => events.Outcomes.ContainsKey(ArtCampaign.SearchId(s.Id, s.Attempt))), pending = planned.Count - already;
            string plan = campaign.UntilConverged is { } uc ? $"up to {campaign.Searches} searches until {uc} converge" : $"{campaign.Searches} searches";
            stdout.WriteLine($"{selected.Count} atoms x {plan}{(n > 1 ? $" (shard {k}/{n})" : "")}: {(campaign.UntilConverged is null ? $"{pending}" : FormattableString.Invariant($"at most {pending} (about {campaign.ExpectedPending(events.Outcomes):F0} at each atom's converged fraction so far)"))} to run, {already} already in {outPath}; "
                             + $"{(mobileRadius is { } mr ? $"atoms within {mr} A move" : "all atoms move")}, {nThreads} thread(s)");
            var started = DateTimeOffset.UtcNow;
            SurfaceProvider Provider()
            {
                var e = makeEngine();
                return (x, mobile) => mobile is null ? new WholeBoxSurface(e, x)
                    : e is EamForceEngine eam ? new EamLocalSurface(eam, x, mobile) : new WholeBoxSurface(e, x, mobile);
            }
            // the record exists from the start (a campaign is often stopped, then resumed), updated at the end
            object Record(object? lastRun) => new
            {
                Command = "softspot " + Provenance.CommandLine,
                Softspot = Provenance.SoftspotVersion, ArtVersion = ArtSettings.Version,
                Structure = Provenance.Input(p.GetValue(structure)!), Elements = map.ToString(),
                Potential = Provenance.Input(pot.File), pot.PairStyle, Engine = engineName,
                Atoms = p.GetValue(atoms)!.ToString(), Selected = selected.Count, Shard = $"{k}/{n}", campaign.Searches, campaign.UntilConverged, Order = p.GetValue(order), campaign.Seed,
                MobileRadius = mobileRadius, Threads = nThreads, InitialState = relaxNote, Settings = settings,
                LastRun = lastRun,
            };
            Provenance.Write(record, Record(new { Started = started, Running = true }));
            // SIGINT / SIGTERM (Ctrl+C, Slurm's time limit): finish the searches under way, write them, and stop cleanly
            using var stop = new CancellationTokenSource();
            signals?.HandOver();
            void Stop(System.Runtime.InteropServices.PosixSignalContext c)
            {
                c.Cancel = true;
                if (!stop.IsCancellationRequested) Console.Error.WriteLine("simulate art: stopping after the searches under way (they are written; rerun to resume)");
                stop.Cancel();
            }
            using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Stop);
            using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Stop);
            var (ran, converged, outcomes) = campaign.Run(minimum, Provider, events, new Progress("simulate art: searches", pending), stop.Token);
            events.Dispose();
            job?.FinishEvents(events, outcomes, campaign.Planned(outcomes).Select(s => ArtCampaign.SearchId(s.Id, s.Attempt)).ToHashSet());
            double hours = (DateTimeOffset.UtcNow - started).TotalHours;
            Provenance.Write(record, Record(new { Started = started, Ran = ran, Converged = converged, WallHours = Math.Round(hours, 4), SearchesPerHourPerThread = ran > 0 ? Math.Round(ran / hours / nThreads, 1) : 0 }));
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
}
