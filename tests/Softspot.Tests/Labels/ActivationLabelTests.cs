using Softspot.IO;
using Softspot.Labels;
using Softspot.Tests.IO;
using Softspot.Tests.Support;

namespace Softspot.Tests.Labels;

public class ActivationLabelTests
{
    private const string Header = "search,atom_id,converged,eact,efinal,moved_atoms,max_displacement,seed";

    [Fact]
    public void PerAtomStatisticsUseConvergedSearchesOnly()
    {
        using var dir = new TempDir();
        string path = IoAssert.WriteLines(dir.File("events.csv"),
            [Header, "1,7,1,0.50,0.10,12,1.2,11", "2,7,1,0.30,-0.05,9,0.9,12", "3,7,0,,,0,0.1,13", "4,7,1,0.70,0.20,15,1.5,14", "5,9,0,nan,nan,0,0.0,15"]);
        var events = ActivationEventsReader.Read(path);
        Assert.Equal(5, events.Count);
        var r = ActivationLabels.Compute(events, tail: 0.1, minEvents: 1);
        var a7 = r.Atoms.Single(a => a.Id == 7);
        Assert.Equal(0.5, a7.EactMean, 15);
        Assert.Equal(0.3, a7.EactMin, 15);
        Assert.Equal(3, a7.Events);
        var a9 = r.Atoms.Single(a => a.Id == 9);
        Assert.Equal(0, a9.Events);
        Assert.True(double.IsNaN(a9.EactMean));
        Assert.Null(a9.High); // no converged search: unlabelled
    }

    [Fact]
    public void TailsArePooledOverGlassesAndSparseAtomsStayUnlabelled()
    {
        // two glasses (frames 0 and 1), 20 atoms each with 5 searches of equal E_act = (atom + 20 frame) / 100
        // eV; atom 0 of frame 0 has only 4 converged searches, so it is left out of the pooled spectrum
        var events = new List<ActivationEvent>();
        long search = 0;
        for (int frame = 0; frame < 2; frame++)
            for (int atom = 0; atom < 20; atom++)
                for (int k = 0; k < 5; k++)
                {
                    bool converged = !(frame == 0 && atom == 0 && k == 0);
                    events.Add(new ActivationEvent(frame, search++, atom, converged, (atom + 20 * frame) / 100.0, 0, 5, 1, search));
                }
        var r = ActivationLabels.Compute(events, tail: 0.05, minEvents: 5);
        Assert.Equal(39, r.Labelled);
        // 39 pooled values 0.01 .. 0.39: the top 5 % is ceil(0.05 * 39) = 2 atoms, likewise the bottom
        Assert.Equal(0.38, r.HighThreshold, 12);
        Assert.Equal(0.02, r.LowThreshold, 12);
        Assert.Equal([(1, 18L), (1, 19L)], r.Atoms.Where(a => a.High == 1).Select(a => (a.Frame, a.Id)));
        Assert.Equal([(0, 1L), (0, 2L)], r.Atoms.Where(a => a.Low == 1).Select(a => (a.Frame, a.Id)));
        var sparse = r.Atoms.Single(a => a.Frame == 0 && a.Id == 0);
        Assert.Equal(4, sparse.Events);
        Assert.Null(sparse.High); Assert.Null(sparse.Low);
        Assert.Equal(37, r.Atoms.Count(a => a.High == 0));
    }

    [Theory]
    [InlineData("search,atom_id,converged,eact,efinal,moved_atoms,seed\n1,2,1,0.1,0,3,4\n", 1, InputProblem.MissingColumn, "max_displacement")]
    [InlineData(Header + "\n1,2,1,0.1,0,3,0.5,4\n2,2,1,abc,0,3,0.5,5\n", 3, InputProblem.NotANumber, "eact: 'abc'")]
    [InlineData(Header + "\n1,2,2,0.1,0,3,0.5,4\n", 2, InputProblem.Syntax, "converged: '2' is not 0 or 1")]
    [InlineData(Header + "\n1,2,1,0.1,0,3,0.5\n", 2, InputProblem.ColumnCount, "expected 8 fields, found 7")]
    [InlineData(Header + "\n1,2,1,0.1,0,3,0.5,4\n1,5,1,0.2,0,3,0.5,6\n", 3, InputProblem.DuplicateId, "search 1 of frame 0 appears twice (first at line 2)")]
    [InlineData(Header + "\n1,2,1,,0,3,0.5,4\n", 2, InputProblem.NotANumber, "required for a converged search")]
    [InlineData(Header + "\n1,-2,1,0.1,0,3,0.5,4\n", 2, InputProblem.Syntax, "atom_id: -2 must not be negative")]
    public void BadEventFilesNameFileLineAndProblem(string content, int line, InputProblem kind, string message)
    {
        using var dir = new TempDir();
        string path = dir.File("events.csv");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InputFormatException>(() => ActivationEventsReader.Read(path));
        Assert.Equal(kind, e.Kind);
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
    }

    private const string Moved = "search,atom_id,moved_id,saddle_displacement,final_displacement";

    [Fact]
    public void ParticipantsShareEachEventWeightedByTheirSaddleDisplacementSquared()
    {
        // search 1 (E 1.0, around atom 5) moved atoms 5 (1 A) and 6 (0.5 A); search 2 (E 3.0, around atom 7) moved 5
        // (0.5 A) and 7 (1 A); search 3 did not converge, its moved row is ignored
        var events = new List<ActivationEvent>
        {
            new(0, 1, 5, true, 1.0, 0.2, 2, 1, 1), new(0, 2, 7, true, 3.0, 0.5, 2, 1, 2), new(0, 3, 6, false, double.NaN, double.NaN, 0, 0, 3),
        };
        var moved = new List<MovedAtom> { new(0, 1, 5, 1.0), new(0, 1, 6, 0.5), new(0, 2, 5, 0.5), new(0, 2, 7, 1.0), new(0, 3, 6, 2.0) };
        var r = ActivationLabels.Participants(events, moved, tail: 0.34, minEvents: 1);
        var byId = r.Atoms.ToDictionary(a => a.Id);
        Assert.Equal((1 * 1.0 + 0.25 * 3.0) / 1.25, byId[5].EactMean, 15);   // 1.4
        Assert.Equal(1.0, byId[5].EactMin);
        Assert.Equal(2, byId[5].Events);
        Assert.Equal(1.0, byId[6].EactMean, 15);
        Assert.Equal(1, byId[6].Events);
        Assert.Equal(3.0, byId[7].EactMean, 15);
        // three labelled atoms, tails of ceil(0.34 x 3) = 2: the highest two (1.4 and 3.0), the lowest two (1.0 and 1.4)
        Assert.Equal([5L, 7L], r.Atoms.Where(a => a.High == 1).Select(a => a.Id));
        Assert.Equal([5L, 6L], r.Atoms.Where(a => a.Low == 1).Select(a => a.Id));
    }

    [Fact]
    public void LabelActivationAssignsToParticipantsFromTheGzippedCompanion()
    {
        using var dir = new TempDir();
        IoAssert.WriteLines(dir.File("ev.csv"), [Header, "1,5,1,1.0,0.2,2,1.0,1", "2,7,1,3.0,0.5,2,1.0,2"]);
        using (var gz = new System.IO.Compression.GZipStream(File.Create(dir.File("ev.moved.csv.gz")), System.IO.Compression.CompressionLevel.Optimal))
            gz.Write(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Moved, "1,5,5,1.0,1.1", "1,5,6,0.5,0.4", "2,7,5,0.5,0.6", "2,7,7,1.0,1.2") + "\n"));
        var r = CliRunner.Run("label", "activation", "--events", dir.File("ev.csv"), "--assign", "participants", "--min-events", "1", "--tail", "0.34", "--out", dir.File("eact.csv"));
        Assert.True(r.Code == 0, r.Err);
        var rows = File.ReadAllLines(dir.File("eact.csv"));
        Assert.Equal("frame,id,eact_mean,eact_min,events,h_eact,l_eact", rows[0]);
        Assert.Equal("0,5,1.4,1,2,1,1", rows[1]);
        Assert.Equal("0,6,1,1,1,0,1", rows[2]);
        Assert.Equal("0,7,3,3,1,1,0", rows[3]);
        Assert.Contains("\"assign\": \"participants\"", File.ReadAllText(dir.File("eact.json")));

        // without a companion, or with a mode that does not exist: one line naming the problem
        File.Delete(dir.File("ev.moved.csv.gz"));
        var missing = CliRunner.Run("label", "activation", "--events", dir.File("ev.csv"), "--assign", "participants", "--out", dir.File("x.csv"));
        Assert.Equal(2, missing.Code);
        Assert.Contains("needs the moved-atoms file beside", missing.Err);
        var bad = CliRunner.Run("label", "activation", "--events", dir.File("ev.csv"), "--assign", "everyone", "--out", dir.File("x.csv"));
        Assert.Equal(2, bad.Code);
        Assert.Contains("--assign everyone: expected initiator or participants", bad.Err);
        Assert.False(File.Exists(dir.File("x.csv")));
    }
}
