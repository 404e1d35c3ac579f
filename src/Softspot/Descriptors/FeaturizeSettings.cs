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
    /// The interatomic potential of the physical representations (shear modulus, flexibility volume), recorded by file
    /// name and SHA-256; null for the structural ones.
    /// </summary>
    public PotentialFile? Potential { get; init; }

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
