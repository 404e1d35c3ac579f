using Softspot.Structures;

namespace Softspot.IO;

/// <summary>
/// Writes a LAMMPS data file in atom style atomic (box with tilt factors when triclinic, Masses with element
/// comments, Atoms "id type x y z" to full precision), which LAMMPS's read_data and <see cref="LammpsDataReader"/> read.
/// </summary>
public static class LammpsDataWriter
{
    public static void Write(string path, Snapshot s)
    {
        var elements = s.RequireElements();
        AtomicFile.Write(path, w =>
        {
            var c = s.Cell;
            w.Write($"LAMMPS data file written by Softspot ({s.Source ?? "structure"}, timestep {s.Timestep})\n\n");
            w.Write($"{s.Count} atoms\n{elements.TypeCount} atom types\n\n");
            w.Write($"{Numbers.Format(c.Origin.X)} {Numbers.Format(c.Origin.X + c.Lx)} xlo xhi\n");
            w.Write($"{Numbers.Format(c.Origin.Y)} {Numbers.Format(c.Origin.Y + c.Ly)} ylo yhi\n");
            w.Write($"{Numbers.Format(c.Origin.Z)} {Numbers.Format(c.Origin.Z + c.Lz)} zlo zhi\n");
            if (c.IsTriclinic) w.Write($"{Numbers.Format(c.Xy)} {Numbers.Format(c.Xz)} {Numbers.Format(c.Yz)} xy xz yz\n");
            w.Write("\nMasses\n\n");
            for (int t = 1; t <= elements.TypeCount; t++) w.Write($"{t} {Numbers.Format(elements[t]!.Mass)} # {elements[t]!.Symbol}\n");
            w.Write("\nAtoms # atomic\n\n");
            for (int i = 0; i < s.Count; i++)
            {
                var p = s.Positions[i];
                w.Write($"{Numbers.Format(s.Ids[i])} {Numbers.Format(s.Types[i])} {Numbers.Format(p.X)} {Numbers.Format(p.Y)} {Numbers.Format(p.Z)}\n");
            }
        });
    }
}
