using System.CommandLine;
using System.Text.Json;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Neighbours;
using Softspot.Reporting;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot train --features F.csv --labels L.csv --target COLUMN --out DIR</c>: the papers' protocol on a feature
/// table and a label table joined on frame,id; writes DIR/model.json, DIR/metrics.json and DIR/report.html.
/// </summary>
internal static class TrainCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

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
        var threads = CommonOptions.Threads();
        var labelFrame = CommonOptions.LabelFrame();
        var cmd = new Command("train", "Learn soft spots: the 3 x 5 cross-validation protocol, interpretation, the final model")
        {
            features, labels, target, output, reduce, engine, task, trees, depth, rate, seed, grouped, labelFrame, threads,
        };
        cmd.SetAction(p =>
        {
            OutputLocation.CheckFolder(p.GetValue(output), "--out");
            string engineName = p.GetValue(engine) ?? "managed";
            if (engineName is not ("managed" or "xgboost"))
                throw new UsageException($"--engine {engineName}: the engines are managed and xgboost");
            if (engineName == "xgboost" && !XgboostEngine.Available)
                throw new UsageException("the xgboost engine needs Debian's libxgboost0 (apt-get install libxgboost0)");
            var taskChoice = LabelCheck.ParseChoice(p.GetValue(task));
            string featuresPath = p.GetValue(features)!;
            var table = KeyedTable.Read(featuresPath);
            var labelTable = CommonOptions.ReadLabels(p.GetValue(labels)!, p.GetValue(labelFrame));
            var recipePath = FeaturizeCommand.RecipePath(featuresPath);
            var recipe = File.Exists(recipePath) ? FeatureRecipe.Load(recipePath) : null;
            var options = GradientBoostingOptions.Reference with { Seed = p.GetValue(seed), Threads = Parallelism.Resolve(p.GetValue(threads)) };
            if (p.GetValue(trees) is { } t) options = options with { Trees = t };
            if (p.GetValue(depth) is { } d) options = options with { MaxDepth = d };
            if (p.GetValue(rate) is { } lr) options = options with { LearningRate = lr };
            var request = TrainingPipeline.Join(table, labelTable, p.GetValue(target)!, recipe?.Columns, taskChoice) with { Options = options, Reduce = p.GetValue(reduce), Seed = p.GetValue(seed), Engine = engineName };
            if (p.GetValue(grouped))
            {
                if (request.Frames.Distinct().Count() < 2) throw new UsageException("--group-by-frame needs labelled atoms from at least 2 frames");
                request = request with { Groups = request.Frames };
            }
            stdout.WriteLine($"train: {request.Task!.Name}: {request.Task.Reason}");
            var progress = new Progress("train");
            var result = TrainingPipeline.Run(request, msg => progress.Step(msg));
            progress.Done();

            string dir = p.GetValue(output)!;
            Directory.CreateDirectory(dir);
            var model = result.Model;
            model.Metadata["target"] = JsonSerializer.SerializeToElement(request.Target);
            model.Metadata["task"] = JsonSerializer.SerializeToElement(result.Classification ? "classification" : "regression");
            model.Metadata["engine"] = JsonSerializer.SerializeToElement(request.Engine);
            model.Metadata["options"] = JsonSerializer.SerializeToElement(options, Json);
            model.Metadata["training_rows"] = JsonSerializer.SerializeToElement(request.Rows);
            if (recipe is not null) model.Metadata["feature_recipe"] = JsonSerializer.SerializeToElement(recipe, Json);
            model.Save(Path.Combine(dir, "model.json"));
            var metrics = Metrics(request, result);
            AtomicFile.Write(Path.Combine(dir, "metrics.json"), w => w.Write(JsonSerializer.Serialize(metrics, Json)));
            AtomicFile.Write(Path.Combine(dir, "report.html"), w => w.Write(TrainingReport.Html(request, result, $"Softspot: {request.Target} from {Path.GetFileName(featuresPath)}")));
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

    private static object Summary(MetricSummary s) => new { s.Mean, s.Std, s.Min, s.Max };

    private static object ClassificationBlock(ClassificationSummary s) => new
    {
        RocAuc = Summary(s.RocAuc), AveragePrecision = Summary(s.AveragePrecision), Mcc = Summary(s.Mcc), F1 = Summary(s.F1), Accuracy = Summary(s.Accuracy),
    };

    /// <summary>metrics.json: the interface's keys at the top level (balanced test folds), then the rest.</summary>
    public static Dictionary<string, object?> Metrics(TrainingRequest request, TrainingResult r)
    {
        var m = new Dictionary<string, object?>
        {
            ["task"] = r.Classification ? "classification" : "regression",
            ["task_reason"] = request.Task?.Reason,
            ["target"] = request.Target,
            ["rows"] = request.Rows,
        };
        if (r.ClassificationScores is { } c)
        {
            m["roc_auc"] = Summary(c.Test.RocAuc);
            m["average_precision"] = Summary(c.Test.AveragePrecision);
            m["mcc"] = Summary(c.Test.Mcc);
            m["f1"] = Summary(c.Test.F1);
            m["accuracy"] = Summary(c.Test.Accuracy);
            m["n_splits"] = c.Splits.Count;
            m["positive_fraction"] = c.PositiveFraction;
            if (c.HeldOut is { } h) m["held_out"] = ClassificationBlock(h);
        }
        if (r.RegressionScores is { } g)
        {
            m["r2"] = Summary(g.Summary.R2); m["pearson"] = Summary(g.Summary.Pearson); m["spearman"] = Summary(g.Summary.Spearman);
            m["n_splits"] = g.Splits.Count;
        }
        m["features"] = request.FeatureNames;
        m["importance"] = request.FeatureNames.Select((n, i) => new { Feature = n, Gain = r.Gain.Share[i], MeanAbsShap = r.MeanAbsShap[i], Permutation = r.Permutation?.Mean[i] })
            .OrderByDescending(x => x.Gain).ToArray();
        if (r.Reduction is { } red)
            m["reduced"] = new Dictionary<string, object?>
            {
                ["features"] = red.Kept,
                ["correlation_threshold"] = red.Threshold,
                ["scores"] = r.ReducedClassificationScores is { } rc ? ClassificationBlock(rc.Test) : r.ReducedRegressionScores is { } rr ? new { R2 = Summary(rr.Summary.R2), Spearman = Summary(rr.Summary.Spearman) } : null,
            };
        return m;
    }
}
