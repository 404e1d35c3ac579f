using System.Text.Json.Serialization;
using Softspot.Simulation.Lammps;

namespace Softspot.Simulation.Potentials;

/// <summary>
/// An interatomic potential file as a feature recipe records it: its file name and the SHA-256 of its bytes, so that a
/// model's features are recomputed with the same potential wherever the file lives (<see cref="Locate"/>), and
/// refused with a different one.
/// </summary>
/// <param name="Name">The file name (no folder), e.g. <c>CuZr_mm.eam.fs</c>.</param>
/// <param name="Sha256">The SHA-256 of the file's bytes, lower-case hex.</param>
public sealed record PotentialFile(string Name, string Sha256)
{
    /// <summary>Where the file was found on this machine (not recorded: recipes name the file, not its folder).</summary>
    [JsonIgnore]
    public string? Path { get; init; }

    /// <summary>A potential given as a path or as a bare file name in LAMMPS's potentials folder (e.g. CuZr_mm.eam.fs).</summary>
    /// <exception cref="SoftspotException">No such file.</exception>
    public static PotentialFile Open(string nameOrPath)
    {
        string path;
        try { path = LammpsInstallation.ResolvePotential(nameOrPath); }
        catch (FileNotFoundException e) { throw new SoftspotException(e.Message); }
        return new PotentialFile(System.IO.Path.GetFileName(path), Hash(path)) { Path = path };
    }

    /// <summary>
    /// This potential on this machine: the given file (a path or a name in LAMMPS's potentials folder), or else the
    /// recorded name in the working folder or the potentials folder; the file's SHA-256 must be the recorded one.
    /// </summary>
    /// <exception cref="SoftspotException">The file is not found, or it is a different file.</exception>
    public PotentialFile Locate(string? given = null)
    {
        if (Path is not null && given is null) return this;
        string path;
        try { path = LammpsInstallation.ResolvePotential(given ?? Name); }
        catch (FileNotFoundException)
        {
            throw new SoftspotException($"these features need the potential {Name} (SHA-256 {Sha256[..12]}...): "
                + $"{(given is null ? "it is not in the working folder nor in LAMMPS's potentials folder" : $"{given}: no such file")}; give --potential PATH");
        }
        string sha = Hash(path);
        if (sha != Sha256)
            throw new SoftspotException($"{path}: not the potential these features were computed with ({Name}, SHA-256 {Sha256[..12]}...; this file's is {sha[..12]}...)");
        return this with { Path = path };
    }

    /// <summary>Reads the located file (<see cref="Locate"/>).</summary>
    public SetflPotential Read() => SetflPotential.Read(Locate().Path!);

    private static string Hash(string path) => Provenance.Sha256(path);
}
