using System.CommandLine;
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
            string outPath = p.GetValue(output)!;
            CommonOptions.CheckFiles((outPath, "--out"), (Path.ChangeExtension(outPath, ".json"), "--out (its .json)"), (p.GetValue(dump), "--dump"));
            if (slurm.Submitted(p, outPath, stdout)) return 0;
            if (p.GetValue(top) is not null && p.GetValue(threshold) is not null) throw new UsageException("give --top or --threshold, not both");
            var rule = new PlasticRule { Top = p.GetValue(top) ?? new PlasticRule().Top, Threshold = p.GetValue(threshold) };
            var tableFormat = TableFormats.Resolve(p.GetValue(format), outPath);
            var job = ShardedOutput.Job("label d2min", p.GetValue(shard), outPath, tableFormat,
                [("reference", p.GetValue(reference)!), .. p.GetValue(deformed)!.Select(d => ("deformed", d))],
                ("cutoff", p.GetValue(cutoff)), ("top", rule.Threshold is null ? rule.Top : null), ("threshold", rule.Threshold), ("elements", p.GetValue(elements)));
            if (ShardedOutput.AlreadyDone(job, stdout)) return 0;
            var labeler = new PlasticLabeler(p.GetValue(cutoff), rule, RunContext.Console(p.GetValue(threads)));
            var done = labeler.Write(p.GetValue(reference)!, p.GetValue(deformed)!, outPath, tableFormat, CommonOptions.ParseElements(p.GetValue(elements)), p.GetValue(dump),
                f => stdout.WriteLine(FormattableString.Invariant(
                    $"frame {f.Frame} ({f.Deformed.Source}, timestep {f.Deformed.Timestep}): cell shear xy {f.CellShear.Xy:G4}; mean D2min {f.MeanD2Min:G5} A^2; {f.Count} plastic (D2min >= {f.Threshold:G5} A^2){(f.Result.Undefined > 0 ? $"; {f.Result.Undefined} atoms undefined (too few neighbours)" : "")}")), job);
            if (job is not null)
                stdout.WriteLine($"label d2min: shard {job.Shard}: {done.Written} of {done.Frames} frame(s) -> {outPath}, {done.ParametersPath}, {done.ManifestPath}");
            return 0;
        });
        return cmd;
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
            string outPath = p.GetValue(output)!;
            CommonOptions.CheckFiles((outPath, "--out"), (Path.ChangeExtension(outPath, ".json"), "--out (its .json)"), (p.GetValue(dump), "--dump"));
            var files = p.GetValue(events)!;
            var structs = p.GetValue(structures) ?? [];
            if (structs.Length > 0 && structs.Length != files.Length) throw new UsageException($"give one --structure per events file ({files.Length}), not {structs.Length}");
            if (p.GetValue(dump) is not null && structs.Length == 0) throw new UsageException("--dump needs --structure");
            string mode = p.GetValue(assign)!;
            var assignment = mode switch
            {
                "initiator" => EventAssignment.Initiator,
                "participants" => EventAssignment.Participants,
                _ => throw new UsageException($"--assign {mode}: expected initiator or participants"),
            };
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            var glasses = files.Select((f, k) => structs.Length == 0 ? new ActivationGlass(f)
                : new ActivationGlass(f, StructureFile.ReadFirst(structs[k], map), $"structure {structs[k]}")).ToList();
            var set = new ActivationLabeler(p.GetValue(tail), p.GetValue(minEvents), assignment)
                .Write(glasses, outPath, TableFormats.Resolve(p.GetValue(format), outPath), p.GetValue(dump));
            var result = set.Labels;
            stdout.WriteLine(FormattableString.Invariant(
                $"label activation: {set.Searches} searches ({set.Converged} converged) over {result.Atoms.Count} atoms; {result.Labelled} atoms with >= {p.GetValue(minEvents)} events labelled: H-Eact mean E_act >= {result.HighThreshold:G5} eV, L-Eact <= {result.LowThreshold:G5} eV"));
            return 0;
        });
        return cmd;
    }
}
