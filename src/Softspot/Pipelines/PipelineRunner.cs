using System.Diagnostics;
using System.Text.Json;
using Softspot.Descriptors;
using Softspot.Labels;
using Softspot.Learning;
using Softspot.Learning.Interpretation;
using Softspot.Neighbours;

namespace Softspot.Pipelines;

/// <summary>
/// Runs a pipeline: loads and featurizes every glass with every preset, builds the labels, runs the papers' 3 x 5
/// protocol for every task and representation, scores the transfer tests, and hands the results and the trained
/// models to <see cref="PipelineOutputs"/>. Deterministic for the configuration's seed, whatever the thread count.
/// </summary>
public sealed class PipelineRunner(PipelineConfig config, Action<string>? log = null, string source = "pipeline", RunContext? context = null)
{
    private readonly Action<string> _log = log ?? (_ => { });

    /// <summary>The services' context: the configuration's threads (if set), no progress lines of their own (the log says what happens).</summary>
    private readonly RunContext _context = (context ?? RunContext.Default) with
    {
        Threads = config.Threads > 0 ? config.Threads : (context ?? RunContext.Default).Threads, ProgressOutput = null,
    };

    /// <summary>The final model of each (task, representation).</summary>
    public Dictionary<(string Task, string Representation), SoftnessModel> Models { get; } = [];
    public List<PipelineGlass> Glasses { get; } = [];

    public PipelineResults Run()
    {
        var clock = Stopwatch.StartNew();
        var settings = new FeaturizeSettings
        {
            Threads = _context.Threads,
            Potential = config.Potential is { } potential ? Simulation.Potentials.PotentialFile.Open(potential) : null,
            Vibration = config.Flexibility?.Settings(),
        };
        foreach (var g in config.Glasses)
        {
            var glass = new PipelineGlass(g);
            glass.Featurize(config.Presets, settings);
            _log($"{g.Name}: {glass.Structure.Count} atoms featurized with {string.Join(", ", config.Presets)} ({clock.Elapsed.TotalSeconds:F1} s)");
            if (g.Shear is not null && config.Labels.Plastic.Strains.Count > 0)
            {
                PipelineLabels.AddPlastic(glass, config.Labels.Plastic, _context);
                _log($"{g.Name}: D2min and plastic sites at strains {string.Join(", ", config.Labels.Plastic.Strains)} ({clock.Elapsed.TotalSeconds:F1} s)");
            }
            Glasses.Add(glass);
        }
        string? activationNote = null;
        if (Glasses.Any(g => g.Config.Events is not null))
        {
            var a = PipelineLabels.AddActivation(Glasses, config.Labels.Activation);
            activationNote = FormattableString.Invariant(
                $"{a.Labelled} atoms with >= {config.Labels.Activation.MinEvents} converged searches pooled; H-Eact: mean E_act >= {a.HighThreshold:F3} eV, L-Eact: <= {a.LowThreshold:F3} eV");
            _log($"activation labels: {activationNote}");
        }

        CheckTasks();
        var jobs = config.Tasks.SelectMany(t => config.Presets.Select(p => (Task: t, Preset: p))).ToList();
        var taskResults = new TaskResult[jobs.Count];
        int done = 0;
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = _context.Threads, CancellationToken = _context.Cancellation }, k =>
        {
            var (task, preset) = jobs[k];
            var (result, model) = Learn(task, preset);
            taskResults[k] = result;
            lock (Models) Models[(task.Name, preset)] = model;
            _log($"learnt {task.Name} from {preset} ({Interlocked.Increment(ref done)}/{jobs.Count}): ROC-AUC {result.Scores.RocAuc} ({clock.Elapsed.TotalSeconds:F1} s)");
        });

        var diagnostics = config.Diagnostics is { } d ? Diagnose(d) : [];
        var transfers = config.Transfer.SelectMany(x => (x.Presets ?? config.Presets).Select(p => Transfer(x, p))).ToList();
        var quenchIn = config.QuenchInSoftness is { } qs ? QuenchInSoftness.Run(config, Glass(qs.Glass), _context, _log) : null;
        var labels = Glasses.SelectMany(g => g.Labels.Where(kv => TaskLabel.TryParse(kv.Key) is not null).Select(kv =>
            new LabelCount(g.Name, kv.Key, kv.Value.Count(v => !double.IsNaN(v)), kv.Value.Count(v => v == 1)))).ToList();
        return new PipelineResults(config, Glasses.Select(g => (g.Name, g.Structure.Count, string.Join(",", g.Elements.ElementsByType.Select(e => e.Symbol)))).ToList(),
            labels, taskResults, transfers, clock.Elapsed.TotalSeconds) { ActivationNote = activationNote, Spectra = Spectra(), Diagnostics = diagnostics, Reliability = Reliability(), QuenchInSoftness = quenchIn };
    }

    /// <summary>
    /// Before any learning: every task needs at least one atom per class in each of the 5 folds, and glasses pooled in
    /// a task need the same columns in every representation.
    /// </summary>
    private void CheckTasks()
    {
        var problems = new List<string>();
        foreach (var t in config.Tasks)
        {
            var label = t.Task;
            var values = t.Glasses.Select(Glass).SelectMany(g => g.Values(label) ?? []).Where(v => !double.IsNaN(v)).ToList();
            int pos = values.Count(v => v == 1), neg = values.Count - pos;
            var glasses = t.Glasses.Select(Glass).ToList();
            var unavailable = config.Presets.SelectMany(p => glasses.Where(g => g.Unavailable.ContainsKey(p))
                .Select(g => $"task {t.Name}: glass {g.Name} has no {p} features: {g.Unavailable[p]}")).ToList();
            problems.AddRange(unavailable);
            if (unavailable.Count > 0) continue;
            foreach (var preset in config.Presets)
                foreach (var g in glasses.Skip(1))
                    if (!g.Features[preset].Columns.Select(c => c.Name).SequenceEqual(glasses[0].Features[preset].Columns.Select(c => c.Name)))
                        problems.Add($"task {t.Name}: glasses {glasses[0].Name} and {g.Name} have different {preset} columns (different elements?): they cannot be pooled");
            if (Math.Min(pos, neg) < Validation.PaperFolds)
                problems.Add($"task {t.Name}: {label} has {pos} positive and {neg} negative atoms on {string.Join(", ", t.Glasses)}; the 5-fold protocol needs at least 5 of each"
                    + (label.NeedsEvents ? $" (more activation searches per atom, or a lower labels.activation.min_events than {config.Labels.Activation.MinEvents})" : ""));
        }
        if (problems.Count > 0) throw new PipelineConfigException(source, problems);
    }

    /// <summary>The threads of every parallel loop of the run: the configuration's, or every core when it says 0.</summary>

    private PipelineGlass Glass(string name) => Glasses.First(g => g.Name == name);

    /// <summary>Each glass's labelled atoms' mean activation energies, then all of them pooled.</summary>
    private List<ActivationSpectrum> Spectra()
    {
        var high = new TaskLabel(LabelKind.HighActivation);
        var spectra = Glasses.Where(g => g.Labels.ContainsKey("eact_mean"))
            .Select(g => new ActivationSpectrum(g.Name, g.Labelled(high).Select(i => g.Labels["eact_mean"][i]))).ToList();
        if (spectra.Count > 0) spectra.Add(new ActivationSpectrum(ActivationSpectrum.Pooled, spectra.SelectMany(s => s.Values)));
        return spectra;
    }

    /// <summary>
    /// The labelled atoms of a task (those with a value in the label column <paramref name="column"/>, default the
    /// task's label): its glasses in order, each glass's atoms in structure order (the rows of its training request).
    /// </summary>
    private List<(PipelineGlass Glass, int Frame, int Atom)> LabelledAtoms(TaskConfig task, string? column = null)
    {
        column ??= task.Task.ToString();
        return [.. task.Glasses.Select(Glass).SelectMany((g, k) => g.Labels.TryGetValue(column, out var v)
            ? Enumerable.Range(0, v.Length).Where(i => !double.IsNaN(v[i])).Select(i => (g, k, i)) : [])];
    }

    /// <summary>The labelled rows of the task's glasses as a training request (frames = the glasses), from the label column (default: the task's label).</summary>
    private TrainingRequest Request(TaskConfig task, string preset, string? column = null)
    {
        column ??= task.Task.ToString();
        var names = Glass(task.Glasses[0]).Features[preset].Columns.Select(c => c.Name).ToArray();
        var x = new List<double>();
        var y = new List<double>();
        var frames = new List<int>();
        foreach (var (g, k, i) in LabelledAtoms(task, column))
        {
            x.AddRange(g.Features[preset].Row(i).ToArray());
            y.Add(g.Labels[column][i]);
            frames.Add(k);
        }
        return new TrainingRequest(names, [.. x], [.. y], column) { Frames = [.. frames] };
    }

    /// <summary>
    /// The diagnostics: every task of the diagnosed representations again with participation-weighted activation
    /// labels (activation tasks), with spatially blocked folds (and both), on fractions of its labelled atoms, with labels
    /// from fractions of each atom's searches (activation tasks) and from a regression of the quantity the labels are the
    /// tails of (mean E_act; D2min's rank in its glass), each with the pipeline's learning settings.
    /// </summary>
    private List<DiagnosticResult> Diagnose(DiagnosticsConfig d)
    {
        if (d.Participants)
        {
            var a = PipelineLabels.AddActivation(Glasses, config.Labels.Activation, EventAssignment.Participants);
            _log($"participation-weighted activation labels: {a.Labelled} atoms labelled");
        }
        foreach (double f in d.SearchFractions)
            PipelineLabels.AddActivation(Glasses, config.Labels.Activation, EventAssignment.Initiator, f);
        var jobs = new List<(TaskConfig Task, string Preset, DiagnosticKind Kind, double? Fraction)>();
        foreach (var t in config.Tasks)
            foreach (var p in d.PresetsOf(config))
            {
                if (d.Participants && t.Task.NeedsEvents) jobs.Add((t, p, DiagnosticKind.Participants, null));
                if (d.BlockedCutoff > 0) jobs.Add((t, p, DiagnosticKind.Blocked, null));
                if (d.Participants && d.BlockedCutoff > 0 && t.Task.NeedsEvents) jobs.Add((t, p, DiagnosticKind.ParticipantsBlocked, null));
                jobs.AddRange(d.AtomFractions.Select(f => (t, p, DiagnosticKind.FewerAtoms, (double?)f)));
                if (t.Task.NeedsEvents) jobs.AddRange(d.SearchFractions.Select(f => (t, p, DiagnosticKind.FewerSearches, (double?)f)));
                if (d.Regression) jobs.Add((t, p, DiagnosticKind.Regression, null));
            }
        var results = new DiagnosticResult[jobs.Count];
        var trainer = new Trainer(config.Learning.Settings(config.Seed), _context with { Threads = 1 });  // the jobs run in parallel
        Parallel.For(0, jobs.Count, new ParallelOptions { MaxDegreeOfParallelism = _context.Threads, CancellationToken = _context.Cancellation }, k =>
        {
            var (task, preset, kind, fraction) = jobs[k];
            string? column = kind switch
            {
                DiagnosticKind.Participants or DiagnosticKind.ParticipantsBlocked => task.Task + PipelineLabels.Suffix(EventAssignment.Participants),
                DiagnosticKind.FewerSearches => task.Task + PipelineLabels.Suffix(EventAssignment.Initiator, fraction!.Value),
                _ => null,
            };
            var request = Request(task, preset, column);
            var labels = request.Y.Select(v => (int)v).ToArray();
            try
            {
                var (splits, rows, pos, detail) = Protocol(d, task, kind, fraction, request, labels, column);
                var scores = kind == DiagnosticKind.Regression
                    ? trainer.CrossValidateTail(request, RegressionTarget(task), low: task.Task.Kind == LabelKind.LowActivation, splits).Test
                    : trainer.CrossValidate(request, splits).Test;
                _log($"diagnostic {Name(kind, fraction)}: {task.Name} from {preset}: ROC-AUC {scores.RocAuc}");
                results[k] = new DiagnosticResult(task.Name, preset, kind, scores, rows, pos, detail) { Fraction = fraction };
            }
            catch (ArgumentException e)
            {
                results[k] = new DiagnosticResult(task.Name, preset, kind, null, request.Rows, labels.Count(v => v == 1), "", e.Message) { Fraction = fraction };
            }
        });
        return [.. results];
    }

    /// <summary>
    /// A diagnostic's splits of the task's labelled rows, with the rows and positives it learns from and what it did:
    /// spatially blocked folds, the protocol on a fraction of the rows, or the papers' protocol (on other labels).
    /// </summary>
    private (IReadOnlyList<Split> Splits, int Rows, int Positives, string Detail) Protocol(DiagnosticsConfig d, TaskConfig task, DiagnosticKind kind, double? fraction,
        TrainingRequest request, int[] labels, string? column)
    {
        int positives = labels.Count(v => v == 1);
        switch (kind)
        {
            case DiagnosticKind.Blocked or DiagnosticKind.ParticipantsBlocked:
                var where = new SpatialRows([.. LabelledAtoms(task, column).Select(a => a.Glass.Structure.Positions[a.Atom])], request.Frames,
                    [.. task.Glasses.Select(n => Glass(n).Structure.Cell)]);
                var blocked = SpatialBlocking.UndersampledKFold(labels, where, d.BlockedCutoff, seed: config.Seed);
                return (blocked.Splits, request.Rows, positives, FormattableString.Invariant(
                    $"{blocked.Blocks} blocks of at least {2 * d.BlockedCutoff:0.#} A; {blocked.TrainingKept:P0} of the training candidates are farther than {d.BlockedCutoff:0.#} A from every test atom"));
            case DiagnosticKind.FewerAtoms:
                var kept = LearningCurve.StratifiedFraction(labels, fraction!.Value, config.Seed);
                return (LearningCurve.UndersampledStratifiedKFold(labels, fraction.Value, seed: config.Seed), kept.Length, kept.Count(r => labels[r] == 1), FormattableString.Invariant(
                    $"{kept.Length} of the {request.Rows} labelled atoms ({fraction:0.###} of each class, drawn at random), {LearningCurve.Draws} independent draws, 3 x 5 splits each"));
            case DiagnosticKind.Regression:
                return (Validation.RepeatedStratifiedKFold(labels, seed: config.Seed), request.Rows, positives, FormattableString.Invariant(
                    $"a squared-error model of {(task.Task.NeedsEvents ? "the per-atom mean E_act" : "D2min's rank within its glass")} trained on every atom of the other folds (3 x 5 stratified folds of the {request.Rows} labelled atoms, no undersampling), its predictions scored on the {task.Task} labels"));
            case DiagnosticKind.FewerSearches:
                return (Validation.UndersampledStratifiedKFold(labels, seed: config.Seed), request.Rows, positives, FormattableString.Invariant(
                    $"labels from the first {fraction:0.###} of each atom's converged searches (rounded up), the same {request.Rows} atoms"));
            default:
                return (Validation.UndersampledStratifiedKFold(labels, seed: config.Seed), request.Rows, positives,
                    $"{request.Rows} atoms labelled by participation (each event's E_act to every atom that moved, weight: saddle displacement squared)");
        }
    }

    /// <summary>
    /// What the regression diagnostic fits for each labelled atom of a task: the per-atom mean E_act (the activation
    /// tails are taken on it, pooled), or for plastic sites D2min's rank within its glass as a fraction in (0, 1] (the
    /// plastic sites are each glass's top D2min: a rank puts glasses of different D2min scales, and its heavy tail, on
    /// one footing).
    /// </summary>
    private double[] RegressionTarget(TaskConfig task)
    {
        var atoms = LabelledAtoms(task);
        if (task.Task.NeedsEvents) return [.. atoms.Select(a => a.Glass.Labels[PipelineLabels.MeanColumn][a.Atom])];
        string column = PipelineLabels.D2minColumn(task.Task.Strain);
        return PipelineLabels.RanksWithin([.. atoms.Select(a => a.Glass.Labels[column][a.Atom])], [.. atoms.Select(a => a.Frame)]);
    }

    private static string Name(DiagnosticKind kind, double? fraction) =>
        kind.Key() + (fraction is { } f ? FormattableString.Invariant($" ({f:0.###})") : "");

    /// <summary>The split-half reliability of the labelled atoms' mean E_act (diagnostics of a pipeline with activation tasks), or null when too few atoms have two searches.</summary>
    private SplitHalfReliability? Reliability()
    {
        if (config.Diagnostics is null || !config.Tasks.Any(t => t.Task.NeedsEvents)) return null;
        try
        {
            var r = PipelineLabels.Reliability(Glasses, config.Labels.Activation);
            _log(FormattableString.Invariant($"split-half reliability of the per-atom mean E_act: r = {r.HalfCorrelation:F3} between halves, {r.SpearmanBrown:F3} for the whole mean ({r.Atoms} atoms)"));
            return r;
        }
        catch (LabelException e)
        {
            _log($"split-half reliability skipped: {e.Message}");
            return null;
        }
    }

    private (TaskResult, SoftnessModel) Learn(TaskConfig task, string preset)
    {
        var trained = new Trainer(config.Learning.Settings(config.Seed), _context).Train(Request(task, preset), Glass(task.Glasses[0]).Recipes[preset]);
        var (request, r) = (trained.Request, trained.Result);
        var top = GainImportance.Ranking(r.Gain.Share).Take(10).Select(i => (request.FeatureNames[i], r.Gain.Share[i])).ToList();
        var model = new SoftnessModel(trained.Model.Ensemble, trained.Model.Info with { PipelineTask = task.Name, Glasses = task.Glasses }, $"model of task {task.Name}");
        // the 2020 paper's Fig. 4 for the activation tasks of the main representation: the reduced features in the H, middle and L groups
        var interpretation = task.Task.NeedsEvents && preset == config.Presets[0] && r.ReducedModels.Count > 0
            ? FeatureInterpretation.Of(request, r, ActivationGroups.Names, ActivationGroups.Of(LabelledAtoms(task).Select(a => (a.Glass, a.Atom))))
            : null;
        return (new TaskResult(task.Name, request.Target, preset, request.FeatureNames.Length, request.Rows, request.Y.Count(v => v == 1),
            r.ClassificationScores!.Test, r.ReducedClassificationScores?.Test, r.Reduction?.Kept ?? [], top)
            { Roc = MeanRoc.Of(r.TestFolds(request)), Interpretation = interpretation }, model);
    }

    private TransferResult Transfer(TransferConfig x, string preset)
    {
        var task = config.Tasks.First(t => t.Name == x.Task);
        var label = x.Label is { } l ? TaskLabel.Parse(l) : task.Task;
        var model = Models[(task.Name, preset)];
        var test = Glass(x.Test);
        string train = string.Join("+", task.Glasses);
        if (test.Unavailable.TryGetValue(preset, out var why))
            return new TransferResult(task.Name, label.ToString(), train, test.Name, preset, model.FeatureNames.Count, null, $"{test.Name} has no {preset} features: {why}");
        var table = test.Features[preset];
        var missing = model.FeatureNames.Where(n => table.IndexOf(n) < 0).ToList();
        if (missing.Count > 0)
            return new TransferResult(task.Name, label.ToString(), train, test.Name, preset, model.FeatureNames.Count, null,
                $"{test.Name} lacks {missing.Count} of the model's columns (e.g. {missing[0]}): the representation depends on the elements");
        var rows = test.Labelled(label);
        var labels = rows.Select(i => (int)test.Values(label)![i]).ToArray();
        if (labels.Distinct().Count() < 2)
            return new TransferResult(task.Name, label.ToString(), train, test.Name, preset, model.FeatureNames.Count, null, $"{label} on {test.Name} has one class only");
        var score = TransferEvaluation.Score(model.Ensemble.PredictRows(Matrix(table, rows, model.FeatureNames)), labels, config.Seed);
        _log($"transfer {task.Name} ({preset}, {train}) -> {test.Name} {label}: ROC-AUC {score.Summary.RocAuc}");
        return new TransferResult(task.Name, label.ToString(), train, test.Name, preset, model.FeatureNames.Count, score);
    }

    /// <summary>The chosen rows of a feature table, with the named columns in that order (row-major).</summary>
    public static double[] Matrix(FeatureTable table, IReadOnlyList<int> rows, IReadOnlyList<string> columns)
    {
        var idx = columns.Select(table.IndexOf).ToArray();
        var x = new double[rows.Count * idx.Length];
        for (int r = 0; r < rows.Count; r++)
            for (int c = 0; c < idx.Length; c++) x[r * idx.Length + c] = table[rows[r], idx[c]];
        return x;
    }
}
