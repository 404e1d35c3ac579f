using System.Globalization;
using Softspot.IO;
using Softspot.Structures;

namespace Softspot.Simulation.Potentials;

/// <summary>The two multi-element flavours of the LAMMPS "setfl" tabulated EAM file.</summary>
public enum SetflFormat
{
    /// <summary>pair_style eam/alloy: one density function per element, rho_j(r) for a neighbour of element j.</summary>
    Alloy,
    /// <summary>
    /// pair_style eam/fs (Finnis-Sinclair): one density function per ordered pair of elements, the density a
    /// neighbour of element j contributes at an atom of element i depends on both.
    /// </summary>
    FinnisSinclair,
}

/// <summary>An element's header in a setfl file (atomic number, mass in u, lattice constant in A, lattice type).</summary>
public sealed record SetflElement(string Symbol, int AtomicNumber, double Mass, double LatticeConstant, string LatticeType);

/// <summary>
/// A tabulated embedded-atom (EAM) or Finnis-Sinclair potential read from a LAMMPS setfl file
/// (<c>*.eam.alloy</c>, <c>*.eam.fs</c>). The energy of atom i of element a is
/// E_i = F_a(rho_i) + 1/2 sum_j phi_ab(r_ij), with the host density rho_i = sum_j rho_{b->a}(r_ij) over the
/// neighbours j (element b) closer than <see cref="Cutoff"/>.
/// <para>
/// File layout: three comment lines; a line with the number of elements and their symbols; a line
/// "Nrho drho Nr dr cutoff"; then for every element a header line "Z mass lattice-constant lattice-type"
/// followed by F(rho) at rho = k drho (Nrho values) and its density function(s) at r = k dr (Nr values each: one
/// for eam/alloy; for eam/fs one per element, the block of element b listing rho_{b->a} for a = 1 .. n, i.e. the
/// density an atom of element b contributes at a host of each element, the convention LAMMPS uses); finally the
/// pair functions as r*phi(r) (Nr values each) for every pair a &gt;= b in the order (1,1), (2,1), (2,2), (3,1) ...
/// Numbers are separated by any white space and wrap lines freely; the rest of an element header line after the
/// mass is optional.
/// </para>
/// </summary>
public sealed class SetflPotential
{
    private readonly TabulatedFunction[] _embedding;   // by element
    private readonly TabulatedFunction[] _density;     // [source * n + host]
    private readonly TabulatedFunction[] _scaledPair;  // [a * n + b], symmetric

    /// <summary>The file the potential was read from.</summary>
    public string Source { get; }
    public SetflFormat Format { get; }
    /// <summary>The three comment lines at the top of the file.</summary>
    public IReadOnlyList<string> Comments { get; }
    public IReadOnlyList<SetflElement> Elements { get; }
    /// <summary>Number of embedding-function knots (Nrho) and their spacing (drho, in the density's units).</summary>
    public int DensityKnots { get; }
    public double DensitySpacing { get; }
    /// <summary>Number of knots of the distance tables (Nr) and their spacing (dr, A).</summary>
    public int DistanceKnots { get; }
    public double DistanceSpacing { get; }
    /// <summary>Interaction cutoff (A): pairs at distance r &lt; cutoff interact.</summary>
    public double Cutoff { get; }

    /// <summary>The LAMMPS pair style that reads this file ("eam/alloy" or "eam/fs").</summary>
    public string Style => Format == SetflFormat.Alloy ? "eam/alloy" : "eam/fs";

    private SetflPotential(string source, SetflFormat format, string[] comments, SetflElement[] elements,
        int nrho, double drho, int nr, double dr, double cutoff,
        TabulatedFunction[] embedding, TabulatedFunction[] density, TabulatedFunction[] scaledPair)
    {
        Source = source; Format = format; Comments = comments; Elements = elements;
        DensityKnots = nrho; DensitySpacing = drho; DistanceKnots = nr; DistanceSpacing = dr; Cutoff = cutoff;
        _embedding = embedding; _density = density; _scaledPair = scaledPair;
    }

    /// <summary>The embedding function F_a(rho) of element <paramref name="element"/> (linear beyond the table).</summary>
    public TabulatedFunction Embedding(int element) => _embedding[CheckElement(element)];

    /// <summary>The density rho_{source->host}(r) an atom of element <paramref name="source"/> contributes at a host atom of element <paramref name="host"/>.</summary>
    public TabulatedFunction Density(int source, int host) => _density[CheckElement(source) * Elements.Count + CheckElement(host)];

    /// <summary>The pair function of elements a and b as tabulated, r*phi_ab(r) (eV A).</summary>
    public TabulatedFunction ScaledPair(int a, int b) => _scaledPair[CheckElement(a) * Elements.Count + CheckElement(b)];

    /// <summary>The pair energy phi_ab(r) (eV) at distance r &gt; 0.</summary>
    public double Pair(int a, int b, double r) => ScaledPair(a, b).Value(r) / r;

    private int CheckElement(int e) =>
        e >= 0 && e < Elements.Count ? e : throw new ArgumentOutOfRangeException(nameof(e), $"element index {e} is not in {Source} ({Elements.Count} elements)");

    /// <summary>Index of an element symbol in the file (case-sensitive, as LAMMPS), or -1.</summary>
    public int IndexOf(string symbol)
    {
        for (int e = 0; e < Elements.Count; e++) if (Elements[e].Symbol == symbol) return e;
        return -1;
    }

    /// <summary>
    /// The file element of each atom type (index 0 = type 1), like the element list of LAMMPS' <c>pair_coeff * *
    /// file Cu Zr</c>: every name must be an element of the file. An error names the file and its elements otherwise.
    /// </summary>
    public int[] MapTypes(IReadOnlyList<string> symbolsByType)
    {
        if (symbolsByType.Count == 0) throw new ArgumentException("at least one atom type must be mapped to an element", nameof(symbolsByType));
        var map = new int[symbolsByType.Count];
        for (int t = 0; t < map.Length; t++)
        {
            map[t] = IndexOf(symbolsByType[t]);
            if (map[t] < 0)
                throw new InputFormatException(Source, 4, InputProblem.UnknownElement,
                    $"element '{symbolsByType[t]}' (atom type {t + 1}) is not in this potential, which has {string.Join(", ", Elements.Select(e => e.Symbol))}");
        }
        return map;
    }

    /// <summary>The file element of each atom type of a structure whose types are named (see <see cref="MapTypes(IReadOnlyList{string})"/>).</summary>
    public int[] MapTypes(ElementMap elements) => MapTypes(elements.ElementsByType.Select(e => e.Symbol).ToArray());

    /// <summary>Reads a setfl file; the format is taken from the file name (".eam.fs" or ".eam.alloy") unless given.</summary>
    public static SetflPotential Read(string path, SetflFormat? format = null)
    {
        var f = format ?? FormatFromName(path);
        using var reader = new LineReader(path);
        return Parse(new NumberStream(reader), f);
    }

    /// <summary>The format a file's name announces (".eam.fs" / ".fs", ".eam.alloy" / ".alloy"), or an error.</summary>
    public static SetflFormat FormatFromName(string path)
    {
        string name = Path.GetFileName(path).ToLowerInvariant();
        if (name.EndsWith(".gz", StringComparison.Ordinal)) name = name[..^3];
        if (name.EndsWith(".fs", StringComparison.Ordinal)) return SetflFormat.FinnisSinclair;
        if (name.EndsWith(".alloy", StringComparison.Ordinal)) return SetflFormat.Alloy;
        throw new InputFormatException(path, 0, InputProblem.Unsupported,
            "cannot tell from the file name whether this is an eam/alloy or an eam/fs setfl file (name it *.eam.alloy or *.eam.fs, or give the format)");
    }

    private static SetflPotential Parse(NumberStream s, SetflFormat format)
    {
        var r = s.Reader;
        var comments = new string[3];
        for (int i = 0; i < 3; i++) comments[i] = r.Require($"comment line {i + 1} of 3");

        // element line: count and symbols
        string line = r.Require("the element line (number of elements and their symbols)");
        var fields = Fields.SplitToStrings(line);
        if (fields.Length == 0) throw r.Fail(InputProblem.Syntax, "expected the number of elements and their symbols");
        long n = r.ParseLong(fields[0], "number of elements");
        if (n < 1 || n > 100) throw r.Fail(InputProblem.Syntax, $"number of elements {n} is not between 1 and 100");
        if (fields.Length - 1 != n)
            throw r.Fail(InputProblem.ColumnCount, $"{n} element(s) announced but {fields.Length - 1} symbol(s) given");
        var symbols = fields[1..];
        for (int a = 0; a < n; a++)
            for (int b = 0; b < a; b++)
                if (symbols[a] == symbols[b]) throw r.Fail(InputProblem.Syntax, $"element '{symbols[a]}' is listed twice");

        int nrho = s.NextCount("Nrho (number of embedding-function values)");
        double drho = s.NextPositive("drho (density spacing)");
        int nr = s.NextCount("Nr (number of distance-table values)");
        double dr = s.NextPositive("dr (distance spacing)");
        double cutoff = s.NextPositive("cutoff");

        int ne = (int)n;
        int densitiesPerElement = format == SetflFormat.Alloy ? 1 : ne;
        var elements = new SetflElement[ne];
        var embedding = new TabulatedFunction[ne];
        var density = new TabulatedFunction[ne * ne];
        var rhoBuffer = new double[nrho];
        var rBuffer = new double[nr];
        for (int a = 0; a < ne; a++)
        {
            string sym = symbols[a];
            elements[a] = s.ElementHeader(sym);
            s.NextValues(rhoBuffer, $"embedding function F(rho) of {sym}");
            embedding[a] = new TabulatedFunction(rhoBuffer, drho, extrapolateLinearly: true);
            for (int h = 0; h < densitiesPerElement; h++)
            {
                string what = format == SetflFormat.Alloy ? $"density function of {sym}" : $"density function of {sym} at a {symbols[h]} host";
                s.NextValues(rBuffer, what);
                var rho = new TabulatedFunction(rBuffer, dr);
                if (format == SetflFormat.Alloy)
                    for (int host = 0; host < ne; host++) density[a * ne + host] = rho;
                else density[a * ne + h] = rho;
            }
        }
        var pair = new TabulatedFunction[ne * ne];
        for (int a = 0; a < ne; a++)
            for (int b = 0; b <= a; b++)
            {
                s.NextValues(rBuffer, $"pair function r*phi(r) of {symbols[a]}-{symbols[b]}");
                pair[a * ne + b] = pair[b * ne + a] = new TabulatedFunction(rBuffer, dr);
            }
        return new SetflPotential(r.Path, format, comments, elements, nrho, drho, nr, dr, cutoff, embedding, density, pair);
    }

    /// <summary>
    /// White-space separated numbers across lines, with the line of each for error messages; element headers are
    /// line-oriented (the rest of a header line after the mass is optional and otherwise ignored, as in LAMMPS).
    /// </summary>
    private sealed class NumberStream(LineReader reader)
    {
        private string _line = "";
        private Range[] _ranges = new Range[64];
        private int _fieldCount, _next;

        public LineReader Reader { get; } = reader;

        private bool HasField => _next < _fieldCount;

        /// <summary>Moves to the next line with any fields; false at the end of the file.</summary>
        private bool Advance()
        {
            while (true)
            {
                var line = Reader.Next();
                if (line is null) return false;
                _line = line;
                _fieldCount = Fields.Split(line, _ranges);
                if (_fieldCount > _ranges.Length)
                {
                    _ranges = new Range[_fieldCount];
                    Fields.Split(line, _ranges);
                }
                _next = 0;
                if (_fieldCount > 0) return true;
            }
        }

        private ReadOnlySpan<char> Field(string expected)
        {
            if (!HasField && !Advance())
                throw new InputFormatException(Reader.Path, Reader.LineNumber + 1, InputProblem.Truncated, $"unexpected end of file: expected {expected}");
            return _line.AsSpan(_ranges[_next++]);
        }

        public double NextDouble(string what) => Reader.ParseDouble(Field(what), what);

        public double NextPositive(string what)
        {
            double v = NextDouble(what);
            if (!(v > 0)) throw Reader.Fail(InputProblem.Syntax, $"{what} must be positive, got {v.ToString(CultureInfo.InvariantCulture)}");
            return v;
        }

        public int NextCount(string what)
        {
            long v = Reader.ParseLong(Field(what), what);
            if (v < TabulatedFunction.MinimumKnots || v > 100_000_000)
                throw Reader.Fail(InputProblem.Syntax, $"{what} is {v}: a table needs between {TabulatedFunction.MinimumKnots} and 100000000 values");
            return (int)v;
        }

        public void NextValues(double[] into, string what)
        {
            for (int k = 0; k < into.Length; k++)
            {
                if (!HasField && !Advance())
                    throw new InputFormatException(Reader.Path, Reader.LineNumber + 1, InputProblem.Truncated,
                        $"unexpected end of file: expected value {k + 1} of {into.Length} of the {what}");
                var field = _line.AsSpan(_ranges[_next++]);
                if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out into[k]) || !double.IsFinite(into[k]))
                    throw Reader.Fail(InputProblem.NotANumber, $"value {k + 1} of {into.Length} of the {what}: '{field}' is not a finite number");
            }
        }

        /// <summary>An element header, which must start a line: atomic number and mass, optionally lattice constant and type.</summary>
        public SetflElement ElementHeader(string symbol)
        {
            if (HasField)
                throw Reader.Fail(InputProblem.ColumnCount,
                    $"more values on this line than the tables announced (Nrho and Nr on line 5): expected the header of element {symbol} on the next line");
            string what = $"the header line of element {symbol} (atomic number, mass, lattice constant, lattice type)";
            if (!Advance())
                throw new InputFormatException(Reader.Path, Reader.LineNumber + 1, InputProblem.Truncated, $"unexpected end of file: expected {what}");
            int z = (int)Reader.ParseLong(Field(what), $"atomic number of {symbol}");
            double mass = NextDouble($"mass of {symbol}");
            double lattice = HasField ? NextDouble($"lattice constant of {symbol}") : double.NaN;
            string type = HasField ? Field(what).ToString() : "";
            _next = _fieldCount; // anything else on the header line is ignored
            return new SetflElement(symbol, z, mass, lattice, type);
        }
    }
}
