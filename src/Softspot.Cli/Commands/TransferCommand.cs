using System.CommandLine;
using System.Text.Json;
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
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

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
            OutputLocation.CheckFolder(p.GetValue(output), "--out");
            string modelPath = p.GetValue(model)!;
            var m = TreeEnsemble.Load(modelPath);
            var table = KeyedTable.Read(p.GetValue(features)!);
            var request = TrainingPipeline.Join(table, CommonOptions.ReadLabels(p.GetValue(labels)!, p.GetValue(labelFrame)), p.GetValue(target)!, m.FeatureNames,
                TaskChoice.Classification, minPerClass: 1);
            var y = request.Y.Select(v => (int)v).ToArray();
            var score = TransferEvaluation.Score(TransferEvaluation.Predict(m, request.X), y, p.GetValue(seed));
            var all = score.AllRows;
            int n = score.Rows;
            object S(Func<ClassificationSummary, MetricSummary> f) { var s = f(score.Summary); return new { s.Mean, s.Std, s.Min, s.Max }; }
            var metrics = new Dictionary<string, object?>
            {
                ["task"] = "transfer",
                ["model"] = Path.GetFullPath(modelPath),
                ["trained_on"] = m.Metadata.TryGetValue("target", out var t) ? t.GetString() : null,
                ["target"] = request.Target,
                ["rows"] = n,
                ["roc_auc"] = S(x => x.RocAuc), ["average_precision"] = S(x => x.AveragePrecision), ["mcc"] = S(x => x.Mcc),
                ["f1"] = S(x => x.F1), ["accuracy"] = S(x => x.Accuracy),
                ["n_splits"] = score.Subsets.Count,
                ["all_rows"] = new { all.RocAuc, all.AveragePrecision, all.Mcc, all.F1, all.Accuracy, PositiveFraction = score.PositiveFraction },
                ["features"] = m.FeatureNames,
            };
            string dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            AtomicFile.Write(Path.Combine(dir, "metrics.json"), wr => wr.Write(JsonSerializer.Serialize(metrics, Json)));
            stdout.WriteLine($"transfer: {request.Target} on {n} atoms: ROC-AUC {score.Summary.RocAuc} over {score.Subsets.Count} balanced subsets, {all.RocAuc:F3} on all rows -> {Path.Combine(dir, "metrics.json")}");
            return 0;
        });
        return cmd;
    }
}
