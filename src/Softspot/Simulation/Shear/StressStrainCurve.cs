using Softspot.IO;

namespace Softspot.Simulation.Shear;

/// <summary>The shear stress-strain curve of a shear run, as <c>simulate shear</c> writes it (stress_strain.csv).</summary>
/// <param name="Source">The file.</param>
/// <param name="Strain">The shear strain of each step.</param>
/// <param name="ShearStressGpa">The shear stress after each step's minimisation (GPa).</param>
public sealed record StressStrainCurve(string Source, double[] Strain, double[] ShearStressGpa)
{
    private const string Expected = "a header with the columns strain and shear_stress_gpa (step,strain,shear_stress_gpa,energy_ev)";

    /// <summary>Reads the columns strain and shear_stress_gpa (others are ignored); errors name the file and line.</summary>
    public static StressStrainCurve Read(string path)
    {
        using var csv = new CsvTableReader(path, Expected);
        int strain = IndexOf(csv, "strain"), stress = IndexOf(csv, "shear_stress_gpa");
        var xs = new List<double>();
        var ys = new List<double>();
        while (csv.Next())
        {
            if (csv.Count != csv.Header.Count) throw csv.Fail(InputProblem.ColumnCount, $"expected {csv.Header.Count} columns, found {csv.Count}");
            xs.Add(csv.ParseDouble(strain, "strain"));
            ys.Add(csv.ParseDouble(stress, "shear_stress_gpa"));
        }
        if (xs.Count == 0) throw new InputFormatException(path, csv.LineNumber, InputProblem.Truncated, "no row after the header: the curve is empty");
        return new StressStrainCurve(path, [.. xs], [.. ys]);
    }

    private static int IndexOf(CsvTableReader csv, string column)
    {
        for (int k = 0; k < csv.Header.Count; k++) if (csv.Header[k] == column) return k;
        throw new InputFormatException(csv.Path, 1, InputProblem.MissingColumn, $"no column '{column}': expected {Expected}");
    }
}
