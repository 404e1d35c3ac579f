using System.Globalization;
using Softspot.Simulation.Elastic;

namespace Softspot.Descriptors;

/// <summary>
/// The local shear modulus of every atom (<see cref="LocalShearModulus"/>, GPa) under the frame's interatomic
/// potential (<see cref="FeaturizeSettings.Potential"/>): relaxed (with the non-affine relaxation) and affine, each
/// averaged over the three shear planes and per plane, and the relaxed one coarse-grained over the atoms closer than
/// <see cref="FeaturizeSettings.ShearCoarseCutoff"/>. The seven relaxations of a frame run once, in
/// <see cref="Bind"/>; the kernel only reads their arrays.
/// </summary>
public sealed class ShearModulus : Descriptor
{
    private readonly double _strain, _forceTolerance, _coarseCutoff;

    /// <summary>The columns for the shear strain, force tolerance and coarse-graining radius of <paramref name="settings"/>.</summary>
    public ShearModulus(FeaturizeSettings settings)
    {
        _strain = settings.ShearStrain;
        _forceTolerance = settings.ShearForceTolerance;
        _coarseCutoff = settings.ShearCoarseCutoff;
        var ic = CultureInfo.InvariantCulture;
        string how = string.Create(ic, $"central difference of +-{_strain:G} shear, relaxed to {_forceTolerance:G} eV/A, over the atom's Voronoi volume (GPa)");
        Columns =
        [
            new("G_affine", $"affine local shear modulus d sigma_i / d gamma averaged over the xy, xz and yz planes: {how}"),
            new("G_relaxed", $"relaxed (non-affine) local shear modulus d sigma_i / d gamma averaged over the xy, xz and yz planes: {how}"),
            new("G_relaxed_xy", $"relaxed local shear modulus of the xy plane: {how}"),
            new("G_relaxed_xz", $"relaxed local shear modulus of the xz plane: {how}"),
            new("G_relaxed_yz", $"relaxed local shear modulus of the yz plane: {how}"),
            new("G_affine_xy", $"affine local shear modulus of the xy plane: {how}"),
            new("G_affine_xz", $"affine local shear modulus of the xz plane: {how}"),
            new("G_affine_yz", $"affine local shear modulus of the yz plane: {how}"),
            new("G_coarse", string.Create(ic, $"G_relaxed coarse-grained over the atom and every atom closer than {_coarseCutoff:G} A: sum_j G_j V_j / sum_j V_j (GPa)")),
        ];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<FeatureColumn> Columns { get; }

    /// <inheritdoc/>
    public override AtomKernel Bind(FrameContext frame)
    {
        if (!(_coarseCutoff > 0)) throw new SoftspotException(string.Create(CultureInfo.InvariantCulture, $"--shear-coarse-cutoff {_coarseCutoff}: must be positive"));
        frame.Snapshot.Cell.EnsureCutoffFits(_coarseCutoff, "--shear-coarse-cutoff");
        var modulus = frame.Shared(FormattableString.Invariant($"local shear modulus {_strain:R} {_forceTolerance:R}"), () => LocalShearModulus.Compute(frame.Snapshot, frame.Potential,
            new LocalShearSettings { Strain = _strain, ForceTolerance = _forceTolerance, Threads = frame.Threads }));
        var relaxed = modulus.RelaxedMean();
        double[][] arrays =
        [
            modulus.AffineMean(), relaxed,
            modulus.Relaxed(ShearPlane.Xy), modulus.Relaxed(ShearPlane.Xz), modulus.Relaxed(ShearPlane.Yz),
            modulus.Affine(ShearPlane.Xy), modulus.Affine(ShearPlane.Xz), modulus.Affine(ShearPlane.Yz),
            modulus.CoarseGrained(relaxed, _coarseCutoff, frame.Threads),
        ];
        return (atom, values) =>
        {
            for (int c = 0; c < arrays.Length; c++) values[c] = arrays[c][atom];
        };
    }
}
