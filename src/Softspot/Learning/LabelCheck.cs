using System.Globalization;
using Softspot.IO;
using Softspot.Labels;

namespace Softspot.Learning;

/// <summary>What the user asked the labels to be: decided from the values (auto), or said outright.</summary>
public enum TaskChoice
{
    /// <summary>Decided from the labels: 0/1 is classification, other numbers regression, a few stray values refused.</summary>
    Auto,
    /// <summary>Binary classification (0/1 labels).</summary>
    Classification,
    /// <summary>Regression on any finite numbers.</summary>
    Regression,
}

/// <summary>The task chosen for a label column and why, in words (printed by train and recorded in metrics.json).</summary>
public sealed record LabelTask(bool Classification, string Reason)
{
    public string Name => Classification ? "classification" : "regression";
}

/// <summary>
/// The one place a label column is validated before learning or scoring. Every label must be finite (an empty cell
/// or NaN is an unlabelled atom, skipped; infinity is an error). The task is chosen from the values unless the user
/// says it: only 0 and 1 is a classification; any fraction, or integers of which fewer than 90 % are 0 or 1, is a
/// regression; integers that are almost all 0 or 1 with a few others (a stray 2 in a 0/1 column) are ambiguous and
/// refused, naming the first odd value and its line. A column with one value is refused (nothing to learn), and so
/// is a class with fewer rows than the cross-validation folds (a regression: fewer than two rows per fold).
/// </summary>
public static class LabelCheck
{
    /// <summary>Integer columns with at least this share of 0/1 rows (but not all) are ambiguous.</summary>
    public const double AmbiguousShare = 0.9;

    /// <param name="labels">The label table (for naming lines).</param>
    /// <param name="target">The label column's name (for messages).</param>
    /// <param name="labelRows">The row in <paramref name="labels"/> of each value.</param>
    /// <param name="y">The labels, one per joined row.</param>
    /// <param name="choice">The task the user asked for (<c>--task</c>), or <see cref="TaskChoice.Auto"/> to decide from the values.</param>
    /// <param name="minPerClass">Rows each class (classification) or the column (regression) needs: the folds of the
    /// cross-validation, 1 when only scoring.</param>
    public static LabelTask Decide(KeyedTable labels, string target, int[] labelRows, double[] y, TaskChoice choice, int minPerClass = Validation.PaperFolds)
    {
        string Where(int i) => labels.Where(labelRows[i]);
        for (int i = 0; i < y.Length; i++)
            if (!double.IsFinite(y[i]))
                throw new LabelException($"{Where(i)}: {target} is {Text(y[i])}, not a finite label (leave the cell empty for an unlabelled atom)");
        int n = y.Length;
        if (n == 0) throw new LabelException($"{labels.Source}: no atom has a '{target}' label");
        int zeros = 0, ones = 0, firstOther = -1, firstFraction = -1;
        for (int i = 0; i < n; i++)
        {
            if (y[i] == 0) zeros++;
            else if (y[i] == 1) ones++;
            else
            {
                if (firstOther < 0) firstOther = i;
                if (firstFraction < 0 && Math.Floor(y[i]) != y[i]) firstFraction = i;
            }
        }
        var distinct = y.Distinct().Take(2).ToArray();
        if (distinct.Length == 1)
            throw new LabelException($"{labels.Source}: {target} is {Text(distinct[0])} in all {n} labelled rows: one class, nothing to learn"
                                     + (distinct[0] is 0 or 1 ? " (a classification needs rows of both 0 and 1)" : ""));
        bool binary = firstOther < 0;
        if (choice == TaskChoice.Classification && !binary)
            throw new LabelException($"{Where(firstOther)}: {target} is {Text(y[firstOther])}, but a classification needs labels 0 and 1");
        if (choice == TaskChoice.Auto && !binary && firstFraction < 0 && zeros + ones >= AmbiguousShare * n)
            throw new LabelException($"{Where(firstOther)}: {target} is {Text(y[firstOther])} in a column of 0/1 class labels "
                                     + $"({zeros + ones} of {n} rows are 0 or 1): correct the label, or give --task regression (or classification) to say which is meant");
        bool classification = choice switch
        {
            TaskChoice.Classification => true,
            TaskChoice.Regression => false,
            _ => binary,
        };
        if (classification)
        {
            int minority = Math.Min(zeros, ones);
            if (minority < minPerClass)
                throw new LabelException($"{labels.Source}: {target} has only {minority} row(s) of class {(ones <= zeros ? 1 : 0)} (and {Math.Max(zeros, ones)} of class {(ones <= zeros ? 0 : 1)})"
                                         + (minPerClass > 1 ? $": the cross-validation needs at least {minPerClass} of each class (one per fold)" : ""));
            string why = choice == TaskChoice.Classification ? "as asked (--task classification)" : $"{target} holds only 0 and 1";
            return new LabelTask(true, $"{why}: {ones} of {n} rows are 1");
        }
        // each test fold of a regression needs two rows for its correlations
        if (minPerClass > 1 && n < 2 * minPerClass)
            throw new LabelException($"{labels.Source}: only {n} labelled rows: the {minPerClass}-fold cross-validation of a regression needs at least {2 * minPerClass} (2 per test fold)");
        string reason = choice == TaskChoice.Regression ? "as asked (--task regression)"
            : firstFraction >= 0 ? $"{target} holds values other than 0 and 1 (e.g. {Text(y[firstFraction])} at {Where(firstFraction)})"
            : $"{target} holds whole numbers other than 0 and 1 ({n - zeros - ones} of {n} rows, e.g. {Text(y[firstOther])} at {Where(firstOther)})";
        return new LabelTask(false, reason);
    }

    public static TaskChoice ParseChoice(string? text) => text switch
    {
        null or "auto" => TaskChoice.Auto,
        "classification" => TaskChoice.Classification,
        "regression" => TaskChoice.Regression,
        _ => throw new SoftspotException($"--task {text}: expected auto, classification or regression"),
    };

    private static string Text(double v) => double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "Infinity" : double.IsNegativeInfinity(v) ? "-Infinity"
        : v.ToString("R", CultureInfo.InvariantCulture);
}
