using Softspot.IO;
using Softspot.Labels;
using Softspot.Learning;
using Softspot.Tests.Support;

namespace Softspot.Tests.Learning;

/// <summary>The one validation of a label column before training or scoring (LabelCheck through TrainingPipeline.Join).</summary>
public class LabelCheckTests
{
    private static (KeyedTable Features, string Dir, TempDir Temp) Setup(int n = 40)
    {
        var temp = new TempDir();
        File.WriteAllLines(temp.File("f.csv"), ["frame,id,a", .. Enumerable.Range(1, n).Select(i => $"0,{i},{i % 7}")]);
        return (KeyedTable.Read(temp.File("f.csv")), temp.Path, temp);
    }

    private static TrainingRequest Join(KeyedTable f, string dir, Func<int, string> label, TaskChoice task = TaskChoice.Auto, int n = 40)
    {
        string path = Path.Combine(dir, "l.csv");
        File.WriteAllLines(path, ["frame,id,y", .. Enumerable.Range(1, n).Select(i => $"0,{i},{label(i)}")]);
        return TrainingPipeline.Join(f, KeyedTable.Read(path), "y", task: task);
    }

    [Fact]
    public void OneClassIsRefused()
    {
        var (f, dir, t) = Setup();
        using var _ = t;
        var e = Assert.Throws<LabelException>(() => Join(f, dir, i => "0"));
        Assert.Contains("y is 0 in all 40 labelled rows: one class", e.Message);
        Assert.Throws<LabelException>(() => Join(f, dir, i => "2.5", TaskChoice.Regression));
    }

    [Fact]
    public void AStrayTwoInA01ColumnIsRefusedNamingItsLine()
    {
        var (f, dir, t) = Setup();
        using var _ = t;
        var e = Assert.Throws<LabelException>(() => Join(f, dir, i => i == 17 ? "2" : i % 4 == 0 ? "1" : "0"));
        Assert.EndsWith("l.csv:18: y is 2 in a column of 0/1 class labels (39 of 40 rows are 0 or 1): correct the label, or give --task regression (or classification) to say which is meant", e.Message);
        var r = Join(f, dir, i => i == 17 ? "2" : i % 4 == 0 ? "1" : "0", TaskChoice.Regression);
        Assert.False(r.Classification);
        Assert.Contains("--task regression", r.Task!.Reason);
    }

    [Fact]
    public void TheTaskAndItsReasonAreChosenFromTheValues()
    {
        var (f, dir, t) = Setup();
        using var _ = t;
        var c = Join(f, dir, i => i % 4 == 0 ? "1" : "0");
        Assert.True(c.Classification);
        Assert.Equal("y holds only 0 and 1: 10 of 40 rows are 1", c.Task!.Reason);
        var r = Join(f, dir, i => (i / 8.0).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(r.Classification);
        Assert.Contains("values other than 0 and 1 (e.g. 0.125 at", r.Task!.Reason);
        var counts = Join(f, dir, i => (i % 9).ToString());
        Assert.False(counts.Classification);
    }

    [Fact]
    public void NonFiniteLabelsAndTooFewOfAClassAreRefused()
    {
        var (f, dir, t) = Setup();
        using var _ = t;
        Assert.Contains("l.csv:6: y is Infinity, not a finite label", Assert.Throws<LabelException>(() => Join(f, dir, i => i == 5 ? "Infinity" : "0.5")).Message);
        Assert.Contains("y has only 3 row(s) of class 1", Assert.Throws<LabelException>(() => Join(f, dir, i => i is 2 or 3 or 4 ? "1" : "0")).Message);
        Assert.Contains("l.csv:13: y is 0.5, but a classification needs labels 0 and 1",
            Assert.Throws<LabelException>(() => Join(f, dir, i => i == 12 ? "0.5" : i % 4 == 0 ? "1" : "0", TaskChoice.Classification)).Message);
    }

    [Fact]
    public void TablesWithoutSharedAtomsAreNamed()
    {
        var (f, dir, t) = Setup();
        using var _ = t;
        string path = Path.Combine(dir, "l.csv");
        File.WriteAllLines(path, ["frame,id,y", .. Enumerable.Range(1, 40).Select(i => $"0,{1000 + i},{i % 2}")]);
        var e = Assert.Throws<InputFormatException>(() => TrainingPipeline.Join(f, KeyedTable.Read(path), "y"));
        Assert.Contains("none of the 40 atoms with a 'y' label (frame 0, ids 1001 to 1040) has a row in", e.Message);
    }
}
