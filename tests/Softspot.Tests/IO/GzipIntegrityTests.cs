using System.IO.Compression;
using Softspot.IO;
using Softspot.Structures;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

/// <summary>
/// Gzip files are checked to their end: a file cut short (inside the compressed data or the 8-byte trailer) or with
/// data that does not match its CRC-32 is an error naming the file, never a shorter file read as complete (.NET's
/// GZipStream reads all of these without complaint).
/// </summary>
public class GzipIntegrityTests
{
    private static string[] AllLines(string path)
    {
        using var r = new LineReader(path);
        var lines = new List<string>();
        while (r.Next() is { } l) lines.Add(l);
        return [.. lines];
    }

    /// <summary>The shipped 500-atom glass gzipped by the real gzip tool.</summary>
    private static string GzippedGlass(TempDir dir)
    {
        string plain = dir.File("in.dump");
        File.Copy(Paths.Data("CuZr_500.dump"), plain);
        ExternalTool.Run(ExternalTool.Require("gzip", "gzip"), ["-k", "-9", "in.dump"], dir.Path);
        return plain + ".gz";
    }

    [Fact]
    public void AGzipFileReadsAsItsContent()
    {
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        Assert.Equal(File.ReadAllLines(dir.File("in.dump")), AllLines(gz));
        var s = StructureFile.ReadFirst(gz);
        Assert.Equal(500, s.Count);
    }

    [Theory]
    [InlineData(1)]     // one byte of ISIZE
    [InlineData(4)]     // all of ISIZE
    [InlineData(8)]     // the whole trailer: the deflate data is complete
    [InlineData(12)]    // into the compressed data (the last coordinate read as 18.2 instead of 18.279...)
    [InlineData(1000)]
    public void AFileCutShortByHeadIsTruncated(int cut)
    {
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        string cutPath = dir.File("cut.dump.gz");
        // cut with the real tool, as a failed copy leaves it
        var bytes = File.ReadAllBytes(gz);
        string head = ExternalTool.Require("head", "coreutils");
        ExternalTool.Run("/bin/sh", ["-c", $"{head} -c {bytes.Length - cut} in.dump.gz > cut.dump.gz"], dir.Path);
        Assert.Equal(bytes.Length - cut, new FileInfo(cutPath).Length);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFrames(cutPath).ToList());
        Assert.Equal(InputProblem.Truncated, e.Kind);
        Assert.StartsWith(cutPath + ":", e.Message);
        Assert.Contains("truncated", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        // every reader of text goes through the same check
        Assert.Throws<InputFormatException>(() => AllLines(cutPath));
    }

    [Fact]
    public void TheMessageSaysTheFileEndsBeforeItsEnd()
    {
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        var bytes = File.ReadAllBytes(gz);
        File.WriteAllBytes(gz, bytes[..^12]);
        var e = Assert.Throws<InputFormatException>(() => StructureFile.ReadFirst(gz));
        Assert.Contains("in.dump.gz:", e.Message);
        Assert.Contains("truncated gzip stream (the file ends before its end-of-stream marker)", e.Message);
    }

    [Fact]
    public void AWrongCrcIsCorrupt()
    {
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        var bytes = File.ReadAllBytes(gz);
        bytes[^6] ^= 0x5a; // a byte of the CRC-32
        File.WriteAllBytes(gz, bytes);
        var e = Assert.Throws<InputFormatException>(() => AllLines(gz));
        Assert.Contains("does not match the data", e.Message);
    }

    [Fact]
    public void AFlippedByteInTheDataIsAnError()
    {
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        var original = File.ReadAllBytes(gz);
        // whatever the inflater makes of a damaged block, the CRC-32 catches what it does not
        for (int at = 40; at < original.Length - 8; at += original.Length / 7)
        {
            var bytes = (byte[])original.Clone();
            bytes[at] ^= 0x10;
            File.WriteAllBytes(gz, bytes);
            var e = Assert.ThrowsAny<SoftspotException>(() => StructureFile.ReadFrames(gz).ToList());
            Assert.StartsWith(gz + ":", e.Message);
        }
    }

    [Fact]
    public void ConcatenatedMembersAndTrailingZerosAreOneFile()
    {
        // gzip reads "cat a.gz b.gz" as a then b, and ignores zero padding after the last member
        using var dir = new TempDir();
        string gz = GzippedGlass(dir);
        var one = File.ReadAllBytes(gz);
        string two = dir.File("two.dump.gz");
        File.WriteAllBytes(two, [.. one, .. one, .. new byte[100]]);
        var frames = StructureFile.ReadFrames(two).ToList();
        Assert.Equal(2, frames.Count);
        Assert.Equal(frames[0].Positions, frames[1].Positions);
        // a member with a file name and a comment in its header (gzip -N writes the name)
        using (var ms = new MemoryStream())
        {
            using (var z = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true)) z.Write(File.ReadAllBytes(dir.File("in.dump")));
            var b = ms.ToArray();
            b[3] = 8 | 16; // FNAME and FCOMMENT
            byte[] named = [.. b[..10], .. "in.dump"u8, 0, .. "a comment"u8, 0, .. b[10..]];
            File.WriteAllBytes(dir.File("named.dump.gz"), named);
        }
        Assert.Equal(File.ReadAllLines(dir.File("in.dump")), AllLines(dir.File("named.dump.gz")));
        // anything else after the end is not part of a gzip file
        File.WriteAllBytes(two, [.. one, .. "junk\n"u8]);
        var e = Assert.Throws<InputFormatException>(() => AllLines(two));
        Assert.Contains("after the end of the gzip stream", e.Message);
    }

    [Fact]
    public void LargeMultiChunkStreamsAreExact()
    {
        // members much longer than the chunks the trailer is looked for in, and an empty member
        using var dir = new TempDir();
        var text = string.Join("\n", Enumerable.Range(0, 200_000).Select(i => $"{i} {i * 0.37:R} {Math.Sin(i):R}")) + "\n";
        byte[] Gz(string t)
        {
            using var ms = new MemoryStream();
            using (var z = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) z.Write(System.Text.Encoding.UTF8.GetBytes(t));
            return ms.ToArray();
        }
        string path = dir.File("big.txt.gz");
        File.WriteAllBytes(path, [.. Gz(text), .. Gz(""), .. Gz("last\n")]);
        var lines = AllLines(path);
        Assert.Equal(200_001, lines.Length);
        Assert.Equal("last", lines[^1]);
        Assert.Equal(text.Split('\n')[123_456], lines[123_456]);
    }
}
