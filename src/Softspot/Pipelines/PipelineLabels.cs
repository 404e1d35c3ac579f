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
    /// <summary>
    /// Adds d2min@S and plastic@S for every strain S (the deformed frame whose cell shear is S); D2min runs on
    /// <paramref name="threads"/> threads (default: every core).
    /// </summary>
    public static void AddPlastic(PipelineGlass glass, PlasticLabelConfig config, int? threads = null)
    {
        var shear = glass.Config.Shear ?? throw new InvalidOperationException($"glass {glass.Name} has no shear run");
        var reference = StructureFile.ReadFirst(shear.Reference, glass.ElementMap);
        var found = new List<double>();
        foreach (var frame in shear.Deformed.SelectMany(file => StructureFile.ReadFrames(file, glass.ElementMap)))
        {
            double strain = NonAffineDisplacement.CellShear(reference.Cell, frame.Cell).Xy;
            found.Add(strain);
            var wanted = config.Strains.Where(s => TaskLabel.SameStrain(s, strain)).ToList();
            if (wanted.Count == 0) continue;
            var r = NonAffineDisplacement.Compute(reference, frame, config.Cutoff, threads);
            double threshold = Math.Max(TailLabels.TopThreshold(r.D2Min, config.Top), NonAffineDisplacement.NoiseFloor);
            var plastic = TailLabels.AtOrAbove(r.D2Min, threshold).Select(x => x is { } v ? (double)v : double.NaN).ToArray();
            foreach (double s in wanted)
            {
                string suffix = "@" + s.ToString("G", CultureInfo.InvariantCulture);
                glass.Labels["d2min" + suffix] = glass.Align(reference.Ids, r.D2Min, shear.Reference);
                glass.Labels["plastic" + suffix] = glass.Align(reference.Ids, plastic, shear.Reference);
            }
        }
        var missing = config.Strains.Where(s => !found.Any(f => TaskLabel.SameStrain(s, f))).ToList();
        if (missing.Count > 0)
            throw new InputFormatException(string.Join(", ", shear.Deformed), 0, InputProblem.AtomCount,
                $"no frame at shear strain {string.Join(", ", missing.Select(Format))} (its frames are at {string.Join(", ", found.Select(Format))})");
    }

    /// <summary>
    /// Adds eact_mean, eact_events, h_eact and l_eact to every glass with events (frame k = the k-th such glass); the
    /// tails are taken on the pooled spectrum of the atoms with at least the minimum number of converged searches.
    /// </summary>
    public static ActivationLabels.Result AddActivation(IReadOnlyList<PipelineGlass> glasses, ActivationLabelConfig config)
    {
        var withEvents = glasses.Where(g => g.Config.Events is not null).ToList();
        var events = withEvents.SelectMany((g, k) => ActivationEventsReader.Read(g.Config.Events!, k)).ToList();
        var atoms = withEvents.SelectMany((g, k) => g.Structure.Ids.Select(id => (k, id))).ToList();
        var known = atoms.ToHashSet();
        if (events.FirstOrDefault(ev => !known.Contains((ev.Frame, ev.AtomId))) is { } stray)
            throw new InputFormatException(withEvents[stray.Frame].Config.Events!, 0, InputProblem.AtomCount,
                $"search {stray.Search} starts at atom {stray.AtomId}, which the structure of glass {withEvents[stray.Frame].Name} does not have");
        var result = ActivationLabels.Compute(events, config.Tail, config.MinEvents, atoms);
        foreach (var (g, k) in withEvents.Select((g, k) => (g, k)))
        {
            var rows = result.Atoms.Where(a => a.Frame == k).ToList();
            var ids = rows.Select(a => a.Id).ToList();
            string source = g.Config.Events!;
            g.Labels["eact_mean"] = g.Align(ids, rows.Select(a => a.EactMean).ToList(), source);
            g.Labels["eact_events"] = g.Align(ids, rows.Select(a => (double)a.Events).ToList(), source);
            g.Labels["h_eact"] = g.Align(ids, rows.Select(a => a.High is { } v ? v : double.NaN).ToList(), source);
            g.Labels["l_eact"] = g.Align(ids, rows.Select(a => a.Low is { } v ? v : double.NaN).ToList(), source);
        }
        return result;
    }

    private static string Format(double s) => s.ToString("G4", CultureInfo.InvariantCulture);
}
