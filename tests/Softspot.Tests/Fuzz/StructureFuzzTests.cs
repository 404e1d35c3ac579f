using System.IO.Compression;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Softspot.IO;
using Softspot.Tests.Support;
using Xunit.Abstractions;

namespace Softspot.Tests.Fuzz;

/// <summary>
/// Fuzzing of the structure readers: valid LAMMPS dumps, data files, extended XYZ and gzip streams are mutated
/// (truncated, bytes flipped, lines and columns deleted or repeated, numbers swapped for words, NaN, huge values) and
/// every result must be either a structure that passes the structure check or a <see cref="SoftspotException"/>: never
/// another exception, never a hang (each case runs with a time limit), and the command line never an internal error.
/// The mutations are drawn by FsCheck generators from a fixed seed (SOFTSPOT_FUZZ_SEED to change it); the number of
/// cases per format is SOFTSPOT_FUZZ_CASES (default 250: a few seconds; a long run by hand: e.g. 20000).
/// </summary>
public sealed class StructureFuzzTests(ITestOutputHelper output)
{
    private static int Cases => FuzzBudget.Cases(250);
    private static ulong Seed => FuzzBudget.Seed(20251206);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    /// <summary>One edit of a file: what, where (two positions, taken modulo the file's size) and with which token.</summary>
    public sealed record Mutation(int Kind, int A, int B, int Token)
    {
        public override string ToString() => $"{Kinds[Kind % Kinds.Length]}({A},{B},{Tokens[Token % Tokens.Length]})";
    }

    private static readonly string[] Kinds =
        ["truncate", "flip-bit", "delete-line", "duplicate-line", "delete-field", "duplicate-field", "replace-field", "swap-lines", "insert-byte", "blank-line"];

    private static readonly string[] Tokens =
        ["abc", "NaN", "nan", "-nan", "inf", "-inf", "Infinity", "1e300", "-1e300", "1e-320", "0", "-1", "1", "2", "3", "100001",
         "99999999999999999999", "2147483648", "-2147483649", "1.5", "0.5", "1,5", "0x10", "#", "ITEM:", "ITEM: ATOMS id type x y z",
         "Cu", "Xx", "T", "F", "\"", "=", "Lattice=\"0 0 0 0 0 0 0 0 0\"", "Atoms", "Masses", "pp", "ff", "1e20", "-0", "5e15"];

    private static Gen<Mutation> MutationGen =>
        from kind in Gen.Choose(0, Kinds.Length - 1)
        from a in Gen.Choose(0, 1 << 20)
        from b in Gen.Choose(0, 1 << 20)
        from t in Gen.Choose(0, Tokens.Length - 1)
        select new Mutation(kind, a, b, t);

    private static Gen<(Mutation[] Edits, bool Gzip, bool NoExtension, bool Crlf)> CaseGen =>
        from count in Gen.Frequency((6, Gen.Constant(1)), (3, Gen.Constant(2)), (1, Gen.Constant(4)))
        from edits in Gen.ArrayOf(MutationGen, count)
        from gzip in Gen.Frequency((4, Gen.Constant(false)), (1, Gen.Constant(true)))
        from noExt in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        from crlf in Gen.Frequency((9, Gen.Constant(false)), (1, Gen.Constant(true)))
        select (edits, gzip, noExt, crlf);

    public static TheoryData<string> Formats => new() { "dump", "data", "xyz", "gzip" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void MutatedFilesParseOrFailWithSoftspotErrors(string format)
    {
        int cases = Cases;
        ulong seed = Seed + (ulong)Array.IndexOf(["dump", "data", "xyz", "gzip"], format);
        var drawn = Gen.Sample(CaseGen, cases, new Rnd(seed), 30);
        var seeds = Seeds(format);
        using var dir = new TempDir();
        var findings = new List<string>();
        int parsed = 0, refused = 0, k = 0;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (edits, gzipText, noExtension, crlf) in drawn)
        {
            var (name, original) = seeds[k++ % seeds.Length];
            byte[] bytes;
            if (format == "gzip")
            {
                // a valid gzip stream of a valid file, then its compressed bytes mutated
                bytes = Mutate(Gzip(Encoding.UTF8.GetBytes(original)), edits, binary: true);
                name += ".gz";
            }
            else
            {
                string text = crlf ? original.Replace("\n", "\r\n") : original;
                bytes = Mutate(Encoding.UTF8.GetBytes(text), edits, binary: false);
                if (gzipText) { bytes = Gzip(bytes); name += ".gz"; }
            }
            string path = dir.File(noExtension ? $"case{k}" : $"case{k}{name}");
            File.WriteAllBytes(path, bytes);
            var outcome = Run(path);
            if (outcome is null) parsed++;
            else if (outcome == "") refused++;
            else
            {
                findings.Add($"{format} case {k} ({string.Join(' ', edits.Select(e => e.ToString()))}{(gzipText ? " gzip" : "")}{(crlf ? " crlf" : "")}): {outcome}\n"
                    + $"--- input ({bytes.Length} bytes) ---\n{Encoding.UTF8.GetString(bytes[..Math.Min(bytes.Length, 1500)])}");
                if (findings.Count >= 10) break;
            }
            File.Delete(path);
        }
        output.WriteLine($"{format}: {k} cases (seed {seed}) in {clock.Elapsed.TotalSeconds:F1} s: {parsed} parsed, {refused} refused, {findings.Count} findings");
        Assert.True(findings.Count == 0, string.Join("\n\n", findings));
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void TheUnmutatedSeedsAreValid(string format)
    {
        using var dir = new TempDir();
        int k = 0;
        foreach (var (name, text) in Seeds(format))
        {
            string path = dir.File($"seed{k++}{name}");
            File.WriteAllText(path, text);
            Assert.NotEmpty(StructureFile.ReadFrames(path).ToList());
            Assert.Null(Run(path));
        }
    }

    /// <summary>Null when the file parsed into valid frames, "" when refused with a SoftspotException, else what went wrong.</summary>
    private static string? Run(string path)
    {
        var task = Task.Run(() =>
        {
            try
            {
                var frames = StructureFile.ReadFrames(path).ToList();
                foreach (var f in frames)
                {
                    if (f.Count == 0) return "a frame without atoms was accepted";
                    if (f.Positions.Any(p => !double.IsFinite(p.X) || !double.IsFinite(p.Y) || !double.IsFinite(p.Z))) return "a non-finite position was accepted";
                }
                // every other frame passed over unparsed, as a shard reads
                StructureFile.ReadFrames(path, i => i % 2 == 1).ToList();
            }
            catch (SoftspotException) { return ""; }
            catch (Exception e) { return $"{e.GetType().Name}: {e.Message}\n{e.StackTrace}"; }
            // the command line on the same file: one-line errors, never an internal error
            var (code, _, err) = CliRunner.Run("info", path);
            if (code is not (0 or 2)) return $"softspot info exited {code}: {err}";
            return null;
        });
        if (!task.Wait(Limit)) return $"no result within {Limit.TotalSeconds} s (a hang)";
        return task.Result;
    }

    private static byte[] Gzip(byte[] data)
    {
        using var ms = new MemoryStream();
        using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    /// <summary>Applies the edits in turn; lines and whitespace-separated fields for text, bytes for binary streams.</summary>
    private static byte[] Mutate(byte[] input, Mutation[] edits, bool binary)
    {
        var bytes = input;
        foreach (var m in edits)
        {
            string token = Tokens[m.Token % Tokens.Length];
            int kind = m.Kind % Kinds.Length;
            if (binary || kind is 0 or 1 or 8)
            {
                if (bytes.Length == 0) continue;
                int at = m.A % bytes.Length;
                bytes = kind switch
                {
                    0 => bytes[..at],
                    8 => [.. bytes[..at], (byte)(m.B & 0xff), .. bytes[at..]],
                    2 or 3 or 4 => bytes.Length > 20 ? [.. bytes[..(bytes.Length - 1 - m.B % 20)]] : bytes, // cut the trailer
                    _ => Flip(bytes, at, m.B),
                };
                continue;
            }
            var lines = Encoding.UTF8.GetString(bytes).Split('\n').ToList();
            int li = m.A % lines.Count, lj = m.B % lines.Count;
            switch (kind)
            {
                case 2: lines.RemoveAt(li); break;
                case 3: lines.Insert(li, lines[li]); break;
                case 7: (lines[li], lines[lj]) = (lines[lj], lines[li]); break;
                case 9: lines.Insert(li, ""); break;
                default:
                    var fields = lines[li].Split(' ').ToList();
                    int fi = m.B % fields.Count;
                    if (kind == 4) fields.RemoveAt(fi);
                    else if (kind == 5) fields.Insert(fi, fields[fi]);
                    else fields[fi] = token;
                    lines[li] = string.Join(' ', fields);
                    break;
            }
            bytes = Encoding.UTF8.GetBytes(string.Join('\n', lines));
        }
        return bytes;
    }

    private static byte[] Flip(byte[] bytes, int at, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    /// <summary>Valid files of each format (name suffix, content), small enough to mutate quickly.</summary>
    private static (string Name, string Text)[] Seeds(string format) => format switch
    {
        "dump" or "gzip" =>
        [
            (".dump", Dump("pp pp pp", "0 6\n0 6\n0 6", "id type x y z", Atoms(6, a => $"{a.Id} {a.Type} {a.X} {a.Y} {a.Z}"))
                + Dump("pp pp pp", "0 6\n0 6\n0 6", "id type x y z", Atoms(6, a => $"{a.Id} {a.Type} {a.X} {a.Y} {a.Z}"), 100)),
            (".dump", Dump("xy xz yz pp ff pp", "-1 7 1\n0 6 0\n0 6 0", "id type xs ys zs c_pe", Atoms(6, a => $"{a.Id} {a.Type} {a.X / 6} {a.Y / 6} {a.Z / 6} -3.5"))),
            (".lammpstrj", Dump("ss ss ss", "0.5 5.5\n0.5 5.5\n0.5 5.5", "id element xu yu zu vx", Atoms(6, a => $"{a.Id} {(a.Type == 1 ? "Cu" : "Zr")} {a.X} {a.Y} {a.Z} 0.1"))),
        ],
        "data" =>
        [
            (".data", Data("atomic", "", Atoms(6, a => $"{a.Id} {a.Type} {a.X} {a.Y} {a.Z}")) + "\nVelocities\n\n" + string.Join("\n", Enumerable.Range(1, 6).Select(i => $"{i} 0 0 0")) + "\n"),
            (".lmp", Data("charge", "-1 0.5 0.25 xy xz yz\n", Atoms(6, a => $"{a.Id} {a.Type} 0.5 {a.X} {a.Y} {a.Z} 0 1 -1"))),
            (".data", Data("full", "", Atoms(6, a => $"{a.Id} 1 {a.Type} 0 {a.X} {a.Y} {a.Z}"))),
        ],
        "xyz" =>
        [
            (".xyz", Xyz("Lattice=\"6 0 0 0 6 0 0 0 6\" Properties=species:S:1:pos:R:3 pbc=\"T T T\"", a => $"{(a.Type == 1 ? "Cu" : "Zr")} {a.X} {a.Y} {a.Z}")
                + Xyz("Lattice=\"6 0 0 0 6 0 0 0 6\" Properties=species:S:1:pos:R:3 pbc=\"T T T\" Timestep=5", a => $"{(a.Type == 1 ? "Cu" : "Zr")} {a.X} {a.Y} {a.Z}")),
            (".extxyz", Xyz("Lattice=\"6 0 0 1 6 0 0.5 0.5 6\" Origin=\"0 0 0\" Properties=species:S:1:pos:R:3:id:I:1:type:I:1:mask:L:1 pbc=\"T F T\"", a => $"{(a.Type == 1 ? "Cu" : "Zr")} {a.X} {a.Y} {a.Z} {a.Id} {a.Type} T")),
            (".xyz", Xyz("", a => $"{(a.Type == 1 ? "Cu" : "Zr")} {a.X} {a.Y} {a.Z}")),
        ],
        _ => throw new ArgumentException(format),
    };

    private sealed record Atom(int Id, int Type, double X, double Y, double Z);

    private static IEnumerable<string> Atoms(int n, Func<Atom, string> line) =>
        Enumerable.Range(1, n).Select(i => line(new Atom(i, 1 + i % 2, 0.5 + i % 3 * 1.7, 0.75 + i % 2 * 2.5, 1 + i * 0.6)));

    private static string Dump(string bounds, string box, string columns, IEnumerable<string> atoms, int timestep = 0)
    {
        var a = atoms.ToList();
        return $"ITEM: TIMESTEP\n{timestep}\nITEM: NUMBER OF ATOMS\n{a.Count}\nITEM: BOX BOUNDS {bounds}\n{box}\nITEM: ATOMS {columns}\n{string.Join("\n", a)}\n";
    }

    private static string Data(string style, string tilt, IEnumerable<string> atoms)
    {
        var a = atoms.ToList();
        return $"LAMMPS data file\n\n{a.Count} atoms\n2 atom types\n\n0 6 xlo xhi\n0 6 ylo yhi\n0 6 zlo zhi\n{tilt}\nMasses\n\n1 63.546 # Cu\n2 91.224\n\nAtoms # {style}\n\n{string.Join("\n", a)}\n";
    }

    private static string Xyz(string comment, Func<Atom, string> line)
    {
        var a = Atoms(6, line).ToList();
        return $"{a.Count}\n{comment}\n{string.Join("\n", a)}\n";
    }
}
