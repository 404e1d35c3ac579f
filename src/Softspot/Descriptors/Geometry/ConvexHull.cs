using Softspot.Structures;

namespace Softspot.Descriptors.Geometry;

/// <summary>
/// The triangulated convex hull of a small point set (an atom's neighbour shell, tens of points), built
/// incrementally: start from a non-degenerate tetrahedron, then add each point outside the current hull by
/// replacing the faces it sees with a fan to the horizon. Triangles are oriented outwards. Points inside the
/// hull (or on it, within a tolerance) belong to no triangle, as with Qhull's triangulated output that the
/// reference uses. Coplanar hull facets (perfect crystals only) come out as some triangulation of the facet,
/// which need not be Qhull's (descriptor-spec.md B.16 #15).
/// </summary>
public sealed class ConvexHull
{
    private readonly List<(int A, int B, int C)> _faces = new(64);
    private readonly List<(int A, int B, int C)> _kept = new(64);
    private readonly List<(int From, int To)> _edges = new(32);
    private readonly List<bool> _visible = new(64);

    /// <summary>The triangles (indices into the points), outward oriented; empty when the points span no volume.</summary>
    public IReadOnlyList<(int A, int B, int C)> Triangles => _faces;

    /// <summary>The triangles as a span, valid until the next <see cref="Build"/>.</summary>
    public ReadOnlySpan<(int A, int B, int C)> TriangleSpan => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_faces);

    /// <summary>Builds the hull; returns false (and no triangles) when fewer than 4 points span a volume.</summary>
    public bool Build(ReadOnlySpan<Vec3> p)
    {
        _faces.Clear();
        int n = p.Length;
        if (n < 4) return false;
        double scale = 0;
        foreach (var v in p) scale = Math.Max(scale, Math.Max(Math.Abs(v.X), Math.Max(Math.Abs(v.Y), Math.Abs(v.Z))));
        if (scale == 0) return false;
        double eps = 1e-12 * scale * scale * scale; // on a volume (determinant) scale

        // initial tetrahedron: extreme points along x, then farthest from the line, then from the plane
        int i0 = 0, i1 = -1, i2 = -1, i3 = -1;
        for (int i = 1; i < n; i++) if (p[i].X < p[i0].X) i0 = i;
        double best = 0;
        for (int i = 0; i < n; i++) { double d = (p[i] - p[i0]).Norm2; if (d > best) { best = d; i1 = i; } }
        if (i1 < 0) return false;
        best = 0;
        var axis = p[i1] - p[i0];
        for (int i = 0; i < n; i++) { double d = axis.Cross(p[i] - p[i0]).Norm2; if (d > best) { best = d; i2 = i; } }
        if (i2 < 0 || best <= 1e-20 * axis.Norm2 * axis.Norm2) return false;
        best = 0;
        for (int i = 0; i < n; i++) { double d = Math.Abs(Orient(p[i0], p[i1], p[i2], p[i])); if (d > best) { best = d; i3 = i; } }
        if (i3 < 0 || best <= eps) return false;
        if (Orient(p[i0], p[i1], p[i2], p[i3]) > 0) (i1, i2) = (i2, i1); // make (i0,i1,i2) face away from i3
        _faces.Add((i0, i1, i2)); _faces.Add((i0, i3, i1)); _faces.Add((i1, i3, i2)); _faces.Add((i2, i3, i0));

        for (int q = 0; q < n; q++)
        {
            if (q == i0 || q == i1 || q == i2 || q == i3) continue;
            _visible.Clear();
            bool any = false;
            foreach (var (a, b, c) in _faces)
            {
                bool v = Orient(p[a], p[b], p[c], p[q]) > eps;
                _visible.Add(v);
                any |= v;
            }
            if (!any) continue; // inside or on the hull
            _edges.Clear();
            _kept.Clear();
            for (int f = 0; f < _faces.Count; f++)
            {
                var (a, b, c) = _faces[f];
                if (!_visible[f]) { _kept.Add(_faces[f]); continue; }
                ToggleEdge(a, b); ToggleEdge(b, c); ToggleEdge(c, a);
            }
            // the horizon: edges of visible faces whose reverse is not on a visible face
            _faces.Clear();
            _faces.AddRange(_kept);
            foreach (var (from, to) in _edges) _faces.Add((from, to, q));
        }
        return true;
    }

    /// <summary>Adds a directed edge of a visible face, or cancels it against its reverse (an interior edge).</summary>
    private void ToggleEdge(int from, int to)
    {
        for (int k = 0; k < _edges.Count; k++)
            if (_edges[k].From == to && _edges[k].To == from) { _edges.RemoveAt(k); return; }
        _edges.Add((from, to));
    }

    /// <summary>Six times the signed volume of (a, b, c, d): positive when d is on the outer side of the triangle a, b, c.</summary>
    public static double Orient(Vec3 a, Vec3 b, Vec3 c, Vec3 d) => (b - a).Cross(c - a).Dot(d - a);
}
