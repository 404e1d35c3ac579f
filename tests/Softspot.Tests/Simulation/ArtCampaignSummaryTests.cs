using System.Text.Json;
using Softspot.IO;
using Softspot.Simulation.Art;
using Softspot.Tests.Support;

namespace Softspot.Tests.Simulation;

/// <summary>
/// <see cref="ArtCampaignSummary"/> (what <c>softspot info</c> prints for an events CSV) against the same numbers
/// computed by Python's csv module and numpy from the shipped events and their record.
/// </summary>
public class ArtCampaignSummaryTests
{
    [Theory]
    [InlineData("Cu64Zr36-annealed")]
    [InlineData("Cu50Zr50")]
    public void TheSummaryEqualsNumpysOnTheShippedEvents(string glass)
    {
        string events = Paths.Data($"glasses/{glass}/art/events.csv");
        using var dir = new TempDir();
        File.WriteAllText(dir.File("reference.py"), $$"""
            import csv, json, re, numpy as np
            record = json.load(open("{{Path.ChangeExtension(events, ".json")}}"))
            cap, target, selected = record["searches"], record.get("until_converged"), record["selected"]
            n, c, calls, seconds, eact, kinds = {}, {}, 0, 0.0, [], {}
            for row in csv.DictReader(open("{{events}}")):
                a = int(row["atom_id"])
                ok = row["converged"] == "1"
                n[a] = n.get(a, 0) + 1
                c[a] = c.get(a, 0) + ok
                calls += int(row["force_calls"])
                seconds += float(row["seconds"])
                if ok: eact.append(float(row["eact"]))
                text = row["status"].split(" (")[0]
                kind = re.sub(r"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", "#", text)
                count, texts = kinds.get(kind, (0, set()))
                kinds[kind] = (count + 1, texts | {text})
            def left(a):
                if n[a] >= cap or (target is not None and c[a] >= target): return 0.0
                if target is None: return float(cap - n[a])
                return min(cap - n[a], (target - c[a]) * (n[a] + 2) / (c[a] + 1))
            print(json.dumps({
                "searches": sum(n.values()), "converged": len(eact), "calls": calls, "seconds": seconds,
                "q": [float(np.percentile(eact, p)) for p in (5, 50, 95)],
                "atoms": len(n), "ge": {str(k): sum(1 for a in c if c[a] >= k) for k in (1, 5, 10, 20)},
                "done": sum(1 for a in n if left(a) == 0), "left": sum(left(a) for a in n) + (selected - len(n)) * (min(cap, 2 * target) if target else cap),
                "kinds": {(min(t) if len(t) == 1 else k): n for k, (n, t) in kinds.items()}, "version": record.get("art_version", 1), "selected": selected}))
            """);
        var numpy = JsonDocument.Parse(ExternalTool.Run("/usr/bin/python3", [dir.File("reference.py")], dir.Path)).RootElement;
        var s = ArtCampaignSummary.Read(events);

        Assert.Equal(numpy.GetProperty("version").GetInt32(), s.Version);
        Assert.Equal(numpy.GetProperty("selected").GetInt32(), s.Selected);
        Assert.Equal(numpy.GetProperty("searches").GetInt32(), s.Searches);
        Assert.Equal(numpy.GetProperty("converged").GetInt32(), s.Converged);
        Assert.Equal(numpy.GetProperty("calls").GetInt64(), s.ForceCalls);
        Assert.Equal(numpy.GetProperty("seconds").GetDouble(), s.SearchSeconds, 6);
        var q = numpy.GetProperty("q").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(q[0], s.EactQuantile(0.05), 12);
        Assert.Equal(q[1], s.EactQuantile(0.5), 12);
        Assert.Equal(q[2], s.EactQuantile(0.95), 12);
        Assert.Equal(numpy.GetProperty("atoms").GetInt32(), s.PerAtom.Count);
        foreach (var k in new[] { 1, 5, 10, 20 })
            Assert.Equal(numpy.GetProperty("ge").GetProperty(k.ToString()).GetInt32(), s.AtomsWithConverged(k));
        Assert.Equal(numpy.GetProperty("done").GetInt32(), s.DoneAtoms);
        Assert.Equal(numpy.GetProperty("left").GetDouble(), s.RemainingSearches!.Value, 6);
        var kinds = numpy.GetProperty("kinds").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32());
        Assert.Equal(kinds.OrderBy(kv => kv.Key, StringComparer.Ordinal), s.Outcomes.ToDictionary(o => o.Outcome, o => o.Count).OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(s.Outcomes.Select(o => o.Count).OrderDescending(), s.Outcomes.Select(o => o.Count));
        Assert.Equal(s.Converged, s.Outcomes.Single(o => o.Outcome == "saddle").Count);
    }

    private static readonly string Header = string.Join(',', EventsFile.Columns);

    private static string Row(long atom, int attempt, bool converged, string status, int calls) =>
        $"{atom * 1000 + attempt},{atom},{attempt},{(converged ? 1 : 0)},{(converged ? "1.5" : "")},{(converged ? "0.2" : "")},3,1.1,7,{status},,,,,,,{calls},5,40,2.000";

    [Fact]
    public void AnOutcomeKindKeepsItsNumbersOnlyWhileEveryStatusOfItHasTheSame()
    {
        using var dir = new TempDir();
        string events = dir.File("events.csv");
        File.WriteAllLines(events, [Header, Row(1, 0, false, "no saddle after 200 steps (last force 0.5)", 1000), Row(1, 1, false, "no saddle after 200 steps", 1000),
            Row(2, 0, false, "energy rose above 10 eV", 3000), Row(2, 1, false, "energy rose above 12 eV", 3000), Row(3, 0, true, "saddle", 1400)]);
        Assert.Equal([("energy rose above # eV", 2), ("no saddle after 200 steps", 2), ("saddle", 1)], ArtCampaignSummary.Read(events).Outcomes);
    }

    [Fact]
    public void WithoutARecordThereIsNoPlanAndWithOneTheUnsearchedAtomsCount()
    {
        using var dir = new TempDir();
        string events = dir.File("events.csv");
        File.WriteAllLines(events, [Header, Row(1, 0, true, "saddle", 1000), Row(1, 1, false, "energy rose above 10 eV", 3000), Row(2, 0, true, "saddle", 1400)]);
        var bare = ArtCampaignSummary.Read(events);
        Assert.Null(bare.Version);
        Assert.Null(bare.DoneAtoms);
        Assert.Null(bare.RemainingSearches);
        Assert.Equal(2700, bare.ForceCallsPerSaddle);
        Assert.Equal(3 / (6.0 / 3600), bare.SearchesPerThreadHour, 9);
        Assert.Equal([("saddle", 2), ("energy rose above 10 eV", 1)], bare.Outcomes);

        // 3 atoms selected, at most 4 searches each until 2 converge: atom 1 (1 of 2 converged) may run 2 more and is
        // expected to need (2 - 1) / ((1 + 1) / (2 + 2)) = 2; atom 2: min(3, 1 / (2 / 3)) = 1.5; atom 3 (unsearched): min(4, 2 / (1 / 2)) = 4
        File.WriteAllText(dir.File("events.json"), """{"art_version": 2, "selected": 3, "searches": 4, "until_converged": 2, "settings": {}}""");
        var planned = ArtCampaignSummary.Read(events);
        Assert.Equal(2, planned.Version);
        Assert.Equal(0, planned.DoneAtoms);
        Assert.Equal(2 + 1.5 + 4, planned.RemainingSearches!.Value, 12);
    }

    [Fact]
    public void TheCampaignEstimatesTheSameFromItsOutcomes()
    {
        // the record-based test's campaign, from simulate art's side: atom 1 has attempts 0 (converged) and 1, atom 2
        // attempt 0 (converged) and an attempt 2 after a gap (not counted: attempts run in order), atom 3 nothing
        var campaign = new ArtCampaign
        {
            Structure = StructureFile.ReadFirst(Paths.Data("CuZr_500.dump")), Atoms = [1, 2, 3], Searches = 4, UntilConverged = 2, Seed = 1,
        };
        var known = new Dictionary<long, bool> { [1000] = true, [1001] = false, [2000] = true, [2002] = true };
        Assert.Equal(2 + 1.5 + 4, campaign.ExpectedPending(known), 12);
        Assert.Equal(0, ArtCampaign.ExpectedLeft(4, 0, 4, 2));
        Assert.Equal(0, ArtCampaign.ExpectedLeft(2, 2, 4, 2));
        Assert.Equal(3, ArtCampaign.ExpectedLeft(1, 0, 4, null));
    }

    [Fact]
    public void ABadRowIsNamedWithItsFileAndLine()
    {
        using var dir = new TempDir();
        string events = dir.File("events.csv");
        File.WriteAllLines(events, [Header, Row(1, 0, true, "saddle", 1000), Row(1, 1, true, "saddle", 1000).Replace(",1000,", ",many,")]);
        var e = Assert.Throws<InputFormatException>(() => ArtCampaignSummary.Read(events));
        Assert.StartsWith($"{events}:3: ", e.Message);
        Assert.Contains("force_calls", e.Message);
    }
}
