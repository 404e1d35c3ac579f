using System.CommandLine;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot train --features F.csv --labels L.csv --target COLUMN --out DIR</c>: the papers' protocol on a feature
/// table and a label table joined on frame,id; writes DIR/model.json, DIR/metrics.json and DIR/report.html.
/// </summary>
internal static class TrainCommand
{
    public static Command Build(TextWriter stdout)
    {
        var features = new Option<string>("--features") { Description = "Feature table (softspot featurize output)", Required = true };
        var labels = new Option<string>("--labels") { Description = "Label table keyed by frame,id (softspot label output)", Required = true };
        var target = new Option<string>("--target") { Description = "Label column: 0/1 for classification (e.g. plastic, h_eact), any number for regression", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Output folder for model.json, metrics.json and report.html", Required = true };
        var reduce = new Option<int>("--reduce") { Description = "Also prune correlated features down to this many and score the reduced model (0: no)", DefaultValueFactory = _ => 10 }.NonNegative();
        var engine = new Option<string>("--engine") { Description = "managed (Softspot's gradient boosting) or xgboost (Debian's libxgboost0)", DefaultValueFactory = _ => "managed" };
        var trees = new Option<int?>("--trees") { Description = "Number of trees (default: the reference profile, 300)" }.AtLeast(1);
        var depth = new Option<int?>("--depth") { Description = "Tree depth (default: the reference profile, 2)" }.Within(1, 32);
        var rate = new Option<double?>("--learning-rate") { Description = "Learning rate (default 0.1)" }.AboveUpTo(0, 1);
        var seed = new Option<int>("--seed") { Description = "Seed of the splits and the learner", DefaultValueFactory = _ => Validation.DefaultSeed };
        var task = new Option<string>("--task") { Description = "auto (0/1 labels: classification; other numbers: regression; a few stray values in a 0/1 column: refused), classification or regression", DefaultValueFactory = _ => "auto" };
        var grouped = new Option<bool>("--group-by-frame") { Description = "Grouped splits: one frame's (glass's) atoms never on both sides of a split (needs at least 2 frames)" };
        var minEvents = new Option<int?>("--min-events")
        {
            Description = "Use only atoms whose label table has an 'events' column of at least this (label activation: converged searches), e.g. for --target eact_mean",
        }.AtLeast(1);
        var threads = CommonOptions.Threads();
        var labelFrame = CommonOptions.LabelFrame();
        var cmd = new Command("train", "Learn soft spots: the 3 x 5 cross-validation protocol, interpretation, the final model")
        {
            features, labels, target, output, reduce, engine, task, trees, depth, rate, seed, grouped, labelFrame, minEvents, threads,
        };
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(output)!;
            OutputLocation.CheckFolder(dir, "--out");
            string engineName = p.GetValue(engine) ?? "managed";
            var settings = new TrainingSettings
            {
                Options = GradientBoostingOptions.Reference with
                {
                    Trees = p.GetValue(trees) ?? GradientBoostingOptions.Reference.Trees,
                    MaxDepth = p.GetValue(depth) ?? GradientBoostingOptions.Reference.MaxDepth,
                    LearningRate = p.GetValue(rate) ?? GradientBoostingOptions.Reference.LearningRate,
                },
                Reduce = p.GetValue(reduce),
                Seed = p.GetValue(seed),
                Engine = engineName switch
                {
                    "managed" => TrainingEngine.Managed,
                    "xgboost" => TrainingEngine.Xgboost,
                    _ => throw new UsageException($"--engine {engineName}: the engines are managed and xgboost"),
                },
                Task = LabelCheck.ParseChoice(p.GetValue(task)),
                GroupByFrame = p.GetValue(grouped),
            };
            var trainer = new Trainer(settings, RunContext.Console(p.GetValue(threads)));
            string featuresPath = p.GetValue(features)!;
            var table = KeyedTable.Read(featuresPath);
            var labelTable = CommonOptions.ReadLabels(p.GetValue(labels)!, p.GetValue(labelFrame));
            if (p.GetValue(minEvents) is { } n) labelTable = labelTable.AtLeast("events", n);
            var recipePath = Featurizer.RecipePath(featuresPath);
            var recipe = File.Exists(recipePath) ? FeatureRecipe.Load(recipePath) : null;
            var rows = trainer.Join(table, labelTable, p.GetValue(target)!, recipe);
            stdout.WriteLine($"train: {rows.Task!.Name}: {rows.Task.Reason}");
            var trained = trainer.Train(rows, recipe);
            var (request, result) = (trained.Request, trained.Result);
            trained.Save(dir, $"Softspot: {request.Target} from {Path.GetFileName(featuresPath)}");
            if (result.ClassificationScores is { } c)
                stdout.WriteLine($"train: {request.Target}, {request.Rows} atoms ({request.Y.Count(v => v == 1)} positive), {request.FeatureNames.Length} features: ROC-AUC {c.Test.RocAuc}, average precision {c.Test.AveragePrecision} over {c.Splits.Count} splits"
                    + (result.ReducedClassificationScores is { } rc ? $"; reduced to {result.Reduction!.Kept.Count}: ROC-AUC {rc.Test.RocAuc}" : ""));
            else if (result.RegressionScores is { } r)
                stdout.WriteLine($"train: {request.Target} (regression), {request.Rows} atoms, {request.FeatureNames.Length} features: R2 {r.Summary.R2}, Spearman {r.Summary.Spearman}");
            stdout.WriteLine($"train: wrote {Path.Combine(dir, "model.json")}, metrics.json, report.html");
            return 0;
        });
        return cmd;
    }
}
