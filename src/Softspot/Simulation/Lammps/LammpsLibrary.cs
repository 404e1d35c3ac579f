using System.Runtime.InteropServices;

namespace Softspot.Simulation.Lammps;

/// <summary>
/// The few functions of the LAMMPS C library interface (library.h of the 29 Sep 2021 release, Debian's
/// liblammps.so.0) that Softspot calls. Debian builds LAMMPS "smallbig": atom ids (tagint) and image flags
/// (imageint) are 32-bit ints, the atom count (bigint) 64-bit. Call these only inside the LAMMPS worker process:
/// without C++ exception support any LAMMPS error ends the calling process with exit().
/// </summary>
internal static unsafe partial class LammpsLibrary
{
    private const string Lib = LammpsInstallation.LibraryName;

    /// <summary>Data type codes of lammps_gather_atoms / lammps_scatter_atoms.</summary>
    public const int IntType = 0, DoubleType = 1;

    /// <summary><c>void *lammps_open_no_mpi(int argc, char **argv, void **ptr)</c>: a new instance, or null.</summary>
    [LibraryImport(Lib)]
    public static partial nint lammps_open_no_mpi(int argc, nint* argv, nint ptr);

    /// <summary><c>void lammps_close(void *handle)</c>.</summary>
    [LibraryImport(Lib)]
    public static partial void lammps_close(nint handle);

    /// <summary><c>char *lammps_command(void *handle, const char *cmd)</c>: returns the command name or null.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint lammps_command(nint handle, string cmd);

    /// <summary><c>int lammps_version(void *handle)</c>: the release date as YYYYMMDD.</summary>
    [LibraryImport(Lib)]
    public static partial int lammps_version(nint handle);

    /// <summary><c>double lammps_get_natoms(void *handle)</c>.</summary>
    [LibraryImport(Lib)]
    public static partial double lammps_get_natoms(nint handle);

    /// <summary><c>double lammps_get_thermo(void *handle, const char *keyword)</c>: a thermo keyword's current value.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial double lammps_get_thermo(nint handle, string keyword);

    /// <summary>
    /// <c>void lammps_extract_box(void *handle, double *boxlo, double *boxhi, double *xy, double *yz, double *xz,
    /// int *pflags, int *boxflag)</c>.
    /// </summary>
    [LibraryImport(Lib)]
    public static partial void lammps_extract_box(nint handle, double* boxlo, double* boxhi, double* xy, double* yz, double* xz,
        int* pflags, int* boxflag);

    /// <summary>
    /// <c>void lammps_gather_atoms(void *handle, const char *name, int type, int count, void *data)</c>: a per-atom
    /// property of all atoms ordered by atom id (ids must be 1..N and an atom map must exist).
    /// </summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void lammps_gather_atoms(nint handle, string name, int type, int count, void* data);

    /// <summary><c>void lammps_scatter_atoms(void *handle, const char *name, int type, int count, void *data)</c>.</summary>
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void lammps_scatter_atoms(nint handle, string name, int type, int count, void* data);

    /// <summary>
    /// <c>int lammps_create_atoms(void *handle, int n, const int *id, const int *type, const double *x, const double *v,
    /// const int *image, int bexpand)</c>: the number of atoms created. With image flags given, atoms slightly outside
    /// a periodic box are remapped into it; bexpand = 1 lets shrink-wrapped boundaries grow.
    /// </summary>
    [LibraryImport(Lib)]
    public static partial int lammps_create_atoms(nint handle, int n, int* id, int* type, double* x, double* v, int* image, int bexpand);

    /// <summary><c>int lammps_encode_image_flags(int ix, int iy, int iz)</c> (imageint is 32-bit in a smallbig build).</summary>
    [LibraryImport(Lib)]
    public static partial int lammps_encode_image_flags(int ix, int iy, int iz);

    /// <summary><c>int lammps_config_has_exceptions()</c>: 1 when errors are reported instead of ending the process.</summary>
    [LibraryImport(Lib)]
    public static partial int lammps_config_has_exceptions();

    /// <summary><c>int lammps_has_error(void *handle)</c> (meaningful only with exception support).</summary>
    [LibraryImport(Lib)]
    public static partial int lammps_has_error(nint handle);

    /// <summary><c>int lammps_get_last_error_message(void *handle, char *buffer, int buf_size)</c>.</summary>
    [LibraryImport(Lib)]
    public static partial int lammps_get_last_error_message(nint handle, byte* buffer, int size);
}

/// <summary>
/// One LAMMPS instance in this process, opened without MPI. Commands that fail end the process unless the library
/// was built with exception support, in which case they throw <see cref="LammpsException"/>.
/// </summary>
internal sealed unsafe class LammpsInstance : IDisposable
{
    private nint _handle;
    private readonly bool _exceptions;

    /// <summary>Opens LAMMPS with command-line arguments (e.g. "-screen", "none", "-log", "none").</summary>
    /// <exception cref="LammpsException">liblammps.so.0 is missing or LAMMPS could not start.</exception>
    public LammpsInstance(IReadOnlyList<string> args)
    {
        try { _exceptions = LammpsLibrary.lammps_config_has_exceptions() != 0; }
        catch (DllNotFoundException) { throw new LammpsException(LammpsInstallation.Missing); }
        var argv = new nint[args.Count + 2];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8("softspot");
            for (int i = 0; i < args.Count; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);
            fixed (nint* p = argv) _handle = LammpsLibrary.lammps_open_no_mpi(args.Count + 1, p, 0);
        }
        finally
        {
            foreach (var a in argv) if (a != 0) Marshal.FreeCoTaskMem(a);
        }
        if (_handle == 0) throw new LammpsException("LAMMPS could not be started (lammps_open_no_mpi returned no instance)");
        ThrowOnError("lammps_open_no_mpi");
    }

    /// <summary>The release date as YYYYMMDD (20210929 for Debian's 29 Sep 2021).</summary>
    public int Version => LammpsLibrary.lammps_version(Handle);

    /// <summary>Number of atoms.</summary>
    public long AtomCount => (long)LammpsLibrary.lammps_get_natoms(Handle);

    /// <summary>Executes one input-script line.</summary>
    public void Command(string line)
    {
        LammpsLibrary.lammps_command(Handle, line);
        ThrowOnError(line);
    }

    /// <summary>The current value of a thermo keyword such as "pe" (only valid right after a run).</summary>
    public double Thermo(string keyword)
    {
        double v = LammpsLibrary.lammps_get_thermo(Handle, keyword);
        ThrowOnError($"thermo {keyword}");
        return v;
    }

    /// <summary>A per-atom double property ("x", "f", ...) of all atoms ordered by id; <paramref name="data"/> holds count * N.</summary>
    public void Gather(string name, int count, Span<double> data)
    {
        fixed (double* p = data) LammpsLibrary.lammps_gather_atoms(Handle, name, LammpsLibrary.DoubleType, count, p);
        ThrowOnError($"gather {name}");
    }

    /// <summary>Sets a per-atom double property of all atoms, ordered by id.</summary>
    public void Scatter(string name, int count, ReadOnlySpan<double> data)
    {
        fixed (double* p = data) LammpsLibrary.lammps_scatter_atoms(Handle, name, LammpsLibrary.DoubleType, count, p);
        ThrowOnError($"scatter {name}");
    }

    /// <summary>Creates atoms with ids 1..N and image flags 0 (so LAMMPS remaps them into a periodic box); returns how many it made.</summary>
    public int CreateAtoms(ReadOnlySpan<int> types, ReadOnlySpan<double> positions, bool expandShrinkWrapped)
    {
        int n = types.Length;
        var ids = new int[n];
        var images = new int[n];
        int zero = LammpsLibrary.lammps_encode_image_flags(0, 0, 0);
        for (int i = 0; i < n; i++) { ids[i] = i + 1; images[i] = zero; }
        int made;
        fixed (int* pid = ids, ptype = types, pimage = images)
        fixed (double* px = positions)
            made = LammpsLibrary.lammps_create_atoms(Handle, n, pid, ptype, px, null, pimage, expandShrinkWrapped ? 1 : 0);
        ThrowOnError("create atoms");
        return made;
    }

    /// <summary>The box: lower and upper corners, tilt factors (xy, xz, yz) and periodicity.</summary>
    public (double[] Lo, double[] Hi, double Xy, double Xz, double Yz, bool[] Periodic) Box()
    {
        var lo = new double[3];
        var hi = new double[3];
        var periodic = new int[3];
        double xy, xz, yz;
        int change;
        fixed (double* plo = lo, phi = hi)
        fixed (int* pp = periodic)
            LammpsLibrary.lammps_extract_box(Handle, plo, phi, &xy, &yz, &xz, pp, &change);
        ThrowOnError("extract box");
        return (lo, hi, xy, xz, yz, [periodic[0] != 0, periodic[1] != 0, periodic[2] != 0]);
    }

    private nint Handle => _handle != 0 ? _handle : throw new ObjectDisposedException(nameof(LammpsInstance));

    private void ThrowOnError(string what)
    {
        if (!_exceptions || LammpsLibrary.lammps_has_error(_handle) == 0) return;
        var buffer = new byte[2048];
        fixed (byte* b = buffer) LammpsLibrary.lammps_get_last_error_message(_handle, b, buffer.Length);
        int end = Array.IndexOf(buffer, (byte)0);
        string message = System.Text.Encoding.UTF8.GetString(buffer, 0, end < 0 ? buffer.Length : end).Trim();
        throw new LammpsException($"LAMMPS error in '{what}': {message}");
    }

    public void Dispose()
    {
        if (_handle == 0) return;
        LammpsLibrary.lammps_close(_handle);
        _handle = 0;
    }
}
