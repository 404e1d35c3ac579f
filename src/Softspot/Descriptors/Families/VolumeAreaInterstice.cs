using Softspot.Descriptors.Geometry;
using Softspot.Structures;

namespace Softspot.Descriptors;

/// <summary>The per-tetrahedron value a volume interstice statistic is taken over (descriptor-spec.md B.9).</summary>
public enum VolumeIntersticeType
{
    /// <summary>volume_interstice: xi V_tet (A^3).</summary>
    Absolute,
    /// <summary>fractional_volume_interstice_tetrahedra (the default): xi.</summary>
    Fractional,
    /// <summary>fractional_volume_interstice_tetrahedra_avg: xi V_tet n_tet / V_hull.</summary>
    FractionalOfAverage,
    /// <summary>fractional_volume_interstice_center_v: xi V_tet / (4/3 pi R_O^3).</summary>
    FractionalOfCentre,
}

/// <summary>The per-triangle value an area interstice statistic is taken over.</summary>
public enum AreaIntersticeType
{
    /// <summary>area_interstice: eta A_tri (A^2).</summary>
    Absolute,
    /// <summary>fractional_area_interstice_triangle (the default): eta.</summary>
    Fractional,
    /// <summary>fractional_area_interstice_triangle_avg: eta A_tri n_tri / A_hull.</summary>
    FractionalOfAverage,
    /// <summary>fractional_area_interstice_center_slice_a: eta A_tri / (pi R_O^2).</summary>
    FractionalOfCentre,
}

/// <summary>
/// Volume and area interstices (descriptor-spec.md B.9) over the convex hull of the Voronoi neighbour shell:
/// per hull triangle, the share of the triangle not covered by the three atoms' discs, and per tetrahedron
/// (centre + triangle) the share not filled by the four spheres; statistics over the triangles. With one type per
/// family the columns are Volume_interstice_{stat}_voro and Area_interstice_{stat}_voro, otherwise named by type.
/// Fewer than 4 neighbours (no hull): all 0.
/// </summary>
public sealed class VolumeAreaInterstice : Descriptor
{
    private readonly VolumeIntersticeType[] _volume;
    private readonly AreaIntersticeType[] _area;
    private readonly Stat[] _stats;

    public override IReadOnlyList<FeatureColumn> Columns { get; }

    public VolumeAreaInterstice(Stat[]? stats = null, VolumeIntersticeType[]? volumeTypes = null, AreaIntersticeType[]? areaTypes = null)
    {
        _stats = stats ?? Statistics.All5;
        _volume = volumeTypes ?? [VolumeIntersticeType.Fractional];
        _area = areaTypes ?? [AreaIntersticeType.Fractional];
        bool single = _volume.Length == 1 && _area.Length == 1;
        var cols = new List<FeatureColumn>();
        foreach (var v in _volume)
            foreach (var s in _stats)
                cols.Add(new($"{(single ? "Volume_interstice" : Name(v))}_{Statistics.Name(s)}_voro", $"{Statistics.Describe(s)} over the shell's tetrahedra of {Definition(v)}"));
        foreach (var a in _area)
            foreach (var s in _stats)
                cols.Add(new($"{(single ? "Area_interstice" : Name(a))}_{Statistics.Name(s)}_voro", $"{Statistics.Describe(s)} over the shell's hull triangles of {Definition(a)}"));
        Columns = cols;
    }

    /// <summary>All four volume and four area variants, as the reference's alltypes table.</summary>
    public static VolumeAreaInterstice AllTypes(Stat[]? stats = null) =>
        new(stats, Enum.GetValues<VolumeIntersticeType>(), Enum.GetValues<AreaIntersticeType>());

    public static string Name(VolumeIntersticeType t) => t switch
    {
        VolumeIntersticeType.Absolute => "volume_interstice",
        VolumeIntersticeType.Fractional => "fractional_volume_interstice_tetrahedra",
        VolumeIntersticeType.FractionalOfAverage => "fractional_volume_interstice_tetrahedra_avg",
        _ => "fractional_volume_interstice_center_v",
    };

    public static string Name(AreaIntersticeType t) => t switch
    {
        AreaIntersticeType.Absolute => "area_interstice",
        AreaIntersticeType.Fractional => "fractional_area_interstice_triangle",
        AreaIntersticeType.FractionalOfAverage => "fractional_area_interstice_triangle_avg",
        _ => "fractional_area_interstice_center_slice_a",
    };

    private static string Definition(VolumeIntersticeType t) => t switch
    {
        VolumeIntersticeType.Absolute => "the unfilled volume xi V_tet (A^3)",
        VolumeIntersticeType.Fractional => "the volume interstice xi = 1 - (sphere volume inside)/V_tet",
        VolumeIntersticeType.FractionalOfAverage => "xi V_tet n_tet / V_hull",
        _ => "xi V_tet / (4/3 pi R_centre^3)",
    };

    private static string Definition(AreaIntersticeType t) => t switch
    {
        AreaIntersticeType.Absolute => "the uncovered area eta A_tri (A^2)",
        AreaIntersticeType.Fractional => "the area interstice eta = 1 - (disc area inside)/A_tri",
        AreaIntersticeType.FractionalOfAverage => "eta A_tri n_tri / A_hull",
        _ => "eta A_tri / (pi R_centre^2)",
    };

    public override AtomKernel Bind(FrameContext frame)
    {
        var table = frame.Neighbours(NeighbourKind.Voronoi);
        var shells = frame.Shells;
        return (atom, values) =>
        {
            var triangles = shells.Of(atom);
            int n = triangles.Length;
            if (n == 0) { values.Clear(); return; }
            int start = table.Start(atom);
            double ro = frame.Radius(atom);
            Span<double> vol = n <= 128 ? stackalloc double[n] : new double[n];
            Span<double> xi = n <= 128 ? stackalloc double[n] : new double[n];
            Span<double> area = n <= 128 ? stackalloc double[n] : new double[n];
            Span<double> eta = n <= 128 ? stackalloc double[n] : new double[n];
            double hullVolume = 0, hullArea = 0;
            for (int t = 0; t < n; t++)
            {
                var (a, b, c) = triangles[t];
                var g = new ShellTriangle(table.Vectors[start + a], table.Vectors[start + b], table.Vectors[start + c],
                    frame.Radius(table.Index[start + a]), frame.Radius(table.Index[start + b]), frame.Radius(table.Index[start + c]), ro);
                vol[t] = g.TetVolume; xi[t] = g.VolumeInterstice; area[t] = g.Area; eta[t] = g.AreaInterstice;
                hullVolume += g.SignedVolume; hullArea += g.Area;
            }
            Span<double> tmp = n <= 128 ? stackalloc double[n] : new double[n];
            int at = 0, w = _stats.Length;
            foreach (var type in _volume)
            {
                for (int t = 0; t < n; t++)
                    tmp[t] = type switch
                    {
                        VolumeIntersticeType.Absolute => xi[t] * vol[t],
                        VolumeIntersticeType.Fractional => xi[t],
                        VolumeIntersticeType.FractionalOfAverage => xi[t] * vol[t] * n / hullVolume,
                        _ => xi[t] * vol[t] / (4.0 / 3.0 * Math.PI * ro * ro * ro),
                    };
                Statistics.Compute(tmp, _stats, values.Slice(at, w)); at += w;
            }
            foreach (var type in _area)
            {
                for (int t = 0; t < n; t++)
                    tmp[t] = type switch
                    {
                        AreaIntersticeType.Absolute => eta[t] * area[t],
                        AreaIntersticeType.Fractional => eta[t],
                        AreaIntersticeType.FractionalOfAverage => eta[t] * area[t] * n / hullArea,
                        _ => eta[t] * area[t] / (Math.PI * ro * ro),
                    };
                Statistics.Compute(tmp, _stats, values.Slice(at, w)); at += w;
            }
        };
    }
}
