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

    /// <summary>
    /// Threads of the neighbour searches, tessellations and descriptor loops (at least 1; default: every core). Results
    /// do not depend on it, so it is not serialized (recipes, shard manifests).
    /// </summary>
    [JsonIgnore]
    public int Threads { get; init => field = Parallelism.Check(value, nameof(Threads)); } = Environment.ProcessorCount;
}
