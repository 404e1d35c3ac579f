using Softspot.IO;
using Softspot.Labels;
using Softspot.Structures;

namespace Softspot;

/// <summary>Whose event a search is.</summary>
public enum EventAssignment
{
    /// <summary>The atom the search started around (the 2020 paper).</summary>
    Initiator,
    /// <summary>Every atom that moved, weighted by its saddle displacement squared (needs the moved-atoms companion files).</summary>
    Participants,
}

/// <summary>One glass's activation searches: its events file (from <c>simulate art</c>) and, optionally, its structure.</summary>
/// <param name="Events">The events CSV (plain or gzipped).</param>
/// <param name="Structure">The glass's structure: every atom is then listed (atoms without events included), and events starting at an atom it lacks are refused.</param>
/// <param name="StructureName">How messages name the structure (e.g. its file).</param>
public sealed record ActivationGlass(string Events, Snapshot? Structure = null, string? StructureName = null);

/// <summary>The labels of every atom of every glass (frame k = the k-th glass), with the thresholds and counts.</summary>
/// <param name="Labels">Per-atom mean and minimum E_act, event counts and H-Eact / L-Eact labels, with the pooled thresholds.</param>
/// <param name="Searches">Searches read.</param>
/// <param name="Converged">Of those, converged.</param>
public sealed record ActivationLabelSet(ActivationLabels.Result Labels, int Searches, int Converged);

/// <summary>
/// Activation-energy labels (Wang, Ding and Ma 2020) from activation-relaxation searches: per atom the mean, minimum
/// and count of E_act over its converged searches, and H-Eact / L-Eact, the top and bottom <see cref="Tail"/> of the
/// per-atom mean pooled over every atom of every glass with at least <see cref="MinEvents"/> converged searches.
/// </summary>
public sealed class ActivationLabeler
{
    /// <summary>The tail fraction of H-Eact and L-Eact (the paper's 5 %).</summary>
    public double Tail { get; }
    /// <summary>Atoms with fewer converged searches are left unlabelled.</summary>
    public int MinEvents { get; }
    /// <summary>Whose event a search is.</summary>
    public EventAssignment Assignment { get; }

    /// <summary>
    /// Label from only each atom's first ceil(SearchFraction x n) converged searches (the same atoms: those with at
    /// least <see cref="MinEvents"/>), to measure what more searches per atom would buy; 1: every search.
    /// </summary>
    public double SearchFraction { get; }

    /// <summary>A labeler: tail fraction in (0, 0.5], at least one converged search per labelled atom, a search fraction in (0, 1] (below 1 only for the initiating atom).</summary>
    public ActivationLabeler(double tail = 0.05, int minEvents = 5, EventAssignment assignment = EventAssignment.Initiator, double searchFraction = 1)
    {
        if (!(tail > 0 && tail <= 0.5)) throw new SoftspotException($"the activation tail must be in (0, 0.5], not {tail}");
        if (minEvents < 1) throw new SoftspotException($"an atom needs at least 1 converged search to be labelled, not {minEvents}");
        if (!(searchFraction > 0 && searchFraction <= 1)) throw new SoftspotException($"the fraction of each atom's searches must be in (0, 1], not {searchFraction}");
        if (searchFraction < 1 && assignment != EventAssignment.Initiator) throw new SoftspotException("a fraction of each atom's searches applies to events credited to their initiating atom only");
        Tail = tail; MinEvents = minEvents; Assignment = assignment; SearchFraction = searchFraction;
    }

    /// <summary>Labels the atoms of the glasses (frame k = the k-th glass); the tails are pooled over all of them.</summary>
    /// <exception cref="SoftspotException">A file is malformed, an event starts (or moves) an atom its structure lacks, or no atom can be labelled.</exception>
    public ActivationLabelSet Label(IReadOnlyList<ActivationGlass> glasses)
    {
        var events = Events(glasses);
        bool withStructures = glasses[0].Structure is not null;
        var atoms = withStructures ? glasses.SelectMany((g, k) => g.Structure!.Ids.Select(id => (k, id))).ToList() : null;
        var known = atoms?.ToHashSet();
        if (known is not null && events.FirstOrDefault(e => !known.Contains((e.Frame, e.AtomId))) is { } stray)
            throw new InputFormatException(glasses[stray.Frame].Events, 0, InputProblem.AtomCount,
                $"search {stray.Search} starts at atom {stray.AtomId}, which {Name(glasses[stray.Frame])} does not have");
        var result = Assignment switch
        {
            EventAssignment.Initiator when SearchFraction < 1 => ActivationLabels.Compute(ActivationLabels.FirstSearches(events, MinEvents, SearchFraction), Tail, 1, atoms),
            EventAssignment.Initiator => ActivationLabels.Compute(events, Tail, MinEvents, atoms),
            _ => ActivationLabels.Participants(events, Moved(glasses, known), Tail, MinEvents, atoms),
        };
        return new ActivationLabelSet(result, events.Count, events.Count(e => e.Converged));
    }

    /// <summary>The split-half reliability of the per-atom mean E_act of the atoms this labeler labels (see <see cref="ActivationLabels.Reliability"/>).</summary>
    public SplitHalfReliability Reliability(IReadOnlyList<ActivationGlass> glasses) => ActivationLabels.Reliability(Events(glasses), MinEvents);

    /// <summary>Every search of the glasses (frame k = the k-th glass).</summary>
    private static List<ActivationEvent> Events(IReadOnlyList<ActivationGlass> glasses)
    {
        if (glasses.Count == 0) throw new SoftspotException("no events to label");
        if (glasses.Any(g => (g.Structure is not null) != (glasses[0].Structure is not null)))
            throw new SoftspotException("give a structure for every events file or for none");
        var events = glasses.SelectMany((g, k) => ActivationEventsReader.Read(g.Events, k)).ToList();
        if (events.Count == 0)
            throw new LabelException($"{string.Join(", ", glasses.Select(g => g.Events))}: no searches (only a header): nothing to label");
        return events;
    }

    private static string Name(ActivationGlass g) => g.StructureName ?? "its structure";

    /// <summary>The moved-atoms companion of every events file, checked against the structures' atoms.</summary>
    private static List<MovedAtom> Moved(IReadOnlyList<ActivationGlass> glasses, HashSet<(int, long)>? known)
    {
        var all = new List<MovedAtom>();
        for (int k = 0; k < glasses.Count; k++)
        {
            string path = MovedAtomsReader.CompanionOf(glasses[k].Events)
                ?? throw new SoftspotException($"assigning events to their participants needs the moved-atoms file beside {glasses[k].Events} (.moved.csv or .moved.csv.gz), which simulate art writes");
            var rows = MovedAtomsReader.Read(path, k);
            if (known is not null && rows.FirstOrDefault(m => !known.Contains((k, m.MovedId))) is { } stray)
                throw new InputFormatException(path, 0, InputProblem.AtomCount, $"search {stray.Search} moved atom {stray.MovedId}, which {Name(glasses[k])} does not have");
            all.AddRange(rows);
        }
        return all;
    }

    /// <summary>
    /// Labels the glasses and writes the table frame, id, eact_mean, eact_min, events, h_eact, l_eact, a JSON of the
    /// parameters beside it, and optionally the structures with those columns (LAMMPS dump; needs the structures).
    /// </summary>
    public ActivationLabelSet Write(IReadOnlyList<ActivationGlass> glasses, string output, TableFormat format = TableFormat.Csv, string? dump = null)
    {
        if (dump is not null && glasses.Any(g => g.Structure is null)) throw new SoftspotException("a dump of the labels needs the structures");
        var set = Label(glasses);
        var result = set.Labels;
        TableFile.Write(output, format, ["frame", "id", "eact_mean", "eact_min", "events", "h_eact", "l_eact"], rows =>
        {
            foreach (var a in result.Atoms)
            {
                rows.Number(a.Frame).Number(a.Id).NumberOrEmpty(a.EactMean).NumberOrEmpty(a.EactMin).Number(a.Events);
                if (a.High is { } h) rows.Number(h); else rows.Empty();
                if (a.Low is { } l) rows.Number(l); else rows.Empty();
                rows.EndRow();
            }
        });
        if (dump is not null)
        {
            var snaps = glasses.Select(g => g.Structure!).ToArray();
            var byKey = result.Atoms.ToDictionary(a => (a.Frame, a.Id));
            LammpsDumpWriter.Write(dump, snaps, s =>
            {
                int k = Array.IndexOf(snaps, s);
                double[] Column(Func<AtomActivation, double> f) => [.. Enumerable.Range(0, s.Count).Select(i => f(byKey[(k, s.Ids[i])]))];
                return [.. s.Extra,
                    new("eact_mean", Column(a => a.EactMean)), new("events", Column(a => a.Events)),
                    new("h_eact", Column(a => a.High is { } v ? v : double.NaN)), new("l_eact", Column(a => a.Low is { } v ? v : double.NaN))];
            });
        }
        SoftspotJson.Write(Path.ChangeExtension(output, ".json"), new
        {
            Softspot = Descriptors.FeatureRecipe.Version, Events = glasses.Select(g => Path.GetFullPath(g.Events)).ToArray(),
            Assign = Assignment, Tail, MinEvents, set.Searches, set.Converged, result.Labelled, result.HighThreshold, result.LowThreshold,
        });
        return set;
    }
}
