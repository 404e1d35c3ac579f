using System.Collections.Concurrent;
using System.Diagnostics;
using Softspot.Numerics;
using Softspot.Reporting;
using Softspot.Structures;

namespace Softspot.Simulation.Art;

/// <summary>
/// Makes the surface a search explores: all atoms mobile (<paramref name="mobile"/> null) or only the given ones,
/// from the positions of the initial minimum. One provider per thread.
/// </summary>
public delegate IPotentialSurface SurfaceProvider(double[] positions, int[]? mobile);

/// <summary>
/// Many independent ART searches over a glass: <see cref="Searches"/> per selected atom, each with its own seed
/// (the run's seed and the search id = atom id x 1000 + attempt), so any subset (a shard, a resumed run, more
/// attempts later) gives the same events as one long run. Searches run in parallel, each worker with its own force
/// engine; each finished search is appended to the <see cref="EventsFile"/>. With <see cref="UntilConverged"/>, an
/// atom's attempt k runs only while fewer than that many of its attempts 0..k-1 converged: which searches run is then
/// a function of the outcomes, the same for any threads, shards, resumptions or <see cref="Order"/>.
/// </summary>
public sealed class ArtCampaign
{
    public const int MaxSearchesPerAtom = 1000;

    public required Snapshot Structure { get; init; }
    public required IReadOnlyList<long> Atoms { get; init; }
    public required int Searches { get; init; }
    public required long Seed { get; init; }
    public ArtSettings Settings { get; init; } = new();
    /// <summary>Only atoms within this distance of the initiating atom move (null: every atom).</summary>
    public double? MobileRadius { get; init; }
    public int Threads { get; init; } = 1;
    /// <summary>Stop starting searches around an atom once this many of them converged (null: all <see cref="Searches"/>).</summary>
    public int? UntilConverged { get; init; }
    /// <summary>In which order the searches run (not which ones: a complete run has the same events either way).</summary>
    public ArtOrder Order { get; init; } = ArtOrder.Attempts;
    /// <summary>Receives each search's step-by-step trace (single-threaded diagnosis).</summary>
    public Action<string>? Trace { get; init; }

    /// <summary>
    /// The searches' initial minimum: the structure's positions, relaxed further (FIRE, to a tenth of the minimisation
    /// tolerance) when some atom feels more than the tolerance; with a note saying which.
    /// </summary>
    public static (double[] Positions, string Note) InitialMinimum(IForceEngine engine, Snapshot structure, ArtSettings settings)
    {
        var x = FlatCoordinates.Flatten(structure.Positions);
        var whole = new WholeBoxSurface(engine, x);
        var f = new double[x.Length];
        double e = whole.Compute(x, f);
        double fmax = VectorMath.MaxAtomNorm(f);
        if (!double.IsFinite(e) || !double.IsFinite(fmax))
            throw new SoftspotException(NonFinite(engine, structure, f, e));
        if (fmax <= settings.MinimizeForce) return (x, FormattableString.Invariant($"largest force {fmax:G3} eV/A: a minimum"));
        new ArtSearch(whole, settings with { MinimizeForce = settings.MinimizeForce / 10 }).Minimize(x, f);
        double relaxed = VectorMath.MaxAtomNorm(f);
        if (!double.IsFinite(relaxed)) throw new SoftspotException(NonFinite(engine, structure, f, double.NaN));
        return (x, FormattableString.Invariant($"largest force {fmax:G3} eV/A: relaxed first to {relaxed:G3} eV/A"));
    }

    /// <summary>Why the searches cannot start: the potential gives no finite energy or force (atoms on top of each other, say).</summary>
    private static string NonFinite(IForceEngine engine, Snapshot structure, double[] f, double e)
    {
        int bad = Enumerable.Range(0, f.Length / 3).FirstOrDefault(i => !(double.IsFinite(f[3 * i]) && double.IsFinite(f[3 * i + 1]) && double.IsFinite(f[3 * i + 2])), -1);
        string where = bad >= 0 ? $" (first on atom {structure.Ids[bad]})" : "";
        return $"{engine.Name} gives a non-finite {(double.IsFinite(e) ? "force" : "energy")} for this structure{where}: "
            + "atoms too close together, or the structure does not match the potential";
    }

    public static long SearchId(long atomId, int attempt) => atomId * MaxSearchesPerAtom + attempt;

    /// <summary>
    /// Runs the searches not yet in <paramref name="events"/>, in <see cref="Order"/>; returns how many ran, how many
    /// converged, and the outcome of every search known at the end (search id to converged).
    /// </summary>
    /// <remarks>When <paramref name="stop"/> is cancelled, no new search starts; those under way finish and are written.</remarks>
    public ArtRunSummary Run(double[] minimum, Func<SurfaceProvider> providerPerThread, EventsFile events, Progress? progress = null,
        CancellationToken stop = default)
    {
        var known = new ConcurrentDictionary<long, bool>(events.Outcomes);
        var workers = new ConcurrentBag<Worker>();
        int ran = 0, converged = 0;
        var clock = Stopwatch.StartNew();
        bool RunOne(Worker worker, (int Atom, long Id, int Attempt) planned)
        {
            var record = Search(minimum, worker, planned);
            events.Append(record);
            known[record.Search] = record.Outcome.Converged;
            int done = Interlocked.Increment(ref ran);
            int ok = record.Outcome.Converged ? Interlocked.Increment(ref converged) : Volatile.Read(ref converged);
            progress?.Step($"{ok} converged, {done / clock.Elapsed.TotalHours:F0} searches/hour");
            return record.Outcome.Converged;
        }
        // each thread takes the next item until none is left (or a stop); a worker (force engine, whole-box search)
        // outlives its batch: the next batch takes it back
        void InParallel<T>(IReadOnlyList<T> items, Action<Worker, T> body)
        {
            int next = -1;
            void Work()
            {
                var worker = workers.TryTake(out var w) ? w : new Worker(providerPerThread());
                try
                {
                    int taken;
                    while (!stop.IsCancellationRequested && (taken = Interlocked.Increment(ref next)) < items.Count) body(worker, items[taken]);
                }
                finally { workers.Add(worker); }
            }
            int threads = Math.Max(1, Math.Min(Threads, items.Count));
            var tasks = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(Work, TaskCreationOptions.LongRunning)).ToArray();
            try { Task.WaitAll(tasks); }
            catch (AggregateException e) { System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw(); }
        }
        if (Order == ArtOrder.Attempts)
            for (int attempt = 0; attempt < Searches && !stop.IsCancellationRequested; attempt++)
                InParallel(Pending(known).Where(s => s.Attempt == attempt).ToList(), (w, s) => RunOne(w, s));
        else
        {
            // atom by atom, those expected to be done soonest first; an atom's attempts run in order on one thread
            var index = Structure.IndexById();
            var atoms = Pending(known).Select(s => s.Id).Distinct().OrderBy(id => AtomLeft(id, known)).ThenBy(id => id).ToList();
            InParallel(atoms, (w, id) =>
            {
                int c = 0;
                for (int k = 0; k < Searches && Wants(c) && !stop.IsCancellationRequested; k++)
                    if (known.TryGetValue(SearchId(id, k), out bool ok) ? ok : RunOne(w, (index[id], id, k))) c++;
            });
        }
        progress?.Done();
        return new ArtRunSummary(ran, converged, known);
    }

    /// <summary>A thread's surfaces: its provider, and the whole-box surface and search it reuses when every atom moves.</summary>
    private sealed class Worker(SurfaceProvider provider)
    {
        public SurfaceProvider Provider { get; } = provider;
        public (IPotentialSurface Surface, ArtSearch Search)? Whole { get; set; }
    }

    /// <summary>One search: (atom index, atom id, attempt).</summary>
    private ArtRecord Search(double[] minimum, Worker worker, (int Atom, long Id, int Attempt) planned)
    {
        var (atom, id, attempt) = planned;
        long searchId = SearchId(id, attempt);
        var watch = Stopwatch.StartNew();
        IPotentialSurface surface;
        ArtSearch search;
        if (MobileRadius is { } r)
        {
            surface = worker.Provider(minimum, Within(minimum, atom, r));
            search = new ArtSearch(surface, Settings);
        }
        else
        {
            if (worker.Whole is null)
            {
                var whole = worker.Provider(minimum, null);
                worker.Whole = (whole, new ArtSearch(whole, Settings, translations: Structure.Cell.Periodic.All(p => p)));
            }
            (surface, search) = worker.Whole.Value;
        }
        var mobile = surface.Mobile;
        var x0 = FlatCoordinates.Gather(minimum, mobile);
        var f = new double[x0.Length];
        double e0 = surface.Compute(x0, f);
        var initial = Initial(minimum, mobile, atom);
        search.Trace = Trace is null ? null : line => Trace($"search {searchId}: {line}");
        var outcome = search.Run(x0, e0, initial, new SplitMix64(Seed, searchId));
        var moved = new List<(long, double, double)>();
        for (int k = 0; k < mobile.Count && outcome.SaddleDisplacement.Length > 0; k++)
        {
            double s = outcome.SaddleDisplacement[k], fin = outcome.FinalDisplacement.Length > 0 ? outcome.FinalDisplacement[k] : double.NaN;
            if (s > Settings.MovedThreshold || fin > Settings.MovedThreshold) moved.Add((Structure.Ids[mobile[k]], s, fin));
        }
        int centre = IndexOf(mobile, atom);
        double centreDisp = outcome.SaddleDisplacement.Length > 0 ? outcome.SaddleDisplacement[centre] : double.NaN;
        return new ArtRecord(searchId, id, attempt, Seed, outcome, watch.Elapsed.TotalSeconds, moved, centreDisp) { Threshold = Settings.MovedThreshold };
    }

    /// <summary>
    /// The campaign's searches given the outcomes <paramref name="known"/> so far, as (atom index, atom id, attempt),
    /// attempt-major: every attempt below <see cref="Searches"/> or, with <see cref="UntilConverged"/>, attempt k of
    /// an atom while fewer than that many of its attempts 0..k-1 are known to have converged (an unknown outcome counts
    /// as not converged: before a run this is an upper bound, after a complete run the exact set).
    /// </summary>
    public List<(int Atom, long Id, int Attempt)> Planned(IReadOnlyDictionary<long, bool> known)
    {
        if (Searches < 1 || Searches > MaxSearchesPerAtom) throw new ArgumentException($"--searches must lie in 1..{MaxSearchesPerAtom}");
        if (UntilConverged is < 1) throw new ArgumentException("--until-converged must be at least 1");
        var index = Structure.IndexById();
        foreach (long id in Atoms)
            if (!index.ContainsKey(id)) throw new ArgumentException($"atom id {id} is not in the structure");
        var convergedSoFar = new int[Atoms.Count];
        var planned = new List<(int Atom, long Id, int Attempt)>();
        for (int k = 0; k < Searches; k++)
            for (int a = 0; a < Atoms.Count; a++)
            {
                if (!Wants(convergedSoFar[a])) continue;
                long id = Atoms[a];
                planned.Add((index[id], id, k));
                if (known.TryGetValue(SearchId(id, k), out bool ok) && ok) convergedSoFar[a]++;
            }
        return planned;
    }

    /// <summary>
    /// Whether an atom with <paramref name="converged"/> of its first attempts converged gets its next attempt: the
    /// <see cref="UntilConverged"/> rule, the one both orders follow (which is why they run the same searches).
    /// </summary>
    private bool Wants(int converged) => converged < (UntilConverged ?? int.MaxValue);

    /// <summary>
    /// About how many searches are left given the outcomes <paramref name="known"/> so far (with
    /// <see cref="UntilConverged"/> an estimate, below <see cref="Pending"/>'s upper bound): the sum over the atoms of
    /// <see cref="ExpectedLeft"/> of each atom's first attempts with known outcomes.
    /// </summary>
    public double ExpectedPending(IReadOnlyDictionary<long, bool> known) => Atoms.Sum(id => AtomLeft(id, known));

    /// <summary><see cref="ExpectedLeft(int, int, int, int?)"/> of one atom's first attempts with known outcomes.</summary>
    private double AtomLeft(long id, IReadOnlyDictionary<long, bool> known)
    {
        int n = 0, c = 0;
        while (n < Searches && known.TryGetValue(SearchId(id, n), out bool ok)) { n++; if (ok) c++; }
        return ExpectedLeft(n, c, Searches, UntilConverged);
    }

    /// <summary>
    /// The searches an atom with <paramref name="searches"/> done, <paramref name="converged"/> of them converged,
    /// is expected still to run: none once it reached <paramref name="untilConverged"/> or used up its
    /// <paramref name="maxSearches"/>; without a target all the rest; otherwise the searches to reach the target at
    /// its converged fraction so far by Laplace's rule, (c + 1) / (n + 2), at most the rest.
    /// </summary>
    public static double ExpectedLeft(int searches, int converged, int maxSearches, int? untilConverged)
    {
        if (searches >= maxSearches || converged >= untilConverged) return 0;
        if (untilConverged is not { } target) return maxSearches - searches;
        return Math.Min(maxSearches - searches, (target - converged) * (searches + 2.0) / (converged + 1.0));
    }

    /// <summary>The planned searches whose outcome is not yet known (with <see cref="UntilConverged"/>, an upper bound).</summary>
    public List<(int Atom, long Id, int Attempt)> Pending(IReadOnlyDictionary<long, bool> known) =>
        Planned(known).Where(s => !known.ContainsKey(SearchId(s.Id, s.Attempt))).ToList();

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (int k = 0; k < list.Count; k++) if (list[k] == value) return k;
        throw new InvalidOperationException("the initiating atom is not mobile");
    }

    /// <summary>Minimum-image distance between atoms i and j at positions x.</summary>
    private double Distance(double[] x, int i, int j) =>
        Structure.Cell.MinimumImage(new Vec3(x[3 * i] - x[3 * j], x[3 * i + 1] - x[3 * j + 1], x[3 * i + 2] - x[3 * j + 2])).Norm;

    /// <summary>Atoms within <paramref name="radius"/> of atom <paramref name="centre"/>, in index order.</summary>
    private int[] Within(double[] x, int centre, double radius) =>
        Enumerable.Range(0, Structure.Count).Where(i => Distance(x, i, centre) <= radius).ToArray();

    /// <summary>Local indices of the mobile atoms within the initial radius of the initiating atom.</summary>
    private List<int> Initial(double[] x, IReadOnlyList<int> mobile, int centre) =>
        Enumerable.Range(0, mobile.Count).Where(k => Distance(x, mobile[k], centre) <= Settings.InitialRadius).ToList();
}

/// <summary>What a campaign run did: searches run and converged, and the outcome of every search known at its end.</summary>
public sealed record ArtRunSummary(int Ran, int Converged, IReadOnlyDictionary<long, bool> Outcomes);

/// <summary>The order in which an <see cref="ArtCampaign"/> runs its searches.</summary>
public enum ArtOrder
{
    /// <summary>Attempt by attempt (every atom's first, then every atom's second, ...): a partial run labels all atoms about equally.</summary>
    Attempts,
    /// <summary>Atom by atom, those expected to be done soonest first (fewest searches left at their converged fraction so far): a partial run has as many finished atoms as it can.</summary>
    Atoms,
}
