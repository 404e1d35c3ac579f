using Softspot.Learning;
using Softspot.Learning.Interpretation;

namespace Softspot.Tests.Learning;

/// <summary>
/// The interpretation of a reduced model on a small synthetic task: the 15 reduced models are kept, their TreeSHAP
/// rows add up to their margins, and the interpretation's gain and |SHAP| are theirs. (Correlations, quartiles and
/// densities are compared with numpy and scipy on the pipeline's output: PipelineRunTests.)
/// </summary>
public sealed class FeatureInterpretationTests
{
    [Fact]
    public void TheReducedModelsAreKeptAndTheirShapExplainsTheirMargins()
    {
        var (x, y, _) = SyntheticTask.Generate(600, columns: 12, seed: 3, positiveFraction: 0.1);
        var names = Enumerable.Range(0, 12).Select(k => $"c{k}").ToArray();
        var request = new TrainingRequest(names, x, y, "label")
        {
            Options = GradientBoostingOptions.Reference with { Trees = 20, Threads = 2 }, Reduce = 4, Seed = 5,
        };
        var result = TrainingPipeline.Run(request);
        var kept = result.Reduction!.Kept;
        Assert.Equal(4, kept.Count);
        Assert.Equal(15, result.ReducedModels.Count);
        Assert.All(result.ReducedModels, m => Assert.Equal(kept, m.FeatureNames));
        Assert.Equal(1, result.ReducedGain!.Share.Sum(), 1e-12);

        int[] groupOfRow = [.. Enumerable.Range(0, request.Rows).Select(i => y[i] == 1 ? 0 : i % 2 + 1)];
        var interpretation = FeatureInterpretation.Of(request, result, ["positive", "even", "odd"], groupOfRow);
        Assert.Equal(request.Rows, interpretation.Rows);
        Assert.Equal(15, interpretation.Models);

        // |SHAP| from the reduced models one row at a time, each row's contributions adding up to the model's margin
        var columns = kept.Select(n => Array.IndexOf(names, n)).ToArray();
        var rows = TrainingPipeline.Rows(x, names.Length, [.. Enumerable.Range(0, request.Rows)], columns);
        var shap = new double[kept.Count];
        foreach (var model in result.ReducedModels)
        {
            var explainer = new TreeShap(model) { Threads = 1 };
            for (int i = 0; i < request.Rows; i++)
            {
                var row = rows.AsSpan(i * kept.Count, kept.Count);
                var phi = explainer.Explain(row);
                Assert.True(Math.Abs(phi.Sum() - model.Margin(row)) <= 1e-9, $"row {i}: contributions {phi.Sum():R} vs margin {model.Margin(row):R}");
                for (int f = 0; f < kept.Count; f++) shap[f] += Math.Abs(phi[f]) / request.Rows / result.ReducedModels.Count;
            }
        }
        foreach (var f in interpretation.Features)
        {
            int k = kept.ToList().IndexOf(f.Name);
            Assert.Equal(result.ReducedGain.Share[k], f.Gain);
            Assert.Equal(shap[k], f.Shap, 1e-12);
            Assert.Equal(groupOfRow.Count(g => g == 0), f.Groups[0].Count);
            Assert.Equal(request.Rows, f.Groups.Sum(g => g.Count));
        }
        Assert.Equal(interpretation.Features.Select(f => f.Gain).OrderByDescending(g => g), interpretation.Features.Select(f => f.Gain));
        Assert.Equal(1, interpretation.Features.Sum(f => f.ShapShare), 1e-12);
        Assert.Throws<ArgumentException>(() => FeatureInterpretation.Of(request, result, ["one"], groupOfRow));
    }

    [Fact]
    public void TooFewOrEqualValuesHaveNoDensity()
    {
        Assert.Empty(KernelDensity.Gaussian([1.5]).Grid);
        Assert.Empty(KernelDensity.Gaussian([2, 2, 2, double.NaN]).Grid);
        var none = GroupDistribution.Of("empty", []);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Median));
        // numpy: np.percentile([1, 2, 4, 8], [25, 50, 75]) = 1.75, 3, 5
        var d = GroupDistribution.Of("four", [8, 1, double.NaN, 4, 2]);
        Assert.Equal((4, 1.75, 3.0, 5.0), (d.Count, d.Q1, d.Median, d.Q3));
        Assert.Equal([1.0, 8.0], new[] { d.Density.Grid[0], d.Density.Grid[^1] });
    }
}
