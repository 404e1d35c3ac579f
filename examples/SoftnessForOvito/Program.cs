// Load a trained model and write the per-atom softness of structures for OVITO (a LAMMPS dump with a softness column).
// dotnet run -- MODEL OUT.dump STRUCTURE...   (the structures are featurized with the recipe stored in the model)
using Softspot;

string modelPath = args[0], dump = args[1];
string[] structures = args[2..];

var model = SoftnessModel.Load(modelPath);
Console.WriteLine($"model of '{model.Info.Target}' on {model.FeatureNames.Count} {model.Recipe.Preset} features ({string.Join(",", model.Recipe.Elements)})");

// every frame of every structure: frame,id,softness as CSV and the frames with a softness column as a dump
string table = Path.ChangeExtension(dump, ".csv");
long atoms = model.WriteSoftness(structures, table, dump: dump, context: new RunContext { Threads = 2 });
Console.WriteLine($"softness of {atoms} atoms -> {dump} (open it in OVITO and colour by 'softness'), {table}");
