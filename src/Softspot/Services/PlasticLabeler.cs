using Softspot.IO;
using Softspot.Labels;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot;

/// <summary>
/// Which atoms of a deformed frame are plastic sites: the top <see cref="Top"/> fraction of D2min (the papers' 5 %),
/// or every atom at or above a fixed <see cref="Threshold"/> (A^2). Either way D2min at rounding level (below
/// <see cref="NonAffineDisplacement.NoiseFloor"/>) never counts, so an undeformed frame has no plastic atom.
/// </summary>
public sealed record PlasticRule
{
    /// <summary>The top fraction of D2min in each frame, in (0, 1); ignored when <see cref="Threshold"/> is set.</summary>
    public double Top { get; init; } = 0.05;
    /// <summary>A fixed D2min threshold (A^2) instead of <see cref="Top"/>; null: use <see cref="Top"/>.</summary>
    public double? Threshold { get; init; }

    /// <summary>The threshold this rule sets on a frame's D2min values.</summary>
    public double ThresholdFor(IReadOnlyList<double> d2min) =>
        Math.Max(Threshold ?? TailLabels.TopThreshold(d2min, Top), NonAffineDisplacement.NoiseFloor);
}

/// <summary>One deformed frame labelled: D2min and shear strain of every reference atom (reference order) and the plastic sites.</summary>
/// <param name="Frame">The frame's number over all deformed files.</param>
/// <param name="Ids">The reference's atom ids, in its order (the order of every array here).</param>
/// <param name="Deformed">The deformed snapshot.</param>
/// <param name="Result">D2min, local shear strain and neighbour count of every atom of the reference, in its order (NaN: undefined).</param>
/// <param name="Plastic">1 for plastic sites, 0 for the others, null where D2min is undefined.</param>
/// <param name="Threshold">The D2min threshold (A^2) the rule set.</param>
/// <param name="CellShear">The cell's shear strains (xy, xz, yz) relative to the reference.</param>
public sealed record PlasticFrame(int Frame, IReadOnlyList<long> Ids, Snapshot Deformed, NonAffineResult Result, int?[] Plastic, double Threshold, (double Xy, double Xz, double Yz) CellShear)
{
    /// <summary>Plastic sites in the frame.</summary>
    public int Count => Plastic.Count(x => x == 1);
    /// <summary>The mean of the defined D2min values (A^2).</summary>
    public double MeanD2Min => Result.D2Min.Where(double.IsFinite).DefaultIfEmpty(double.NaN).Average();
    /// <summary>Plastic labels as numbers (NaN where undefined), for tables and dumps.</summary>
    public double[] PlasticValues => [.. Plastic.Select(x => x is { } v ? (double)v : double.NaN)];

    /// <summary>
    /// The labels as a table keyed by (frame, id) with columns d2min, shear_strain and plastic, numbered as frame
    /// <paramref name="asFrame"/> (default: this frame), e.g. 0 to join them with the features of the undeformed reference.
    /// </summary>
    public KeyedTable Table(int? asFrame = null)
    {
        int frame = asFrame ?? Frame;
        var plastic = PlasticValues;
        var values = new double[Ids.Count * 3];
        for (int i = 0; i < Ids.Count; i++)
            (values[3 * i], values[3 * i + 1], values[3 * i + 2]) = (Result.D2Min[i], Result.ShearStrain[i], plastic[i]);
        return KeyedTable.Of([.. Ids.Select(id => (frame, id))], ["d2min", "shear_strain", "plastic"], values, $"plastic labels of frame {Frame}");
    }
}

/// <summary>What <see cref="PlasticLabeler.Write(string, IReadOnlyList{string}, string, TableFormat, ElementMap?, string?, Action{PlasticFrame}?)"/> did.</summary>
/// <param name="Frames">Deformed frames in the files.</param>
/// <param name="Written">Frames labelled and written (fewer in a shard).</param>
/// <param name="ParametersPath">The JSON of the parameters and each frame's threshold.</param>
/// <param name="ManifestPath">The shard manifest written, or null when not sharded.</param>
public sealed record PlasticSummary(int Frames, int Written, string ParametersPath, string? ManifestPath);

/// <summary>
/// Plastic-site labels from a shear run (Wang and Jain 2019): the non-affine displacement D2min (Falk and Langer) of
/// every atom of a reference structure in each deformed frame, over its neighbours within <see cref="Cutoff"/> in the
/// reference, and the plastic sites chosen by a <see cref="PlasticRule"/>.
/// </summary>
public sealed class PlasticLabeler
{
    private readonly RunContext _context;

    /// <summary>Neighbours within this distance (A) in the reference.</summary>
    public double Cutoff { get; }
    /// <summary>How plastic sites are chosen.</summary>
    public PlasticRule Rule { get; }

    /// <summary>A labeler with a neighbour cutoff (A, default 5) and a rule (default: top 5 %).</summary>
    public PlasticLabeler(double cutoff = 5.0, PlasticRule? rule = null, RunContext? context = null)
    {
        if (!(cutoff > 0)) throw new SoftspotException($"the D2min cutoff must be positive, not {cutoff}");
        Rule = rule ?? new PlasticRule();
        if (Rule.Threshold is null && !(Rule.Top > 0 && Rule.Top < 1)) throw new SoftspotException($"the plastic fraction must be in (0, 1), not {Rule.Top}");
        if (Rule.Threshold is { } t && !(t > 0)) throw new SoftspotException($"the D2min threshold must be positive, not {t}");
        Cutoff = cutoff;
        _context = context ?? RunContext.Default;
    }

    /// <summary>Labels one deformed frame against the reference.</summary>
    /// <exception cref="LabelException">No atom has enough neighbours within the cutoff for a D2min.</exception>
    public PlasticFrame Label(Snapshot reference, Snapshot deformed, int frame = 0, string source = "deformed structure") =>
        Label(Prepare(reference), deformed, frame, source);

    /// <summary>The reference with its bonds within <see cref="Cutoff"/>, to label every frame of a series without finding them again.</summary>
    /// <exception cref="CutoffTooLargeException">The cutoff does not fit the reference's cell (the message names <paramref name="source"/>).</exception>
    public NonAffineReference Prepare(Snapshot reference, string source = "the reference")
    {
        try { return new(reference, Cutoff, _context.Threads); }
        catch (CutoffTooLargeException e) { throw new CutoffTooLargeException($"{source}: {e.Message}"); }
    }

    /// <summary>Labels one deformed frame against a prepared reference (see <see cref="Prepare"/>).</summary>
    /// <exception cref="LabelException">No atom has enough neighbours within the cutoff for a D2min.</exception>
    public PlasticFrame Label(NonAffineReference prepared, Snapshot deformed, int frame = 0, string source = "deformed structure")
    {
        var reference = prepared.Snapshot;
        var r = NonAffineDisplacement.Compute(prepared, deformed, _context.Threads);
        if (r.Undefined == reference.Count)
            throw new LabelException($"{source}: frame {frame}: no atom has a D2min: every atom has too few neighbours within the cutoff {Cutoff} A in the reference (fewer than 3 independent bonds); use a larger cutoff");
        double threshold = Rule.ThresholdFor(r.D2Min);
        return new PlasticFrame(frame, reference.Ids, deformed, r, TailLabels.AtOrAbove(r.D2Min, threshold), threshold, NonAffineDisplacement.CellShear(reference.Cell, deformed.Cell));
    }

    /// <summary>
    /// Labels every frame of the deformed files, writing the table
    /// frame, id, d2min, shear_strain, plastic (reference atom order), a JSON of the parameters and every frame's
    /// threshold beside it, and optionally the deformed frames with those columns (LAMMPS dump). One deformed frame is
    /// in memory at a time; <paramref name="onFrame"/> sees each as it is labelled.
    /// </summary>
    public PlasticSummary Write(string reference, IReadOnlyList<string> deformed, string output, TableFormat format = TableFormat.Csv,
        ElementMap? elements = null, string? dump = null, Action<PlasticFrame>? onFrame = null) => Write(reference, deformed, output, format, elements, dump, onFrame, job: null);

    /// <summary>The same for one shard of a sharded run (the shard's frames only, and its manifest).</summary>
    internal PlasticSummary Write(string reference, IReadOnlyList<string> deformed, string output, TableFormat format,
        ElementMap? elements, string? dump, Action<PlasticFrame>? onFrame, ShardJob? job)
    {
        var refSnap = StructureFile.ReadFirst(reference, elements);
        var prepared = Prepare(refSnap, reference);
        var mine = job?.Shard ?? ShardSpec.Whole;
        using var table = ShardJob.OpenTable(job, output, format);
        using var dumpFile = dump is null ? null : AtomicFile.Create(dump);
        var rows = table.Begin(["frame", "id", "d2min", "shear_strain", "plastic"]);
        var records = new List<object>();
        var progress = _context.Progress("label d2min: frames");
        int frame = 0, written = 0;
        foreach (var file in deformed)
        {
            int first = frame;
            foreach (var def in StructureFile.ReadFrames(file, local => mine.Owns(first + local), elements))
            {
                if (def is null) { frame++; continue; }
                _context.Cancellation.ThrowIfCancellationRequested();
                var p = Label(prepared, def, frame, file);
                for (int i = 0; i < refSnap.Count; i++)
                {
                    rows.Number(frame).Number(refSnap.Ids[i]).NumberOrEmpty(p.Result.D2Min[i]).NumberOrEmpty(p.Result.ShearStrain[i]);
                    if (p.Plastic[i] is { } v) rows.Number(v); else rows.Empty();
                    rows.EndRow();
                }
                if (dumpFile is not null)
                {
                    var index = def.IndexById();
                    double[] Reorder(IReadOnlyList<double> v) { var o = new double[def.Count]; for (int i = 0; i < refSnap.Count; i++) o[index[refSnap.Ids[i]]] = v[i]; return o; }
                    LammpsDumpWriter.WriteFrame(dumpFile.Writer, def,
                        [.. def.Extra, new("d2min", Reorder(p.Result.D2Min)), new("shear_strain", Reorder(p.Result.ShearStrain)), new("plastic", Reorder(p.PlasticValues))]);
                }
                records.Add(new
                {
                    Frame = frame, File = Path.GetFullPath(file), FrameInFile = def.Frame, def.Timestep,
                    CellShearXy = p.CellShear.Xy, CellShearXz = p.CellShear.Xz, CellShearYz = p.CellShear.Yz,
                    p.Threshold, Fraction = Rule.Threshold is null ? Rule.Top : (double?)null,
                    Plastic = p.Count, p.Result.Undefined, MeanD2min = p.MeanD2Min,
                });
                onFrame?.Invoke(p);
                written++;
                frame++;
                progress.Step();
            }
        }
        progress.Done();
        table.Commit();
        dumpFile?.Commit();
        var parameters = new
        {
            Softspot = Descriptors.FeatureRecipe.Version, Reference = Path.GetFullPath(reference), Cutoff,
            Rule = Rule.Threshold is null ? "top fraction" : "threshold", Frames = records,
        };
        string parametersPath = Path.ChangeExtension(output, ".json");
        SoftspotJson.Write(parametersPath, parameters);
        return new PlasticSummary(frame, written, parametersPath, job?.FinishTable(table, written, frame, parametersPath));
    }
}
