using System.CommandLine;
using System.Text.Json;
using Softspot.IO;
using Softspot.Labels;
using Softspot.Reporting;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot label d2min|activation</c>: what atoms later do, as tables keyed by frame and id.</summary>
internal static class LabelCommand
{
    public static Command Build(TextWriter stdout)
    {
        var cmd = new Command("label", "Label atoms with what they later do: D2min under shear, activation energies");
        cmd.Subcommands.Add(D2Min(stdout));
        cmd.Subcommands.Add(Activation(stdout));
        return cmd;
    }

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static Command D2Min(TextWriter stdout)
    {
        var reference = new Option<string>("--reference") { Description = "Reference structure (its first frame)", Required = true };
        var deformed = new Option<string[]>("--deformed") { Description = "Deformed structure(s); every frame is labelled (frame = its index over the files)", Required = true, AllowMultipleArgumentsPerToken = true };
        var cutoff = new Option<double>("--cutoff") { Description = "Neighbours within this distance (A) in the reference", DefaultValueFactory = _ => 5.0 }.Positive();
        var top = new Option<double?>("--top") { Description = "Plastic sites: the top fraction of D2min in each frame (default 0.05)" }.Between(0, 1);
        var threshold = new Option<double?>("--threshold") { Description = "Plastic sites: D2min at or above this (A^2), instead of --top" }.Positive();
        var output = new Option<string>("--out", "-o") { Description = "Table (CSV or Parquet, see --format): frame,id,d2min,shear_strain,plastic (+ a .json with the parameters)", Required = true };
        var format = CommonOptions.Format();
        var dump = new Option<string?>("--dump") { Description = "Also write the deformed frames with d2min, shear_strain and plastic columns (LAMMPS dump)" };
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var shard = Shards.Option("label every N-th deformed frame (over all --deformed files) starting at the k-th, into --out");
        var cmd = new Command("d2min", "Non-affine displacement D2min (Falk-Langer) and plastic-site labels")
        {
            reference, deformed, cutoff, top, threshold, output, format, dump, elements, threads, shard,
        };
        var slurm = new SlurmSubmit(cmd);
        cmd.SetAction(p =>
        {
            CommonOptions.CheckFiles((p.GetValue(output), "--out"), (Path.ChangeExtension(p.GetValue(output)!, ".json"), "--out (its .json)"), (p.GetValue(dump), "--dump"));
            if (slurm.Submitted(p, p.GetValue(output)!, stdout)) return 0;
            if (p.GetValue(top) is not null && p.GetValue(threshold) is not null) throw new UsageException("give --top or --threshold, not both");
            double fraction = p.GetValue(top) ?? 0.05;
            double? fixedThreshold = p.GetValue(threshold);
            double cutoffValue = p.GetValue(cutoff);
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            var refSnap = StructureFile.ReadFirst(p.GetValue(reference)!, map);
            string outPath = p.GetValue(output)!;
            var tableFormat = TableFormats.Resolve(p.GetValue(format), outPath);
            var job = ShardedOutput.Job("label d2min", p.GetValue(shard), outPath, tableFormat,
                [("reference", p.GetValue(reference)!), .. p.GetValue(deformed)!.Select(d => ("deformed", d))],
                ("cutoff", p.GetValue(cutoff)), ("top", fixedThreshold is null ? fraction : null), ("threshold", fixedThreshold), ("elements", p.GetValue(elements)));
            if (ShardedOutput.AlreadyDone(job, stdout)) return 0;
            var mine = job?.Shard ?? ShardSpec.Whole;
            using var table = ShardedOutput.Table(job, outPath, tableFormat);
            using var dumpFile = p.GetValue(dump) is { } dp ? AtomicFile.Create(dp) : null;
            var csv = table.Begin(["frame", "id", "d2min", "shear_strain", "plastic"]);
            var frames = new List<object>();
            var progress = new Progress("label d2min: frames");
            int frame = 0, written = 0;
            foreach (var file in p.GetValue(deformed)!)
            {
                int first = frame;
                foreach (var def in StructureFile.ReadFrames(file, local => mine.Owns(first + local), map))
                {
                    if (def is null) { frame++; continue; }
                    var r = NonAffineDisplacement.Compute(refSnap, def, p.GetValue(cutoff), p.GetValue(threads));
                    if (r.Undefined == refSnap.Count)
                        throw new LabelException($"{file}: frame {frame}: no atom has a D2min: every atom has too few neighbours within --cutoff {p.GetValue(cutoff)} A in the reference (fewer than 3 independent bonds); use a larger cutoff");
                    // an undeformed frame has no plastic atoms: D2min at rounding level (below 1e-10 A^2) never counts
                    double thr = Math.Max(fixedThreshold ?? TailLabels.TopThreshold(r.D2Min, fraction), NonAffineDisplacement.NoiseFloor);
                    var plastic = TailLabels.AtOrAbove(r.D2Min, thr);
                    for (int i = 0; i < refSnap.Count; i++)
                    {
                        csv.Number(frame).Number(refSnap.Ids[i]).NumberOrEmpty(r.D2Min[i]).NumberOrEmpty(r.ShearStrain[i]);
                        if (plastic[i] is { } v) csv.Number(v); else csv.Empty();
                        csv.EndRow();
                    }
                    if (dumpFile is not null)
                    {
                        var index = def.IndexById();
                        double[] Reorder(IReadOnlyList<double> v) { var o = new double[def.Count]; for (int i = 0; i < refSnap.Count; i++) o[index[refSnap.Ids[i]]] = v[i]; return o; }
                        LammpsDumpWriter.WriteFrame(dumpFile.Writer, def,
                            [.. def.Extra, new("d2min", Reorder(r.D2Min)), new("shear_strain", Reorder(r.ShearStrain)),
                             new("plastic", Reorder(plastic.Select(x => x is { } v ? (double)v : double.NaN).ToArray()))]);
                    }
                    var (gxy, gxz, gyz) = NonAffineDisplacement.CellShear(refSnap.Cell, def.Cell);
                    int count = plastic.Count(x => x == 1);
                    frames.Add(new
                    {
                        Frame = frame, File = Path.GetFullPath(file), FrameInFile = def.Frame, def.Timestep,
                        CellShearXy = gxy, CellShearXz = gxz, CellShearYz = gyz,
                        Threshold = thr, Fraction = fixedThreshold is null ? fraction : (double?)null,
                        Plastic = count, Undefined = r.Undefined, MeanD2min = r.D2Min.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average(),
                    });
                    stdout.WriteLine(FormattableString.Invariant(
                        $"frame {frame} ({file}, timestep {def.Timestep}): cell shear xy {gxy:G4}; mean D2min {r.D2Min.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average():G5} A^2; {count} plastic (D2min >= {thr:G5} A^2){(r.Undefined > 0 ? $"; {r.Undefined} atoms undefined (too few neighbours)" : "")}"));
                    frame++;
                    written++;
                    progress.Step();
                }
            }
            progress.Done();
            table.Commit();
            dumpFile?.Commit();
            var meta = new { Softspot = Descriptors.FeatureRecipe.Version, Reference = Path.GetFullPath(p.GetValue(reference)!), Cutoff = p.GetValue(cutoff), Rule = fixedThreshold is null ? "top fraction" : "threshold", Frames = frames };
            string metaPath = Path.ChangeExtension(outPath, ".json");
            AtomicFile.Write(metaPath, w => w.Write(JsonSerializer.Serialize(meta, Json)));
            if (job is not null)
                stdout.WriteLine($"label d2min: shard {job.Shard}: {written} of {frame} frame(s) -> {outPath}, {metaPath}{ShardedOutput.Finish(job, table, written, frame, metaPath)}");
            return 0;
        });
        return cmd;
    }

    /// <summary>The moved-atoms companion of every events file (frame = the file's position), checked against the structures' atoms.</summary>
    private static List<MovedAtom> Participants(string[] files, List<(int Frame, long Id)>? atoms)
    {
        var known = atoms?.ToHashSet();
        var all = new List<MovedAtom>();
        for (int k = 0; k < files.Length; k++)
        {
            string path = MovedAtomsReader.CompanionOf(files[k])
                ?? throw new UsageException($"--assign participants needs the moved-atoms file beside {files[k]} (.moved.csv or .moved.csv.gz), which simulate art writes");
            var rows = MovedAtomsReader.Read(path, k);
            if (known is not null && rows.FirstOrDefault(m => !known.Contains((k, m.MovedId))) is { } stray)
                throw new InputFormatException(path, 0, InputProblem.AtomCount, $"search {stray.Search} moved atom {stray.MovedId}, which the structure given for it does not have");
            all.AddRange(rows);
        }
        return all;
    }

    private static Command Activation(TextWriter stdout)
    {
        var events = new Option<string[]>("--events") { Description = "Events CSV(s), one per glass unless they carry a frame column", Required = true, AllowMultipleArgumentsPerToken = true };
        var tail = new Option<double>("--tail") { Description = "H-Eact/L-Eact: the top/bottom fraction of the pooled per-atom mean E_act", DefaultValueFactory = _ => 0.05 }.Between(0, 0.5);
        var minEvents = new Option<int>("--min-events") { Description = "Atoms with fewer converged searches are left unlabelled", DefaultValueFactory = _ => 5 }.AtLeast(1);
        var structures = new Option<string[]>("--structure") { Description = "Structure(s), one per events file: list every atom (0 events included) and allow --dump", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out", "-o") { Description = "Table (CSV or Parquet, see --format): frame,id,eact_mean,eact_min,events,h_eact,l_eact (+ a .json with the parameters)", Required = true };
        var format = CommonOptions.Format();
        var dump = new Option<string?>("--dump") { Description = "Also write the structures with the label columns (needs --structure)" };
        var elements = CommonOptions.Elements();
        var shard = new Option<string?>("--shard") { Description = "Not available: the labels pool every atom of every glass (merge simulate art shards with softspot merge, then label once)" };
        var assign = new Option<string>("--assign") { Description = "Whose event is it: initiator (the atom a search started around, as the paper) or participants (every atom that moved, weighted by its saddle displacement squared; reads each events file's .moved.csv[.gz])", DefaultValueFactory = _ => "initiator" };
        var cmd = new Command("activation", "Per-atom activation energies and H-Eact/L-Eact labels from activation-relaxation searches")
        {
            events, tail, minEvents, structures, output, format, dump, elements, shard, assign,
        };
        cmd.SetAction(p =>
        {
            if (p.GetValue(shard) is { } s)
                throw new UsageException($"--shard {s}: label activation cannot be sharded: H-Eact and L-Eact are the tails of the per-atom mean pooled over every atom of every glass, "
                                         + "so no share of the atoms can be labelled alone; it is a quick step: merge the simulate art shards (softspot merge) and label once");
            CommonOptions.CheckFiles((p.GetValue(output), "--out"), (Path.ChangeExtension(p.GetValue(output)!, ".json"), "--out (its .json)"), (p.GetValue(dump), "--dump"));
            var files = p.GetValue(events)!;
            var structs = p.GetValue(structures) ?? [];
            if (structs.Length > 0 && structs.Length != files.Length) throw new UsageException($"give one --structure per events file ({files.Length}), not {structs.Length}");
            if (p.GetValue(dump) is not null && structs.Length == 0) throw new UsageException("--dump needs --structure");
            double t = p.GetValue(tail);
            var all = files.SelectMany((f, k) => ActivationEventsReader.Read(f, k)).ToList();
            if (all.Count == 0)
                throw new LabelException($"{string.Join(", ", files)}: no searches (only a header): nothing to label");
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            var snaps = structs.Select(s => StructureFile.ReadFirst(s, map)).ToArray();
            var atoms = snaps.Length == 0 ? null : snaps.SelectMany((s, k) => s.Ids.Select(id => (k, id))).ToList();
            if (atoms is not null)
            {
                var known = atoms.ToHashSet();
                var stray = all.FirstOrDefault(e => !known.Contains((e.Frame, e.AtomId)));
                if (stray is not null)
                    throw new InputFormatException(files[Math.Min(stray.Frame, files.Length - 1)], 0, InputProblem.AtomCount,
                        $"search {stray.Search} starts at atom {stray.AtomId}, which structure {structs[Math.Min(stray.Frame, structs.Length - 1)]} does not have");
            }
            string mode = p.GetValue(assign)!;
            var result = mode switch
            {
                "initiator" => ActivationLabels.Compute(all, t, p.GetValue(minEvents), atoms),
                "participants" => ActivationLabels.Participants(all, Participants(files, atoms), t, p.GetValue(minEvents), atoms),
                _ => throw new UsageException($"--assign {mode}: expected initiator or participants"),
            };
            TableFile.Write(p.GetValue(output)!, TableFormats.Resolve(p.GetValue(format), p.GetValue(output)!), ["frame", "id", "eact_mean", "eact_min", "events", "h_eact", "l_eact"], csv =>
            {
                foreach (var a in result.Atoms)
                {
                    csv.Number(a.Frame).Number(a.Id).NumberOrEmpty(a.EactMean).NumberOrEmpty(a.EactMin).Number(a.Events);
                    if (a.High is { } h) csv.Number(h); else csv.Empty();
                    if (a.Low is { } l) csv.Number(l); else csv.Empty();
                    csv.EndRow();
                }
            });
            if (p.GetValue(dump) is { } dumpPath)
            {
                var byKey = result.Atoms.ToDictionary(a => (a.Frame, a.Id));
                LammpsDumpWriter.Write(dumpPath, snaps, s =>
                {
                    int k = Array.IndexOf(snaps, s);
                    AtomActivation A(int i) => byKey[(k, s.Ids[i])];
                    return [.. s.Extra,
                        new("eact_mean", Enumerable.Range(0, s.Count).Select(i => A(i).EactMean).ToArray()),
                        new("events", Enumerable.Range(0, s.Count).Select(i => (double)A(i).Events).ToArray()),
                        new("h_eact", Enumerable.Range(0, s.Count).Select(i => A(i).High is { } v ? v : double.NaN).ToArray()),
                        new("l_eact", Enumerable.Range(0, s.Count).Select(i => A(i).Low is { } v ? v : double.NaN).ToArray())];
                });
            }
            int converged = all.Count(e => e.Converged);
            var meta = new
            {
                Softspot = Descriptors.FeatureRecipe.Version, Events = files.Select(Path.GetFullPath).ToArray(), Assign = mode, Tail = t, MinEvents = p.GetValue(minEvents),
                Searches = all.Count, Converged = converged, Labelled = result.Labelled, HighThreshold = result.HighThreshold, LowThreshold = result.LowThreshold,
            };
            AtomicFile.Write(Path.ChangeExtension(p.GetValue(output)!, ".json"), w => w.Write(JsonSerializer.Serialize(meta, Json)));
            stdout.WriteLine(FormattableString.Invariant(
                $"label activation: {all.Count} searches ({converged} converged) over {result.Atoms.Count} atoms; {result.Labelled} atoms with >= {p.GetValue(minEvents)} events labelled: H-Eact mean E_act >= {result.HighThreshold:G5} eV, L-Eact <= {result.LowThreshold:G5} eV"));
            return 0;
        });
        return cmd;
    }
}
