namespace Softspot.Simulation.Art;

/// <summary>
/// Parameters of one ART nouveau search (lengths in A, energies in eV, curvatures in eV/A^2, forces in eV/A). The
/// defaults follow the setting that worked on Cu-Zr glasses here (../shared/reference/datagen.md), with the saddle
/// force tightened to 0.01 eV/A.
/// </summary>
public sealed record ArtSettings
{
    /// <summary>The initiating atom and its neighbours within this distance get the random initial direction.</summary>
    public double InitialRadius { get; init; } = 3.7;
    /// <summary>Length of each push along the initial direction while in the basin.</summary>
    public double BasinStep { get; init; } = 0.2;
    /// <summary>Relaxation steps perpendicular to the push after each basin step.</summary>
    public int BasinRelaxSteps { get; init; } = 8;
    public int MaxBasinSteps { get; init; } = 40;
    /// <summary>The basin is left once the lowest eigenvalue falls below this.</summary>
    public double EigenvalueThreshold { get; init; } = -0.3;
    /// <summary>Convergence at the saddle: the norm of the total force vector.</summary>
    public double SaddleForce { get; init; } = 0.01;
    public int MaxActivationSteps { get; init; } = 120;
    /// <summary>Largest step along the lowest mode in the activation phase.</summary>
    public double ActivationStep { get; init; } = 0.08;
    /// <summary>Relaxation steps perpendicular to the mode after each activation step.</summary>
    public int ActivationRelaxSteps { get; init; } = 4;
    /// <summary>Iterations after which a positive eigenvalue in the activation phase counts as losing the saddle.</summary>
    public int LostCurvatureSteps { get; init; } = 20;
    public int LanczosIterations { get; init; } = 20;
    public double LanczosStep { get; init; } = 0.002;
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
