using System.CommandLine;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Reporting;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot featurize FILE... --preset NAME --out features.csv</c>: per-atom descriptor tables (one row per atom
/// and frame), with a JSON recipe beside them and optionally a LAMMPS dump carrying the features for OVITO.
/// </summary>
internal static class FeaturizeCommand
{
    public static Command Build(TextWriter stdout)
    {
        var files = new Argument<string[]>("FILE") { Description = "Structure files (every frame of each, in order)", Arity = ArgumentArity.OneOrMore };
        var preset = new Option<string>("--preset", "-p") { Description = "Feature set: " + string.Join(", ", Presets.All.Select(p => p.Name)), DefaultValueFactory = _ => "interstice" };
        var output = new Option<string>("--out", "-o") { Description = "Feature table (CSV or Parquet, see --format): frame,id,type,element, then the features", Required = true };
        var dump = new Option<string?>("--dump") { Description = "Also write the frames with the features as extra columns (LAMMPS dump, for OVITO)" };
        var radii = new Option<string?>("--radii") { Description = "Radii in A by element or type (e.g. Cu=1.26,Zr=1.58); Miracle radii otherwise" };
        var voroCutoff = new Option<double>("--voronoi-cutoff") { Description = "Voronoi neighbours farther than this (A) are dropped", DefaultValueFactory = _ => 5.0 }.Positive();
        var faceFraction = new Option<double>("--small-face") { Description = "Small-face filter: drop faces below this fraction of the running mean area (0 keeps all)", DefaultValueFactory = _ => 0.05 }.Within(0, 1);
        var distCutoff = new Option<double>("--distance-cutoff") { Description = "Distance neighbours: atoms closer than this (A)", DefaultValueFactory = _ => 4.0 }.Positive();
        var amlearnAzimuth = new Option<bool>("--amlearn-azimuth") { Description = "Bond-orientational order with the reference's atan azimuth (not rotation invariant) instead of textbook Steinhardt" };
        var float32 = new Option<bool>("--float32-fold") { Description = "Round i-fold symmetry indices to float32 as the reference does" };
        var tripletImage = new Option<bool>("--amlearn-triplets") { Description = "Angular symmetry functions with the reference's minimum-image r_jk (differs only in cells narrower than 4 cutoffs)" };
        var format = CommonOptions.Format();
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var shard = Shards.Option("featurize every N-th frame (over all FILEs) starting at the k-th, into --out");
        var cmd = new Command("featurize", "Compute per-atom structural descriptors")
        {
            files, preset, output, format, dump, radii, voroCutoff, faceFraction, distCutoff, amlearnAzimuth, float32, tripletImage, elements, threads, shard,
        };
        var slurm = new SlurmSubmit(cmd);
        cmd.SetAction(p =>
        {
            CommonOptions.CheckFiles((p.GetValue(output), "--out"), (RecipePath(p.GetValue(output)!), "--out (its recipe .json)"), (p.GetValue(dump), "--dump"));
            if (slurm.Submitted(p, p.GetValue(output)!, stdout)) return 0;
            var chosen = Presets.Find(p.GetValue(preset)!);
            var settings = new FeaturizeSettings
            {
                VoronoiCutoff = Positive(p.GetValue(voroCutoff), "--voronoi-cutoff"),
                SmallFaceFraction = NonNegative(p.GetValue(faceFraction), "--small-face"),
                DistanceCutoff = Positive(p.GetValue(distCutoff), "--distance-cutoff"),
                Radii = p.GetValue(radii),
                AmlearnAzimuth = p.GetValue(amlearnAzimuth),
                Float32FoldSymmetry = p.GetValue(float32),
                AmlearnTripletMinimumImage = p.GetValue(tripletImage),
                Threads = Parallelism.Resolve(p.GetValue(threads)),
            };
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            var inputs = p.GetValue(files)!;
            foreach (var f in inputs) if (!File.Exists(f)) throw new InputFormatException(f, 0, InputProblem.Syntax, "no such file");
            string outPath = p.GetValue(output)!;
            var tableFormat = TableFormats.Resolve(p.GetValue(format), outPath);
            var job = ShardedOutput.Job("featurize", p.GetValue(shard), outPath, tableFormat, inputs.Select(f => ("structure", f)),
                ("preset", chosen.Name), ("elements", p.GetValue(elements)), ("settings", settings));
            if (ShardedOutput.AlreadyDone(job, stdout)) return 0;
            Run(inputs, chosen, settings, map, outPath, p.GetValue(dump), stdout, tableFormat, job);
            return 0;
        });
        return cmd;
    }

    private static double Positive(double v, string name) => v > 0 ? v : throw new UsageException($"{name} must be positive");
    private static double NonNegative(double v, string name) => v >= 0 ? v : throw new UsageException($"{name} must not be negative");

    /// <summary>Rows computed and written at a time: the output table is never held whole (unless a dump is written).</summary>
    private const int BlockRows = 1 << 14;

    /// <summary>
    /// Featurizes every frame of every input (with a <paramref name="job"/>, only the frames of its shard, numbered
    /// over all inputs), streaming rows to the outputs: one frame is in memory at a time, and its structures are
    /// dropped before the next is read.
    /// </summary>
    public static void Run(IReadOnlyList<string> inputs, Presets.Preset preset, FeaturizeSettings settings, ElementMap? map,
        string outPath, string? dumpPath, TextWriter stdout, TableFormat format = TableFormat.Csv, ShardJob? job = null)
    {
        var shard = job?.Shard ?? ShardSpec.Whole;
        using var table = ShardedOutput.Table(job, outPath, format);
        using var dumpFile = dumpPath is null ? null : AtomicFile.Create(dumpPath);
        ITableWriter? csv = null;
        FeatureSet? set = null;
        FeatureRecipe? recipe = null;
        var progress = new Progress("featurize: frames");
        int frame = 0, written = 0;
        long atoms = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var path in inputs)
        {
            int first = frame;
            // the run's first frame sets the columns and the recipe, even in a shard that does not own it
            foreach (var raw in StructureFile.ReadFrames(path, local => first + local == 0 || shard.Owns(first + local), map))
            {
                if (raw is null) { frame++; continue; }
                var elements = raw.RequireElements();
                if (set is null)
                {
                    set = preset.Build(elements);
                    recipe = FeatureRecipe.Create(preset.Name, set, settings, elements, Softspot.Voronoi.Radii.ByType(raw, settings.Radii));
                    csv = table.Begin(["frame", "id", "type", "element", .. set.Columns.Select(c => c.Name)]);
                }
                else if (!elements.ElementsByType.Select(e => e.Symbol).SequenceEqual(recipe!.Elements))
                    throw new InputFormatException(path, 0, InputProblem.UnknownElement,
                        $"frame {raw.Frame} has elements {string.Join(',', elements.ElementsByType.Select(e => e.Symbol))}, earlier frames {string.Join(',', recipe.Elements)}: one table needs one element list");
                if (shard.Owns(frame))
                {
                    WriteFrame(frame, new FrameContext(raw, settings), set, csv!, dumpFile?.Writer);
                    written++;
                    atoms += raw.Count;
                    progress.Step($"{atoms} atoms");
                }
                frame++;
            }
            recipe?.Inputs.Add(new FeatureRecipe.InputRecord(Path.GetFullPath(path), first, frame - first, new FileInfo(path).Length));
        }
        progress.Done();
        if (recipe is null) throw new InputFormatException(inputs[0], 0, InputProblem.Truncated, "no frames to featurize");
        table.Commit();
        dumpFile?.Commit();
        string recipePath = RecipePath(outPath);
        recipe.Save(recipePath);
        string manifest = ShardedOutput.Finish(job, table, written, frame, recipePath);
        string frames = job is null ? $"{frame}" : $"shard {shard}: {written} of {frame}";
        stdout.WriteLine($"featurize: {frames} frame(s), {atoms} atoms, {recipe.Columns.Length} features ({preset.Name}) in {clock.Elapsed.TotalSeconds:F2} s, "
            + $"peak memory {PeakMemoryMiB():F0} MiB -> {outPath}, {recipePath}" + (dumpPath is null ? "" : $", {dumpPath}") + manifest);
    }

    /// <summary>Computes one frame's features and writes its rows (and its dump frame); nothing of it outlives the call.</summary>
    private static void WriteFrame(int frame, FrameContext context, FeatureSet set, ITableWriter table, TextWriter? dump)
    {
        var raw = context.Snapshot;
        var elements = raw.Elements!;
        void WriteRows(int first, FeatureTable rows)
        {
            for (int r = 0; r < rows.Rows; r++)
            {
                int i = first + r;
                table.Number(frame).Number(raw.Ids[i]).Number(raw.Types[i]).Text(elements[raw.Types[i]]!.Symbol);
                foreach (double v in rows.Row(r)) table.Number(v);
                table.EndRow();
            }
        }
        if (dump is null)
        {
            foreach (var (first, rows) in set.ComputeBlocks(context, BlockRows)) WriteRows(first, rows);
            return;
        }
        // the dump takes a whole frame's columns at once
        var features = set.Compute(context);
        WriteRows(0, features);
        LammpsDumpWriter.WriteFrame(dump, raw,
            [.. raw.Extra, .. set.Columns.Select(c => new PerAtomColumn(LammpsDumpWriter.ColumnName(c.Name), features.Column(c.Name)))]);
    }

    /// <summary>The process's peak resident memory so far (VmHWM on Linux), in MiB.</summary>
    private static double PeakMemoryMiB()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1048576.0;
    }

    /// <summary>features.csv (or .parquet) -> features.json</summary>
    public static string RecipePath(string table) => Path.ChangeExtension(table, ".json");

}
