using Softspot.Simulation.Vibration;

namespace Softspot.Descriptors;

/// <summary>
/// The flexibility volume of Ding, Cheng, Sheng, Asta, Ritchie and Ma ("Universal structural parameter to
/// quantitatively predict metallic glass properties", Nat. Commun. 7, 13733, 2016): an atom's vibrational
/// mean-square displacement at low temperature scaled by its size, so that it has the dimension of a volume. Two
/// columns:
/// <list type="bullet">
/// <item><c>msd</c>: the vibrational MSD (A^2) about the energy minimum (<see cref="VibrationalMsd"/>: Langevin MD
/// with the native EAM engine, or the harmonic approximation; temperature, durations, time step, damping and seed
/// from <see cref="VibrationSettings"/>);</item>
/// <item><c>v_flex</c> = msd x a (A^3), with a the atom's mean distance to its Voronoi neighbours (the
/// <c>distance_mean_voro</c> column, on the frame's own positions): the paper's v_flex = Omega MSD / a^2 (atomic volume
/// times the Lindemann-like ratio MSD / a^2) with Omega taken as a^3. The paper's exact per-atom choice of a and
/// Omega could not be retrieved here; this is Softspot's documented reading.</item>
/// </list>
/// The MSD of the whole frame is computed once in <see cref="Bind"/>; the kernel reads arrays.
/// </summary>
public sealed class FlexibilityVolume(VibrationSettings settings) : Descriptor
{
    /// <summary>The recipe of the MSD.</summary>
    public VibrationSettings Settings { get; } = settings;

    /// <summary>msd then v_flex.</summary>
    public override IReadOnlyList<FeatureColumn> Columns { get; } =
    [
        new("msd", $"vibrational mean-square displacement (A^2) at {settings.Temperature:G4} K ({(settings.Method == MsdMethod.Md ? "Langevin MD" : "harmonic")}, native EAM)"),
        new("v_flex", "flexibility volume msd x mean Voronoi-neighbour distance (A^3; Ding et al. 2016)"),
    ];

    /// <summary>Runs the MD (or the harmonic estimate) of the frame, then returns a kernel that reads the arrays.</summary>
    public override AtomKernel Bind(FrameContext frame)
    {
        var msd = VibrationalMsd.Compute(frame.Snapshot, frame.Potential, Settings, frame.Threads);
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        return (atom, values) =>
        {
            int start = table.Start(atom), count = table.Count(atom);
            double a = 0;
            for (int k = start; k < start + count; k++) a += table.Distances[k];
            a = count > 0 ? a / count : double.NaN;
            values[0] = msd[atom];
            values[1] = msd[atom] * a;
        };
    }
}
