using System.Runtime.CompilerServices;

namespace Softspot.Voronoi;

/// <summary>
/// A convex polyhedron, in coordinates relative to its atom, cut down plane by plane into a Voronoi (or power)
/// cell. It is stored as faces, each a cycle of vertex indices (counter-clockwise seen from outside) with the
/// plane that made it.
///
/// Robustness: every cut classifies each vertex once, as inside, outside or on the plane (within a tolerance
/// relative to the plane's scale); all faces share that one classification, an edge crossing the plane gets a
/// single new vertex shared by its two faces, and vertices on the plane are kept rather than duplicated. The new
/// face is chained from the on-plane edges of the clipped faces. So planes through existing vertices or edges
/// (perfect crystals, where four or more planes meet at a vertex) give the exact polyhedron, with no sliver
/// faces or zero-length edges.
/// </summary>
internal sealed class ConvexCell
{
    private const double RelativeTolerance = 1e-10;

    // vertices
    private double[] _vx = new double[128], _vy = new double[128], _vz = new double[128];
    private int _nv;
    // faces
    private int[] _faceStart = new int[64], _faceLen = new int[64], _facePlane = new int[64];
    private int _nf;
    private int[] _fv = new int[512];
    private int _nfv;
    // planes that made faces
    private double[] _px = new double[64], _py = new double[64], _pz = new double[64], _pc = new double[64];
    private int[] _plabel = new int[64];
    private int _np;

    // scratch
    private double[] _s = new double[128];
    private sbyte[] _cls = new sbyte[128];
    private int[] _remap = new int[128], _remapStamp = new int[128];
    private int _stamp;
    private double[] _nvx = new double[128], _nvy = new double[128], _nvz = new double[128];
    private int[] _nFaceStart = new int[64], _nFaceLen = new int[64], _nFacePlane = new int[64];
    private int[] _nfvBuf = new int[512];
    private long[] _crossKey = new long[32];
    private int[] _crossVertex = new int[32];
    private int _nCross;
    private int[] _edgeFrom = new int[64], _edgeTo = new int[64];
    private int _nEdges;
    private int[] _next = new int[128];

    public int FaceCount => _nf;
    public int VertexCount => _nv;
    public bool IsEmpty => _nf == 0;

    /// <summary>Starts from the box [-hx,hx] x [-hy,hy] x [-hz,hz] whose six faces carry the given label.</summary>
    public void InitBox(double hx, double hy, double hz, int label)
    {
        _nv = 0; _nf = 0; _nfv = 0; _np = 0;
        for (int i = 0; i < 8; i++)
            AddVertex((i & 1) != 0 ? hx : -hx, (i & 2) != 0 ? hy : -hy, (i & 4) != 0 ? hz : -hz);
        // faces counter-clockwise seen from outside
        AddFace(AddPlane(-1, 0, 0, hx, label), 0, 4, 6, 2);
        AddFace(AddPlane(1, 0, 0, hx, label), 1, 3, 7, 5);
        AddFace(AddPlane(0, -1, 0, hy, label), 0, 1, 5, 4);
        AddFace(AddPlane(0, 1, 0, hy, label), 2, 6, 7, 3);
        AddFace(AddPlane(0, 0, -1, hz, label), 0, 2, 3, 1);
        AddFace(AddPlane(0, 0, 1, hz, label), 4, 5, 7, 6);
    }

    private void AddVertex(double x, double y, double z)
    {
        _vx[_nv] = x; _vy[_nv] = y; _vz[_nv] = z; _nv++;
    }

    private int AddPlane(double nx, double ny, double nz, double c, int label)
    {
        if (_np == _px.Length)
        {
            int n = _np * 2;
            Array.Resize(ref _px, n); Array.Resize(ref _py, n); Array.Resize(ref _pz, n); Array.Resize(ref _pc, n); Array.Resize(ref _plabel, n);
        }
        _px[_np] = nx; _py[_np] = ny; _pz[_np] = nz; _pc[_np] = c; _plabel[_np] = label;
        return _np++;
    }

    private void AddFace(int plane, params ReadOnlySpan<int> vertices)
    {
        _faceStart[_nf] = _nfv; _faceLen[_nf] = vertices.Length; _facePlane[_nf] = plane; _nf++;
        foreach (int v in vertices) _fv[_nfv++] = v;
    }

    /// <summary>Largest squared distance of a vertex from the atom (the cell's circumradius squared).</summary>
    public double MaxRadiusSquared()
    {
        double m = 0;
        for (int i = 0; i < _nv; i++)
        {
            double r2 = _vx[i] * _vx[i] + _vy[i] * _vy[i] + _vz[i] * _vz[i];
            if (r2 > m) m = r2;
        }
        return m;
    }

    /// <summary>True when a face made by a plane with this label remains.</summary>
    public bool HasFaceLabelled(int label)
    {
        for (int f = 0; f < _nf; f++) if (_plabel[_facePlane[f]] == label) return true;
        return false;
    }

    /// <summary>
    /// Keeps the part where n·x &lt;= c, labelling the new face. Returns false when the plane does not cut
    /// (no vertex beyond it, up to the tolerance).
    /// </summary>
    /// <exception cref="VoronoiDegeneracyException">the cut could not be made consistently.</exception>
    public bool Cut(double nx, double ny, double nz, double c, int label, double toleranceScale = 1.0)
    {
        double n2 = nx * nx + ny * ny + nz * nz;
        double tol = RelativeTolerance * toleranceScale * Math.Max(n2, Math.Abs(c));
        int nv = _nv;
        EnsureVertexScratch(nv);
        int outside = 0, inside = 0;
        {
            var vx = _vx.AsSpan(0, nv); var vy = _vy.AsSpan(0, nv); var vz = _vz.AsSpan(0, nv);
            var ss = _s.AsSpan(0, nv); var cls = _cls.AsSpan(0, nv);
            for (int i = 0; i < vx.Length; i++)
            {
                double s = nx * vx[i] + ny * vy[i] + nz * vz[i] - c;
                ss[i] = s;
                sbyte k = s > tol ? (sbyte)1 : s < -tol ? (sbyte)-1 : (sbyte)0;
                cls[i] = k;
                outside += k > 0 ? 1 : 0;
                inside += k < 0 ? 1 : 0;
            }
        }
        if (outside == 0) return false;
        if (inside == 0) { _nv = 0; _nf = 0; _nfv = 0; return true; } // nothing left

        int plane = AddPlane(nx, ny, nz, c, label);
        _nCross = 0;
        _nEdges = 0;
        int nf = 0, nfv = 0;
        EnsureFaceCapacity(_nf + 1, 3 * _nfv + 8); // a cut at most adds one vertex per edge and one face
        {
            var fv = _fv; var clsA = _cls; var buf = _nfvBuf;
            var faceStart = _faceStart; var faceLen = _faceLen; var facePlane = _facePlane;
            var nFaceStart = _nFaceStart; var nFaceLen = _nFaceLen; var nFacePlane = _nFacePlane;
            for (int f = 0; f < _nf; f++)
            {
                int start = faceStart[f], len = faceLen[f], end = start + len;
                int faceOut = 0, on = 0;
                for (int t = start; t < end; t++)
                {
                    sbyte k = clsA[fv[t]];
                    faceOut += k > 0 ? 1 : 0;
                    on += k == 0 ? 1 : 0;
                }
                if (faceOut == 0)
                {
                    // untouched face: copy, but note edges lying in the plane (they border the new face)
                    if (on == len) continue; // a face lying in the plane is replaced by the new face
                    Array.Copy(fv, start, buf, nfv, len);
                    nFaceStart[nf] = nfv; nFaceLen[nf] = len; nFacePlane[nf] = facePlane[f];
                    if (on >= 2) NoteOnPlaneEdges(nfv, len);
                    nfv += len; nf++;
                    continue;
                }
                if (faceOut == len) continue; // entirely cut away
                int ns = nfv;
                int a = fv[end - 1];
                sbyte ca = clsA[a];
                for (int t = start; t < end; t++)
                {
                    int b = fv[t];
                    sbyte cb = clsA[b];
                    // edge (a, b): a was emitted (or not) on the previous step; emit the crossing, then b
                    if (ca * cb < 0) buf[nfv++] = Crossing(a, b);
                    if (cb <= 0) buf[nfv++] = b;
                    a = b; ca = cb;
                }
                int newLen = nfv - ns;
                if (newLen < 3) { nfv = ns; continue; } // only an edge or a point of it remains
                nFaceStart[nf] = ns; nFaceLen[nf] = newLen; nFacePlane[nf] = facePlane[f];
                NoteOnPlaneEdges(ns, newLen);
                nf++;
            }
        }

        // chain the new face from the on-plane edges, reversed (it is seen from the other side)
        if (_nEdges < 3) throw new VoronoiDegeneracyException($"a cut left an open cell ({_nEdges} edges on the cutting plane)");
        EnsureNext(_nv);
        for (int e = 0; e < _nEdges; e++) { _next[_edgeTo[e]] = -1; _next[_edgeFrom[e]] = -1; }
        for (int e = 0; e < _nEdges; e++)
        {
            int from = _edgeTo[e], to = _edgeFrom[e];
            if (_next[from] != -1) throw new VoronoiDegeneracyException("two edges of the new face leave the same vertex");
            _next[from] = to;
        }
        EnsureFaceCapacity(nf + 1, nfv + _nEdges);
        int newFaceStart = nfv, v0 = _edgeTo[0], cur = v0, steps = 0;
        do
        {
            _nfvBuf[nfv++] = cur;
            cur = _next[cur];
            if (cur < 0) throw new VoronoiDegeneracyException("the new face is not a closed polygon");
            if (++steps > _nEdges) throw new VoronoiDegeneracyException("the new face does not close");
        } while (cur != v0);
        if (steps != _nEdges) throw new VoronoiDegeneracyException("the on-plane edges form more than one polygon");
        _nFaceStart[nf] = newFaceStart; _nFaceLen[nf] = steps; _nFacePlane[nf] = plane; nf++;
        Compact(nf, nfv);
        return true;
    }

    /// <summary>Records, for a clipped face stored at [start, start+len), each consecutive pair of on-plane vertices.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void NoteOnPlaneEdges(int start, int len)
    {
        var buf = _nfvBuf;
        int end = start + len;
        int u = buf[end - 1];
        bool uOn = IsOnPlane(u);
        for (int t = start; t < end; t++)
        {
            int w = buf[t];
            bool wOn = IsOnPlane(w);
            if (uOn && wOn)
            {
                if (_nEdges == _edgeFrom.Length) { Array.Resize(ref _edgeFrom, _nEdges * 2); Array.Resize(ref _edgeTo, _nEdges * 2); }
                _edgeFrom[_nEdges] = u; _edgeTo[_nEdges] = w; _nEdges++;
            }
            u = w; uOn = wOn;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool IsOnPlane(int v) => v >= _nvBefore || _cls[v] == 0;

    private int _nvBefore;

    /// <summary>The vertex where edge (a, b) crosses the plane, shared by the two faces of that edge.</summary>
    private int Crossing(int a, int b)
    {
        int lo = Math.Min(a, b), hi = Math.Max(a, b);
        long key = ((long)lo << 32) | (uint)hi;
        var keys = _crossKey;
        for (int k = 0; k < _nCross; k++) if (keys[k] == key) return _crossVertex[k];
        // interpolate from the inside vertex for symmetry of rounding: t in (0, 1)
        double sa = _s[lo], sb = _s[hi];
        double t = sa / (sa - sb);
        if (_nv == _vx.Length) GrowVertices();
        _vx[_nv] = _vx[lo] + t * (_vx[hi] - _vx[lo]);
        _vy[_nv] = _vy[lo] + t * (_vy[hi] - _vy[lo]);
        _vz[_nv] = _vz[lo] + t * (_vz[hi] - _vz[lo]);
        if (_nCross == _crossKey.Length) { Array.Resize(ref _crossKey, _nCross * 2); Array.Resize(ref _crossVertex, _nCross * 2); }
        _crossKey[_nCross] = key; _crossVertex[_nCross] = _nv; _nCross++;
        return _nv++;
    }

    /// <summary>Renumbers the vertices still used by a face and swaps the new faces in.</summary>
    private void Compact(int nf, int nfv)
    {
        if (_remap.Length < _nv) { _remap = new int[Math.Max(_nv, _remap.Length * 2)]; _remapStamp = new int[_remap.Length]; }
        if (_nvx.Length < _nv) { _nvx = new double[_vx.Length]; _nvy = new double[_vx.Length]; _nvz = new double[_vx.Length]; }
        // a stamp per compaction marks which remap entries are current (no clearing pass)
        int stamp = ++_stamp;
        if (stamp == int.MaxValue) { Array.Clear(_remapStamp); _stamp = stamp = 1; }
        var remap = _remap; var stamps = _remapStamp; var buf = _nfvBuf;
        var vx = _vx; var vy = _vy; var vz = _vz; var nvx = _nvx; var nvy = _nvy; var nvz = _nvz;
        int m = 0;
        for (int k = 0; k < nfv; k++)
        {
            int v = buf[k];
            int r;
            if (stamps[v] == stamp) r = remap[v];
            else
            {
                stamps[v] = stamp;
                r = remap[v] = m++;
                nvx[r] = vx[v]; nvy[r] = vy[v]; nvz[r] = vz[v];
            }
            buf[k] = r;
        }
        (_vx, _nvx) = (_nvx, _vx); (_vy, _nvy) = (_nvy, _vy); (_vz, _nvz) = (_nvz, _vz);
        _nv = m;
        (_fv, _nfvBuf) = (_nfvBuf, _fv);
        (_faceStart, _nFaceStart) = (_nFaceStart, _faceStart);
        (_faceLen, _nFaceLen) = (_nFaceLen, _faceLen);
        (_facePlane, _nFacePlane) = (_nFacePlane, _facePlane);
        _nf = nf; _nfv = nfv;
    }

    private void EnsureVertexScratch(int n)
    {
        _nvBefore = n;
        if (_s.Length < n) { _s = new double[n * 2]; _cls = new sbyte[n * 2]; }
    }

    private void EnsureNext(int n)
    {
        if (_next.Length < n) _next = new int[n * 2];
    }

    private void GrowVertices()
    {
        int n = _vx.Length * 2;
        Array.Resize(ref _vx, n); Array.Resize(ref _vy, n); Array.Resize(ref _vz, n);
        _nvx = new double[n]; _nvy = new double[n]; _nvz = new double[n];
    }

    private void EnsureFaceCapacity(int faces, int faceVertices)
    {
        if (_nFaceStart.Length < faces)
        {
            int n = Math.Max(faces, _nFaceStart.Length * 2);
            Array.Resize(ref _nFaceStart, n); Array.Resize(ref _nFaceLen, n); Array.Resize(ref _nFacePlane, n);
            Array.Resize(ref _faceStart, n); Array.Resize(ref _faceLen, n); Array.Resize(ref _facePlane, n);
        }
        if (_nfvBuf.Length < faceVertices)
        {
            int n = Math.Max(faceVertices, _nfvBuf.Length * 2);
            Array.Resize(ref _nfvBuf, n);
            Array.Resize(ref _fv, n);
        }
    }

    /// <summary>The measured faces: plane label, area, edge count and the signed pyramid volume with apex at the atom.</summary>
    public void Measure(FaceSink sink, double edgeThreshold)
    {
        double et2 = edgeThreshold * edgeThreshold;
        for (int f = 0; f < _nf; f++)
        {
            int start = _faceStart[f], len = _faceLen[f], p = _facePlane[f];
            int v0 = _fv[start];
            double ax = 0, ay = 0, az = 0;
            double x0 = _vx[v0], y0 = _vy[v0], z0 = _vz[v0];
            for (int t = 1; t < len - 1; t++)
            {
                int v1 = _fv[start + t], v2 = _fv[start + t + 1];
                double ux = _vx[v1] - x0, uy = _vy[v1] - y0, uz = _vz[v1] - z0;
                double wx = _vx[v2] - x0, wy = _vy[v2] - y0, wz = _vz[v2] - z0;
                ax += uy * wz - uz * wy; ay += uz * wx - ux * wz; az += ux * wy - uy * wx;
            }
            double area = 0.5 * Math.Sqrt(ax * ax + ay * ay + az * az);
            double nlen = Math.Sqrt(_px[p] * _px[p] + _py[p] * _py[p] + _pz[p] * _pz[p]);
            double height = _pc[p] / nlen; // signed distance of the face plane from the atom
            int edges = len;
            if (et2 > 0)
            {
                edges = 0;
                for (int t = 0; t < len; t++)
                {
                    int a = _fv[start + t], b = _fv[t + 1 < len ? start + t + 1 : start];
                    double dx = _vx[a] - _vx[b], dy = _vy[a] - _vy[b], dz = _vz[a] - _vz[b];
                    if (dx * dx + dy * dy + dz * dz >= et2) edges++;
                }
            }
            sink.Add(_plabel[p], area, edges, area * height / 3.0);
        }
    }
}

/// <summary>Receives measured faces.</summary>
internal interface FaceSink
{
    void Add(int label, double area, int edges, double pyramidVolume);
}

/// <summary>A Voronoi cell that could not be built consistently (should not happen; reported with the atom).</summary>
public sealed class VoronoiDegeneracyException(string message) : SoftspotException(message);
