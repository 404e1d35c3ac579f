using System.CommandLine;
using Softspot.IO;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot predict --model model.json FILE... --out pred.csv [--dump pred.dump]</c>: per-atom softness of new
/// structures, featurized exactly as the model's training features were (the recipe stored in the model), or of a
/// feature table (<c>--features</c>).
/// </summary>
internal static class PredictCommand
{
    public static Command Build(TextWriter stdout)
    {
        var modelPath = new Option<string>("--model") { Description = "model.json written by softspot train", Required = true };
        var files = new Argument<string[]>("FILE") { Description = "Structure files to predict (every frame)", Arity = ArgumentArity.ZeroOrMore };
        var features = new Option<string?>("--features") { Description = "A feature table instead of structures (its columns must include the model's features)" };
        var output = new Option<string>("--out", "-o") { Description = "CSV: frame,id,softness", Required = true };
        var dump = new Option<string?>("--dump") { Description = "Also write the structures with a softness column (LAMMPS dump, for OVITO)" };
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var cmd = new Command("predict", "Predict per-atom softness with a trained model") { modelPath, files, features, output, dump, elements, threads };
        cmd.SetAction(p =>
        {
            string outPath = p.GetValue(output)!;
            CommonOptions.CheckFiles((outPath, "--out"), (p.GetValue(dump), "--dump"));
            var inputs = p.GetValue(files) ?? [];
            string? table = p.GetValue(features);
            if ((table is null) == (inputs.Length == 0)) throw new UsageException("give either structure files or --features, not both or neither");
            if (table is not null && p.GetValue(dump) is not null) throw new UsageException("--dump needs structure files");
            var model = SoftnessModel.Load(p.GetValue(modelPath)!);
            long predicted = table is not null
                ? model.WriteSoftness(KeyedTable.Read(table), outPath)
                : model.WriteSoftness(inputs, outPath, CommonOptions.ParseElements(p.GetValue(elements)), p.GetValue(dump), RunContext.Console(p.GetValue(threads)));
            stdout.WriteLine($"predict: softness of {predicted} atoms -> {outPath}" + (p.GetValue(dump) is { } d ? $", {d}" : ""));
            return 0;
        });
        return cmd;
    }
}
