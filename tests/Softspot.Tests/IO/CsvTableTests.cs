using System.Globalization;
using System.Text;
using System.Text.Json;
using Softspot.IO;
using Softspot.Labels;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

/// <summary>
/// The one CSV reader (<see cref="CsvTableReader"/>, on Sep) and writer (<see cref="CsvTableWriter"/>): RFC 4180
/// quoting, line ends, a byte-order mark, gzip, files written by Python's csv module, and errors that name the
/// file's physical line whatever quoted line breaks came before.
/// </summary>
public class CsvTableTests
{
    private static string Write(TempDir dir, string name, string text)
    {
        string path = dir.File(name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    [Fact]
    public void QuotedCellsHoldCommasQuotesAndLineBreaks()
    {
        using var dir = new TempDir();
        string path = Write(dir, "q.csv", "frame,id,element,x\n0,1,\"Cu, fcc\",1.5\n0,2,\"say \"\"hi\"\"\",2.5\n0,3,\"two\nlines\",3.5\n0,4,Zr,4.5\n");
        using var r = new CsvTableReader(path, "a header");
        Assert.Equal(["frame", "id", "element", "x"], r.Header);
        var rows = new List<(long Line, string Element, string X)>();
        while (r.Next()) rows.Add((r.LineNumber, r.Text(2), r.Text(3)));
        Assert.Equal([(2L, "Cu, fcc", "1.5"), (3L, "say \"hi\"", "2.5"), (4L, "two\nlines", "3.5"), (6L, "Zr", "4.5")], rows);
        var t = KeyedTable.Read(path);
        Assert.Equal([1.5, 2.5, 3.5, 4.5], t.Column("x"));
        Assert.Equal([2L, 3, 4, 6], t.Lines);
    }

    [Fact]
    public void LineNumbersAreTheFilesLinesAfterQuotedLineBreaks()
    {
        using var dir = new TempDir();
        // a header whose last name spans two lines, then a cell spanning three: Sep's own numbering of the first row
        // is off (its LineNumberFrom is its LineNumberToExcl), the reader's is not
        string path = Write(dir, "l.csv", "frame,id,\"a\nb\",element\n0,1,1,\"x\ny\nz\"\n0,2,oops,\n");
        using (var r = new CsvTableReader(path, "a header"))
        {
            Assert.Equal(1, r.LineNumber);
            Assert.Equal("a\nb", r.Header[2]);
            Assert.True(r.Next()); Assert.Equal(3, r.LineNumber);
            Assert.True(r.Next()); Assert.Equal(6, r.LineNumber);
            Assert.False(r.Next());
        }
        var e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(path));
        Assert.Equal(InputProblem.NotANumber, e.Kind);
        Assert.Equal($"{path}:6: a\nb: 'oops' is not a number", e.Message);
    }

    [Fact]
    public void ARaggedRowAndANonNumberNameFileAndLine()
    {
        using var dir = new TempDir();
        string ragged = Write(dir, "r.csv", "frame,id,a,b\n0,1,1,2\n\n0,2,3\n");
        var e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(ragged));
        Assert.Equal((4L, InputProblem.ColumnCount), (e.Line, e.Kind));
        Assert.Equal($"{ragged}:4: expected 4 fields, found 3", e.Message);
        string word = Write(dir, "w.csv", "frame,id,a\r\n0,1,1\r\n0,2,\"two, three\"\r\n");
        e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(word));
        Assert.Equal($"{word}:3: a: 'two, three' is not a number", e.Message);
        string events = Write(dir, "ev.csv", "search,atom_id,converged,eact,efinal,moved_atoms,max_displacement,seed\n0,1,1,0.5,0.1,3,0.4,7\n1,2,1,0.5\n");
        e = Assert.Throws<InputFormatException>(() => ActivationEventsReader.Read(events));
        Assert.Equal($"{events}:3: expected 8 fields, found 4", e.Message);
        string unclosed = Write(dir, "u.csv", "frame,id,a\n0,1,1\n0,2,\"3\n0,3,4\n");
        e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(unclosed));
        Assert.Equal((3L, InputProblem.Syntax), (e.Line, e.Kind));
        Assert.Contains("closing quote", e.Message);
    }

    [Fact]
    public void CrlfLineEndsAndAByteOrderMark()
    {
        using var dir = new TempDir();
        string path = dir.File("bom.csv");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. Encoding.ASCII.GetBytes("frame,id,a,element\r\n0,1,0.5,Cu\r\n0,2,,\"Zr\"\r\n\r\n1,1,-1e-300,Cu\r\n")]);
        var t = KeyedTable.Read(path);
        Assert.Equal(["a"], t.Columns);
        Assert.Equal([(0, 1L), (0, 2L), (1, 1L)], t.Keys);
        Assert.Equal([0.5, double.NaN, -1e-300], t.Column("a"));
        Assert.Equal([2L, 3, 5], t.Lines);
    }

    [Fact]
    public void GzipInputIsReadAndATruncatedOneIsAnError()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "frame,id,x" };
        lines.AddRange(Enumerable.Range(1, 20000).Select(i => FormattableString.Invariant($"0,{i},{i / 7.0:R}")));
        string plain = IoAssert.WriteLines(dir.File("t.csv"), lines);
        IoAssert.Gzip(plain, dir.File("t.csv.gz"));
        Assert.Equal(KeyedTable.Read(plain).Values, KeyedTable.Read(dir.File("t.csv.gz")).Values);
        var bytes = File.ReadAllBytes(dir.File("t.csv.gz"));
        File.WriteAllBytes(dir.File("cut.csv.gz"), bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(dir.File("cut.csv.gz")));
        Assert.Equal(InputProblem.Truncated, e.Kind);
        Assert.InRange(e.Line, 2, 20001);
    }

    [Fact]
    public void AFileWrittenByPythonsCsvModuleIsReadValueForValue()
    {
        using var dir = new TempDir();
        string python = ExternalTool.Find("python3") ?? "/usr/bin/python3";
        // the excel dialect: CRLF line ends, quotes only where needed; floats as repr (shortest round trip); the
        // exact values go beside it as IEEE bit patterns
        File.WriteAllText(dir.File("w.py"), """
            import csv, json, random, struct, sys
            random.seed(2027)
            texts = ['Cu', 'Zr', 'a,b', 'say "hi"', 'two\nlines', 'crlf\r\ninside', ' spaced ', 'Zo\u00eb', '']
            rows = []
            for i in range(300):
                x = random.uniform(-1, 1) * 10.0 ** random.randint(-300, 300)
                rows.append([i // 100, 1000 + i, texts[i % len(texts)], x, 1 / (i + 1), -0.0 if i % 7 == 0 else i * 0.1])
            with open(sys.argv[1], 'w', newline='', encoding='utf-8') as f:
                w = csv.writer(f)
                w.writerow(['frame', 'id', 'element', 'x', 'inverse', 'tenth'])
                w.writerows(rows)
            bits = lambda v: struct.unpack('<q', struct.pack('<d', v))[0]
            with open(sys.argv[2], 'w') as f:
                json.dump([[r[0], r[1], r[2]] + [bits(v) for v in r[3:]] for r in rows], f)
            """);
        ExternalTool.Run(python, ["w.py", "py.csv", "py.json"], dir.Path);
        var expected = JsonSerializer.Deserialize<JsonElement[][]>(File.ReadAllText(dir.File("py.json")))!;
        Assert.Contains("\r\n", File.ReadAllText(dir.File("py.csv")));

        using (var r = new CsvTableReader(dir.File("py.csv"), "a header"))
        {
            Assert.Equal(["frame", "id", "element", "x", "inverse", "tenth"], r.Header);
            int n = 0;
            while (r.Next())
            {
                var want = expected[n++];
                Assert.Equal(6, r.Count);
                Assert.Equal(want[0].GetInt64(), r.ParseLong(0, "frame"));
                Assert.Equal(want[1].GetInt64(), r.ParseLong(1, "id"));
                Assert.Equal(want[2].GetString(), r.Text(2));
                for (int k = 3; k < 6; k++)
                    Assert.Equal(want[k].GetInt64(), BitConverter.DoubleToInt64Bits(r.ParseDouble(k, r.Header[k])));
            }
            Assert.Equal(expected.Length, n);
        }
        var t = KeyedTable.Read(dir.File("py.csv"));
        Assert.Equal(["x", "inverse", "tenth"], t.Columns);
        for (int row = 0; row < expected.Length; row++)
            for (int c = 0; c < 3; c++)
                Assert.Equal(expected[row][3 + c].GetInt64(), BitConverter.DoubleToInt64Bits(t[row, c]));
    }

    [Fact]
    public void TheWriterQuotesWhatNeedsItAndNumbersRoundTripExactly()
    {
        using var dir = new TempDir();
        string path = dir.File("w.csv");
        string[] texts = ["Cu", "a,b", "say \"hi\"", "two\nlines", "cr\rlf", "/data/run 1,2/x.dump", ""];
        var random = new Random(11);
        var numbers = Enumerable.Range(0, 500).Select(i => i switch
        {
            0 => double.Epsilon, 1 => double.MaxValue, 2 => -0.0, 3 => 0.1 + 0.2, 4 => 1e-300,
            _ => (random.NextDouble() - 0.5) * Math.Pow(10, random.Next(-300, 300)),
        }).ToArray();
        CsvTableWriter.Write(path, ["id", "text", "value"], w =>
        {
            for (int i = 0; i < numbers.Length; i++) { w.Number((long)i).Text(texts[i % texts.Length]).Number(numbers[i]); w.EndRow(); }
        });
        string written = File.ReadAllText(path);
        Assert.StartsWith("id,text,value\n0,Cu,5E-324\n1,\"a,b\",1.7976931348623157E+308\n2,\"say \"\"hi\"\"\",-0\n3,\"two\nlines\",0.30000000000000004\n4,\"cr\rlf\",1E-300\n", written);
        using var r = new CsvTableReader(path, "a header");
        for (int i = 0; i < numbers.Length; i++)
        {
            Assert.True(r.Next());
            Assert.Equal(i, r.ParseLong(0, "id"));
            Assert.Equal(texts[i % texts.Length], r.Text(1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(numbers[i]), BitConverter.DoubleToInt64Bits(r.ParseDouble(2, "value")));
            Assert.Equal(numbers[i].ToString("R", CultureInfo.InvariantCulture), r.Text(2));
        }
        Assert.False(r.Next());
    }
}
