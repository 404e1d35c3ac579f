using Softspot.IO;
using Softspot.Learning;
using Softspot.Reporting;
using Softspot.Structures;

namespace Softspot.Pipelines;

/// <summary>
/// Writes a pipeline's output folder, every file atomically: results.md, results.json, report.html, labels/GLASS.csv
/// (every label column), models/TASK.json (the final model of each task for the predicted representation, with its
/// feature recipe, ready for <c>softspot predict</c>) and predictions/GLASS.dump (the structure with a softness
/// column per task and the label columns, for OVITO), and with a quench_in_softness section
/// quench_in_softness/GLASS.softness.csv (frame 0, id, softness, fold) and GLASS.frames.csv (frame, id, strain, d2min,
/// plastic of every frame of the shear series).
/// </summary>
public static class PipelineOutputs
{
    public static IReadOnlyList<string> Write(PipelineRunner run, PipelineResults results, string configSource)
    {
        var c = results.Config;
        string dir = c.Output;
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        string Path_(params string[] parts) { var p = Path.Combine([dir, .. parts]); Directory.CreateDirectory(Path.GetDirectoryName(p)!); written.Add(p); return p; }

        foreach (var g in run.Glasses.Where(g => g.Labels.Count > 0))
        {
            var names = g.Labels.Keys.ToList();
            CsvTableWriter.Write(Path_("labels", g.Name + ".csv"), ["frame", "id", .. names], csv =>
            {
                for (int i = 0; i < g.Structure.Count; i++)
                {
                    csv.Number(0).Number(g.Structure.Ids[i]);
                    foreach (var n in names) csv.NumberOrEmpty(g.Labels[n][i]);
                    csv.EndRow();
                }
            });
        }

        (SoftnessView View, bool Unseen)? view = null;
        if (c.PredictedRepresentation is { } predicted)
        {
            foreach (var t in c.Tasks)
            {
                run.Models[(t.Name, predicted)].Save(Path_("models", LammpsDumpWriter.ColumnName(t.Name) + ".json"));
            }
            foreach (var g in run.Glasses.Where(g => g.Features.ContainsKey(predicted)))
            {
                var table = g.Features[predicted];
                var columns = new List<PerAtomColumn>(g.Structure.Extra);
                foreach (var t in c.Tasks)
                {
                    var model = run.Models[(t.Name, predicted)];
                    var softness = model.FeatureNames.All(n => table.IndexOf(n) >= 0)
                        ? model.Predict(table)
                        : Enumerable.Repeat(double.NaN, g.Structure.Count).ToArray();
                    columns.Add(new PerAtomColumn(LammpsDumpWriter.ColumnName("softness_" + t.Name), softness));
                    view = Better(view, t, g, predicted, softness);
                }
                columns.AddRange(g.Labels.Select(kv => new PerAtomColumn(LammpsDumpWriter.ColumnName(kv.Key.Replace('@', '_')), kv.Value)));
                if (results.QuenchInSoftness is { } q && q.Glass == g.Name) columns.Add(new PerAtomColumn("quench_in_softness", q.Softness));
                LammpsDumpWriter.Write(Path_("predictions", g.Name + ".dump"), [g.Structure], _ => columns);
            }
        }

        if (results.QuenchInSoftness is { } qs)
        {
            CsvTableWriter.Write(Path_("quench_in_softness", qs.Glass + ".softness.csv"), ["frame", "id", "softness", "fold"], csv =>
            {
                for (int i = 0; i < qs.Ids.Length; i++) csv.Number(0).Number(qs.Ids[i]).NumberOrEmpty(qs.Softness[i]).Number(qs.Fold[i]).EndRow();
            });
            CsvTableWriter.Write(Path_("quench_in_softness", qs.Glass + ".frames.csv"), ["frame", "id", "strain", "d2min", "plastic"], csv =>
            {
                foreach (var f in qs.Frames)
                    for (int i = 0; i < qs.Ids.Length; i++)
                        csv.Number(f.Frame).Number(qs.Ids[i]).Number(f.Strain).NumberOrEmpty(qs.D2Min[f.Frame][i]).NumberOrEmpty(qs.Plastic[f.Frame][i]).EndRow();
            });
        }

        AtomicFile.Write(Path_("results.md"), w => w.Write(PipelineSummary.Markdown(results, configSource)));
        AtomicFile.Write(Path_("results.json"), w => w.Write(PipelineSummary.JsonText(results, configSource)));
        AtomicFile.Write(Path_("report.html"), w => w.Write(PipelineReport.Html(results, "Softspot: soft spots learnt from structure", view?.View)));
        return written;
    }

    /// <summary>
    /// The glass to show in 3D: preferably one a task's model never saw that has the task's label (a transfer, so the
    /// softness is a prediction), else the first training glass (its softness then partly in-sample).
    /// </summary>
    private static (SoftnessView, bool)? Better((SoftnessView View, bool Unseen)? chosen, TaskConfig t, PipelineGlass g, string representation, double[] softness)
    {
        if (softness.Any(double.IsNaN) || g.Values(t.Task) is null) return chosen;
        bool unseen = !t.Glasses.Contains(g.Name);
        if (chosen is { } c && (c.Unseen || !unseen)) return chosen;
        string model = $"{t.Name} model ({representation}), " + (unseen ? $"never trained on {g.Name}" : $"trained on {string.Join(", ", t.Glasses)}, this glass included");
        return (new SoftnessView(g.Name, model, g.Structure, softness, t.Task.ToString(), g.Values(t.Task), g.Config.Structure), unseen);
    }
}
