using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Structures;

namespace Softspot;

/// <summary>
/// A trained model of per-atom softness: the tree ensemble and what it was trained on (<see cref="Info"/>, with the
/// feature recipe). It predicts from a feature table (columns matched by name) or from structures, featurized
/// exactly as the training features were. Load one written by <c>softspot train</c> or <see cref="TrainedModel.Save"/>.
/// </summary>
public sealed class SoftnessModel
{
    /// <summary>The trees (probability of the positive class, or a value for regression).</summary>
    public TreeEnsemble Ensemble { get; }
    /// <summary>How the model was made, including the feature recipe when it has one.</summary>
    public ModelInfo Info { get; }
    /// <summary>The file it was loaded from, or a description, for messages.</summary>
    public string Source { get; }
    /// <summary>The feature columns the model reads, in order.</summary>
    public IReadOnlyList<string> FeatureNames => Ensemble.FeatureNames;

    /// <summary>A model from its trees and record.</summary>
    public SoftnessModel(TreeEnsemble ensemble, ModelInfo info, string source = "model")
    {
        Ensemble = ensemble; Info = info; Source = source;
    }

    /// <summary>Reads and checks a model file (<see cref="ModelCheck"/>): every problem is a <see cref="ModelFormatException"/> naming the file.</summary>
    public static SoftnessModel Load(string path)
    {
        var ensemble = TreeEnsemble.Load(path);
        return new SoftnessModel(ensemble, ModelInfo.Of(ensemble, path), path);
    }

    /// <summary>Writes the model file (atomically), its record in the metadata.</summary>
    public void Save(string path)
    {
        Info.WriteTo(Ensemble);
        Ensemble.Save(path);
    }

    /// <summary>The score of one row whose values are the model's features in <see cref="FeatureNames"/> order.</summary>
    public double Predict(ReadOnlySpan<double> features) => Ensemble.Predict(features);

    /// <summary>The score of every row of a keyed feature table (its columns must include the model's features).</summary>
    public double[] Predict(KeyedTable table)
    {
        var idx = FeatureNames.Select(n => table.IndexOf(n) is var k and >= 0 ? k
            : throw new InputFormatException(table.Source, 1, InputProblem.MissingColumn, $"the model needs feature '{n}', which the table lacks")).ToArray();
        return Scores(table.Rows, idx, (r, c) => table[r, c]);
    }

    /// <summary>The featurizer that computes the model's features from structures (its recipe).</summary>
    /// <exception cref="ModelFormatException">The model has no feature recipe (it was trained on a table without one).</exception>
    public Featurizer Featurizer(RunContext? context = null) => Softspot.Featurizer.For(Recipe, context);

    /// <summary>The recipe of the training features.</summary>
    public FeatureRecipe Recipe => Info.FeatureRecipe
        ?? throw new ModelFormatException(Source, "the model has no feature recipe (it was trained on a table without its .json): predict from a feature table instead");

    /// <summary>The softness of every atom of a snapshot, in its atom order.</summary>
    public double[] Predict(Snapshot snapshot, RunContext? context = null, string source = "structure") =>
        Predict(Featurizer(context).Compute(snapshot, source).Features);

    /// <summary>The score of every row of a feature table computed with the model's recipe.</summary>
    public double[] Predict(FeatureTable features)
    {
        var idx = FeatureNames.Select(n => features.IndexOf(n) is var k and >= 0 ? k
            : throw new ModelFormatException(Source, $"the model uses feature '{n}', which its feature recipe does not compute")).ToArray();
        return Scores(features.Rows, idx, (r, c) => features[r, c]);
    }

    private double[] Scores(int rows, int[] columns, Func<int, int, double> value)
    {
        var scores = new double[rows];
        var row = new double[columns.Length];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns.Length; c++) row[c] = value(r, columns[c]);
            scores[r] = Ensemble.Predict(row);
        }
        return scores;
    }

    /// <summary>
    /// The papers' transfer test: the model's scores of another glass's (or task's) labelled atoms, judged on 3
    /// balanced undersampled subsets (mean and std) and on all labelled rows.
    /// </summary>
    public TransferScore Score(KeyedTable features, KeyedTable labels, string target, int seed = Validation.DefaultSeed)
    {
        var request = TrainingPipeline.Join(features, labels, target, FeatureNames, TaskChoice.Classification, minPerClass: 1);
        return TransferEvaluation.Score(Ensemble.PredictRows(request.X), [.. request.Y.Select(v => (int)v)], seed);
    }

    /// <summary>
    /// Writes the softness of every atom of every frame of the structure files: a CSV table frame, id, softness, and
    /// optionally the frames with a softness column (LAMMPS dump, for OVITO). Returns the number of atoms.
    /// </summary>
    public long WriteSoftness(IReadOnlyList<string> inputs, string output, ElementMap? elements = null, string? dump = null, RunContext? context = null)
    {
        context ??= RunContext.Default;
        var featurizer = Featurizer(context);
        using var table = AtomicFile.Create(output);
        var rows = new CsvTableWriter(table.Writer, ["frame", "id", "softness"]);
        using var dumpFile = dump is null ? null : AtomicFile.Create(dump);
        var progress = context.Progress("predict: frames");
        int frame = 0;
        long atoms = 0;
        foreach (var path in inputs)
            foreach (var s in StructureFile.ReadFrames(path, elements))
            {
                context.Cancellation.ThrowIfCancellationRequested();
                var softness = Predict(featurizer.Compute(s, path).Features);
                for (int i = 0; i < s.Count; i++) rows.Number(frame).Number(s.Ids[i]).Number(softness[i]).EndRow();
                if (dumpFile is not null) LammpsDumpWriter.WriteFrame(dumpFile.Writer, s, [.. s.Extra, new("softness", softness)]);
                atoms += s.Count;
                frame++;
                progress.Step();
            }
        progress.Done();
        table.Commit();
        dumpFile?.Commit();
        return atoms;
    }

    /// <summary>Writes the score of every row of a keyed feature table: a CSV table frame, id, softness. Returns the rows.</summary>
    public long WriteSoftness(KeyedTable features, string output)
    {
        var softness = Predict(features);
        CsvTableWriter.Write(output, ["frame", "id", "softness"], rows =>
        {
            for (int r = 0; r < features.Rows; r++) rows.Number(features.Keys[r].Frame).Number(features.Keys[r].Id).Number(softness[r]).EndRow();
        });
        return features.Rows;
    }
}
