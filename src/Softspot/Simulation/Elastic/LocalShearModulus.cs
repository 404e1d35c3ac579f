using System.Globalization;
using Softspot.Neighbours;
using Softspot.Simulation.Forces;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Simulation.Elastic;

/// <summary>How <see cref="LocalShearModulus"/> strains and relaxes a glass.</summary>
public sealed record LocalShearSettings
{
    /// <summary>
    /// The default shear strain. On the 500-atom Cu-Zr glass the relaxed atom moduli at gamma = 1e-4 differ from those at
    /// 1e-5 by 0.15 GPa rms (0.7 % of their 23 GPa spread), at 1e-3 by 0.30 GPa, at 3e-3 by 0.9 GPa: the central
    /// difference converges only about linearly in gamma (atoms near soft spots respond non-linearly already at small
    /// strains; and tabulated potentials interpolated with C1 cubics, as LAMMPS does, have second derivatives that jump
    /// at the table's knots), and it costs the same at any gamma, so the smaller strain.
    /// </summary>
    public const double DefaultStrain = 1e-4;

    /// <summary>The default force tolerance (eV/A) of every relaxation.</summary>
    public const double DefaultForceTolerance = 1e-10;

    /// <summary>The default coarse-graining radius (A) of <see cref="LocalShearModulus.CoarseGrained"/>: Softspot's choice (the paper's is not known).</summary>
    public const double DefaultCoarseCutoff = 6.0;

    /// <summary>The engineering shear strain gamma of the central differences (+-gamma), in (0, 0.05].</summary>
    public double Strain { get; init; } = DefaultStrain;

    /// <summary>Every relaxation (the glass, then each sheared glass) stops when no atom feels more than this force (eV/A).</summary>
    public double ForceTolerance { get; init; } = DefaultForceTolerance;

    /// <summary>FIRE steps a relaxation may take before it is an error.</summary>
    public int MaxSteps { get; init; } = 200_000;

    /// <summary>Threads: the six sheared relaxations run side by side on up to this many (the result does not depend on it).</summary>
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;

    /// <summary>Throws a one-line <see cref="SoftspotException"/> when a setting is out of range.</summary>
    public void Check()
    {
        var ic = CultureInfo.InvariantCulture;
        if (!(Strain > 0 && Strain <= 0.05)) throw new SoftspotException(string.Create(ic, $"the shear strain {Strain} must lie in (0, 0.05]"));
        if (!(ForceTolerance > 0 && ForceTolerance <= 1e-3)) throw new SoftspotException(string.Create(ic, $"the relaxation force tolerance {ForceTolerance} eV/A must lie in (0, 1e-3]"));
        if (MaxSteps < 1) throw new SoftspotException($"the relaxation step limit {MaxSteps} must be at least 1");
    }
}

/// <summary>
/// One shear plane's response: the plane's shear component (xy, xz or yz) of every atom's stress times volume (bar
/// A^3, as <see cref="EamForceEngine.Stresses"/>), at strain -gamma and +gamma, right after the affine shear of the
/// relaxed glass and after relaxing it; and how the two relaxations ended.
/// </summary>
public sealed record PlaneResponse(ShearPlane Plane, double[] AffineMinus, double[] AffinePlus, double[] RelaxedMinus, double[] RelaxedPlus,
    RelaxationResult Minus, RelaxationResult Plus);

/// <summary>
/// The local (atomic) shear modulus of a glass under an EAM potential, by the recipe of Tsamados, Tanguy, Goldenberg
/// and Barrat (PRE 80, 026112, 2009) and Mizuno, Mossa and Barrat (PRE 87, 042306, 2013): relax the glass at fixed
/// cell; for each shear plane ab (xy, xz, yz) and strain +-gamma apply the homogeneous simple shear
/// (<see cref="AffineShear"/>, atoms remapped), take every atom's stress (affine), relax at fixed cell, take every
/// atom's stress again (relaxed). Atom i's modulus of plane ab is the central difference
/// G_i = [s_i,ab(+gamma) - s_i,ab(-gamma)] / (2 gamma V_i), with s_i the atom's stress times volume (LAMMPS'
/// <c>compute stress/atom NULL virial</c>, so sigma_i = s_i / V_i and tension is positive) and V_i the volume of the
/// atom's Voronoi cell (plain Voronoi, no radii, no face filter: the cell volume, as LAMMPS' <c>compute
/// voronoi/atom</c>) in the relaxed glass, held fixed. Units GPa. The affine modulus is that of the stresses before
/// relaxation (the Born term plus the stress terms of simple shear); the relaxed one includes the non-affine
/// relaxation and is the local elastic constant C_abab of the cited papers. Since the V_i sum to the cell volume V,
/// sum_i G_i V_i / V is exactly the central difference of the cell's shear stress, the glass's shear modulus of that plane.
/// </summary>
public sealed class LocalShearModulus
{
    /// <summary>One bar in GPa.</summary>
    public const double GpaPerBar = 1e-4;

    private static readonly ShearPlane[] AllPlanes = [ShearPlane.Xy, ShearPlane.Xz, ShearPlane.Yz];

    /// <summary>The glass relaxed at fixed cell (positions wrapped into the cell): the reference state at zero strain.</summary>
    public Snapshot Glass { get; }

    /// <summary>How the relaxation of the glass ended.</summary>
    public RelaxationResult Reference { get; }

    /// <summary>Every atom's stress times volume in the relaxed glass (6N, xx yy zz xy xz yz per atom, bar A^3).</summary>
    public double[] ReferenceStresses { get; }

    /// <summary>The Voronoi cell volume of every atom in the relaxed glass (A^3); they sum to the cell volume.</summary>
    public double[] Volumes { get; }

    /// <summary>The shear strain gamma of the central differences.</summary>
    public double Strain { get; }

    /// <summary>The responses of the xy, xz and yz planes, in that order.</summary>
    public IReadOnlyList<PlaneResponse> Planes { get; }

    private LocalShearModulus(Snapshot glass, RelaxationResult reference, double[] referenceStresses, double[] volumes, double strain, PlaneResponse[] planes)
    {
        Glass = glass; Reference = reference; ReferenceStresses = referenceStresses; Volumes = volumes; Strain = strain; Planes = planes;
    }

    /// <summary>
    /// Relaxes <paramref name="structure"/> and shears it by +-gamma on the three planes (seven relaxations; the six
    /// sheared ones on up to <see cref="LocalShearSettings.Threads"/> threads). <paramref name="elementsByType"/> maps
    /// atom types to the potential's elements (null: the structure's element names).
    /// </summary>
    /// <exception cref="SoftspotException">A setting is out of range, the cell is not periodic, or a relaxation does not converge.</exception>
    public static LocalShearModulus Compute(Snapshot structure, SetflPotential potential, LocalShearSettings? settings = null, IReadOnlyList<string>? elementsByType = null)
    {
        settings ??= new LocalShearSettings();
        settings.Check();
        if (!structure.Cell.Periodic.All(p => p)) throw new SoftspotException("the local shear modulus needs a cell periodic in x, y and z");
        if (structure.Count == 0) throw new SoftspotException("the local shear modulus needs at least one atom");
        double gamma = settings.Strain;

        // the reference: the glass relaxed at fixed cell
        double[] x = FlatCoordinates.Flatten(structure.Positions);
        RelaxationResult reference;
        double[] referenceStresses;
        using (var engine = new EamForceEngine(structure, potential, elementsByType))
        {
            reference = Relax(engine, x, settings, "the glass");
            referenceStresses = engine.Stresses(x);
        }
        var wrapped = new Vec3[structure.Count];
        for (int i = 0; i < wrapped.Length; i++) wrapped[i] = structure.Cell.Wrap(new Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]));
        var glass = new Snapshot(structure.Cell, structure.Ids, structure.Types, wrapped) { Elements = structure.Elements, Source = structure.Source };

        // the six sheared glasses (plane, sign), each with its own engine
        var jobs = Parallelism.MapChunks(2 * AllPlanes.Length, 1, settings.Threads, (k, _) =>
        {
            var plane = AllPlanes[k / 2];
            double strain = k % 2 == 0 ? -gamma : gamma;
            var sheared = AffineShear.Apply(glass, plane, strain);
            var y = FlatCoordinates.Flatten(sheared.Positions);
            using var engine = new EamForceEngine(sheared, potential, elementsByType);
            var affine = Component(engine.Stresses(y), plane);
            var result = Relax(engine, y, settings, string.Create(CultureInfo.InvariantCulture, $"the glass sheared by {strain:G3} ({plane})"));
            return (Affine: affine, Relaxed: Component(engine.Stresses(y), plane), Result: result);
        });
        var planes = AllPlanes.Select((plane, p) => new PlaneResponse(plane, jobs[2 * p].Affine, jobs[2 * p + 1].Affine,
            jobs[2 * p].Relaxed, jobs[2 * p + 1].Relaxed, jobs[2 * p].Result, jobs[2 * p + 1].Result)).ToArray();

        // Voronoi cell volumes of the relaxed glass (no face is kept: only the volumes are needed)
        var volumes = VoronoiTessellator.Compute(glass, new VoronoiOptions { Threads = settings.Threads, Filter = FaceFilter.MinArea(double.PositiveInfinity) }).Volume;
        return new LocalShearModulus(glass, reference, referenceStresses, volumes, gamma, planes);
    }

    /// <summary>The response of one plane.</summary>
    public PlaneResponse Response(ShearPlane plane) => Planes[(int)plane];

    /// <summary>Every atom's affine shear modulus of a plane (GPa): the central difference of its stresses before relaxation.</summary>
    public double[] Affine(ShearPlane plane) => Moduli(Response(plane).AffineMinus, Response(plane).AffinePlus);

    /// <summary>Every atom's relaxed shear modulus of a plane (GPa): the central difference of its relaxed stresses.</summary>
    public double[] Relaxed(ShearPlane plane) => Moduli(Response(plane).RelaxedMinus, Response(plane).RelaxedPlus);

    /// <summary>Every atom's affine shear modulus averaged over the three planes (GPa).</summary>
    public double[] AffineMean() => Mean(AllPlanes.Select(Affine).ToArray());

    /// <summary>Every atom's relaxed shear modulus averaged over the three planes (GPa).</summary>
    public double[] RelaxedMean() => Mean(AllPlanes.Select(Relaxed).ToArray());

    /// <summary>
    /// The glass's relaxed shear modulus of a plane from the cell stress (GPa): the central difference of the sum of
    /// the relaxed atom stresses over the cell volume, d sigma_ab / d gamma.
    /// </summary>
    public double CellModulus(ShearPlane plane)
    {
        var r = Response(plane);
        return (r.RelaxedPlus.Sum() - r.RelaxedMinus.Sum()) / (2 * Strain * Glass.Cell.Volume) * GpaPerBar;
    }

    /// <summary>
    /// Coarse-grained moduli (GPa): for each atom, the modulus of the region made of the atom and every atom closer
    /// than <paramref name="cutoff"/> (A) in the relaxed glass, sum_j G_j V_j / sum_j V_j (the region's stress change
    /// over the strain, i.e. the volume-weighted mean of its atoms' moduli).
    /// </summary>
    /// <exception cref="SoftspotException">The cutoff is not positive or does not fit the cell (at most half its width).</exception>
    public double[] CoarseGrained(double[] moduli, double cutoff, int? threads = null)
    {
        if (moduli.Length != Volumes.Length) throw new ArgumentException($"expected {Volumes.Length} moduli, got {moduli.Length}", nameof(moduli));
        if (!(cutoff > 0)) throw new SoftspotException(string.Create(CultureInfo.InvariantCulture, $"the coarse-graining cutoff {cutoff} A must be positive"));
        var list = NeighbourSearch.WithinCutoff(Glass, cutoff, threads);
        var coarse = new double[moduli.Length];
        for (int i = 0; i < coarse.Length; i++)
        {
            double gv = moduli[i] * Volumes[i], v = Volumes[i];
            for (int k = list.Offsets[i]; k < list.Offsets[i + 1]; k++)
            {
                int j = list.Index[k];
                gv += moduli[j] * Volumes[j];
                v += Volumes[j];
            }
            coarse[i] = gv / v;
        }
        return coarse;
    }

    private double[] Moduli(double[] minus, double[] plus)
    {
        var g = new double[minus.Length];
        for (int i = 0; i < g.Length; i++) g[i] = (plus[i] - minus[i]) / (2 * Strain * Volumes[i]) * GpaPerBar;
        return g;
    }

    private static double[] Mean(double[][] byPlane)
    {
        var m = new double[byPlane[0].Length];
        for (int i = 0; i < m.Length; i++) m[i] = (byPlane[0][i] + byPlane[1][i] + byPlane[2][i]) / 3;
        return m;
    }

    /// <summary>The shear component of a plane from 6N atom stresses.</summary>
    private static double[] Component(double[] stresses, ShearPlane plane)
    {
        int c = 3 + (int)plane;
        var s = new double[stresses.Length / 6];
        for (int i = 0; i < s.Length; i++) s[i] = stresses[6 * i + c];
        return s;
    }

    private static RelaxationResult Relax(EamForceEngine engine, double[] x, LocalShearSettings settings, string what)
    {
        var r = Relaxation.Minimize(engine, x, settings.ForceTolerance, settings.MaxSteps);
        if (!r.Converged)
            throw new SoftspotException(string.Create(CultureInfo.InvariantCulture,
                $"the relaxation of {what} did not reach the force tolerance {settings.ForceTolerance:G3} eV/A in {r.Steps} FIRE steps (largest force {r.MaxForce:G3} eV/A): loosen the tolerance"));
        return r;
    }
}
