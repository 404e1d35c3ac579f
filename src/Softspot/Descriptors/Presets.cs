using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>
/// The representations compared in Table 1 of Wang, Ding and Ma (2020), as feature sets. Every preset except
/// <c>interstice</c> ends with the element flag the paper adds to each representation.
/// </summary>
public static class Presets
{
    /// <summary>A representation: its name, a one-line summary, and how to build its feature set for a system's elements and settings.</summary>
    public sealed record Preset(string Name, string Summary, Func<ElementMap, FeaturizeSettings, FeatureSet> Make)
    {
        /// <summary>
        /// A physical representation, computed with an interatomic potential (<see cref="FeaturizeSettings.Potential"/>):
        /// only such presets record the potential in their recipes.
        /// </summary>
        public bool Physical { get; init; }

        /// <summary>A representation computed from atomic vibrations (<see cref="FeaturizeSettings.Vibration"/>).</summary>
        public bool Vibrational { get; init; }

        /// <summary>
        /// The settings this preset computes with: a physical preset needs the potential, the others drop it, and only a
        /// vibrational one keeps the vibration recipe, so that recipes (and models) record what they use and no more.
        /// </summary>
        /// <exception cref="SoftspotException">A physical preset and no potential.</exception>
        public FeaturizeSettings Settings(FeaturizeSettings settings)
        {
            if (Physical && settings.Potential is null)
                throw new SoftspotException($"preset {Name} is computed with an interatomic potential: give --potential (e.g. CuZr_mm.eam.fs)");
            return settings with { Potential = Physical ? settings.Potential : null, Vibration = Vibrational ? settings.Vibration : null };
        }

        /// <summary>The feature set for a system's elements (in type order) and settings (default: the papers').</summary>
        public FeatureSet Build(ElementMap elements, FeaturizeSettings? settings = null) => Make(elements, settings ?? new FeaturizeSettings());
    }

    /// <summary>The 16 short-range interstice columns of the 2019 paper (4 statistics of 4 quantities).</summary>
    public static IReadOnlyList<Descriptor> IntersticeDescriptors() =>
    [
        NeighbourStatistics.DistanceInterstice(NeighbourKind.Voronoi, Statistics.Paper),
        NeighbourStatistics.DistanceInterstice(NeighbourKind.Distance, Statistics.Paper),
        new VolumeAreaInterstice(Statistics.Paper),
    ];

    /// <summary>
    /// The 18 short-range columns of the <c>sro</c> preset. The paper's list of 18 is not published (papers.md
    /// section 9); this is Softspot's documented choice of classic short-range descriptors, interstices excluded.
    /// </summary>
    public static readonly string[] SroColumns =
    [
        "CN_voro", "CN_dist",
        "Voronoi_idx_3_voro", "Voronoi_idx_4_voro", "Voronoi_idx_5_voro", "Voronoi_idx_6_voro", "Voronoi_idx_7_voro",
        "Facet_area_mean_voro", "Facet_area_std_voro", "Subpolyhedra_vol_sum_voro",
        "distance_mean_voro", "distance_std_voro", "distance_mean_dist",
        "q_4_voro", "q_6_voro", "w_6_voro",
        "Cluster_packing_efficiency_miracle_voro", "Atomic_packing_efficiency_miracle_voro",
    ];

    private static IReadOnlyList<Descriptor> SroDescriptors() =>
    [
        new Coordination(NeighbourKind.Voronoi), new Coordination(NeighbourKind.Distance), new VoronoiIndex(),
        NeighbourStatistics.FaceArea([Stat.Mean, Stat.Std]), NeighbourStatistics.PyramidVolume([Stat.Sum]),
        NeighbourStatistics.Distance(NeighbourKind.Voronoi, [Stat.Mean, Stat.Std]), NeighbourStatistics.Distance(NeighbourKind.Distance, [Stat.Mean]),
        new BondOrientationalOrder(NeighbourKind.Voronoi),
        new ClusterPackingEfficiency(), new AtomicPackingEfficiency(),
    ];

    private static FeatureSet Sro(MediumRangeOrder? mro)
    {
        var descriptors = SroDescriptors();
        var hidden = descriptors.SelectMany(d => d.Columns).Select(c => c.Name).Except(SroColumns);
        return new FeatureSet(descriptors, mro, elementFlag: true, hidden: hidden);
    }

    /// <summary>One column of the shear-modulus preset and the element flag (the others computed, shared with it, and hidden).</summary>
    private static FeatureSet ShearModulusColumn(FeaturizeSettings settings, string column)
    {
        var modulus = new ShearModulus(settings);
        return new FeatureSet([modulus], elementFlag: true, hidden: modulus.Columns.Select(c => c.Name).Where(c => c != column));
    }

    /// <summary>Every descriptor of descriptor-spec.md section B, as in the reference's full run.</summary>
    private static IReadOnlyList<Descriptor> AllShortRange() =>
    [
        new Coordination(NeighbourKind.Voronoi), new Coordination(NeighbourKind.Distance), new VoronoiIndex(), new CharacterMotifs(),
        new FoldSymmetry(), NeighbourStatistics.FaceArea(), NeighbourStatistics.PyramidVolume(),
        NeighbourStatistics.Distance(NeighbourKind.Voronoi), NeighbourStatistics.Distance(NeighbourKind.Distance),
        new BondOrientationalOrder(NeighbourKind.Voronoi),
        NeighbourStatistics.DistanceInterstice(NeighbourKind.Voronoi), NeighbourStatistics.DistanceInterstice(NeighbourKind.Distance),
        new VolumeAreaInterstice(), new ClusterPackingEfficiency(), new AtomicPackingEfficiency(),
    ];

    /// <summary>Descriptors of the <c>all</c> preset that are not coarse-grained (as in the reference's MRO input).</summary>
    private static IReadOnlyList<Descriptor> AllExtras(ElementMap elements) =>
    [
        new FoldSymmetry(FoldWeighting.Area), new FoldSymmetry(FoldWeighting.Volume),
        NeighbourStatistics.FaceArea(byEdges: true), NeighbourStatistics.PyramidVolume(byEdges: true),
        new BondOrientationalOrder(NeighbourKind.Distance), VolumeAreaInterstice.AllTypes(),
        RadialSymmetryFunctions.FromSystem(elements), AngularSymmetryFunctions.FromSystem(elements),
    ];

    public static readonly IReadOnlyList<Preset> All =
    [
        new("interstice", "the 80 interstice-distribution features of Wang & Jain (2019): 16 short-range + their mean/std/min/max over neighbours",
            (_, _) =>
            {
                var d = IntersticeDescriptors();
                return new FeatureSet(d, new MediumRangeOrder(d.SelectMany(x => x.Columns).Select(c => c.Name).ToArray(), Statistics.Paper));
            }),
        new("voronoi-index", "Voronoi index <n3,n4,n5,n6,n7+> (5) + element flag (baseline 2 of the 2020 paper)",
            (_, _) => new FeatureSet([new VoronoiIndex()], elementFlag: true)),
        new("motifs", "is <0,0,12,0,0> and is <0,0,12,4,0> (2) + element flag (baseline 1 of the 2020 paper)",
            (_, _) => new FeatureSet([new CharacterMotifs(baselineOnly: true)], elementFlag: true)),
        new("sro", "a group of 18 classic short-range descriptors (Softspot's documented choice) + element flag",
            (_, _) => Sro(null)),
        new("sro+mro", "the 18 short-range descriptors + their mean, std and max over Voronoi/distance neighbours (72) + element flag",
            (_, _) => Sro(new MediumRangeOrder(SroColumns, [Stat.Mean, Stat.Std, Stat.Max]))),
        new("radial-sf", "Behler-Parrinello radial symmetry functions, the reference's grid (50 Gaussians per element, width 0.1 sigma, cutoff 2.5 sigma; sigma = 2 R of the type-1 element) + element flag",
            (elements, _) => new FeatureSet([RadialSymmetryFunctions.FromSystem(elements)], elementFlag: true)),
        new("angular-sf", "Behler-Parrinello angular symmetry functions, the reference's 22 (xi, lambda, zeta) sets per element pair + element flag",
            (elements, _) => new FeatureSet([AngularSymmetryFunctions.FromSystem(elements)], elementFlag: true)),
        new("bispectrum", "SNAP bispectrum B_{j1,j2,j}, twojmax = 6 (30, LAMMPS compute sna/atom order and conventions; --sna-radii, --sna-weights, --sna-rcutfac) + element flag",
            (elements, settings) => new FeatureSet([Bispectrum.FromSystem(elements, settings)], elementFlag: true)),
        new("boop", "bond-orientational order q_l, w_l (l = 4, 6, 8, 10) and coarse-grained versions over Voronoi neighbours (16) + element flag",
            (_, _) => new FeatureSet([new BondOrientationalOrder(NeighbourKind.Voronoi)], elementFlag: true)),
        new("shear-modulus", "local shear modulus G_i = d sigma_i / d gamma (GPa; needs --potential): affine and relaxed, averaged over the xy, xz, yz planes and per plane, and the relaxed one coarse-grained (9) + element flag",
            (_, settings) => new FeatureSet([new ShearModulus(settings)], elementFlag: true)) { Physical = true },
        new("atomic-shear-modulus", "the relaxed local shear modulus G_relaxed of the shear-modulus preset alone (1) + element flag: Table 1's 'atomic shear modulus G'",
            (_, settings) => ShearModulusColumn(settings, "G_relaxed")) { Physical = true },
        new("coarse-grained-shear-modulus", "the coarse-grained relaxed shear modulus G_coarse of the shear-modulus preset alone (1) + element flag: Table 1's 'coarse-grained G'",
            (_, settings) => ShearModulusColumn(settings, "G_coarse")) { Physical = true },
        new("mtp", "moment tensor descriptors: the 288 scalar basis functions of a level-20 MTP in MLIP's order (Chebyshev radial basis of size 8 times (R_cut - r)^2, identity radial coefficients for mu = 0..4, neighbours of every species alike; --mtp-rmin, --mtp-rcut) + element flag",
            (_, settings) => new FeatureSet([MomentTensorDescriptors.Level20(settings.MtpRmin, settings.MtpRcut)], elementFlag: true)),
        new("flexibility-volume", "vibrational mean-square displacement at low temperature (native EAM: Langevin MD or harmonic; needs --potential) and the flexibility volume msd x mean Voronoi-neighbour distance (Ding et al. 2016) + element flag",
            (_, settings) => new FeatureSet([new FlexibilityVolume(settings.Vibration ?? new())], elementFlag: true)) { Physical = true, Vibrational = true },
        new("soap", "SOAP power spectrum (dscribe GTO basis, real harmonics, species crossover; n_max 6, l_max 8: 567 columns for two species as the 2020 paper counted, 702 with --soap-full; r_cut --soap-rcut, sigma --soap-sigma) + element flag",
            (elements, settings) => new FeatureSet([Soap.FromSettings(elements, settings)], elementFlag: true)),
        new("all", "every descriptor of descriptor-spec.md B and the medium-range statistics (sum, mean, std, min, max, diff) of the reference's 74 short-range columns + element flag",
            (elements, _) =>
            {
                var sro = AllShortRange();
                var mro = new MediumRangeOrder(sro.SelectMany(x => x.Columns).Select(c => c.Name).ToArray(),
                    [Stat.Sum, Stat.Mean, Stat.Std, Stat.Min, Stat.Max, Stat.Diff], averageFoldSymmetry: true);
                return new FeatureSet([.. sro, .. AllExtras(elements)], mro, elementFlag: true);
            }),
    ];

    /// <summary>
    /// A preset by name, or several joined with '+' (e.g. <c>interstice+boop</c>: <see cref="Compose"/>), as feature
    /// recipes record them.
    /// </summary>
    /// <exception cref="SoftspotException">A name is not a preset.</exception>
    public static Preset Find(string name)
    {
        if (Named(name.Trim()) is { } preset) return preset;
        // presets joined with '+' (a preset's own name may hold one, as sro+mro does: the longest name wins)
        var tokens = name.Split('+', StringSplitOptions.TrimEntries);
        var parts = new List<string>();
        for (int i = 0; i < tokens.Length;)
        {
            int j = tokens.Length;
            while (j > i && Named(string.Join('+', tokens[i..j])) is null) j--;
            if (j == i) throw new SoftspotException($"unknown preset '{name}': choose one of {string.Join(", ", All.Select(p => p.Name))}, or join several with '+'");
            parts.Add(string.Join('+', tokens[i..j]));
            i = j;
        }
        return Compose([.. parts]);
    }

    private static Preset? Named(string name) => All.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Several presets as one feature set (<see cref="FeatureSet.Join"/>: their columns side by side, each once), named
    /// by joining their names with '+', so that a model trained on it can featurize new structures from its recipe.
    /// </summary>
    public static Preset Compose(params string[] names)
    {
        if (names.Length == 0) throw new SoftspotException("no presets to compose");
        var parts = names.Select(n => Named(n.Trim()) ?? throw new SoftspotException($"unknown preset '{n}': choose one of {string.Join(", ", All.Select(p => p.Name))}")).ToArray();
        if (parts.DistinctBy(p => p.Name).Count() < parts.Length) throw new SoftspotException($"preset {string.Join('+', names)} names a preset twice");
        return new Preset(string.Join('+', parts.Select(p => p.Name)), string.Join("; ", parts.Select(p => p.Summary)),
            (elements, settings) => FeatureSet.Join([.. parts.Select(p => p.Build(elements, settings))])) { Physical = parts.Any(p => p.Physical), Vibrational = parts.Any(p => p.Vibrational) };
    }
}
