namespace Softspot.Learning;

/// <summary>Out-of-fold scores: every row scored by the model of the one fold that held it out.</summary>
/// <param name="Scores">Each row's score (for a 0/1 task, the predicted probability of class 1) from a model that never saw it.</param>
/// <param name="Fold">The fold that held each row out (0 to folds - 1).</param>
public sealed record CrossFitted(double[] Scores, int[] Fold);

/// <summary>
/// Cross-fitting of a 0/1 task: the rows are dealt into shuffled stratified folds (seeded,
/// <see cref="Validation.StratifiedKFold(ReadOnlySpan{int}, int, int)"/>); for each fold a model is trained as the
/// protocol trains its final model (<see cref="TrainingPipeline.FitBalanced"/>: every minority row of the other folds
/// plus an equal random draw of their majority rows, with the request's options and seed) and scores the rows of
/// that fold. Every row's score thus comes from a model that never saw it, on the balanced-class probability scale
/// of the pipeline's models.
/// </summary>
public static class CrossFit
{
    public static CrossFitted Run(TrainingRequest request, int folds = Validation.PaperFolds, Action<string>? log = null)
    {
        if (!request.Classification) throw new SoftspotException($"cross-fitted scores need a 0/1 label, and {request.Target} is not one");
        var labels = request.Y.Select(v => (int)v).ToArray();
        var splits = Validation.StratifiedKFold(labels, folds, request.Seed);
        int m = request.FeatureNames.Length;
        var scores = new double[request.Rows];
        var fold = new int[request.Rows];
        for (int k = 0; k < splits.Count; k++)
        {
            var model = TrainingPipeline.FitBalanced(request, splits[k].Train);
            var test = splits[k].Test;
            var predicted = model.PredictRows(TrainingPipeline.Rows(request.X, m, test, [.. Enumerable.Range(0, m)]));
            for (int i = 0; i < test.Length; i++)
            {
                scores[test[i]] = predicted[i];
                fold[test[i]] = k;
            }
            log?.Invoke($"cross-fit fold {k + 1}/{splits.Count}: trained on {splits[k].Train.Length} rows, scored {test.Length}");
        }
        return new CrossFitted(scores, fold);
    }
}
