using System.CommandLine;
using Softspot.IO;
using Softspot.Learning;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot transfer --model model.json --features F.csv --labels L.csv --target COLUMN --out DIR</c>: a trained
/// model scored on another glass or another task's labels (the papers' cross-composition, cross-system and
/// between-task tests). Scores are taken on each of 3 balanced undersampled subsets of the new data (mean and std,
/// as in training) and on all labelled rows; written as DIR/metrics.json in the shape train writes.
/// </summary>
internal static class TransferCommand
{
    public static Command Build(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "model.json written by softspot train", Required = true };
        var features = new Option<string>("--features") { Description = "Feature table of the other glass (same feature columns)", Required = true };
        var labels = new Option<string>("--labels") { Description = "Label table of the other glass or task", Required = true };
        var target = new Option<string>("--target") { Description = "0/1 label column to score against", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for metrics.json", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the undersampling", DefaultValueFactory = _ => Validation.DefaultSeed };
        var labelFrame = CommonOptions.LabelFrame();
        var cmd = new Command("transfer", "Score a trained model on another glass or another task") { model, features, labels, target, output, seed, labelFrame };
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(output)!;
            OutputLocation.CheckFolder(dir, "--out");
            var m = SoftnessModel.Load(p.GetValue(model)!);
            string targetName = p.GetValue(target)!;
            var score = m.Score(KeyedTable.Read(p.GetValue(features)!), CommonOptions.ReadLabels(p.GetValue(labels)!, p.GetValue(labelFrame)), targetName, p.GetValue(seed));
            Directory.CreateDirectory(dir);
            SoftspotJson.Write(Path.Combine(dir, "metrics.json"), TrainingMetrics.Of(score, m, targetName));
            stdout.WriteLine($"transfer: {targetName} on {score.Rows} atoms: ROC-AUC {score.Summary.RocAuc} over {score.Subsets.Count} balanced subsets, {score.AllRows.RocAuc:F3} on all rows -> {Path.Combine(dir, "metrics.json")}");
            return 0;
        });
        return cmd;
    }
}
