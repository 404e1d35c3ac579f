using System.Globalization;
using Softspot.Analysis;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Simulation.Shear;
using Softspot.Structures;

namespace Softspot.Pipelines;

/// <summary>One frame of the shear series: its plastic sites against the quench-in softness.</summary>
/// <param name="Frame">The frame's number over the deformed files (0-based, as <c>label d2min</c> numbers them).</param>
/// <param name="Strain">The cell's shear strain xy relative to the reference.</param>
/// <param name="RocAuc">ROC-AUC of the softness against the frame's plastic sites (NaN with one class only).</param>
/// <param name="Labelled">Atoms with a softness and a D2min.</param>
/// <param name="Plastic">Plastic sites among them.</param>
/// <param name="D2MinThreshold">The frame's D2min threshold (A^2).</param>
public sealed record SoftnessFrame(int Frame, double Strain, double RocAuc, int Labelled, int Plastic, double D2MinThreshold);

/// <summary>The atoms of one softness bin [Lo, Hi) (the last bin includes 1) and how many of them are plastic.</summary>
public sealed record SoftnessBin(double Lo, double Hi, int Atoms, int Plastic)
{
    /// <summary>P(plastic | softness in the bin).</summary>
    public double Probability => (double)Plastic / Atoms;
}

/// <summary>P(plastic | softness bin) at one strain (bins without atoms are left out).</summary>
public sealed record PlasticProbability(double Strain, int Frame, IReadOnlyList<SoftnessBin> Bins);

/// <summary>
/// A group of atoms chosen by their softness (softest, hardest, all): its g(r) around them and its mass-radius
/// relation M(r) with the fitted dimension, or null with a <see cref="Note"/> when the group is too small.
/// </summary>
public sealed record SoftnessGroup(string Name, string Rule, int Atoms, double[]? Rdf, double[]? MassRadius, PowerLawFit? Fit, string? Note);

/// <summary>Everything the quench-in softness section found (Wang and Jain 2019, Fig. 3).</summary>
public sealed class QuenchInSoftnessResult
{
    /// <summary>Softest atoms: softness above this (the paper's QS &gt; 0.7).</summary>
    public const double SoftestAbove = 0.7;
    /// <summary>Hardest atoms: softness below this (the paper's QS &lt; 0.1).</summary>
    public const double HardestBelow = 0.1;
    /// <summary>A group with fewer atoms gets no g(r) or M(r) (it would be noise).</summary>
    public const int MinGroupAtoms = 20;
    /// <summary>Softness bins of P(plastic | softness), of equal width over [0, 1].</summary>
    public const int Bins = 10;
    /// <summary>g(r): bin width and largest distance (A; less when the cell is smaller than twice it).</summary>
    public const double RdfBin = 0.05, RdfRange = 10;
    /// <summary>M(r): bin width (the authors' fractal script's 0.2 A) and the smallest r fitted (A; past the first neighbour shell).</summary>
    public const double MassRadiusBin = 0.2, FitFrom = 3.5;

    public required string Glass { get; init; }
    public required string Representation { get; init; }
    /// <summary>The strain of the label the models learnt (plastic@Strain) and its frame.</summary>
    public required double Strain { get; init; }
    public required int Frame { get; init; }
    public required int Features { get; init; }
    public required int Folds { get; init; }
    /// <summary>The structure's atom ids and each atom's cross-fitted softness (NaN: no D2min in the learnt frame, so not learnt) and fold (-1: none).</summary>
    public required long[] Ids { get; init; }
    public required double[] Softness { get; init; }
    public required int[] Fold { get; init; }
    public required IReadOnlyList<SoftnessFrame> Frames { get; init; }
    /// <summary>Each frame's D2min and plastic label (0/1, NaN: undefined), in the structure's atom order.</summary>
    public required IReadOnlyList<double[]> D2Min { get; init; }
    public required IReadOnlyList<double[]> Plastic { get; init; }
    public required IReadOnlyList<PlasticProbability> Probability { get; init; }
    /// <summary>The centres of the g(r) bins and the upper edges of the M(r) bins (A).</summary>
    public required double[] RdfR { get; init; }
    public required double[] MassRadiusR { get; init; }
    public required IReadOnlyList<SoftnessGroup> Groups { get; init; }
    /// <summary>The shear run's stress-strain curve, or null (then <see cref="CurveNote"/> says why).</summary>
    public StressStrainCurve? Curve { get; init; }
    public string? CurveNote { get; init; }
}

/// <summary>
/// The quench-in softness of Wang and Jain (2019): each atom's plastic probability predicted from the undeformed
/// glass by a model that never saw it, against what the atom does over the whole shear series. The models learn
/// plastic@STRAIN (labels.plastic.top of D2min over labels.plastic.cutoff) from the chosen representation with the
/// pipeline's learning settings, cross-fitted over 5 stratified folds of the atoms (see <see cref="Trainer.CrossFit"/>).
/// Then, for every frame of shear.deformed, the plastic sites and the ROC-AUC of the softness; P(plastic | softness
/// bin) at the chosen strains; g(r) around the softest, hardest and all atoms; their mass-radius M(r) ~ r^D.
/// </summary>
public static class QuenchInSoftness
{
    public static QuenchInSoftnessResult Run(PipelineConfig c, PipelineGlass glass, RunContext context, Action<string>? log = null)
    {
        log ??= _ => { };
        var qs = c.QuenchInSoftness ?? throw new InvalidOperationException("the pipeline has no quench_in_softness section");
        string preset = qs.Preset ?? c.PredictedRepresentation ?? throw new InvalidOperationException("quench_in_softness has no preset");
        var shear = glass.Config.Shear ?? throw new InvalidOperationException($"glass {glass.Name} has no shear run");
        if (glass.Unavailable.TryGetValue(preset, out var why))
            throw new SoftspotException($"quench_in_softness: glass {glass.Name} has no {preset} features: {why}");
        string series = string.Join(", ", shear.Deformed);

        // every frame's plastic sites, against one reference whose bonds are found once
        var reference = StructureFile.ReadFirst(shear.Reference, glass.ElementMap);
        var labeler = new PlasticLabeler(c.Labels.Plastic.Cutoff, new PlasticRule { Top = c.Labels.Plastic.Top }, context);
        var prepared = labeler.Prepare(reference, shear.Reference);
        var strains = new List<double>();
        var thresholds = new List<double>();
        var d2min = new List<double[]>();
        var plastic = new List<double[]>();
        foreach (var frame in shear.Deformed.SelectMany(file => StructureFile.ReadFrames(file, glass.ElementMap)))
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var p = labeler.Label(prepared, frame, strains.Count, series);
            strains.Add(p.CellShear.Xy);
            thresholds.Add(p.Threshold);
            d2min.Add(glass.Align(reference.Ids, p.Result.D2Min, shear.Reference));
            plastic.Add(glass.Align(reference.Ids, p.PlasticValues, shear.Reference));
        }
        int FrameAt(double strain) => strains.FindIndex(s => TaskLabel.SameStrain(s, strain)) is var k and >= 0 ? k
            : throw new InputFormatException(series, 0, InputProblem.AtomCount,
                $"quench_in_softness: no frame at shear strain {Format(strain)} (its frames are at {string.Join(", ", strains.Select(Format))})");
        int learnt = FrameAt(qs.Strain);
        var curveStrains = qs.Strains.Count > 0 ? qs.Strains : [qs.Strain];
        var curveFrames = curveStrains.Select(FrameAt).ToList();
        log($"quench_in_softness: {glass.Name}: D2min of {strains.Count} frames ({strains.Min():G4} to {strains.Max():G4} strain)");

        // the cross-fitted softness of every atom labelled in the learnt frame
        var table = glass.Features[preset];
        var names = table.Columns.Select(col => col.Name).ToArray();
        var rows = Enumerable.Range(0, glass.Structure.Count).Where(i => !double.IsNaN(plastic[learnt][i])).ToArray();
        var request = new TrainingRequest(names, PipelineRunner.Matrix(table, rows, names), [.. rows.Select(i => plastic[learnt][i])], $"plastic@{Format(qs.Strain)}");
        var fitted = new Trainer(c.Learning.Settings(c.Seed), context).CrossFit(request);
        var softness = Enumerable.Repeat(double.NaN, glass.Structure.Count).ToArray();
        var fold = Enumerable.Repeat(-1, glass.Structure.Count).ToArray();
        for (int r = 0; r < rows.Length; r++) (softness[rows[r]], fold[rows[r]]) = (fitted.Scores[r], fitted.Fold[r]);

        var frames = strains.Select((s, k) => Score(k, s, softness, plastic[k], thresholds[k])).ToList();
        log($"quench_in_softness: {glass.Name}: softness cross-fitted over {Validation.PaperFolds} folds from {preset}; ROC-AUC at {Format(qs.Strain)}: {frames[learnt].RocAuc:F3}");
        var probability = curveStrains.Zip(curveFrames, (s, k) => new PlasticProbability(s, k, Binned(softness, plastic[k]))).ToList();

        var (groups, rdfR, massR) = Groups(glass.Structure, softness, context.Threads);
        var (curve, note) = Curve(shear);
        return new QuenchInSoftnessResult
        {
            Glass = glass.Name, Representation = preset, Strain = qs.Strain, Frame = learnt, Features = names.Length, Folds = Validation.PaperFolds,
            Ids = glass.Structure.Ids, Softness = softness, Fold = fold, Frames = frames, D2Min = d2min, Plastic = plastic,
            Probability = probability, RdfR = rdfR, MassRadiusR = massR, Groups = groups, Curve = curve, CurveNote = note,
        };
    }

    private static string Format(double s) => s.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>The ROC-AUC of the softness against one frame's plastic sites, over the atoms that have both.</summary>
    private static SoftnessFrame Score(int frame, double strain, double[] softness, double[] plastic, double threshold)
    {
        var rows = Enumerable.Range(0, softness.Length).Where(i => !double.IsNaN(softness[i]) && !double.IsNaN(plastic[i])).ToArray();
        var scores = rows.Select(i => softness[i]).ToArray();
        var labels = rows.Select(i => (int)plastic[i]).ToArray();
        int positive = labels.Count(v => v == 1);
        double auc = positive > 0 && positive < rows.Length ? Metrics.RocAuc(scores, labels) : double.NaN;
        return new SoftnessFrame(frame, strain, auc, rows.Length, positive, threshold);
    }

    /// <summary>P(plastic | softness) in <see cref="QuenchInSoftnessResult.Bins"/> equal bins over [0, 1]; empty bins left out.</summary>
    internal static List<SoftnessBin> Binned(double[] softness, double[] plastic)
    {
        int n = QuenchInSoftnessResult.Bins;
        var atoms = new int[n];
        var positive = new int[n];
        for (int i = 0; i < softness.Length; i++)
        {
            if (double.IsNaN(softness[i]) || double.IsNaN(plastic[i])) continue;
            int b = Math.Clamp((int)Math.Floor(softness[i] * n), 0, n - 1);
            atoms[b]++;
            if (plastic[i] == 1) positive[b]++;
        }
        return [.. Enumerable.Range(0, n).Where(b => atoms[b] > 0).Select(b => new SoftnessBin((double)b / n, (double)(b + 1) / n, atoms[b], positive[b]))];
    }

    /// <summary>The softest, hardest and all atoms with their g(r) and M(r) (too small a group gets a note instead).</summary>
    private static (List<SoftnessGroup>, double[] RdfR, double[] MassR) Groups(Snapshot s, double[] softness, int threads)
    {
        double half = 0.5 * s.Cell.MinPeriodicWidth;
        double rdfMax = Math.Min(QuenchInSoftnessResult.RdfRange, half);
        double massMax = Math.Floor(half / QuenchInSoftnessResult.MassRadiusBin - 1e-9) * QuenchInSoftnessResult.MassRadiusBin;
        if (double.IsPositiveInfinity(half)) massMax = 3 * QuenchInSoftnessResult.RdfRange;
        var all = Enumerable.Range(0, s.Count).ToArray();
        var chosen = new (string Name, string Rule, int[] Atoms)[]
        {
            ("softest", $"softness > {QuenchInSoftnessResult.SoftestAbove.ToString(CultureInfo.InvariantCulture)}", [.. all.Where(i => softness[i] > QuenchInSoftnessResult.SoftestAbove)]),
            ("hardest", $"softness < {QuenchInSoftnessResult.HardestBelow.ToString(CultureInfo.InvariantCulture)}", [.. all.Where(i => softness[i] < QuenchInSoftnessResult.HardestBelow)]),
            ("all", "every atom", all),
        };
        double[] rdfR = [], massR = [];
        var groups = new List<SoftnessGroup>();
        foreach (var (name, rule, atoms) in chosen)
        {
            if (atoms.Length < QuenchInSoftnessResult.MinGroupAtoms)
            {
                groups.Add(new SoftnessGroup(name, rule, atoms.Length, null, null, null,
                    $"{atoms.Length} atoms, fewer than {QuenchInSoftnessResult.MinGroupAtoms}: no g(r) or M(r) (it would be noise)"));
                continue;
            }
            var rdf = PairCounts.Of(s, atoms, all, rdfMax, QuenchInSoftnessResult.RdfBin, threads);
            var mass = PairCounts.Of(s, atoms, atoms, massMax, QuenchInSoftnessResult.MassRadiusBin, threads);
            rdfR = [.. rdf.Lower.Select(r => r + rdf.BinWidth / 2)];
            massR = [.. mass.Lower.Select(r => r + mass.BinWidth)];
            var m = mass.Cumulative();
            var fit = FractalDimension.Fit(massR, m, QuenchInSoftnessResult.FitFrom, mass.RMax);
            groups.Add(new SoftnessGroup(name, rule, atoms.Length, rdf.Rdf(s.Cell.Volume), m, fit, fit is null ? "too few pairs to fit M(r)" : null));
        }
        return (groups, rdfR, massR);
    }

    /// <summary>The shear run's curve: the file the glass names, else stress_strain.csv beside the reference if there is one.</summary>
    private static (StressStrainCurve?, string?) Curve(ShearConfig shear)
    {
        string? path = shear.StressStrain;
        if (path is null)
        {
            string beside = Path.Combine(Path.GetDirectoryName(shear.Reference)!, "stress_strain.csv");
            if (!File.Exists(beside)) return (null, $"no stress-strain curve: no stress_strain.csv beside {shear.Reference} (name one with shear.stress_strain)");
            path = beside;
        }
        return (StressStrainCurve.Read(path), null);
    }
}
