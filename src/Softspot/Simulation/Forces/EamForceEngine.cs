using Softspot.Neighbours;
using Softspot.Simulation.Elastic;
using Softspot.Simulation.Potentials;
using Softspot.Structures;

namespace Softspot.Simulation.Forces;

/// <summary>
/// Energy and forces of a whole periodic structure under a tabulated EAM / Finnis-Sinclair potential
/// (<see cref="SetflPotential"/>), evaluated natively with LAMMPS' interpolation (agrees with pair_style eam/alloy
/// and eam/fs to rounding).
/// <para>
/// Pairs come from a half Verlet list with a skin: every pair closer than cutoff + skin when the list was built,
/// stored with the lattice vector of its periodic image, so positions may be unwrapped and drift across the cell.
/// The list is rebuilt only when some atom has moved more than half the skin since the last build. A call makes
/// two passes over the list, densities (and the pair energy, caching each pair's radial derivatives; see
/// <see cref="EamKernel.Densities"/>) then forces, and allocates nothing. Any restricted-triclinic cell works,
/// including cells smaller than twice the cutoff (an atom then interacts with several images of a neighbour, or with
/// its own images).
/// </para>
/// <para>
/// Results do not depend on the history of list builds: each pair is owned by a fixed one of its two atoms and
/// the pairs of an atom are summed in a fixed order (partner, then image), so an engine gives bit-identical energy
/// and forces for the same positions whatever it evaluated before. The loops are serial; an engine is not
/// thread-safe (use one per thread).
/// </para>
/// </summary>
public sealed class EamForceEngine : IForceEngine
{
    /// <summary>Default Verlet skin (A).</summary>
    public const double DefaultSkin = 1.0;

    /// <summary>One eV/A^3 in bar: LAMMPS' nktv2p of metal units, by which it turns virials (eV) into pressure times volume.</summary>
    public const double BarPerEvPerCubicAngstrom = 1.6021765e6;

    private readonly EamTables _tables;
    private readonly Cell _cell;
    private readonly CellLattice _lattice;
    private readonly int _n;
    private readonly int[] _order;        // internal index -> structure index (spatially sorted for locality)
    private readonly int[] _element;      // file element of each atom, internal order
    private readonly int[] _elementOfAtom; // file element of each atom, structure order
    private readonly double[] _x, _built, _rho, _fp, _f;
    private readonly EamPairList _pairs = new();
    private readonly double _binSize;
    private double[]? _atomEnergy, _virial;
    private bool _hasList;

    /// <param name="structure">the atoms (their types and cell; positions only order the internal arrays).</param>
    /// <param name="potential">the potential.</param>
    /// <param name="elementsByType">the potential's element for each atom type (type 1 first), like the element
    /// list of LAMMPS' pair_coeff; null takes the structure's own element names.</param>
    /// <param name="skin">Verlet skin (A).</param>
    public EamForceEngine(Snapshot structure, SetflPotential potential, IReadOnlyList<string>? elementsByType = null, double skin = DefaultSkin)
    {
        if (!(skin >= 0) || !double.IsFinite(skin)) throw new ArgumentOutOfRangeException(nameof(skin), "the skin must be a non-negative distance");
        Potential = potential;
        Skin = skin;
        _cell = structure.Cell;
        _lattice = new CellLattice(_cell);
        _n = structure.Count;
        var symbols = elementsByType ?? structure.RequireElements().ElementsByType.Select(e => e.Symbol).ToArray();
        var typeMap = potential.MapTypes(symbols);
        _elementOfAtom = new int[_n];
        for (int i = 0; i < _n; i++)
        {
            int t = structure.Types[i];
            if (t < 1 || t > typeMap.Length)
                throw new ArgumentException($"atom {structure.Ids[i]} has type {t} but only {typeMap.Length} type(s) are mapped to elements of {potential.Source}");
            _elementOfAtom[i] = typeMap[t - 1];
        }
        _tables = EamTables.For(potential);
        _binSize = NeighbourSearch.BinSize(structure, potential.Cutoff + skin);
        _order = _n == 0 ? [] : new CellGrid(_cell, structure.Positions, _binSize).SpatialOrder();
        _element = new int[_n];
        for (int ii = 0; ii < _n; ii++) _element[ii] = _elementOfAtom[_order[ii]];
        _x = new double[3 * _n]; _built = new double[3 * _n]; _f = new double[3 * _n];
        _rho = new double[_n]; _fp = new double[_n];
    }

    public int Count => _n;
    public string Name => $"native {Potential.Style}";
    public SetflPotential Potential { get; }
    public Cell Cell => _cell;
    public double Skin { get; }
    /// <summary>How many times the neighbour list has been built.</summary>
    public int ListBuilds { get; private set; }
    /// <summary>Number of pairs in the current neighbour list (within cutoff + skin at its build).</summary>
    public int ListedPairs => _hasList ? _pairs.Count : 0;

    internal EamTables Tables => _tables;
    internal CellLattice Lattice => _lattice;
    /// <summary>The potential's element index of each atom (structure order).</summary>
    internal int[] ElementOfAtom => _elementOfAtom;

    public double Compute(ReadOnlySpan<double> positions, Span<double> forces) => Compute(positions, forces, default, default);

    /// <summary>
    /// Total energy (eV); the forces (eV/A) into <paramref name="forces"/> and, when the span is not empty, each
    /// atom's energy F_i(rho_i) + 1/2 sum_j phi_ij (LAMMPS' compute pe/atom) into <paramref name="atomEnergies"/>.
    /// </summary>
    public double Compute(ReadOnlySpan<double> positions, Span<double> forces, Span<double> atomEnergies) =>
        Compute(positions, forces, atomEnergies, default);

    /// <summary>
    /// Total energy (eV); the forces (eV/A) into <paramref name="forces"/>; when not empty, each atom's energy into
    /// <paramref name="atomEnergies"/> (N numbers, as LAMMPS' compute pe/atom) and each atom's stress times volume
    /// into <paramref name="atomStresses"/> (6N numbers, per atom xx, yy, zz, xy, xz, yz in bar A^3, as LAMMPS'
    /// <c>compute stress/atom NULL virial</c>; see <see cref="Stresses"/>).
    /// </summary>
    public double Compute(ReadOnlySpan<double> positions, Span<double> forces, Span<double> atomEnergies, Span<double> atomStresses)
    {
        if (positions.Length != 3 * _n) throw new ArgumentException($"expected {3 * _n} coordinates, got {positions.Length}", nameof(positions));
        if (forces.Length != 3 * _n) throw new ArgumentException($"expected room for {3 * _n} force components, got {forces.Length}", nameof(forces));
        bool perAtom = !atomEnergies.IsEmpty;
        if (perAtom && atomEnergies.Length != _n) throw new ArgumentException($"expected room for {_n} atom energies, got {atomEnergies.Length}", nameof(atomEnergies));
        bool stresses = !atomStresses.IsEmpty;
        if (stresses && atomStresses.Length != 6 * _n) throw new ArgumentException($"expected room for {6 * _n} atom stress components, got {atomStresses.Length}", nameof(atomStresses));

        if (_n == 0) return 0;
        if (LoadPositions(positions)) Build();
        Array.Clear(_rho);
        Array.Clear(_f);
        double[]? ea = null;
        if (perAtom) Array.Clear(ea = _atomEnergy ??= new double[_n]);
        double energy = EamKernel.Densities(_tables, _pairs, _x, _rho, ea);
        energy += EamKernel.Embed(_tables, _element, _rho, _fp, 0, _n, null, ea);
        EamKernel.Forces(_pairs, _x, _fp, _f);

        var f = _f; var order = _order;
        for (int ii = 0; ii < _n; ii++)
        {
            int o = 3 * order[ii];
            forces[o] = f[3 * ii]; forces[o + 1] = f[3 * ii + 1]; forces[o + 2] = f[3 * ii + 2];
        }
        if (ea is not null) for (int ii = 0; ii < _n; ii++) atomEnergies[order[ii]] = ea[ii];
        if (stresses)
        {
            var v = _virial ??= new double[6 * _n];
            Array.Clear(v);
            EamKernel.Virial(_pairs, _x, _fp, v);
            for (int ii = 0; ii < _n; ii++)
            {
                int o = 6 * order[ii];
                for (int c = 0; c < 6; c++) atomStresses[o + c] = -BarPerEvPerCubicAngstrom * v[6 * ii + c];
            }
        }
        return energy;
    }

    /// <summary>
    /// Each atom's virial stress times volume, as LAMMPS' <c>compute stress/atom NULL virial</c> (no kinetic term):
    /// 6N numbers, per atom (structure order) xx, yy, zz, xy, xz, yz, in bar A^3 (pressure times volume in metal
    /// units). For each pair i-j within the cutoff, with r_ij = x_i - x_j and f_ij the pair's force on i (the EAM
    /// force is pairwise: (F'_i rho'_{j->i} + F'_j rho'_{i->j} + phi') along r_ij), each of the two atoms gets
    /// -(r_ij (x) f_ij)/2, as LAMMPS' pair_eam tallies it; converted to bar with <see cref="BarPerEvPerCubicAngstrom"/>.
    /// The stress is the negative of the pressure: a compressed atom has negative diagonal components. The sum over
    /// the atoms divided by the cell volume is <see cref="CellStress(ReadOnlySpan{double}, Cell)"/>, which is LAMMPS'
    /// -(pxx, pyy, pzz, pxy, pxz, pyz) at zero temperature. The per-atom values are a partition of the virial (not
    /// unique: another partition, e.g. Hardy's, gives other atom values with the same sum).
    /// </summary>
    public double[] Stresses(ReadOnlySpan<double> positions)
    {
        var stresses = new double[6 * _n];
        Compute(positions, new double[3 * _n], default, stresses);
        return stresses;
    }

    /// <summary>
    /// The cell's stress (bar; xx, yy, zz, xy, xz, yz) from atom stresses as <see cref="Stresses"/> gives them: their
    /// sum over the volume of <paramref name="cell"/>. Equal to LAMMPS' -(pxx, pyy, pzz, pxy, pxz, pyz) without
    /// velocities.
    /// </summary>
    public static StressTensor CellStress(ReadOnlySpan<double> atomStresses, Cell cell)
    {
        if (atomStresses.Length % 6 != 0) throw new ArgumentException($"atom stresses come six numbers per atom, got {atomStresses.Length}", nameof(atomStresses));
        Span<double> sum = stackalloc double[6];
        for (int k = 0; k < atomStresses.Length; k += 6)
            for (int c = 0; c < 6; c++) sum[c] += atomStresses[k + c];
        double v = cell.Volume;
        return new StressTensor(sum[0] / v, sum[1] / v, sum[2] / v, sum[3] / v, sum[4] / v, sum[5] / v);
    }

    /// <summary>The stress of the engine's cell at <paramref name="positions"/> (bar): <see cref="CellStress(ReadOnlySpan{double}, Cell)"/> of <see cref="Stresses"/>.</summary>
    public StressTensor CellStress(ReadOnlySpan<double> positions) => CellStress(Stresses(positions), _cell);

    /// <summary>Copies the positions into internal order; true when the neighbour list must be (re)built.</summary>
    private bool LoadPositions(ReadOnlySpan<double> positions)
    {
        double limit = 0.25 * Skin * Skin;
        bool stale = !_hasList;
        var x = _x; var built = _built; var order = _order;
        for (int ii = 0; ii < _n; ii++)
        {
            int o = 3 * order[ii], k = 3 * ii;
            double px = positions[o], py = positions[o + 1], pz = positions[o + 2];
            x[k] = px; x[k + 1] = py; x[k + 2] = pz;
            double dx = px - built[k], dy = py - built[k + 1], dz = pz - built[k + 2];
            if (!(dx * dx + dy * dy + dz * dz <= limit)) stale = true; // also catches NaN
        }
        return stale;
    }

    private void Build()
    {
        var pos = new Vec3[_n];
        for (int ii = 0; ii < _n; ii++)
        {
            pos[ii] = new Vec3(_x[3 * ii], _x[3 * ii + 1], _x[3 * ii + 2]);
            if (!double.IsFinite(pos[ii].X) || !double.IsFinite(pos[ii].Y) || !double.IsFinite(pos[ii].Z))
                throw new ArgumentException($"the position of atom index {_order[ii]} is not finite");
        }
        double radius = Potential.Cutoff + Skin;
        var grid = new CellGrid(_cell, pos, _binSize);
        var builder = new PairListBuilder(_lattice);
        var buffer = new CandidateBuffer();
        var element = _element;
        for (int i = 0; i < _n; i++)
        {
            buffer.Clear();
            grid.Gather(grid.Wrapped[i], radius, i, buffer);
            for (int c = 0; c < buffer.Count; c++)
            {
                int j = buffer.Index[c];
                // each pair is met from both ends: the atom with the lower (element, index) owns it; an atom's
                // pair with its own image is owned in the direction of the lexicographically positive lattice vector
                if (j != i && (element[j] < element[i] || (element[j] == element[i] && j < i))) continue;
                var image = _lattice.Steps(new Vec3(buffer.Dx[c], buffer.Dy[c], buffer.Dz[c]), pos[j] - pos[i]);
                if (j == i && !CellLattice.IsPositive(image)) continue;
                builder.Add(j, image);
            }
            builder.EndRow();
        }
        builder.Into(_pairs, _tables, _element);
        Array.Copy(_x, _built, _x.Length);
        _hasList = true;
        ListBuilds++;
    }

    public void Dispose() { }
}

/// <summary>
/// A half neighbour list in CSR form over "local" atoms: rows for the owning atoms 0 .. Rows-1, each entry a
/// partner atom and the lattice vector to add to the difference of their positions. Also the per-call scratch of
/// <see cref="EamKernel"/>: the entries within the cutoff (compacted, per row) with their radial derivatives.
/// </summary>
internal sealed class EamPairList
{
    public int Rows;
    public int[] RowStart = [0];
    public int[] Partner = [];
    public int[] Shift = [];
    /// <summary>Lattice vectors, three numbers each, indexed by <see cref="Shift"/>.</summary>
    public double[] ShiftVectors = [];
    /// <summary>Per entry: where the table of its two atoms' elements starts in <see cref="EamTables.Fused"/>.</summary>
    public int[] Table = [];

    /// <summary>Entries within the cutoff at the last evaluation, row by row (row i from ActiveStart[i]).</summary>
    public int[] Active = [];
    public int[] ActiveStart = [0];
    /// <summary>Squared distance of each listed entry of a row while it is compacted, then the distance of each active entry.</summary>
    public double[] Distance = [];
    /// <summary>Per active entry: where its interval starts in <see cref="EamTables.Fused"/>, and the fraction within it.</summary>
    public int[] TableAt = [];
    public double[] Fraction = [];
    /// <summary>Per active entry: (d rho_in/dr) / r, (d rho_out/dr) / r, (d phi/dr) / r.</summary>
    public double[] Gradient = [];

    public int Count => RowStart[Rows];

    /// <summary>Sizes the scratch for the current rows and entries.</summary>
    public void ResizeScratch()
    {
        int n = Count;
        if (Active.Length < n || Active.Length > 2 * n + 1024)
        {
            int capacity = n + n / 8 + 64;
            Active = new int[capacity]; Distance = new double[capacity]; Gradient = new double[3 * capacity];
            TableAt = new int[capacity]; Fraction = new double[capacity];
        }
        if (ActiveStart.Length != Rows + 1) ActiveStart = new int[Rows + 1];
    }
}

/// <summary>
/// Collects neighbour-list rows and writes them canonically: each row sorted by partner, then lattice image, so that
/// sums over a row do not depend on the order the candidates were found in.
/// </summary>
internal sealed class PairListBuilder(CellLattice lattice)
{
    /// <summary>Lattice steps are packed in 10 bits each: at most this many cells either way.</summary>
    private const int MaxStep = 511;

    private readonly List<int> _rowStart = [0];
    private int[] _partner = new int[1024], _shift = new int[1024];
    private int _count;
    private readonly List<double> _vectors = [];
    private readonly Dictionary<int, int> _codes = [];
    private long[] _row = new long[256];
    private int _rowCount;
    // the last image looked up (most entries in a row share one): skips the dictionary
    private int _lastPacked = -1, _lastCode;

    public int Rows => _rowStart.Count - 1;

    public void Add(int partner, (int A, int B, int C) image)
    {
        if (Math.Abs(image.A) > MaxStep || Math.Abs(image.B) > MaxStep || Math.Abs(image.C) > MaxStep)
            throw new ArgumentException($"an atom has drifted more than {MaxStep} cell lengths from its neighbours: wrap the positions into the cell");
        int packed = ((image.A + MaxStep) << 20) | ((image.B + MaxStep) << 10) | (image.C + MaxStep);
        if (_rowCount == _row.Length) Array.Resize(ref _row, 2 * _row.Length);
        _row[_rowCount++] = ((long)partner << 30) | (long)packed;
    }

    public void EndRow()
    {
        Array.Sort(_row, 0, _rowCount);
        for (int e = 0; e < _rowCount; e++)
        {
            long key = _row[e];
            int packed = (int)(key & 0x3FFFFFFF);
            int code = _lastCode;
            if (packed != _lastPacked && !_codes.TryGetValue(packed, out code))
            {
                code = _codes.Count;
                _codes.Add(packed, code);
                var v = lattice.Vector((((packed >> 20) & 1023) - MaxStep, ((packed >> 10) & 1023) - MaxStep, (packed & 1023) - MaxStep));
                _vectors.Add(v.X); _vectors.Add(v.Y); _vectors.Add(v.Z);
            }
            (_lastPacked, _lastCode) = (packed, code);
            if (_count == _partner.Length) { Array.Resize(ref _partner, 2 * _count); Array.Resize(ref _shift, 2 * _count); }
            _partner[_count] = (int)(key >> 30);
            _shift[_count++] = code;
        }
        _rowCount = 0;
        _rowStart.Add(_count);
    }

    /// <summary>Writes the rows into a list, with the tables of the pairs of atoms of the given elements.</summary>
    public void Into(EamPairList list, EamTables tables, int[] element)
    {
        list.Rows = Rows;
        list.RowStart = _rowStart.ToArray();
        list.Partner = _partner[.._count];
        list.Shift = _shift[.._count];
        list.ShiftVectors = _vectors.ToArray();
        list.Table = new int[_count];
        int ne = tables.ElementCount;
        for (int i = 0; i < Rows; i++)
            for (int k = _rowStart[i]; k < _rowStart[i + 1]; k++)
                list.Table[k] = tables.PairOffset[element[i] * ne + element[_partner[k]]];
        list.ResizeScratch();
    }

}

/// <summary>
/// Lattice translations of a restricted-triclinic cell in whole cell-vector steps (a, b, c): the steps between a
/// raw position difference and a periodic image's displacement, and the translation vector of given steps
/// (always the same formula, so the same steps always give bit-identical vectors).
/// </summary>
internal sealed class CellLattice(Cell cell)
{
    private readonly double _lx = cell.Lx, _ly = cell.Ly, _lz = cell.Lz, _xy = cell.Xy, _xz = cell.Xz, _yz = cell.Yz;
    private readonly double _ilx = 1 / cell.Lx, _ily = 1 / cell.Ly, _ilz = 1 / cell.Lz;

    /// <summary>The steps of the lattice translation <paramref name="imageDisplacement"/> - <paramref name="rawDifference"/>.</summary>
    public (int A, int B, int C) Steps(Vec3 imageDisplacement, Vec3 rawDifference)
    {
        double x = imageDisplacement.X - rawDifference.X, y = imageDisplacement.Y - rawDifference.Y, z = imageDisplacement.Z - rawDifference.Z;
        double c = Math.Round(z * _ilz);
        double b = Math.Round((y - c * _yz) * _ily);
        double a = Math.Round((x - b * _xy - c * _xz) * _ilx);
        // what is left must be rounding noise, far below a cell length
        double rx = x - (a * _lx + b * _xy + c * _xz), ry = y - (b * _ly + c * _yz), rz = z - c * _lz;
        if (!(Math.Abs(rx) + Math.Abs(ry) + Math.Abs(rz) < 1e-6 * (_lx + _ly + _lz)) || Math.Abs(a) > 1e6 || Math.Abs(b) > 1e6 || Math.Abs(c) > 1e6)
            throw new InvalidOperationException($"internal error: a neighbour's image is not a lattice translation ({x}, {y}, {z})");
        return ((int)a, (int)b, (int)c);
    }

    /// <summary>The translation vector of the given steps.</summary>
    public Vec3 Vector((int A, int B, int C) s) =>
        new(s.A * _lx + s.B * _xy + s.C * _xz, s.B * _ly + s.C * _yz, s.C * _lz);

    /// <summary>Whether nonzero steps are lexicographically positive (one of each ± pair).</summary>
    public static bool IsPositive((int A, int B, int C) s) => s.A > 0 || (s.A == 0 && (s.B > 0 || (s.B == 0 && s.C > 0)));
}
