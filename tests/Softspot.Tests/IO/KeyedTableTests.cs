using Softspot.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.IO;

public class KeyedTableTests
{
    [Fact]
    public void ReadsJoinsAndSkipsUnlabelledRows()
    {
        using var dir = new TempDir();
        string features = IoAssert.WriteLines(dir.File("f.csv"), ["frame,id,type,element,a,b", "0,1,1,Cu,0.5,1.5", "0,2,2,Zr,,2.5", "1,1,1,Cu,3,4"]);
        string labels = IoAssert.WriteLines(dir.File("l.csv"), ["frame,id,d2min,plastic", "1,1,0.7,1", "0,2,0.1,", "0,1,0.2,0"]);
        var f = KeyedTable.Read(features);
        Assert.Equal(["type", "a", "b"], f.Columns);
        Assert.True(double.IsNaN(f[1, 1]));
        Assert.Equal(4.0, f[2, 2]);
        var (rows, y) = f.Join(KeyedTable.Read(labels), "plastic");
        Assert.Equal([0, 2], rows); // in (frame, id) order; frame 0 id 2 is unlabelled
        Assert.Equal([0.0, 1.0], y);
    }

    [Fact]
    public void TheJoinDoesNotDependOnTheOrderOfEitherTablesRows()
    {
        using var dir = new TempDir();
        var keys = Enumerable.Range(0, 40).Select(i => (Frame: i % 3, Id: 1000L - 7 * i)).ToArray();
        string[] Lines(string header, Func<(int Frame, long Id), string> row, int seed) =>
            [header, .. keys.OrderBy(k => (k.Id * 2654435761L + seed) % 9973).Select(k => $"{k.Frame},{k.Id},{row(k)}")];
        var sorted = KeyedTable.Read(IoAssert.WriteLines(dir.File("f0.csv"), ["frame,id,a", .. keys.OrderBy(k => k.Frame).ThenBy(k => k.Id).Select(k => $"{k.Frame},{k.Id},{k.Id * 0.5}")]));
        var labels = KeyedTable.Read(IoAssert.WriteLines(dir.File("l0.csv"), ["frame,id,y", .. keys.OrderBy(k => k.Frame).ThenBy(k => k.Id).Select(k => $"{k.Frame},{k.Id},{k.Id % 2}")]));
        var shuffledF = KeyedTable.Read(IoAssert.WriteLines(dir.File("f1.csv"), Lines("frame,id,a", k => $"{k.Id * 0.5}", 17)));
        var shuffledL = KeyedTable.Read(IoAssert.WriteLines(dir.File("l1.csv"), Lines("frame,id,y", k => $"{k.Id % 2}", 5)));
        var (rows0, y0) = sorted.Join(labels, "y");
        var (rows1, y1) = shuffledF.Join(shuffledL, "y");
        Assert.Equal(y0, y1);
        Assert.Equal(rows0.Select(r => sorted[r, 0]), rows1.Select(r => shuffledF[r, 0]));
        Assert.Equal(rows0.Select(r => sorted.Keys[r]), rows1.Select(r => shuffledF.Keys[r]));
    }

    [Fact]
    public void ErrorsNameFileAndLine()
    {
        using var dir = new TempDir();
        string dup = IoAssert.WriteLines(dir.File("dup.csv"), ["frame,id,a", "0,1,1", "0,1,2"]);
        var e = Assert.Throws<InputFormatException>(() => KeyedTable.Read(dup));
        Assert.Equal(3, e.Line); Assert.Equal(InputProblem.DuplicateId, e.Kind);
        string bad = IoAssert.WriteLines(dir.File("bad.csv"), ["frame,id,a", "0,1,x"]);
        Assert.Equal(2, Assert.Throws<InputFormatException>(() => KeyedTable.Read(bad)).Line);
        string nokey = IoAssert.WriteLines(dir.File("nokey.csv"), ["id,a", "1,1"]);
        Assert.Equal(InputProblem.MissingColumn, Assert.Throws<InputFormatException>(() => KeyedTable.Read(nokey)).Kind);
        var f = KeyedTable.Read(IoAssert.WriteLines(dir.File("f.csv"), ["frame,id,a", "0,1,1"]));
        var l = KeyedTable.Read(IoAssert.WriteLines(dir.File("l.csv"), ["frame,id,y", "0,9,1"]));
        Assert.Contains("id 9 has a 'y' label but no row", Assert.Throws<InputFormatException>(() => f.Join(l, "y")).Message);
        Assert.Contains("no column 'z'", Assert.Throws<InputFormatException>(() => f.Join(l, "z")).Message);
    }
}
