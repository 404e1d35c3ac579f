// Featurize a quenched glass, label its plastic sites from a shear run, train, save, reload, predict.
// dotnet run -- GLASS SHEARED OUT   (e.g. data/glasses/Cu64Zr36/shear/reference.dump.gz .../sheared.dump.gz model-out)
using Softspot;
using Softspot.IO;

string glassPath = args[0], shearedPath = args[1], output = args[2];
var context = new RunContext { Threads = 2 };

// 1. the structure and its 80 interstice features (the recipe records how they were computed)
var glass = StructureFile.ReadFirst(glassPath);
var (features, recipe) = new Featurizer("interstice", context: context).Table(glass);

// 2. plastic sites: the top 5 % of D2min in the last sheared frame, keyed as frame 0 like the features
var sheared = StructureFile.ReadFrames(shearedPath).Last();
var labels = new PlasticLabeler(context: context).Label(glass, sheared).Table(asFrame: 0);

// 3. the papers' 3 x 5 protocol and the final model, saved as model.json, metrics.json and report.html
var trained = new Trainer(context: context).Train(features, labels, "plastic", recipe);
trained.Save(output);
var scores = trained.Result.ClassificationScores!.Test.RocAuc;
Console.WriteLine($"plastic sites from {recipe.Columns.Length} features: ROC-AUC {scores.Mean:F3} +- {scores.Std:F3}");

// 4. reload the model and predict the softness of the same glass from its structure alone
var model = SoftnessModel.Load(Path.Combine(output, "model.json"));
double[] softness = model.Predict(glass, context);
int top = softness.Select((s, i) => (s, i)).MaxBy(x => x.s).i;
Console.WriteLine($"softest atom: id {glass.Ids[top]}, softness {softness[top]:F3}; model -> {Path.Combine(output, "model.json")}");
