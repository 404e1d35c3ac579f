using System.Globalization;
using Softspot.Descriptors;

namespace Softspot.IO;

/// <summary>
/// A moment tensor potential file in MLIP's text format ("MTP", version 1.1.0; Novikov et al., Mach. Learn.: Sci.
/// Technol. 2, 025002, 2021): the contraction tree (<c>alpha_index_basic</c>, <c>alpha_index_times</c>,
/// <c>alpha_moment_mapping</c>), the Chebyshev radial basis (<c>min_dist</c>, <c>max_dist</c>,
/// <c>radial_basis_size</c>, <c>scaling</c>) and, in a fitted potential, the radial coefficients of every species
/// pair and the linear coefficients (<c>species_coeffs</c>, <c>moment_coeffs</c>). An untrained template has only
/// the tree and the basis. Only the <c>RBChebyshev</c> radial basis is read.
/// </summary>
/// <remarks>
/// The site energy of a fitted potential is E_i = species_coeffs[type_i] + Σ_α moment_coeffs[α]·B_α(i), B_α being the
/// <see cref="MomentTensorBasis"/>'s scalar moments with this file's <see cref="RadialFunctions"/>.
/// </remarks>
public sealed class MtpFile
{
    /// <summary>The contraction tree.</summary>
    public MomentTensorBasis Basis { get; }

    /// <summary>The number of species (atom types 1..SpeciesCount are species 0..SpeciesCount − 1).</summary>
    public int SpeciesCount { get; }

    /// <summary>The radial functions with the file's coefficients, or null for a template without <c>radial_coeffs</c>.</summary>
    public MtpRadialFunctions? RadialFunctions { get; }

    /// <summary>R_min of the Chebyshev basis (A).</summary>
    public double MinDistance { get; }

    /// <summary>R_cut of the Chebyshev basis (A): neighbours closer than this count.</summary>
    public double Cutoff { get; }

    /// <summary>Chebyshev polynomials per radial function.</summary>
    public int RadialBasisSize { get; }

    /// <summary>Radial functions (μ = 0 … count − 1) per species pair.</summary>
    public int RadialFunctionCount { get; }

    /// <summary>The factor of every radial basis value (<c>scaling</c>, 1 when absent).</summary>
    public double Scaling { get; }

    /// <summary>The constant site energy of each species (<c>species_coeffs</c>), or null in a template.</summary>
    public IReadOnlyList<double>? SpeciesCoefficients { get; }

    /// <summary>The linear coefficient ξ_α of each scalar moment (<c>moment_coeffs</c>), or null in a template.</summary>
    public IReadOnlyList<double>? MomentCoefficients { get; }

    private MtpFile(MomentTensorBasis basis, int speciesCount, MtpRadialFunctions? radial, double minDistance, double cutoff,
        int basisSize, int functionCount, double scaling, double[]? species, double[]? moments)
    {
        Basis = basis; SpeciesCount = speciesCount; RadialFunctions = radial; MinDistance = minDistance; Cutoff = cutoff;
        RadialBasisSize = basisSize; RadialFunctionCount = functionCount; Scaling = scaling;
        SpeciesCoefficients = species; MomentCoefficients = moments;
    }

    /// <summary>Reads a .mtp file.</summary>
    /// <exception cref="InputFormatException">The file is not a readable MTP file (names the line and the problem).</exception>
    public static MtpFile Read(string path)
    {
        if (!File.Exists(path)) throw new SoftspotException($"MTP file {path} not found");
        return Parse(File.ReadLines(path), path);
    }

    /// <summary>Parses the lines of a .mtp file; <paramref name="source"/> names it in messages.</summary>
    /// <exception cref="InputFormatException">The text is not a readable MTP file.</exception>
    public static MtpFile Parse(IEnumerable<string> lines, string source) => new Parser(source).Run(lines);

    /// <summary>The key = value entries of a file, read line by line, and the radial coefficient block.</summary>
    private sealed class Parser(string source)
    {
        private readonly Dictionary<string, (string Value, long Line)> _entries = [];
        private readonly List<(string Text, long Line)> _radialRows = [];
        private long _line;

        private InputFormatException Error(long line, InputProblem kind, string problem) => new(source, line, kind, problem);

        public MtpFile Run(IEnumerable<string> lines)
        {
            bool header = false, inRadial = false;
            foreach (var raw in lines)
            {
                _line++;
                string text = raw.Trim();
                if (text.Length == 0) continue;
                if (!header)
                {
                    if (text != "MTP") throw Error(_line, InputProblem.Syntax, "not an MTP file: the first line must read MTP");
                    header = true;
                    continue;
                }
                int eq = text.IndexOf('=');
                if (eq < 0)
                {
                    if (text == "radial_coeffs") { inRadial = true; continue; }
                    if (inRadial) { _radialRows.Add((text, _line)); continue; }
                    throw Error(_line, InputProblem.Syntax, $"expected 'key = value', found '{Shorten(text)}'");
                }
                inRadial = false;
                string key = text[..eq].Trim();
                if (!_entries.TryAdd(key, (text[(eq + 1)..].Trim(), _line)))
                    throw Error(_line, InputProblem.Syntax, $"'{key}' is given twice");
            }
            if (!header) throw Error(0, InputProblem.Truncated, "empty file: not an MTP file");
            return Build();
        }

        private MtpFile Build()
        {
            if (Optional("version") is { } version && version.Value != "1.1.0")
                throw Error(version.Line, InputProblem.Unsupported, $"MTP version {version.Value} is not supported (1.1.0 is)");
            var type = Required("radial_basis_type");
            if (type.Value != "RBChebyshev")
                throw Error(type.Line, InputProblem.Unsupported, $"radial basis {type.Value} is not supported (RBChebyshev is)");
            int species = Integer("species_count", 1);
            double minDist = Real("min_dist"), maxDist = Real("max_dist");
            if (!(minDist >= 0 && maxDist > minDist && double.IsFinite(maxDist)))
                throw Error(Required("max_dist").Line, InputProblem.Syntax, $"need 0 <= min_dist < max_dist, found {minDist} and {maxDist}");
            int size = Integer("radial_basis_size", 1), functions = Integer("radial_funcs_count", 1);
            double scaling = Optional("scaling") is null ? 1.0 : Real("scaling");

            int momentCount = Integer("alpha_moments_count", 1);
            var basic = Table("alpha_index_basic", Integer("alpha_index_basic_count", 1), 4);
            var times = Table("alpha_index_times", Integer("alpha_index_times_count", 0), 4);
            int scalarCount = Integer("alpha_scalar_moments", 1);
            var mapping = Numbers("alpha_moment_mapping", scalarCount).Select(x => ToInt(x, "alpha_moment_mapping")).ToArray();
            MomentTensorBasis tree;
            try
            {
                tree = new MomentTensorBasis(momentCount,
                    [.. basic.Select(b => new MomentTensorBasis.BasicMoment(b[0], b[1], b[2], b[3]))],
                    [.. times.Select(t => new MomentTensorBasis.Product(t[0], t[1], t[2], t[3]))], mapping);
            }
            catch (ArgumentException e) { throw Error(Required("alpha_moment_mapping").Line, InputProblem.Syntax, e.Message); }
            if (tree.RadialFunctionCount > functions)
                throw Error(Required("radial_funcs_count").Line, InputProblem.Syntax,
                    $"alpha_index_basic uses {tree.RadialFunctionCount} radial functions but radial_funcs_count is {functions}");

            MtpRadialFunctions? radial = null;
            if (_radialRows.Count > 0)
                radial = new MtpRadialFunctions(minDist, maxDist, size, species, functions, RadialCoefficients(species, functions, size), scaling);
            double[]? speciesCoeffs = Optional("species_coeffs") is null ? null : Numbers("species_coeffs", species);
            double[]? momentCoeffs = Optional("moment_coeffs") is null ? null : Numbers("moment_coeffs", scalarCount);
            return new MtpFile(tree, species, radial, minDist, maxDist, size, functions, scaling, speciesCoeffs, momentCoeffs);
        }

        /// <summary>The radial_coeffs block: for each species pair "a-b", one row of basis coefficients per radial function.</summary>
        private double[] RadialCoefficients(int species, int functions, int size)
        {
            var c = new double[species * species * functions * size];
            var seen = new bool[species * species];
            int at = 0;
            while (at < _radialRows.Count)
            {
                var (head, line) = _radialRows[at++];
                var parts = head.Split('-');
                if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int a)
                    || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int b))
                    throw Error(line, InputProblem.Syntax, $"radial_coeffs: expected a species pair such as 0-1, found '{Shorten(head)}'");
                if (a >= species || b >= species)
                    throw Error(line, InputProblem.Syntax, $"radial_coeffs: species pair {a}-{b} but species_count is {species}");
                if (seen[a * species + b]) throw Error(line, InputProblem.Syntax, $"radial_coeffs: species pair {a}-{b} is given twice");
                seen[a * species + b] = true;
                for (int mu = 0; mu < functions; mu++)
                {
                    if (at >= _radialRows.Count)
                        throw Error(line, InputProblem.Truncated, $"radial_coeffs {a}-{b}: {functions} rows of coefficients expected, found {mu}");
                    var (row, rowLine) = _radialRows[at++];
                    var values = ParseNumbers(row, rowLine, $"radial_coeffs {a}-{b}");
                    if (values.Length != size)
                        throw Error(rowLine, InputProblem.ColumnCount, $"radial_coeffs {a}-{b}: {size} coefficients (radial_basis_size) expected, found {values.Length}");
                    values.CopyTo(c, ((a * species + b) * functions + mu) * size);
                }
            }
            int missing = Array.IndexOf(seen, false);
            if (missing >= 0)
                throw Error(_radialRows[^1].Line, InputProblem.Truncated, $"radial_coeffs: species pair {missing / species}-{missing % species} is missing");
            return c;
        }

        private (string Value, long Line)? Optional(string key) => _entries.TryGetValue(key, out var e) ? e : null;

        private (string Value, long Line) Required(string key) =>
            Optional(key) ?? throw Error(_line, InputProblem.MissingColumn, $"'{key}' is missing");

        private double Real(string key)
        {
            var (value, line) = Required(key);
            if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) || !double.IsFinite(x))
                throw Error(line, InputProblem.NotANumber, $"{key}: '{Shorten(value)}' is not a number");
            return x;
        }

        private int Integer(string key, int min)
        {
            var (value, line) = Required(key);
            if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min)
                throw Error(line, InputProblem.NotANumber, $"{key}: '{Shorten(value)}' is not an integer >= {min}");
            return n;
        }

        /// <summary>A braced list of exactly <paramref name="count"/> numbers.</summary>
        private double[] Numbers(string key, int count)
        {
            var (value, line) = Required(key);
            var x = ParseNumbers(value, line, key);
            if (x.Length != count) throw Error(line, InputProblem.ColumnCount, $"{key}: {count} numbers expected, found {x.Length}");
            return x;
        }

        /// <summary>A braced list of <paramref name="rows"/> rows of <paramref name="width"/> integers each.</summary>
        private int[][] Table(string key, int rows, int width)
        {
            var x = Numbers(key, rows * width);
            return [.. Enumerable.Range(0, rows).Select(r => x.AsSpan(r * width, width).ToArray().Select(v => ToInt(v, key)).ToArray())];
        }

        private int ToInt(double v, string key) => v == Math.Floor(v) && Math.Abs(v) < int.MaxValue
            ? (int)v : throw Error(Required(key).Line, InputProblem.NotANumber, $"{key}: {v} is not an integer");

        /// <summary>The numbers of a (nested) braced list such as {{0, 1}, {2, 3}}, flattened.</summary>
        private double[] ParseNumbers(string text, long line, string what)
        {
            if (!text.StartsWith('{') || !text.EndsWith('}'))
                throw Error(line, InputProblem.Syntax, $"{what}: expected a list in braces, found '{Shorten(text)}'");
            int depth = 0;
            foreach (char ch in text)
            {
                depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
                if (depth < 0) break;
            }
            if (depth != 0) throw Error(line, InputProblem.Syntax, $"{what}: unbalanced braces");
            var fields = text.Split([',', '{', '}', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var x = new double[fields.Length];
            for (int k = 0; k < fields.Length; k++)
                if (!double.TryParse(fields[k], NumberStyles.Float, CultureInfo.InvariantCulture, out x[k]) || !double.IsFinite(x[k]))
                    throw Error(line, InputProblem.NotANumber, $"{what}: '{Shorten(fields[k])}' is not a number");
            return x;
        }

        private static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "...";
    }
}
