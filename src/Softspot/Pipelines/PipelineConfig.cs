namespace Softspot.Pipelines;

/// <summary>
/// A pipeline file (<c>softspot run PIPELINE.yaml</c>): which glasses, which representations, which labels and
/// tasks, which transfer tests, where to write. Paths are relative to the file's folder. Property names map to
/// snake_case YAML keys; an unknown key is an error.
/// </summary>
public sealed class PipelineConfig
{
    /// <summary>Output folder (results.md, results.json, report.html, features/, labels/, predictions/).</summary>
    public string Output { get; set; } = "softspot-out";
    /// <summary>Seed of every random choice (splits, undersampling, boosting).</summary>
    public int Seed { get; set; } = Softspot.Learning.Validation.DefaultSeed;
    /// <summary>Worker threads (0: every core).</summary>
    public int Threads { get; set; }
    /// <summary>Representations (feature presets) compared on every task.</summary>
    public List<string> Presets { get; set; } = ["interstice"];
    /// <summary>
    /// Interatomic potential of the physical representations (shear modulus, flexibility volume): a setfl file, or its
    /// name in LAMMPS's potentials folder (e.g. CuZr_mm.eam.fs).
    /// </summary>
    public string? Potential { get; set; }
    /// <summary>How the flexibility volume's vibrational MSD is estimated (default: 10 ps of Langevin MD at 10 K, seed 1).</summary>
    public FlexibilityConfig? Flexibility { get; set; }
    public List<GlassConfig> Glasses { get; set; } = [];
    public LabelsConfig Labels { get; set; } = new();
    public List<TaskConfig> Tasks { get; set; } = [];
    public List<TransferConfig> Transfer { get; set; } = [];
    public LearningConfig Learning { get; set; } = new();
    /// <summary>Diagnostics beside the main scores (none when absent).</summary>
    public DiagnosticsConfig? Diagnostics { get; set; }
    /// <summary>
    /// Per-atom softness from every task's model of this representation, written as LAMMPS dumps with the saved
    /// models (default: the first preset; <c>none</c>: no predictions).
    /// </summary>
    public string? Predict { get; set; }
    /// <summary>
    /// Wang and Jain (2019), Fig. 3: the cross-fitted softness of one glass's undeformed structure against what its
    /// whole shear series does (none: no such section).
    /// </summary>
    public QuenchInSoftnessConfig? QuenchInSoftness { get; set; }

    /// <summary>The representation whose models predict, or null for none.</summary>
    public string? PredictedRepresentation => Predict switch { null => Presets.FirstOrDefault(), "none" => null, var p => p };
}

/// <summary>One glass: its structure and the simulations that label it.</summary>
public sealed class GlassConfig
{
    public string Name { get; set; } = "";
    /// <summary>The (quenched) structure that is featurized.</summary>
    public string Structure { get; set; } = "";
    /// <summary>Element of each type, in type order (e.g. Cu,Zr), when the file does not name them.</summary>
    public string? Elements { get; set; }
    /// <summary>Athermal shear: reference and deformed frames (plastic-site labels).</summary>
    public ShearConfig? Shear { get; set; }
    /// <summary>Activation-relaxation events CSV (activation-energy labels).</summary>
    public string? Events { get; set; }
}

/// <summary>
/// A shear run: the reference (its first frame) and the deformed frames. <c>deformed</c> is one file, or a list of
/// files when the series is split over several (e.g. <c>deformed: [sheared-1.dump.gz, sheared-2.dump.gz]</c>): their
/// frames are taken in the order listed, as if they were one file.
/// </summary>
public sealed class ShearConfig
{
    public string Reference { get; set; } = "";
    public FileList Deformed { get; set; } = [];
    /// <summary>
    /// The run's stress-strain curve (CSV: step,strain,shear_stress_gpa,energy_ev, as <c>simulate shear</c> writes it);
    /// default: stress_strain.csv beside the reference, if there is one.
    /// </summary>
    public string? StressStrain { get; set; }
}

/// <summary>
/// The "quench-in softness" of Wang and Jain (2019): every atom's plastic probability predicted from the undeformed
/// structure by a model that never saw that atom (5 folds over the atoms), against the plastic sites of every frame
/// of the glass's shear series.
/// </summary>
public sealed class QuenchInSoftnessConfig
{
    /// <summary>The glass (it needs a shear run).</summary>
    public string Glass { get; set; } = "";
    /// <summary>The model learns plastic@STRAIN (the top labels.plastic.top of D2min in that frame).</summary>
    public double Strain { get; set; } = double.NaN;
    /// <summary>The representation (default: the pipeline's predict preset).</summary>
    public string? Preset { get; set; }
    /// <summary>P(plastic | softness) curves at these strains (default: the learnt strain).</summary>
    public List<double> Strains { get; set; } = [];
}

public sealed class LabelsConfig
{
    public ActivationLabelConfig Activation { get; set; } = new();
    public PlasticLabelConfig Plastic { get; set; } = new();
}

/// <summary>H-Eact / L-Eact: the top and bottom <see cref="Tail"/> of the per-atom mean E_act, pooled over every glass with events.</summary>
public sealed class ActivationLabelConfig
{
    public double Tail { get; set; } = 0.05;
    /// <summary>Atoms with fewer converged searches stay unlabelled.</summary>
    public int MinEvents { get; set; } = 5;
}

/// <summary>Plastic sites: the top <see cref="Top"/> fraction of D2min in the deformed frame at each strain.</summary>
public sealed class PlasticLabelConfig
{
    public double Top { get; set; } = 0.05;
    public List<double> Strains { get; set; } = [];
    /// <summary>D2min neighbours within this distance (A) in the reference.</summary>
    public double Cutoff { get; set; } = 5.0;
}

/// <summary>
/// A learning task: a 0/1 label (<c>h_eact</c>, <c>l_eact</c> or <c>plastic@STRAIN</c>) on the atoms of some
/// glasses, scored with the 3 x 5 protocol for every representation.
/// </summary>
public sealed class TaskConfig
{
    public string Name { get; set; } = "";
    public string Label { get; set; } = "";
    public List<string> Glasses { get; set; } = [];

    /// <summary>The label as the typed <see cref="TaskLabel"/> (checked by the validator before any work).</summary>
    public TaskLabel Task => TaskLabel.Parse(Label);
}

/// <summary>A task's model (trained on the task's glasses) scored on another glass or another label.</summary>
public sealed class TransferConfig
{
    /// <summary>The trained task.</summary>
    public string Task { get; set; } = "";
    /// <summary>The glass it is scored on.</summary>
    public string Test { get; set; } = "";
    /// <summary>The label it is scored against (default: the task's own label).</summary>
    public string? Label { get; set; }
    /// <summary>Representations (default: every preset of the pipeline).</summary>
    public List<string>? Presets { get; set; }
}

/// <summary>
/// How much of a score is neighbourhood leakage, and what more data would buy, beside (not instead of) the main table:
/// the tasks scored again with participation-weighted activation labels, with spatially blocked cross-validation, on
/// fewer labelled atoms, with labels from fewer searches per atom, and from a regression of what the labels are the tails of.
/// </summary>
public sealed class DiagnosticsConfig
{
    /// <summary>The representations to diagnose (default: the pipeline's first preset).</summary>
    public List<string>? Presets { get; set; }
    /// <summary>Activation tasks again with each event's E_act given to every atom that moved, weighted by its saddle displacement squared.</summary>
    public bool Participants { get; set; }
    /// <summary>Every task again with spatially blocked folds: no training atom within this distance (A) of a test atom (0: off).</summary>
    public double BlockedCutoff { get; set; }
    /// <summary>The learning curve: every task again on these fractions of its labelled atoms (stratified, seeded).</summary>
    public List<double> AtomFractions { get; set; } = [];
    /// <summary>Activation tasks again with labels from these fractions of each atom's converged searches (the same atoms).</summary>
    public List<double> SearchFractions { get; set; } = [];
    /// <summary>
    /// Every task again from a regression, on every labelled atom, of what its labels are the tails of (activation: the
    /// per-atom mean E_act; plastic sites: D2min's rank within its glass), scored on the same labels.
    /// </summary>
    public bool Regression { get; set; }

    /// <summary>The representations diagnosed in a pipeline of these presets.</summary>
    public List<string> PresetsOf(PipelineConfig c) => Presets ?? [.. c.Presets.Take(1)];
}

/// <summary>
/// The vibrational MSD behind the flexibility-volume representation, as <c>featurize --flex-method,
/// --flex-temperature, --flex-seed</c> set it. The MD estimate refuses a glass in which an atom leaves its minimum
/// during the run (a two-level system flipping at low temperature); the harmonic one (the pseudo-inverse Hessian at the
/// minimum) is defined for every glass, at a few minutes per 2,000 atoms.
/// </summary>
public sealed class FlexibilityConfig
{
    private static readonly Simulation.Vibration.VibrationSettings Defaults = new();

    /// <summary>md (Langevin MD) or harmonic.</summary>
    public string Method { get; set; } = "md";
    /// <summary>Temperature (K) of the MSD.</summary>
    public double Temperature { get; set; } = Defaults.Temperature;
    /// <summary>Sampled MD duration (ps; md only).</summary>
    public double Duration { get; set; } = Defaults.Duration;
    /// <summary>MD before sampling (ps; md only).</summary>
    public double Equilibration { get; set; } = Defaults.Equilibration;
    /// <summary>MD time step (ps; md only).</summary>
    public double Timestep { get; set; } = Defaults.Timestep;
    /// <summary>Langevin damping time (ps; md only).</summary>
    public double Damping { get; set; } = Defaults.Damping;
    /// <summary>Seed of the MD velocities and thermostat.</summary>
    public int Seed { get; set; } = Defaults.Seed;

    /// <summary>The recipe these choices make (the same keys as <c>featurize --flex-*</c>).</summary>
    public Simulation.Vibration.VibrationSettings Settings() => new()
    {
        Method = Simulation.Vibration.MsdMethods.Parse(Method), Temperature = Temperature, Duration = Duration,
        Equilibration = Equilibration, Timestep = Timestep, Damping = Damping, Seed = Seed,
    };
}

public sealed class LearningConfig
{
    public string Engine { get; set; } = "managed";
    public int Trees { get; set; } = 300;
    public int Depth { get; set; } = 2;
    public double LearningRate { get; set; } = 0.1;
    /// <summary>Also score every model reduced to this many features (0: no).</summary>
    public int Reduce { get; set; } = 10;

    /// <summary>The trainer's settings these choices make (the reference profile with these trees, depth and rate).</summary>
    public TrainingSettings Settings(int seed) => new()
    {
        Options = Learning.GradientBoostingOptions.Reference with { Trees = Trees, MaxDepth = Depth, LearningRate = LearningRate },
        Reduce = Reduce, Seed = seed, Task = Learning.TaskChoice.Classification,
        Engine = Engine == "xgboost" ? Learning.TrainingEngine.Xgboost : Learning.TrainingEngine.Managed,
    };
}
