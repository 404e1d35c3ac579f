using System.IO.Compression;
using System.Text;

namespace Softspot.Tests.Corpus;

/// <summary>
/// One case of the bad-input corpus (tests/corpus/*.case): the files it needs, the commands to run in a folder holding
/// them, and what must happen. The format (see tests/corpus/README.md):
/// <code>
/// # what the case is about (first line)
/// args: voronoi in.dump --out out.csv     (one or more; all but the last must succeed)
/// error: in.dump:4:                       (the last fails with one line containing each "error:" text)
/// creates: out.csv                        (or it succeeds and leaves these files)
/// same: out.csv expected.csv              (two files with identical content)
/// stdout: text                            (text the last command prints)
/// --- in.dump [crlf] [bom] [gzip] [truncate=N] [copy=repo/relative/path] [dir]
/// file content...
/// </code>
/// </summary>
public sealed record CorpusCase(
    string Name, string Description, IReadOnlyList<string[]> Commands, IReadOnlyList<string> Errors,
    IReadOnlyList<string> Creates, IReadOnlyList<(string A, string B)> Same, IReadOnlyList<string> Stdout,
    IReadOnlyList<CorpusFile> Files)
{
    public bool ExpectsError => Errors.Count > 0;

    public static CorpusCase Parse(string path)
    {
        string all = File.ReadAllText(path).Replace("\r\n", "\n");
        var lines = (all.EndsWith('\n') ? all[..^1] : all).Split('\n');
        string name = Path.GetFileNameWithoutExtension(path);
        if (lines.Length == 0 || !lines[0].StartsWith("# ")) throw new FormatException($"{path}: the first line must be '# description'");
        var commands = new List<string[]>();
        var errors = new List<string>();
        var creates = new List<string>();
        var same = new List<(string, string)>();
        var stdout = new List<string>();
        var files = new List<CorpusFile>();
        int i = 1;
        for (; i < lines.Length && !lines[i].StartsWith("--- "); i++)
        {
            string l = lines[i];
            if (l.Length == 0 || l.StartsWith('#')) continue;
            int colon = l.IndexOf(':');
            if (colon < 0) throw new FormatException($"{path}:{i + 1}: expected 'key: value'");
            string key = l[..colon], value = l[(colon + 1)..].Trim();
            switch (key)
            {
                case "args": commands.Add(SplitArgs(value)); break;
                case "error": errors.Add(value); break;
                case "creates": creates.AddRange(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)); break;
                case "same":
                    var pair = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (pair.Length != 2) throw new FormatException($"{path}:{i + 1}: same: needs two files");
                    same.Add((pair[0], pair[1]));
                    break;
                case "stdout": stdout.Add(value); break;
                default: throw new FormatException($"{path}:{i + 1}: unknown key '{key}'");
            }
        }
        while (i < lines.Length)
        {
            var header = lines[i][4..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var body = new StringBuilder();
            for (i++; i < lines.Length && !lines[i].StartsWith("--- "); i++) body.Append(lines[i]).Append('\n');
            files.Add(CorpusFile.Parse(path, header, body.ToString()));
        }
        if (commands.Count == 0) throw new FormatException($"{path}: no 'args:' line");
        if (errors.Count == 0 && creates.Count == 0 && stdout.Count == 0 && same.Count == 0)
            throw new FormatException($"{path}: says neither 'error:' nor what a success must leave ('creates:', 'same:', 'stdout:')");
        return new CorpusCase(name, lines[0][2..].Trim(), commands, errors, creates, same, stdout, files);
    }

    /// <summary>Splits on spaces; double quotes group (an argument with spaces, or an empty one: "").</summary>
    private static string[] SplitArgs(string s)
    {
        var args = new List<string>();
        var current = new StringBuilder();
        bool quoted = false, any = false;
        foreach (char c in s)
        {
            if (c == '"') { quoted = !quoted; any = true; }
            else if (c == ' ' && !quoted) { if (any) args.Add(current.ToString()); current.Clear(); any = false; }
            else { current.Append(c); any = true; }
        }
        if (any) args.Add(current.ToString());
        return [.. args];
    }

    public override string ToString() => Name;
}

/// <summary>A file (or folder) a corpus case puts in its working folder before running.</summary>
public sealed record CorpusFile(string Name, string Text, bool Crlf, bool Bom, bool Gzip, int Truncate, string? Copy, bool Folder)
{
    public static CorpusFile Parse(string casePath, string[] header, string body)
    {
        if (header.Length == 0) throw new FormatException($"{casePath}: '--- ' without a file name");
        bool crlf = false, bom = false, gzip = false, folder = false;
        int truncate = 0;
        string? copy = null;
        foreach (var flag in header.Skip(1))
        {
            if (flag == "crlf") crlf = true;
            else if (flag == "bom") bom = true;
            else if (flag == "gzip") gzip = true;
            else if (flag == "dir") folder = true;
            else if (flag.StartsWith("truncate=")) truncate = int.Parse(flag[9..]);
            else if (flag.StartsWith("copy=")) copy = flag[5..];
            else throw new FormatException($"{casePath}: unknown file flag '{flag}'");
        }
        return new CorpusFile(header[0], body, crlf, bom, gzip, truncate, copy, folder);
    }

    /// <summary>Writes the file into <paramref name="folder"/>.</summary>
    public void Write(string folder, string repoRoot)
    {
        string path = Path.Combine(folder, Name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (Folder) { Directory.CreateDirectory(path); return; }
        byte[] bytes;
        if (Copy is not null)
        {
            string source = Path.Combine(repoRoot, Copy);
            bytes = source.EndsWith(".gz") ? Gunzip(File.ReadAllBytes(source)) : File.ReadAllBytes(source);
        }
        else
        {
            string text = Crlf ? Text.Replace("\n", "\r\n") : Text;
            bytes = Encoding.UTF8.GetBytes(text);
        }
        if (Bom) bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        if (Gzip)
        {
            using var ms = new MemoryStream();
            using (var gz = new GZipStream(ms, CompressionLevel.Optimal)) gz.Write(bytes);
            bytes = ms.ToArray();
        }
        if (Truncate > 0) bytes = bytes[..Math.Max(0, bytes.Length - Truncate)];
        File.WriteAllBytes(path, bytes);
    }

    private static byte[] Gunzip(byte[] gz)
    {
        using var input = new GZipStream(new MemoryStream(gz), CompressionMode.Decompress);
        using var ms = new MemoryStream();
        input.CopyTo(ms);
        return ms.ToArray();
    }
}
