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
        Assert.Equal([2, 0], rows); // frame 0 id 2 is unlabelled
        Assert.Equal([1.0, 0.0], y);
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
