namespace Softspot.Simulation.Art;

/// <summary>
/// Parameters of one ART nouveau search (lengths in A, energies in eV, curvatures in eV/A^2, forces in eV/A). The
/// defaults were measured on the shipped Cu-Zr glasses (BENCHMARKS.md, "A more efficient search"); the saddle checks
/// (force, one negative eigenvalue, connection, minimum barrier) are those of the first version.
/// </summary>
public sealed record ArtSettings
{
    /// <summary>
    /// The search algorithm's version, recorded with every campaign: events of different versions (or settings) are not
    /// mixed in one events file. 1: the first driver (until 2026-12); 2: basin relaxation to a balance of forces,
    /// Lanczos from the third push, smoothed switch to the mode, perpendicular relaxation that grows near the saddle,
    /// looser Lanczos convergence, early abandonment and a shortened check of the connection.
    /// </summary>
    public const int Version = 2;

    /// <summary>The initiating atom and its neighbours within this distance get the random initial direction.</summary>
    public double InitialRadius { get; init; } = 3.7;
    /// <summary>Length of each push along the initial direction while in the basin.</summary>
    public double BasinStep { get; init; } = 0.2;
    /// <summary>At most this many relaxation steps perpendicular to the push after each basin step; they stop once the
    /// perpendicular force is below <see cref="BasinRelaxForce"/> or below the force along the push.</summary>
    public int BasinRelaxSteps { get; init; } = 16;
    public double BasinRelaxForce { get; init; } = 0.05;
    public int MaxBasinSteps { get; init; } = 40;
    /// <summary>The lowest mode is computed from this basin step on.</summary>
    public int LanczosFromStep { get; init; } = 3;
    /// <summary>Activation steps over which the step direction turns from the push to the lowest mode.</summary>
    public int SmoothSteps { get; init; } = 2;
    /// <summary>The basin is left once the lowest eigenvalue falls below this.</summary>
    public double EigenvalueThreshold { get; init; } = -0.3;
    /// <summary>Convergence at the saddle: the norm of the total force vector.</summary>
    public double SaddleForce { get; init; } = 0.01;
    public int MaxActivationSteps { get; init; } = 200;
    /// <summary>Largest step along the lowest mode in the activation phase.</summary>
    public double ActivationStep { get; init; } = 0.08;
    /// <summary>Relaxation steps perpendicular to the mode after each activation step while the force is above 1 eV/A (twice
    /// as many below it, four times below 0.1 eV/A).</summary>
    public int ActivationRelaxSteps { get; init; } = 4;
    /// <summary>Activation steps in a row with a positive lowest eigenvalue after which the search is abandoned.</summary>
    public int LostCurvatureSteps { get; init; } = 10;
    public int LanczosIterations { get; init; } = 20;
    public double LanczosStep { get; init; } = 0.002;
    /// <summary>Lanczos stops once the lowest Ritz value changes by less than this between iterations (eV/A^2).</summary>
    public double LanczosTolerance { get; init; } = 0.01;
    /// <summary>Saddles flatter than this (|lowest eigenvalue|) or lower than <see cref="MinimumBarrier"/> are rejected as noise.</summary>
    public double MinimumCurvature { get; init; } = 0.01;
    public double MinimumBarrier { get; init; } = 0.005;
    /// <summary>A second eigenvalue below minus this makes the saddle higher-order (rejected).</summary>
    public double SecondEigenvalueTolerance { get; init; } = 0.005;
    /// <summary>Push past the saddle along the mode before minimising to the final (and back to the initial) state.</summary>
    public double PushOver { get; init; } = 0.2;
    /// <summary>Minimisation stops when no atom feels more than this force.</summary>
    public double MinimizeForce { get; init; } = 0.001;
    public int MaxMinimizeSteps { get; init; } = 5000;
    /// <summary>Relaxing back from the saddle must end this close (largest atom distance) to the initial minimum.</summary>
    public double ConnectTolerance { get; init; } = 0.1;
    /// <summary>Atoms displaced more than this count as moved (participation).</summary>
    public double MovedThreshold { get; init; } = 0.1;
    /// <summary>Relax back from the saddle to check that it connects to the initial minimum.</summary>
    public bool CheckConnection { get; init; } = true;
}
