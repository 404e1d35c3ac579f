using Softspot.Descriptors;
using Softspot.Structures;

namespace Softspot.Pipelines;

/// <summary>
/// Checks a resolved pipeline before any work starts: every file exists, every name refers to something defined,
/// every number is in range. Reports all problems at once.
/// </summary>
public static class PipelineValidator
{
    public static void Check(PipelineConfig c, string source)
    {
        var problems = new List<string>();
        void Require(bool ok, string problem) { if (!ok) problems.Add(problem); }
        void File(string? path, string what) { if (path is not null && !System.IO.File.Exists(path)) problems.Add($"{what}: no such file {path}"); }

        Require(c.Presets.Count > 0, "presets: give at least one representation");
        foreach (var p in c.Presets)
        {
            Descriptors.Presets.Preset? preset = null;
            try { preset = Descriptors.Presets.Find(p); }
            catch (SoftspotException e) { problems.Add($"presets: {e.Message}"); }
            Require(preset is not { Physical: true } || c.Potential is not null, $"presets: {p} is computed with an interatomic potential: give potential: (e.g. CuZr_mm.eam.fs)");
        }
        if (c.Potential is { } potential)
        {
            try { Simulation.Lammps.LammpsInstallation.ResolvePotential(potential); }
            catch (FileNotFoundException e) { problems.Add($"potential: {e.Message}"); }
        }
        Require(c.Presets.Distinct().Count() == c.Presets.Count, "presets: a preset is listed twice");
        Require(c.Threads >= 0, "threads: must be 0 (every core) or more");

        Require(c.Glasses.Count > 0, "glasses: give at least one glass");
        var glasses = new Dictionary<string, GlassConfig>();
        foreach (var (g, k) in c.Glasses.Select((g, k) => (g, k)))
        {
            string where = $"glasses[{k}]" + (g.Name.Length > 0 ? $" ({g.Name})" : "");
            if (g.Name.Length == 0) { problems.Add($"{where}: name is missing"); continue; }
            if (!glasses.TryAdd(g.Name, g)) problems.Add($"{where}: the name {g.Name} is used twice");
            if (string.IsNullOrWhiteSpace(g.Structure)) problems.Add($"{where}: structure is missing");
            else File(g.Structure, $"{where}.structure");
            if (g.Elements is { } e)
                try { ElementMap.Parse(e); } catch (Exception ex) when (ex is ArgumentException or FormatException or UnknownElementException) { problems.Add($"{where}.elements: {ex.Message}"); }
            if (g.Shear is { } s)
            {
                if (string.IsNullOrWhiteSpace(s.Reference) || s.Deformed.Count == 0 || s.Deformed.Any(string.IsNullOrWhiteSpace)) problems.Add($"{where}.shear: give reference and deformed");
                else
                {
                    File(s.Reference, $"{where}.shear.reference");
                    foreach (var (d, i) in s.Deformed.Select((d, i) => (d, i))) File(d, s.Deformed.Count == 1 ? $"{where}.shear.deformed" : $"{where}.shear.deformed[{i}]");
                }
                File(s.StressStrain, $"{where}.shear.stress_strain");
            }
            File(g.Events, $"{where}.events");
        }

        var a = c.Labels.Activation;
        Require(a.Tail is > 0 and < 0.5, "labels.activation.tail: must lie strictly between 0 and 0.5");
        Require(a.MinEvents >= 1, "labels.activation.min_events: must be at least 1");
        var pl = c.Labels.Plastic;
        Require(pl.Top is > 0 and < 1, "labels.plastic.top: must lie strictly between 0 and 1");
        Require(pl.Cutoff > 0, "labels.plastic.cutoff: must be positive");
        Require(pl.Strains.All(s => s > 0), "labels.plastic.strains: strains must be positive");

        // a label on a glass: checks that the glass has what the label is made from
        void CheckLabel(string where, string? text, IEnumerable<string> on)
        {
            TaskLabel label;
            try { label = TaskLabel.Parse(text ?? ""); }
            catch (SoftspotException ex) { problems.Add($"{where}: {ex.Message}"); return; }
            if (label.Kind == LabelKind.Plastic && !pl.Strains.Any(s => TaskLabel.SameStrain(s, label.Strain)))
                problems.Add($"{where}: {label} needs the strain {label.Strain} in labels.plastic.strains");
            foreach (var name in on)
            {
                if (!glasses.TryGetValue(name, out var g)) { problems.Add($"{where}: unknown glass '{name}' (defined: {string.Join(", ", glasses.Keys)})"); continue; }
                if (label.NeedsEvents && g.Events is null) problems.Add($"{where}: {label} needs events on glass {name}");
                if (!label.NeedsEvents && g.Shear is null) problems.Add($"{where}: {label} needs shear on glass {name}");
            }
        }

        var tasks = new Dictionary<string, TaskConfig>();
        foreach (var (t, k) in c.Tasks.Select((t, k) => (t, k)))
        {
            string where = $"tasks[{k}]" + (t.Name.Length > 0 ? $" ({t.Name})" : "");
            if (t.Name.Length == 0) { problems.Add($"{where}: name is missing"); continue; }
            if (!tasks.TryAdd(t.Name, t)) problems.Add($"{where}: the name {t.Name} is used twice");
            if (t.Glasses.Count == 0) problems.Add($"{where}: glasses: give at least one glass to train on");
            CheckLabel($"{where}.label", t.Label, t.Glasses);
        }
        foreach (var (x, k) in c.Transfer.Select((x, k) => (x, k)))
        {
            string where = $"transfer[{k}]";
            if (!tasks.TryGetValue(x.Task, out var t)) { problems.Add($"{where}.task: unknown task '{x.Task}' (defined: {string.Join(", ", tasks.Keys)})"); continue; }
            CheckLabel($"{where}.label", x.Label ?? t.Label, [x.Test]);
            foreach (var p in x.Presets ?? [])
                Require(c.Presets.Contains(p), $"{where}.presets: '{p}' is not one of the pipeline's presets");
        }

        if (c.QuenchInSoftness is { } qs)
        {
            if (qs.Glass.Length == 0) problems.Add("quench_in_softness.glass: name the glass (one with a shear run)");
            else if (!glasses.TryGetValue(qs.Glass, out var g)) problems.Add($"quench_in_softness.glass: unknown glass '{qs.Glass}' (defined: {string.Join(", ", glasses.Keys)})");
            else if (g.Shear is null) problems.Add($"quench_in_softness.glass: glass {qs.Glass} has no shear run (give it shear: reference and deformed)");
            if (double.IsNaN(qs.Strain)) problems.Add("quench_in_softness.strain: give the strain whose plastic sites the models learn (e.g. 0.02)");
            else Require(qs.Strain > 0, "quench_in_softness.strain: must be positive");
            Require(qs.Strains.All(s => s > 0), "quench_in_softness.strains: strains must be positive");
            if (qs.Preset is { } p) Require(c.Presets.Contains(p), $"quench_in_softness.preset: '{p}' is not one of the pipeline's presets");
            else Require(c.PredictedRepresentation is not null, "quench_in_softness.preset: give one (predict is none, so there is no default)");
        }

        if (c.Flexibility is { } flex)
        {
            Require(flex.Method is "md" or "harmonic", $"flexibility.method: '{flex.Method}' (choose md or harmonic)");
            Require(flex.Temperature > 0, "flexibility.temperature: must be positive (K)");
            Require(flex.Timestep > 0, "flexibility.timestep: must be positive (ps)");
            Require(flex.Duration >= flex.Timestep, "flexibility.duration: must be at least one time step (ps)");
            Require(flex.Equilibration >= 0, "flexibility.equilibration: cannot be negative (ps)");
            Require(flex.Damping > 0, "flexibility.damping: must be positive (ps)");
        }

        var l = c.Learning;
        Require(l.Engine is "managed" or "xgboost", $"learning.engine: '{l.Engine}' (choose managed or xgboost)");
        Require(l.Engine != "xgboost" || Learning.XgboostEngine.Available, "learning.engine: xgboost needs Debian's libxgboost0 (apt-get install libxgboost0)");
        Require(l.Trees >= 1, "learning.trees: must be at least 1");
        Require(l.Depth >= 1, "learning.depth: must be at least 1");
        Require(l.LearningRate > 0, "learning.learning_rate: must be positive");
        Require(l.Reduce >= 0, "learning.reduce: must be 0 (no reduction) or more");
        Require(c.PredictedRepresentation is null || c.Presets.Contains(c.PredictedRepresentation), $"predict: '{c.Predict}' is not one of the pipeline's presets (or none)");
        Require(c.Output.Length > 0, "output: give an output folder");
        if (c.Diagnostics is { } diag)
        {
            foreach (var p in diag.Presets ?? [])
                Require(c.Presets.Contains(p), $"diagnostics.presets: '{p}' is not one of the pipeline's presets");
            Require(diag.BlockedCutoff >= 0, "diagnostics.blocked_cutoff: must be 0 (off) or a positive distance in A");
            Require(diag.Participants || diag.BlockedCutoff > 0 || diag.AtomFractions.Count > 0 || diag.SearchFractions.Count > 0 || diag.Regression,
                "diagnostics: ask for participants: true, a blocked_cutoff, atom_fractions, search_fractions or regression: true (or leave diagnostics out)");
            bool activation = c.Tasks.Any(t => TaskLabel.TryParse(t.Label)?.NeedsEvents == true);
            Require(!diag.Participants || activation, "diagnostics.participants: needs an activation task (h_eact or l_eact)");
            Require(diag.SearchFractions.Count == 0 || activation, "diagnostics.search_fractions: needs an activation task (h_eact or l_eact)");
            foreach (var (key, fractions) in new[] { ("atom_fractions", diag.AtomFractions), ("search_fractions", diag.SearchFractions) })
                Require(fractions.All(f => f > 0 && f < 1), $"diagnostics.{key}: fractions must lie between 0 and 1 (exclusive), e.g. [0.25, 0.5]");
        }

        if (problems.Count > 0)
            throw new PipelineConfigException(source, problems);
    }
}

/// <summary>Everything wrong with a pipeline file, on one line: the problems separated by semicolons.</summary>
public sealed class PipelineConfigException(string file, IReadOnlyList<string> problems)
    : SoftspotException($"{file}: " + (problems.Count == 1 ? problems[0] : $"{problems.Count} problems: " + string.Join("; ", problems)))
{
    public string File { get; } = file;
    public IReadOnlyList<string> Problems { get; } = problems;
}
