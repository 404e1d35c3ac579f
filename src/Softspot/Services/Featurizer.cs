using System.Diagnostics;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot;

/// <summary>What <see cref="Featurizer.Write(IReadOnlyList{string}, string, TableFormat, ElementMap?, string?)"/> did.</summary>
/// <param name="Frames">Frames in the inputs.</param>
/// <param name="Written">Frames featurized and written (fewer than <paramref name="Frames"/> in a shard).</param>
/// <param name="Atoms">Rows written.</param>
/// <param name="Recipe">The recipe written beside the table.</param>
/// <param name="RecipePath">Where the recipe was written.</param>
/// <param name="Seconds">Wall time.</param>
/// <param name="ManifestPath">The shard manifest written, or null when not sharded.</param>
public sealed record FeaturizeSummary(int Frames, int Written, long Atoms, FeatureRecipe Recipe, string RecipePath, double Seconds, string? ManifestPath);

/// <summary>
/// Per-atom structural descriptors of snapshots: a representation (a preset of <see cref="Presets"/>, e.g.
/// <c>interstice</c>) with its settings. <see cref="Table"/> featurizes one snapshot in memory;
/// <see cref="Write(IReadOnlyList{string}, string, TableFormat, ElementMap?, string?)"/> streams every frame of structure files to a CSV or Parquet table (one frame in memory at a time, rows written in
/// blocks) with the recipe beside it. A featurizer made <see cref="For(FeatureRecipe, RunContext?)">from a
/// recipe</see> reproduces the features a model was trained on, and refuses structures of other elements.
/// </summary>
public sealed class Featurizer
{
    /// <summary>Rows computed and written at a time: an output table is never held whole (unless a dump is written).</summary>
    private const int BlockRows = 1 << 14;

    private readonly Presets.Preset _preset;
    private readonly string[]? _elements;
    private readonly RunContext _context;

    /// <summary>The representation's name (a preset of <see cref="Presets"/>).</summary>
    public string Preset => _preset.Name;

    /// <summary>Cutoffs, filters, radii and reference-compatibility switches (its threads are the context's).</summary>
    public FeaturizeSettings Settings { get; }

    /// <summary>A featurizer of a preset (e.g. <c>interstice</c>, <c>voronoi-index</c>; see <see cref="Presets.All"/>).</summary>
    /// <exception cref="SoftspotException">The preset is unknown.</exception>
    public Featurizer(string preset, FeaturizeSettings? settings = null, RunContext? context = null)
        : this(Presets.Find(preset), settings ?? new FeaturizeSettings(), null, context) { }

    private Featurizer(Presets.Preset preset, FeaturizeSettings settings, string[]? elements, RunContext? context)
    {
        _preset = preset;
        _context = context ?? RunContext.Default;
        Settings = preset.Settings(settings) with { Threads = _context.Threads };
        _elements = elements;
    }

    /// <summary>
    /// The featurizer that computes exactly what a recipe describes (its preset, settings and radii), for structures
    /// of the recipe's elements in the recipe's type order.
    /// </summary>
    public static Featurizer For(FeatureRecipe recipe, RunContext? context = null) =>
        new(Presets.Find(recipe.Preset), recipe.Settings with { Radii = recipe.RadiiSpec() }, recipe.Elements, context);

    /// <summary>The features of one snapshot (rows in the snapshot's atom order) and the recipe that made them.</summary>
    /// <exception cref="SoftspotException">The snapshot has no element names, or not the recipe's elements.</exception>
    public (FeatureTable Features, FeatureRecipe Recipe) Compute(Snapshot snapshot, string source = "structure")
    {
        var elements = CheckElements(snapshot, source);
        var context = new FrameContext(snapshot, Settings);
        var set = _preset.Build(elements, Settings);
        return (set.Compute(context), FeatureRecipe.Create(_preset.Name, set, Settings, elements, context.RadiusByType));
    }

    /// <summary>
    /// The features of one snapshot as a table keyed by (frame, id), with the atom type as its first column, as
    /// <see cref="Write(IReadOnlyList{string}, string, TableFormat, ElementMap?, string?)"/> writes and <see cref="KeyedTable.Read"/> reads, ready to join with labels, and the recipe
    /// that made them (give it to <see cref="Trainer"/> so that the model can featurize new structures).
    /// </summary>
    public (KeyedTable Table, FeatureRecipe Recipe) Table(Snapshot snapshot, int frame = 0, string source = "structure")
    {
        var (features, recipe) = Compute(snapshot, source);
        int w = features.ColumnCount + 1;
        var values = new double[snapshot.Count * w];
        for (int i = 0; i < snapshot.Count; i++)
        {
            values[i * w] = snapshot.Types[i];
            features.Row(i).CopyTo(values.AsSpan(i * w + 1, w - 1));
        }
        return (KeyedTable.Of([.. snapshot.Ids.Select(id => (frame, id))], ["type", .. features.Columns.Select(c => c.Name)], values, source), recipe);
    }

    /// <summary>
    /// Featurizes every frame of every input, streaming rows to <paramref name="output"/> (columns frame, id, type, element, then the features) and
    /// writing the recipe beside it (<see cref="RecipePath"/>); <paramref name="dump"/> also writes the frames with the
    /// features as extra columns (LAMMPS dump, for OVITO). Every output is written atomically.
    /// </summary>
    /// <exception cref="SoftspotException">An input is missing or malformed, or its frames change elements.</exception>
    public FeaturizeSummary Write(IReadOnlyList<string> inputs, string output, TableFormat format = TableFormat.Csv,
        ElementMap? elements = null, string? dump = null) => Write(inputs, output, format, elements, dump, job: null);

    /// <summary><see cref="Write(IReadOnlyList{string}, string, TableFormat, ElementMap?, string?)"/> for one shard of a sharded run.</summary>
    internal FeaturizeSummary Write(IReadOnlyList<string> inputs, string output, TableFormat format, ElementMap? elements, string? dump, ShardJob? job)
    {
        foreach (var f in inputs) if (!File.Exists(f)) throw new InputFormatException(f, 0, InputProblem.Syntax, "no such file");
        var shard = job?.Shard ?? ShardSpec.Whole;
        var clock = Stopwatch.StartNew();
        using var table = ShardJob.OpenTable(job, output, format);
        using var dumpFile = dump is null ? null : AtomicFile.Create(dump);
        ITableWriter? rows = null;
        FeatureSet? set = null;
        FeatureRecipe? recipe = null;
        var progress = _context.Progress("featurize: frames");
        int frame = 0, written = 0;
        long atoms = 0;
        foreach (var path in inputs)
        {
            int first = frame;
            // the run's first frame sets the columns and the recipe, even in a shard that does not own it
            foreach (var raw in StructureFile.ReadFrames(path, local => first + local == 0 || shard.Owns(first + local), elements))
            {
                if (raw is null) { frame++; continue; }
                _context.Cancellation.ThrowIfCancellationRequested();
                var map = CheckElements(raw, path);
                if (set is null)
                {
                    set = _preset.Build(map, Settings);
                    recipe = FeatureRecipe.Create(_preset.Name, set, Settings, map, Voronoi.Radii.ByType(raw, Settings.Radii));
                    rows = table.Begin(["frame", "id", "type", "element", .. set.Columns.Select(c => c.Name)]);
                }
                else if (!map.ElementsByType.Select(e => e.Symbol).SequenceEqual(recipe!.Elements))
                    throw new InputFormatException(path, 0, InputProblem.UnknownElement,
                        $"frame {raw.Frame} has elements {Symbols(map)}, earlier frames {string.Join(',', recipe.Elements)}: one table needs one element list");
                if (shard.Owns(frame))
                {
                    WriteFrame(frame, new FrameContext(raw, Settings), set, rows!, dumpFile?.Writer);
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
        string recipePath = RecipePath(output);
        recipe.Save(recipePath);
        string? manifest = job?.FinishTable(table, written, frame, recipePath);
        return new FeaturizeSummary(frame, written, atoms, recipe, recipePath, clock.Elapsed.TotalSeconds, manifest);
    }

    /// <summary>Where the recipe of a feature table goes: features.csv (or .parquet) -> features.json.</summary>
    public static string RecipePath(string table) => Path.ChangeExtension(table, ".json");

    private ElementMap CheckElements(Snapshot snapshot, string source)
    {
        var map = snapshot.RequireElements();
        if (_elements is not null && !map.ElementsByType.Select(e => e.Symbol).SequenceEqual(_elements))
            throw new InputFormatException(source, 0, InputProblem.UnknownElement,
                $"the model was trained on elements {string.Join(',', _elements)} (type order), this frame has {Symbols(map)}");
        return map;
    }

    private static string Symbols(ElementMap map) => string.Join(',', map.ElementsByType.Select(e => e.Symbol));

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
}
