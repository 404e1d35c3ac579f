using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Pipelines;

/// <summary>
/// One glass of a pipeline, loaded: its structure, a feature table per representation and its label columns, all in
/// the structure's atom order. A label column holds 0/1 or a value per atom, NaN where the atom is unlabelled.
/// </summary>
public sealed class PipelineGlass
{
    public GlassConfig Config { get; }
    public string Name => Config.Name;
    public Snapshot Structure { get; }
    public ElementMap Elements { get; }
    /// <summary>The element map the configuration gives (null: the files name their elements), for every file of the glass.</summary>
    public ElementMap? ElementMap { get; }
    public Dictionary<string, FeatureTable> Features { get; } = [];
    public Dictionary<string, FeatureRecipe> Recipes { get; } = [];
    public Dictionary<string, double[]> Labels { get; } = [];
    /// <summary>Representations this glass cannot have, and why (a physical preset whose potential lacks its elements).</summary>
    public Dictionary<string, string> Unavailable { get; } = [];

    public PipelineGlass(GlassConfig config)
    {
        Config = config;
        ElementMap = config.Elements is { } e ? Structures.ElementMap.Parse(e, $"{config.Name}.elements") : null;
        Structure = StructureFile.ReadFirst(config.Structure, ElementMap);
        Elements = Structure.RequireElements();
    }

    /// <summary>
    /// Computes the feature tables of the presets, sharing one tessellation and neighbour table; a physical preset
    /// whose potential lacks an element of the glass is left out and said <see cref="Unavailable"/>.
    /// </summary>
    public void Featurize(IEnumerable<string> presets, FeaturizeSettings settings)
    {
        var context = new FrameContext(Structure, settings);
        foreach (var name in presets)
        {
            var preset = Presets.Find(name);
            var own = preset.Settings(settings);
            if (preset.Physical)
            {
                var missing = Elements.ElementsByType.Select(e => e.Symbol).Where(e => context.Potential.IndexOf(e) < 0).ToList();
                if (missing.Count > 0)
                {
                    Unavailable[name] = $"the potential {own.Potential!.Name} has no {string.Join(", ", missing)}";
                    continue;
                }
            }
            var set = preset.Build(Elements, own);
            Features[name] = set.Compute(context);
            Recipes[name] = FeatureRecipe.Create(preset.Name, set, own, Elements, context.RadiusByType);
        }
    }

    /// <summary>A label column aligned with the structure, from values keyed by atom id (atoms not given: NaN).</summary>
    public double[] Align(IReadOnlyList<long> ids, IReadOnlyList<double> values, string source)
    {
        var index = Structure.IndexById();
        var aligned = new double[Structure.Count];
        Array.Fill(aligned, double.NaN);
        for (int k = 0; k < ids.Count; k++)
        {
            if (!index.TryGetValue(ids[k], out int i))
                throw new InputFormatException(source, 0, InputProblem.AtomCount, $"atom {ids[k]} is not in the structure of glass {Name} ({Config.Structure})");
            aligned[i] = values[k];
        }
        return aligned;
    }

    /// <summary>A task label's values (NaN: unlabelled), or null when the glass has none.</summary>
    public double[]? Values(TaskLabel label) => Labels.GetValueOrDefault(label.ToString());

    /// <summary>Sets a task label's values (in the structure's atom order); its column in the label table is its name.</summary>
    public void Set(TaskLabel label, double[] values) => Labels[label.ToString()] = values;

    /// <summary>The rows (atom indices) where a task label is defined.</summary>
    public int[] Labelled(TaskLabel label) =>
        Values(label) is { } v ? [.. Enumerable.Range(0, v.Length).Where(i => !double.IsNaN(v[i]))] : [];
}
