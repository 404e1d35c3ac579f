using Softspot.Neighbours;
using Softspot.Structures;

namespace Softspot.Simulation.Forces;

/// <summary>
/// The EAM energy surface of a few mobile atoms in a frozen environment, at a cost independent of the size of the
/// structure. With every other atom fixed, the total energy is, up to a constant,
/// <code>
/// E_local = sum_{mobile i} F_i(rho_i) + sum_{frozen j} [F_j(rho_j) - F_j(rho_j^fixed)] + sum_{pairs with a mobile atom} phi
/// </code>
/// where rho_j^fixed is the density the frozen atoms alone give a frozen atom j. Only frozen atoms within the cutoff
/// of a mobile atom have rho_j != rho_j^fixed, so the sums run over the mobile atoms and a "shell" of frozen atoms
/// within cutoff + skin of them; the frozen-frozen pair energies and the frozen part of the shell's densities are
/// computed once. Forces on the mobile atoms are exact, and E_local differs from the whole structure's energy by
/// the same constant for every mobile configuration (agrees with <see cref="EamForceEngine"/> to rounding).
/// <para>
/// The mobile atoms' neighbour lists (other mobile atoms and the shell, with periodic images) are Verlet lists
/// rebuilt when a mobile atom has moved more than half the skin; the shell then grows or shrinks with them.
/// Making the surface costs one pass over all atoms (binning them once); each call costs only the local atoms.
/// </para>
/// </summary>
public sealed class EamLocalSurface : IPotentialSurface
{
    private readonly EamTables _tables;
    private readonly Cell _cell;
    private readonly CellLattice _lattice;
    private readonly int[] _mobile;
    private readonly bool[] _isMobile;
    private readonly Vec3[] _reference;      // every atom where the surface was made (raw positions)
    private readonly int[] _elementOfAtom;
    private readonly CellGrid _grid;          // every atom at its reference position
    private readonly Dictionary<int, double> _fixedDensity = [];
    private readonly double _cutoff;
    private readonly EamPairList _pairs = new();
    private readonly double[] _built;         // mobile positions at the last list build
    private readonly CandidateBuffer _buffer = new();
    private readonly bool[] _inShell;          // scratch of Build: frozen atoms found within reach, all false between builds
    private readonly int[] _localOf;           // scratch of Build: local index of each shell atom (structure order)
    private readonly List<int> _shell = [];

    // local atoms: the mobile ones (0 .. M-1, in the order of Mobile), then the shell
    private int _local;
    private int[] _atomOfLocal = [];
    private int[] _element = [];
    private double[] _pos = [], _rho = [], _rhoFixed = [], _offset = [], _fp = [], _f = [];
    private bool _hasList;

    /// <param name="engine">the whole-structure engine (potential, element of each atom, cell).</param>
    /// <param name="positions">all positions (3N, structure order); the frozen atoms stay here.</param>
    /// <param name="mobile">indices of the atoms that move (distinct).</param>
    /// <param name="skin">Verlet skin of the local lists (A).</param>
    public EamLocalSurface(EamForceEngine engine, ReadOnlySpan<double> positions, IReadOnlyList<int> mobile, double skin = EamForceEngine.DefaultSkin)
    {
        int n = engine.Count;
        if (positions.Length != 3 * n) throw new ArgumentException($"expected {3 * n} coordinates, got {positions.Length}", nameof(positions));
        if (mobile.Count == 0) throw new ArgumentException("at least one atom must be mobile", nameof(mobile));
        if (!(skin >= 0) || !double.IsFinite(skin)) throw new ArgumentOutOfRangeException(nameof(skin), "the skin must be a non-negative distance");
        _tables = engine.Tables;
        _cell = engine.Cell;
        _lattice = engine.Lattice;
        _elementOfAtom = engine.ElementOfAtom;
        _cutoff = engine.Potential.Cutoff;
        Skin = skin;
        _isMobile = new bool[n];
        _inShell = new bool[n];
        _localOf = new int[n];
        _mobile = mobile.ToArray();
        foreach (int i in _mobile)
        {
            if (i < 0 || i >= n) throw new ArgumentOutOfRangeException(nameof(mobile), $"mobile atom index {i} is not between 0 and {n - 1}");
            if (_isMobile[i]) throw new ArgumentException($"mobile atom index {i} is listed twice", nameof(mobile));
            _isMobile[i] = true;
        }
        _reference = new Vec3[n];
        for (int i = 0; i < n; i++)
        {
            _reference[i] = new Vec3(positions[3 * i], positions[3 * i + 1], positions[3 * i + 2]);
            if (!double.IsFinite(_reference[i].X) || !double.IsFinite(_reference[i].Y) || !double.IsFinite(_reference[i].Z))
                throw new ArgumentException($"the position of atom {i} is not finite", nameof(positions));
        }
        double spacing = Math.Cbrt(_cell.Volume / n);
        _grid = new CellGrid(_cell, _reference, Math.Max((_cutoff + skin) / 3, 0.8 * spacing));
        _built = new double[3 * _mobile.Length];
    }

    public IReadOnlyList<int> Mobile => _mobile;
    public long Calls { get; private set; }
    public double Skin { get; }
    /// <summary>Atoms a call involves: the mobile atoms and the frozen shell within cutoff + skin of them.</summary>
    public int InvolvedAtoms => _local;
    /// <summary>How many times the local lists have been built.</summary>
    public int ListBuilds { get; private set; }

    public double Compute(ReadOnlySpan<double> x, Span<double> forces)
    {
        int m = _mobile.Length;
        if (x.Length != 3 * m) throw new ArgumentException($"expected {3 * m} mobile coordinates, got {x.Length}", nameof(x));
        if (forces.Length != 3 * m) throw new ArgumentException($"expected room for {3 * m} force components, got {forces.Length}", nameof(forces));
        Calls++;
        double limit = 0.25 * Skin * Skin;
        bool stale = !_hasList;
        for (int k = 0; k < 3 * m; k += 3)
        {
            double dx = x[k] - _built[k], dy = x[k + 1] - _built[k + 1], dz = x[k + 2] - _built[k + 2];
            if (!(dx * dx + dy * dy + dz * dz <= limit)) stale = true; // also catches NaN
        }
        if (stale) Build(x);
        x.CopyTo(_pos);
        Array.Copy(_rhoFixed, _rho, _local);
        Array.Clear(_f, 0, 3 * _local);

        double energy = EamKernel.Densities(_tables, _pairs, _pos, _rho, null);
        energy += EamKernel.Embed(_tables, _element, _rho, _fp, 0, m, null, null);
        energy += EamKernel.Embed(_tables, _element, _rho, _fp, m, _local, _offset, null);
        EamKernel.Forces(_pairs, _pos, _fp, _f);
        _f.AsSpan(0, 3 * m).CopyTo(forces);
        return energy;
    }

    private void Build(ReadOnlySpan<double> x)
    {
        int m = _mobile.Length;
        var at = new Vec3[m];
        for (int k = 0; k < m; k++)
        {
            at[k] = new Vec3(x[3 * k], x[3 * k + 1], x[3 * k + 2]);
            if (!double.IsFinite(at[k].X) || !double.IsFinite(at[k].Y) || !double.IsFinite(at[k].Z))
                throw new ArgumentException($"the position of mobile atom {_mobile[k]} is not finite");
        }
        double radius = _cutoff + Skin;

        // mobile-mobile pairs (owned by the earlier mobile atom) and mobile-frozen pairs (owned by the mobile atom)
        var mobileGrid = new CellGrid(_cell, at, Math.Max(radius / 3, 0.8 * Math.Cbrt(_cell.Volume / Math.Max(1, _grid.Count))));
        var rows = new List<(int Partner, (int, int, int) Image)>[m];
        var shell = _shell;
        shell.Clear();
        for (int k = 0; k < m; k++)
        {
            var row = rows[k] = [];
            _buffer.Clear();
            mobileGrid.Gather(mobileGrid.Wrapped[k], radius, k, _buffer);
            for (int c = 0; c < _buffer.Count; c++)
            {
                int l = _buffer.Index[c];
                if (l < k) continue;
                var image = _lattice.Steps(new Vec3(_buffer.Dx[c], _buffer.Dy[c], _buffer.Dz[c]), at[l] - at[k]);
                if (l == k && !CellLattice.IsPositive(image)) continue;
                row.Add((l, image));
            }
            _buffer.Clear();
            _grid.Gather(_cell.Wrap(at[k]), radius, -1, _buffer);
            for (int c = 0; c < _buffer.Count; c++)
            {
                int j = _buffer.Index[c];
                if (_isMobile[j]) continue;
                var image = _lattice.Steps(new Vec3(_buffer.Dx[c], _buffer.Dy[c], _buffer.Dz[c]), _reference[j] - at[k]);
                row.Add((-1 - j, image)); // frozen partners by structure index, numbered once the shell is known
                if (!_inShell[j]) { _inShell[j] = true; shell.Add(j); }
            }
        }

        // local numbering: mobile atoms, then the shell in structure order (so sums do not depend on history)
        shell.Sort();
        foreach (int j in shell) _inShell[j] = false;
        _local = m + shell.Count;
        _atomOfLocal = new int[_local];
        _element = new int[_local];
        _pos = new double[3 * _local]; _rho = new double[_local]; _rhoFixed = new double[_local];
        _offset = new double[_local]; _fp = new double[_local]; _f = new double[3 * _local];
        var localOf = _localOf;
        for (int k = 0; k < m; k++) { _atomOfLocal[k] = _mobile[k]; _element[k] = _elementOfAtom[_mobile[k]]; }
        int next = m;
        foreach (int j in shell)
        {
            localOf[j] = next;
            _atomOfLocal[next] = j;
            _element[next] = _elementOfAtom[j];
            _pos[3 * next] = _reference[j].X; _pos[3 * next + 1] = _reference[j].Y; _pos[3 * next + 2] = _reference[j].Z;
            _rhoFixed[next] = FixedDensity(j);
            _offset[next] = _tables.Embedding[_element[next]].Value(_rhoFixed[next]);
            next++;
        }
        var builder = new PairListBuilder(_lattice);
        for (int k = 0; k < m; k++)
        {
            foreach (var (partner, image) in rows[k]) builder.Add(partner >= 0 ? partner : localOf[-1 - partner], image);
            builder.EndRow();
        }
        builder.Into(_pairs, _tables, _element);
        x.CopyTo(_built);
        _hasList = true;
        ListBuilds++;
    }

    /// <summary>The density the frozen atoms give frozen atom j (computed once per atom and kept).</summary>
    private double FixedDensity(int j)
    {
        if (_fixedDensity.TryGetValue(j, out double known)) return known;
        double cut2 = _tables.CutoffSquared;
        int host = _elementOfAtom[j];
        _buffer.Clear();
        _grid.Gather(_grid.Wrapped[j], _cutoff * (1 + 1e-9) + 1e-9, j, _buffer);
        double rho = 0;
        for (int c = 0; c < _buffer.Count; c++)
        {
            int i = _buffer.Index[c];
            if (_isMobile[i]) continue;
            // the displacement as the pair lists compute it, so the cutoff test matches theirs
            var raw = _reference[i] - _reference[j];
            var d = raw + _lattice.Vector(_lattice.Steps(new Vec3(_buffer.Dx[c], _buffer.Dy[c], _buffer.Dz[c]), raw));
            double r2 = d.Norm2;
            if (r2 >= cut2) continue;
            rho += _tables.Density(_elementOfAtom[i], host, Math.Sqrt(r2));
        }
        _fixedDensity[j] = rho;
        return rho;
    }
}
