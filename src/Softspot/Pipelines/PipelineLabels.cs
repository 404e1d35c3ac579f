using System.Globalization;
using Softspot.IO;
using Softspot.Labels;
using Softspot.Structures;

namespace Softspot.Pipelines;

/// <summary>
/// The label columns of a pipeline's glasses: plastic sites (top D2min) at each requested strain of a glass's shear
/// run, and H-Eact / L-Eact from the activation-energy spectrum pooled over every glass with events.
/// </summary>
public static class PipelineLabels
{
    /// <summary>Adds d2min@S and plastic@S for every strain S (the deformed frame whose cell shear is S).</summary>
    public static void AddPlastic(PipelineGlass glass, PlasticLabelConfig config, RunContext? context = null)
    {
        var shear = glass.Config.Shear ?? throw new InvalidOperationException($"glass {glass.Name} has no shear run");
        var reference = StructureFile.ReadFirst(shear.Reference, glass.ElementMap);
        var labeler = new PlasticLabeler(config.Cutoff, new PlasticRule { Top = config.Top }, context);
        var prepared = labeler.Prepare(reference, shear.Reference);
        var found = new List<double>();
        foreach (var frame in shear.Deformed.SelectMany(file => StructureFile.ReadFrames(file, glass.ElementMap)))
        {
            double strain = NonAffineDisplacement.CellShear(reference.Cell, frame.Cell).Xy;
            found.Add(strain);
            var wanted = config.Strains.Where(s => TaskLabel.SameStrain(s, strain)).ToList();
            if (wanted.Count == 0) continue;
            var p = labeler.Label(prepared, frame, found.Count - 1, string.Join(", ", shear.Deformed));
            foreach (double s in wanted)
            {
                glass.Labels[D2minColumn(s)] = glass.Align(reference.Ids, p.Result.D2Min, shear.Reference);
                glass.Set(new TaskLabel(LabelKind.Plastic, s), glass.Align(reference.Ids, p.PlasticValues, shear.Reference));
            }
        }
        var missing = config.Strains.Where(s => !found.Any(f => TaskLabel.SameStrain(s, f))).ToList();
        if (missing.Count > 0)
            throw new InputFormatException(string.Join(", ", shear.Deformed), 0, InputProblem.AtomCount,
                $"no frame at shear strain {string.Join(", ", missing.Select(Format))} (its frames are at {string.Join(", ", found.Select(Format))})");
    }

    /// <summary>The D2min column of a strain (d2min@S), beside its plastic@S labels.</summary>
    public static string D2minColumn(double strain) => "d2min@" + strain.ToString("G", CultureInfo.InvariantCulture);

    /// <summary>
    /// Each value's rank among the values of its frame (glass), as a fraction of that frame's count in (0, 1], ties
    /// sharing their mean rank: what a per-glass top fraction (the plastic sites) is a threshold on.
    /// </summary>
    public static double[] RanksWithin(double[] values, int[] frames)
    {
        var ranks = new double[values.Length];
        foreach (var frame in Enumerable.Range(0, values.Length).GroupBy(i => frames[i]))
        {
            var rows = frame.ToArray();
            var r = Learning.Metrics.AverageRanks([.. rows.Select(i => values[i])]);
            for (int j = 0; j < rows.Length; j++) ranks[rows[j]] = r[j] / rows.Length;
        }
        return ranks;
    }

    /// <summary>
    /// Adds eact_mean, eact_events, h_eact and l_eact to every glass with events (frame k = the k-th such glass); the
    /// tails are taken on the pooled spectrum of the atoms with at least the minimum number of converged searches.
    /// With <see cref="EventAssignment.Participants"/> or a search fraction below 1 (diagnostics), the columns get the
    /// suffix <see cref="Suffix"/> (h_eact_participants, h_eact_searches0.5, ...) and the task labels are left as they are.
    /// </summary>
    public static ActivationLabels.Result AddActivation(IReadOnlyList<PipelineGlass> glasses, ActivationLabelConfig config,
        EventAssignment assignment = EventAssignment.Initiator, double searchFraction = 1)
    {
        var withEvents = glasses.Where(g => g.Config.Events is not null).ToList();
        var result = new ActivationLabeler(config.Tail, config.MinEvents, assignment, searchFraction).Label(Sources(withEvents)).Labels;
        string suffix = Suffix(assignment, searchFraction);
        foreach (var (g, k) in withEvents.Select((g, k) => (g, k)))
        {
            var rows = result.Atoms.Where(a => a.Frame == k).ToList();
            var ids = rows.Select(a => a.Id).ToList();
            string source = g.Config.Events!;
            g.Labels[MeanColumn + suffix] = g.Align(ids, rows.Select(a => a.EactMean).ToList(), source);
            g.Labels["eact_events" + suffix] = g.Align(ids, rows.Select(a => (double)a.Events).ToList(), source);
            g.Labels[new TaskLabel(LabelKind.HighActivation) + suffix] = g.Align(ids, rows.Select(a => a.High is { } v ? v : double.NaN).ToList(), source);
            g.Labels[new TaskLabel(LabelKind.LowActivation) + suffix] = g.Align(ids, rows.Select(a => a.Low is { } v ? v : double.NaN).ToList(), source);
        }
        return result;
    }

    /// <summary>The split-half reliability of the per-atom mean E_act of the atoms the pipeline labels, pooled over its glasses with events.</summary>
    public static SplitHalfReliability Reliability(IReadOnlyList<PipelineGlass> glasses, ActivationLabelConfig config) =>
        new ActivationLabeler(config.Tail, config.MinEvents).Reliability(Sources([.. glasses.Where(g => g.Config.Events is not null)]));

    private static List<ActivationGlass> Sources(IEnumerable<PipelineGlass> withEvents) =>
        [.. withEvents.Select(g => new ActivationGlass(g.Config.Events!, g.Structure, $"the structure of glass {g.Name}"))];

    /// <summary>The suffix of the activation columns of a diagnostic: "" for the task labels, _participants, _searches0.5.</summary>
    public static string Suffix(EventAssignment assignment, double searchFraction = 1) =>
        (assignment == EventAssignment.Participants ? ParticipantsSuffix : "")
        + (searchFraction < 1 ? "_searches" + searchFraction.ToString("0.###", CultureInfo.InvariantCulture) : "");

    /// <summary>The per-atom mean E_act column (of the task labels; diagnostics add their suffix).</summary>
    public const string MeanColumn = "eact_mean";

    /// <summary>The suffix of the participation-weighted activation columns.</summary>
    public const string ParticipantsSuffix = "_participants";

    private static string Format(double s) => s.ToString("G4", CultureInfo.InvariantCulture);
}
