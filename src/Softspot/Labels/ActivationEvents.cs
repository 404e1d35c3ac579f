using System.Globalization;
using Softspot.IO;

namespace Softspot.Labels;

/// <summary>
/// One activation-relaxation search: which frame (glass) and atom it started around, whether it converged to a
/// saddle, the activation energy E_act = E_saddle - E_initial and E_final - E_initial (eV), how many atoms moved
/// more than the search's threshold, the largest displacement (A) and the search's seed.
/// </summary>
public sealed record ActivationEvent(int Frame, long Search, long AtomId, bool Converged, double Eact, double Efinal,
    int MovedAtoms, double MaxDisplacement, long Seed);

/// <summary>
/// The events CSV (one row per search): required columns search, atom_id, converged (0/1), eact, efinal (eV,
/// relative to the initial minimum), moved_atoms, max_displacement (A), seed; optional frame (which glass of a pooled
/// set; default: the file's position among the inputs); any other columns are ignored. eact and efinal may be
/// empty or nan for searches that did not converge. Errors name the file and line.
/// </summary>
public static class ActivationEventsReader
{
    public static readonly string[] Required = ["search", "atom_id", "converged", "eact", "efinal", "moved_atoms", "max_displacement", "seed"];

    public static List<ActivationEvent> Read(string path, int defaultFrame = 0)
    {
        using var r = new CsvTableReader(path, "the header row of the events CSV");
        var col = Columns(r, Required, "the events CSV");
        int frameCol = r.Header.ToList().IndexOf("frame");
        var events = new List<ActivationEvent>();
        var seen = new Dictionary<(int, long), long>();
        while (r.Next())
        {
            RequireCells(r);
            int frame = frameCol >= 0 ? (int)Integer(r, frameCol, "frame", 0) : defaultFrame;
            long search = Integer(r, col["search"], "search", long.MinValue);
            long atom = Integer(r, col["atom_id"], "atom_id", 0);
            long conv = Integer(r, col["converged"], "converged", 0);
            if (conv is not (0 or 1)) throw r.Fail(InputProblem.Syntax, $"converged: '{r[col["converged"]]}' is not 0 or 1");
            bool converged = conv == 1;
            double eact = Real(r, col["eact"], "eact", converged);
            double efinal = Real(r, col["efinal"], "efinal", converged);
            if (converged && eact < efinal - 1e-9 && eact < 0)
                throw r.Fail(InputProblem.Syntax, $"eact {eact} is below both the initial and the final energy: not a saddle");
            int moved = (int)Integer(r, col["moved_atoms"], "moved_atoms", 0);
            double maxDisp = Real(r, col["max_displacement"], "max_displacement", false);
            long seed = Integer(r, col["seed"], "seed", long.MinValue);
            if (!seen.TryAdd((frame, search), r.LineNumber))
                throw r.Fail(InputProblem.DuplicateId, $"search {search} of frame {frame} appears twice (first at line {seen[(frame, search)]})");
            events.Add(new ActivationEvent(frame, search, atom, converged, eact, efinal, moved, maxDisp, seed));
        }
        return events;
    }

    /// <summary>Where each of the <paramref name="required"/> columns is; a missing one is an error naming <paramref name="what"/>.</summary>
    internal static Dictionary<string, int> Columns(CsvTableReader r, string[] required, string what)
    {
        var names = r.Header.ToList();
        var col = required.ToDictionary(n => n, n => names.IndexOf(n));
        var missing = col.Where(kv => kv.Value < 0).Select(kv => kv.Key).ToArray();
        if (missing.Length > 0) throw r.Fail(InputProblem.MissingColumn, $"{what} lacks the column(s) {string.Join(", ", missing)}");
        return col;
    }

    /// <summary>A row must have as many cells as the header.</summary>
    internal static void RequireCells(CsvTableReader r)
    {
        if (r.Count != r.Header.Count) throw r.Fail(InputProblem.ColumnCount, $"expected {r.Header.Count} fields, found {r.Count}");
    }

    private static long Integer(CsvTableReader r, int k, string name, long min)
    {
        if (!long.TryParse(r[k].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v))
            throw r.Fail(InputProblem.NotANumber, $"{name}: '{r[k]}' is not an integer");
        if (v < min) throw r.Fail(InputProblem.Syntax, $"{name}: {v} must not be negative");
        return v;
    }

    private static double Real(CsvTableReader r, int k, string name, bool required)
    {
        var s = r[k].Trim();
        if (!required && (s.Length == 0 || s.Equals("nan", StringComparison.OrdinalIgnoreCase))) return double.NaN;
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
            throw r.Fail(InputProblem.NotANumber, $"{name}: '{s}' is not a finite number{(required ? " (required for a converged search)" : "")}");
        return v;
    }
}

/// <summary>Per-atom activation statistics of one frame and atom.</summary>
public sealed record AtomActivation(int Frame, long Id, double EactMean, double EactMin, int Events)
{
    /// <summary>H-Eact / L-Eact labels (null: unlabelled, too few events).</summary>
    public int? High { get; init; }
    public int? Low { get; init; }
}

/// <summary>One row of a moved-atoms companion (<c>events.moved.csv</c>): an atom that moved in a search, and how far at the saddle (A).</summary>
public sealed record MovedAtom(int Frame, long Search, long MovedId, double SaddleDisplacement);

/// <summary>
/// The moved-atoms companion that <c>simulate art</c> writes beside an events file (<c>X.moved.csv</c>, or
/// <c>X.moved.csv.gz</c> as data/ ships it): required columns search, moved_id, saddle_displacement; errors name the
/// file and line.
/// </summary>
public static class MovedAtomsReader
{
    public static readonly string[] Required = ["search", "moved_id", "saddle_displacement"];

    /// <summary>The companion of an events file, plain or gzipped, or null when neither exists.</summary>
    public static string? CompanionOf(string eventsPath)
    {
        string plain = Simulation.Art.EventsFile.MovedPathFor(eventsPath);
        return File.Exists(plain) ? plain : File.Exists(plain + ".gz") ? plain + ".gz" : null;
    }

    public static List<MovedAtom> Read(string path, int frame)
    {
        using var r = new CsvTableReader(path, "the header row of the moved-atoms file");
        var col = ActivationEventsReader.Columns(r, Required, "the moved-atoms file");
        var rows = new List<MovedAtom>();
        while (r.Next())
        {
            ActivationEventsReader.RequireCells(r);
            if (!long.TryParse(r[col["search"]], NumberStyles.Integer, CultureInfo.InvariantCulture, out long search))
                throw r.Fail(InputProblem.NotANumber, $"search: '{r[col["search"]]}' is not an integer");
            if (!long.TryParse(r[col["moved_id"]], NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) || id < 0)
                throw r.Fail(InputProblem.NotANumber, $"moved_id: '{r[col["moved_id"]]}' is not an atom id");
            if (!double.TryParse(r[col["saddle_displacement"]], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d) || d < 0)
                throw r.Fail(InputProblem.NotANumber, $"saddle_displacement: '{r[col["saddle_displacement"]]}' is not a distance");
            rows.Add(new MovedAtom(frame, search, id, d));
        }
        return rows;
    }
}

/// <summary>How repeatable per-atom mean activation energies are (<see cref="ActivationLabels.Reliability"/>).</summary>
/// <param name="Atoms">Atoms measured.</param>
/// <param name="MeanSearches">Their mean number of converged searches.</param>
/// <param name="HalfCorrelation">Pearson r between the means of the two halves of each atom's searches.</param>
/// <param name="SpearmanBrown">The reliability of the mean of all of an atom's searches: 2r / (1 + r).</param>
public sealed record SplitHalfReliability(int Atoms, double MeanSearches, double HalfCorrelation, double SpearmanBrown);

/// <summary>
/// Activation-energy labels (Wang, Ding and Ma 2020): per atom, the mean (the paper's ensemble average), minimum
/// and number of E_act over the converged searches started around it; then H-Eact and L-Eact, the top and bottom
/// tail fraction of the per-atom mean E_act pooled over every frame (glass). Atoms with fewer than the minimum
/// number of converged searches are left unlabelled and are not part of the pooled spectrum.
/// </summary>
public static class ActivationLabels
{
    /// <summary>Labels of every atom and the pooled thresholds.</summary>
    /// <param name="Atoms">Every atom (frame, id) with its statistics and labels.</param>
    /// <param name="HighThreshold">H-Eact: mean E_act at or above this (eV).</param>
    /// <param name="LowThreshold">L-Eact: mean E_act at or below this (eV).</param>
    /// <param name="Labelled">Atoms with enough converged searches to be labelled.</param>
    public sealed record Result(List<AtomActivation> Atoms, double HighThreshold, double LowThreshold, int Labelled);

    /// <param name="events">The searches, each credited to the atom it started around; only converged ones count.</param>
    /// <param name="tail">Fraction of the pooled per-atom mean E_act labelled H-Eact (top) and L-Eact (bottom), e.g. 0.05.</param>
    /// <param name="minEvents">Converged searches an atom needs to be labelled and pooled (at least 1).</param>
    /// <param name="atoms">every (frame, id) to report, e.g. all atoms of the structures; atoms with no events get 0 events.</param>
    public static Result Compute(IEnumerable<ActivationEvent> events, double tail = 0.05, int minEvents = 5, IEnumerable<(int Frame, long Id)>? atoms = null)
    {
        var groups = events.Where(e => e.Converged).GroupBy(e => (e.Frame, e.AtomId)).ToDictionary(g => g.Key, g => g.Select(e => e.Eact).ToList());
        var keys = (atoms ?? events.Select(e => (e.Frame, e.AtomId))).Distinct().OrderBy(k => k.Frame).ThenBy(k => k.Item2).ToList();
        var rows = keys.Select(k =>
        {
            var list = groups.GetValueOrDefault(k);
            int n = list?.Count ?? 0;
            return new AtomActivation(k.Frame, k.Item2, n > 0 ? list!.Average() : double.NaN, n > 0 ? list!.Min() : double.NaN, n);
        }).ToList();
        return Label(rows, tail, minEvents);
    }

    /// <summary>
    /// The same labels with every event attributed to the atoms that took part in it instead of the atom it started
    /// around: each converged search's E_act counts for every atom of its moved-atoms companion, weighted by the
    /// square of the atom's displacement at the saddle; an atom's mean is the weighted mean over the events it took
    /// part in, its minimum the lowest of them, its count their number. Tells how much of a score comes from where a
    /// search started rather than from who moved.
    /// </summary>
    public static Result Participants(IEnumerable<ActivationEvent> events, IEnumerable<MovedAtom> moved, double tail = 0.05, int minEvents = 5,
        IEnumerable<(int Frame, long Id)>? atoms = null)
    {
        var eact = events.Where(e => e.Converged).ToDictionary(e => (e.Frame, e.Search), e => e.Eact);
        var sums = new Dictionary<(int, long), (double Weighted, double Weight, double Min, int Count)>();
        foreach (var m in moved)
        {
            if (!eact.TryGetValue((m.Frame, m.Search), out double e)) continue;
            double w = m.SaddleDisplacement * m.SaddleDisplacement;
            var a = sums.GetValueOrDefault((m.Frame, m.MovedId), (0, 0, double.PositiveInfinity, 0));
            sums[(m.Frame, m.MovedId)] = (a.Weighted + w * e, a.Weight + w, Math.Min(a.Min, e), a.Count + 1);
        }
        var keys = (atoms ?? sums.Keys).Distinct().OrderBy(k => k.Item1).ThenBy(k => k.Item2).ToList();
        var rows = keys.Select(k => sums.TryGetValue(k, out var a) && a.Weight > 0
            ? new AtomActivation(k.Item1, k.Item2, a.Weighted / a.Weight, a.Min, a.Count)
            : new AtomActivation(k.Item1, k.Item2, double.NaN, double.NaN, 0)).ToList();
        return Label(rows, tail, minEvents);
    }

    /// <summary>
    /// The converged searches of the atoms with at least <paramref name="minEvents"/> of them, each atom keeping only
    /// its first ceil(<paramref name="fraction"/> x n) in search order: labels from fewer searches per atom on the same
    /// atoms (label them with minEvents 1), to measure what more searches per atom would buy.
    /// </summary>
    public static List<ActivationEvent> FirstSearches(IEnumerable<ActivationEvent> events, int minEvents, double fraction)
    {
        if (!(fraction > 0 && fraction <= 1)) throw new LabelException($"the fraction of each atom's searches must be in (0, 1], not {fraction}");
        return [.. ConvergedByAtom(events, minEvents).SelectMany(a => a.Take((int)Math.Ceiling(fraction * a.Count)))];
    }

    /// <summary>
    /// Split-half reliability of the per-atom mean E_act over the atoms with at least <paramref name="minEvents"/>
    /// converged searches: each atom's searches (search order) alternately into two halves, the Pearson correlation
    /// of the two halves' means across atoms, and the Spearman-Brown reliability of the whole mean, 2r / (1 + r).
    /// </summary>
    public static SplitHalfReliability Reliability(IEnumerable<ActivationEvent> events, int minEvents)
    {
        var atoms = ConvergedByAtom(events, Math.Max(2, minEvents));
        if (atoms.Count < 3) throw new LabelException($"split-half reliability needs at least 3 atoms with {Math.Max(2, minEvents)} converged searches, not {atoms.Count}");
        double Half(List<ActivationEvent> a, int parity) => a.Where((_, k) => k % 2 == parity).Average(e => e.Eact);
        double r = Learning.Metrics.Pearson([.. atoms.Select(a => Half(a, 0))], [.. atoms.Select(a => Half(a, 1))]);
        return new SplitHalfReliability(atoms.Count, atoms.Average(a => (double)a.Count), r, 2 * r / (1 + r));
    }

    /// <summary>Each atom's converged searches in search order, for the atoms with at least <paramref name="minEvents"/>; atoms in (frame, id) order.</summary>
    private static List<List<ActivationEvent>> ConvergedByAtom(IEnumerable<ActivationEvent> events, int minEvents) =>
        [.. events.Where(e => e.Converged).GroupBy(e => (e.Frame, e.AtomId)).Where(g => g.Count() >= minEvents)
            .OrderBy(g => g.Key.Frame).ThenBy(g => g.Key.AtomId).Select(g => g.OrderBy(e => e.Search).ToList())];

    /// <summary>H-Eact / L-Eact on the atoms with at least <paramref name="minEvents"/> events.</summary>
    private static Result Label(List<AtomActivation> rows, double tail, int minEvents)
    {
        if (minEvents < 1) throw new LabelException($"--min-events {minEvents}: an atom needs at least 1 converged search to be labelled");
        var pooled = rows.Where(a => a.Events >= minEvents).Select(a => a.EactMean).ToList();
        if (pooled.Count == 0)
        {
            int most = rows.Count == 0 ? 0 : rows.Max(a => a.Events);
            throw new LabelException(rows.Count == 0
                ? "no atom to label: the events hold no searches"
                : most == 0 ? $"no atom to label: none of the {rows.Count} atoms has a converged search"
                : $"no atom to label: every atom has fewer than --min-events {minEvents} converged searches (the most any of the {rows.Count} atoms has is {most})");
        }
        double hi = TailLabels.TopThreshold(pooled, tail), lo = TailLabels.BottomThreshold(pooled, tail);
        var labelled = rows.Select(a => a.Events >= minEvents
            ? a with { High = a.EactMean >= hi ? 1 : 0, Low = a.EactMean <= lo ? 1 : 0 }
            : a).ToList();
        return new Result(labelled, hi, lo, pooled.Count);
    }
}
