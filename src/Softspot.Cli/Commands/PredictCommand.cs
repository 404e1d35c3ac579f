using System.CommandLine;
using System.Text.Json;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Learning;
using Softspot.Neighbours;
using Softspot.Reporting;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot predict --model model.json FILE... --out pred.csv [--dump pred.dump]</c>: per-atom softness of new
/// structures, featurized exactly as the model's training features were (the recipe stored in the model), or of a
/// feature table (<c>--features</c>).
/// </summary>
internal static class PredictCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Build(TextWriter stdout)
    {
        var model = new Option<string>("--model") { Description = "model.json written by softspot train", Required = true };
        var files = new Argument<string[]>("FILE") { Description = "Structure files to predict (every frame)", Arity = ArgumentArity.ZeroOrMore };
        var features = new Option<string?>("--features") { Description = "A feature table instead of structures (its columns must include the model's features)" };
        var output = new Option<string>("--out", "-o") { Description = "CSV: frame,id,softness", Required = true };
        var dump = new Option<string?>("--dump") { Description = "Also write the structures with a softness column (LAMMPS dump, for OVITO)" };
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var cmd = new Command("predict", "Predict per-atom softness with a trained model") { model, files, features, output, dump, elements, threads };
        cmd.SetAction(p =>
        {
            CommonOptions.CheckFiles((p.GetValue(output), "--out"), (p.GetValue(dump), "--dump"));
            string modelPath = p.GetValue(model)!;
            var m = TreeEnsemble.Load(modelPath);
            var inputs = p.GetValue(files) ?? [];
            string? table = p.GetValue(features);
            if ((table is null) == (inputs.Length == 0)) throw new UsageException("give either structure files or --features, not both or neither");
            if (table is not null && p.GetValue(dump) is not null) throw new UsageException("--dump needs structure files");
            var names = m.FeatureNames.ToArray();
            using var csvFile = AtomicFile.Create(p.GetValue(output)!);
            var csv = new CsvTableWriter(csvFile.Writer, ["frame", "id", "softness"]);
            int predicted = 0;
            if (table is not null)
            {
                var t = KeyedTable.Read(table);
                var idx = names.Select(n => t.IndexOf(n) is var k and >= 0 ? k
                    : throw new InputFormatException(table, 1, InputProblem.MissingColumn, $"the model needs feature '{n}', which the table lacks")).ToArray();
                var row = new double[names.Length];
                for (int r = 0; r < t.Rows; r++)
                {
                    for (int c = 0; c < idx.Length; c++) row[c] = t[r, idx[c]];
                    csv.Number(t.Keys[r].Frame).Number(t.Keys[r].Id).Number(m.Predict(row)).EndRow();
                    predicted++;
                }
            }
            else
            {
                if (!m.Metadata.TryGetValue("feature_recipe", out var recipeJson))
                    throw new InputFormatException(modelPath, 0, InputProblem.MissingColumn, "the model has no feature recipe (it was trained on a table without its .json): predict from --features instead");
                var recipe = ModelCheck.Recipe(recipeJson, modelPath);
                var settings = recipe.Settings with { Radii = recipe.RadiiSpec(), Threads = Parallelism.Resolve(p.GetValue(threads)) };
                var preset = Presets.Find(recipe.Preset);
                var map = CommonOptions.ParseElements(p.GetValue(elements));
                using var dumpFile = p.GetValue(dump) is { } dp ? AtomicFile.Create(dp) : null;
                var progress = new Progress("predict: frames");
                int frame = 0;
                foreach (var path in inputs)
                    foreach (var s in StructureFile.ReadFrames(path, map))
                    {
                        var el = s.RequireElements();
                        if (!el.ElementsByType.Select(e => e.Symbol).SequenceEqual(recipe.Elements))
                            throw new InputFormatException(path, 0, InputProblem.UnknownElement,
                                $"the model was trained on elements {string.Join(',', recipe.Elements)} (type order), this frame has {string.Join(',', el.ElementsByType.Select(e => e.Symbol))}");
                        var f = preset.Build(el).Compute(s, settings);
                        var idx = names.Select(n => f.IndexOf(n) is var k and >= 0 ? k
                            : throw new ModelFormatException(modelPath, $"the model uses feature '{n}', which its feature recipe (preset {recipe.Preset}) does not compute")).ToArray();
                        var softness = new double[s.Count];
                        var row = new double[names.Length];
                        for (int i = 0; i < s.Count; i++)
                        {
                            for (int c = 0; c < idx.Length; c++) row[c] = f[i, idx[c]];
                            softness[i] = m.Predict(row);
                            csv.Number(frame).Number(s.Ids[i]).Number(softness[i]).EndRow();
                        }
                        if (dumpFile is not null) LammpsDumpWriter.WriteFrame(dumpFile.Writer, s, [.. s.Extra, new("softness", softness)]);
                        predicted += s.Count;
                        frame++;
                        progress.Step();
                    }
                progress.Done();
                dumpFile?.Commit();
            }
            csvFile.Commit();
            stdout.WriteLine($"predict: softness of {predicted} atoms -> {p.GetValue(output)}" + (p.GetValue(dump) is { } d ? $", {d}" : ""));
            return 0;
        });
        return cmd;
    }
}
