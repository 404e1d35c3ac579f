using Softspot.Neighbours;
using Softspot.Simulation.Potentials;
using Softspot.Structures;
using Softspot.Voronoi;

namespace Softspot.Descriptors;

/// <summary>
/// One frame being featurized: the snapshot, the radius of every atom, the settings, and the neighbour tables,
/// each built at most once (on first use) and shared by every descriptor. Every parallel loop over the frame runs on
/// <see cref="Threads"/> threads.
/// </summary>
public sealed class FrameContext
{
    private readonly Lazy<NeighbourTable> _voronoi, _distance;
    private readonly Lazy<NeighbourShells> _shells;
    private readonly Dictionary<double, NeighbourList> _cutoffLists = [];
    private readonly Dictionary<string, Lazy<object>> _shared = [];

    public Snapshot Snapshot { get; }
    public FeaturizeSettings Settings { get; }
    private readonly Lazy<double[]> _radii;
    private readonly Lazy<SetflPotential> _potential;

    /// <summary>Radius by type (index = type), Miracle radii unless overridden (looked up on first use).</summary>
    public double[] RadiusByType => _radii.Value;

    /// <summary>Threads of the frame's parallel loops (<see cref="FeaturizeSettings.Threads"/>).</summary>
    public int Threads => Settings.Threads;

    public FrameContext(Snapshot snapshot, FeaturizeSettings? settings = null)
    {
        Snapshot = snapshot;
        Settings = settings ?? new FeaturizeSettings();
        _radii = new(() => Softspot.Voronoi.Radii.ByType(Snapshot, Settings.Radii));
        _voronoi = new(() => NeighbourTable.FromVoronoi(Snapshot, Settings.SmallFaceFraction, Settings.VoronoiCutoff, Threads));
        _distance = new(() => NeighbourTable.FromList(NeighbourSearch.WithinCutoff(Snapshot, Settings.DistanceCutoff, Threads)));
        _shells = new(() => new NeighbourShells(Neighbours(NeighbourKind.Voronoi)));
        _potential = new(() => (Settings.Potential ?? throw new SoftspotException("this representation needs an interatomic potential: give --potential (e.g. CuZr_mm.eam.fs)")).Read());
    }

    /// <summary>The interatomic potential of <see cref="FeaturizeSettings.Potential"/>, read once (on first use).</summary>
    /// <exception cref="SoftspotException">The settings name no potential, or its file is not found or differs.</exception>
    public SetflPotential Potential => _potential.Value;

    /// <summary>The convex hulls of the Voronoi neighbour shells (built once, on first use).</summary>
    public NeighbourShells Shells => _shells.Value;

    public int AtomCount => Snapshot.Count;
    public double Radius(int atom) => _radii.Value[Snapshot.Types[atom]];

    public NeighbourTable Neighbours(NeighbourKind kind) => kind == NeighbourKind.Voronoi ? _voronoi.Value : _distance.Value;

    /// <summary>
    /// A frame-level result computed once per frame and key, however many descriptors ask for it (e.g. the relaxations
    /// of the local shear modulus, which three presets read): the key must name everything the result depends on.
    /// </summary>
    public T Shared<T>(string key, Func<T> compute) where T : class
    {
        Lazy<object> lazy;
        lock (_shared)
            if (!_shared.TryGetValue(key, out lazy!)) _shared[key] = lazy = new Lazy<object>(() => compute());
        return (T)lazy.Value;
    }

    /// <summary>Atoms within an arbitrary cutoff (e.g. the symmetry functions' 6.3 A), cached per cutoff.</summary>
    public NeighbourList WithinCutoff(double cutoff)
    {
        lock (_cutoffLists)
        {
            if (!_cutoffLists.TryGetValue(cutoff, out var list))
                _cutoffLists[cutoff] = list = NeighbourSearch.WithinCutoff(Snapshot, cutoff, Threads);
            return list;
        }
    }
}
