using System.Text.Json.Serialization;
using Softspot.Neighbours;
using Softspot.Simulation.Potentials;

namespace Softspot.Descriptors;

/// <summary>
/// Everything that changes descriptor values, recorded with every feature table so that new structures can be
/// featurized identically, and the number of threads to compute them on (<see cref="Threads"/>, which changes no
/// value and is not recorded). Defaults are the papers' (descriptor-spec.md B.1, B.8).
/// </summary>
public sealed record FeaturizeSettings
{
    /// <summary>Voronoi neighbours farther than this (A) are not neighbours (amlearn's candidate cutoff).</summary>
    public double VoronoiCutoff { get; init; } = 5.0;

    /// <summary>The small-face filter: faces below this fraction of the running mean area are dropped (0 keeps all).</summary>
    public double SmallFaceFraction { get; init; } = 0.05;

    /// <summary>Distance neighbours: every atom closer than this (A).</summary>
    public double DistanceCutoff { get; init; } = 4.0;

    /// <summary>Radius overrides by element or type ("Cu=1.28,Zr=1.6" or "1=1.28"); Miracle radii otherwise.</summary>
    public string? Radii { get; init; }

    /// <summary>Reproduce amlearn's atan azimuth in the bond-orientational order (not rotation invariant).</summary>
    public bool AmlearnAzimuth { get; init; }

    /// <summary>
    /// Angular symmetry functions with amlearn's r_jk: the minimum-image distance between the two neighbours rather
    /// than the triangle's third side (they differ only in cells narrower than 4 cutoffs).
    /// </summary>
    public bool AmlearnTripletMinimumImage { get; init; }

    /// <summary>Round i-fold symmetry indices to float32 as amlearn does.</summary>
    public bool Float32FoldSymmetry { get; init; }

    /// <summary>
    /// Bispectrum (SNAP) cutoff radius R_i by element or type ("Cu=2.5,Zr=2.9" or "1=2.5"); unnamed elements get
    /// 2.2 × their Miracle radius (<see cref="Bispectrum.FromSystem"/>).
    /// </summary>
    public string? SnaRadii { get; init; }

    /// <summary>Bispectrum (SNAP) neighbour weight w_i by element or type ("Cu=1.0,Zr=1.2"); unnamed elements weigh 1.</summary>
    public string? SnaWeights { get; init; }

    /// <summary>Bispectrum (SNAP) rcutfac: a pair's cutoff is rcutfac·(R_i + R_j).</summary>
    public double SnaRCutFac { get; init; } = 1.0;

    /// <summary>Bispectrum (SNAP) rfac0: θ₀ = rfac0·π at the cutoff (LAMMPS examples' 0.99363).</summary>
    public double SnaRFac0 { get; init; } = Bispectrum.DefaultRFac0;

    /// <summary>Bispectrum (SNAP) rmin0 (A): the distance mapped to θ₀ = 0.</summary>
    public double SnaRMin0 { get; init; }

    /// <summary>Bispectrum (SNAP) switchflag: the cosine switching function to zero at the cutoff (LAMMPS default: on).</summary>
    public bool SnaSwitch { get; init; } = true;

    /// <summary>Bispectrum (SNAP) bzeroflag: subtract the bispectrum of an isolated atom (LAMMPS compute sna/atom default: on).</summary>
    public bool SnaSubtractIsolated { get; init; } = true;

    /// <summary>
    /// R_min of the moment tensor descriptors' Chebyshev radial basis (A; the <c>mtp</c> preset): where its argument
    /// is −1. Below the shortest Cu-Zr bond (about 2.2 A); closer neighbours are extrapolated, as in MLIP.
    /// </summary>
    public double MtpRmin { get; init; } = 2.0;

    /// <summary>R_cut of the moment tensor descriptors (A; the <c>mtp</c> preset): neighbours closer than this count.</summary>
    public double MtpRcut { get; init; } = 5.0;

    /// <summary>
    /// SOAP (<c>soap</c> preset): the radius r_cut (A) of the GTO radial basis; neighbours count to
    /// r_cut + σ √(2 ln 1000) (<see cref="Soap"/>). Default 6 A: the first two coordination shells of a Cu–Zr glass
    /// (the second ends near 6 A), about the 6.3 A of the radial symmetry functions.
    /// </summary>
    public double SoapCutoff { get; init; } = 6.0;

    /// <summary>
    /// SOAP: the width σ (A) of the Gaussian put on each atom. Default 0.5 A: about a fifth of the nearest-neighbour
    /// distance (2.5 to 3.2 A in Cu–Zr), wider than thermal vibrations, narrow enough to resolve the first-shell
    /// distances of the two species.
    /// </summary>
    public double SoapSigma { get; init; } = 0.5;

    /// <summary>
    /// SOAP: keep every (n, n') in the cross-species blocks, as dscribe does today (702 columns for Cu–Zr), instead of
    /// n' ≥ n as dscribe ≤ 0.3 and the 2020 paper (567).
    /// </summary>
    public bool SoapFull { get; init; }

    /// <summary>
    /// The interatomic potential of the physical representations (shear modulus, flexibility volume), recorded by file
    /// name and SHA-256; null for the structural ones.
    /// </summary>
    public PotentialFile? Potential { get; init; }

    /// <summary>The shear strain gamma of the shear-modulus representation's central differences (+-gamma).</summary>
    public double ShearStrain { get; init; } = Simulation.Elastic.LocalShearSettings.DefaultStrain;

    /// <summary>The force tolerance (eV/A) of the shear-modulus representation's relaxations.</summary>
    public double ShearForceTolerance { get; init; } = Simulation.Elastic.LocalShearSettings.DefaultForceTolerance;

    /// <summary>The radius (A) of the shear-modulus representation's coarse-grained modulus (G_coarse).</summary>
    public double ShearCoarseCutoff { get; init; } = Simulation.Elastic.LocalShearSettings.DefaultCoarseCutoff;

    /// <summary>
    /// The recipe of the vibrational mean-square displacement (flexibility volume: temperature, MD durations, time
    /// step, damping, seed, method); null (not written) for the representations that do not use it, which then mean
    /// the defaults.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Simulation.Vibration.VibrationSettings? Vibration { get; init; }

    /// <summary>
    /// Threads of the neighbour searches, tessellations and descriptor loops (at least 1; default: every core). Results
    /// do not depend on it, so it is not serialized (recipes, shard manifests).
    /// </summary>
    [JsonIgnore]
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;
}
