using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Softspot.IO;
using Softspot.Labels;

namespace Softspot.Simulation.Art;

/// <summary>
/// How far an activation-relaxation campaign has got, from its events CSV (<c>simulate art --out</c>) and, when it
/// is beside it, the campaign's record (the .json: search version, atoms selected, searches per atom, the
/// until-converged target): searches and saddles, their cost, the E_act spectrum, why searches failed, how many
/// converged searches each atom has, and about how many searches are left.
/// </summary>
/// <param name="Path">the events CSV.</param>
/// <param name="Version">the search algorithm's version (from the record; null without one).</param>
/// <param name="Selected">atoms the campaign searches around (from the record).</param>
/// <param name="SearchesPerAtom">at most this many searches per atom (from the record).</param>
/// <param name="UntilConverged">an atom is done once this many of its searches converged (from the record; null: it runs every search).</param>
/// <param name="Searches">rows of the events file.</param>
/// <param name="Converged">searches that reached a saddle that passed every check.</param>
/// <param name="ForceCalls">force calls of every search, failures included.</param>
/// <param name="SearchSeconds">the searches' own times (each on one thread), summed.</param>
/// <param name="Eact">E_act of the converged searches (eV), sorted.</param>
/// <param name="Outcomes">each kind of outcome (statuses without their details; numbers kept while every status of the kind has the same ones, else "#") and how many searches ended so, most frequent first.</param>
/// <param name="PerAtom">each searched atom's id, searches and converged searches, by id.</param>
public sealed partial record ArtCampaignSummary(string Path, int? Version, int? Selected, int? SearchesPerAtom, int? UntilConverged,
    int Searches, int Converged, long ForceCalls, double SearchSeconds, double[] Eact,
    IReadOnlyList<(string Outcome, int Count)> Outcomes, IReadOnlyList<(long Id, int Searches, int Converged)> PerAtom)
{
    private static readonly string[] Required = ["atom_id", "converged", "eact", "status", "force_calls", "seconds"];

    /// <summary>Whether a file starts like an events CSV of <c>simulate art</c> (its header's first columns).</summary>
    public static bool LooksLikeEvents(string path)
    {
        if (!File.Exists(path)) return false;
        using var r = new LineReader(path);
        return r.Next() is { } first && first.StartsWith("search,atom_id,", StringComparison.Ordinal);
    }

    /// <summary>Reads an events CSV and the record beside it (same name, .json), if there is one.</summary>
    public static ArtCampaignSummary Read(string eventsPath)
    {
        int searches = 0, converged = 0;
        long calls = 0;
        double seconds = 0;
        var eact = new List<double>();
        var outcomes = new Dictionary<string, (int Count, string Text)>();  // by kind: the count, and the status text while every one reads the same
        var atoms = new SortedDictionary<long, (int Searches, int Converged)>();
        using (var r = new CsvTableReader(eventsPath, "the header row of the events CSV"))
        {
            var col = ActivationEventsReader.Columns(r, Required, "the events CSV");
            while (r.Next())
            {
                ActivationEventsReader.RequireCells(r);
                long id = r.ParseLong(col["atom_id"], "atom_id");
                long conv = r.ParseLong(col["converged"], "converged");
                if (conv is not (0 or 1)) throw r.Fail(InputProblem.Syntax, $"converged: '{r.Text(col["converged"])}' is not 0 or 1");
                bool ok = conv == 1;
                searches++;
                calls += r.ParseLong(col["force_calls"], "force_calls");
                seconds += r.ParseDouble(col["seconds"], "seconds");
                if (ok) { converged++; eact.Add(r.ParseDouble(col["eact"], "eact")); }
                // statuses of one kind count together: without their parenthesised details and with their numbers as "#";
                // the kind is shown with its numbers while every status of it has the same ones
                string text = WithoutDetails(r.Text(col["status"])), kind = Numbers().Replace(text, "#");
                outcomes[kind] = outcomes.TryGetValue(kind, out var o) ? (o.Count + 1, o.Text == text ? text : kind) : (1, text);
                var (n, c) = atoms.GetValueOrDefault(id);
                atoms[id] = (n + 1, c + (ok ? 1 : 0));
            }
        }
        eact.Sort();
        var record = ReadRecord(System.IO.Path.ChangeExtension(eventsPath, ".json"));
        return new ArtCampaignSummary(eventsPath, record?.Version, record?.Selected, record?.Searches, record?.UntilConverged,
            searches, converged, calls, seconds, [.. eact],
            [.. outcomes.Values.OrderByDescending(o => o.Count).ThenBy(o => o.Text, StringComparer.Ordinal).Select(o => (o.Text, o.Count))],
            [.. atoms.Select(kv => (kv.Key, kv.Value.Searches, kv.Value.Converged))]);
    }

    private static string WithoutDetails(string status) =>
        status.IndexOf(" (", StringComparison.Ordinal) is var open and >= 0 ? status[..open] : status;

    [GeneratedRegex(@"[-+]?\d+(\.\d+)?([eE][-+]?\d+)?")]
    private static partial Regex Numbers();

    /// <summary>The plan in a campaign record (<see cref="ArtRunIdentity.Record"/>); a field of another type reads as absent, so a summary never fails on its record.</summary>
    private static (int? Version, int? Selected, int? Searches, int? UntilConverged)? ReadRecord(string path)
    {
        if (ArtRunIdentity.Record(path) is not { } o) return null;
        int? Int(string key) => o[key] is JsonValue v && v.TryGetValue(out int i) ? i : null;
        return (Int("art_version") ?? 1, Int("selected"), Int("searches"), Int("until_converged"));
    }

    /// <summary>Force calls per converged saddle, the failed searches' calls included; NaN without a saddle.</summary>
    public double ForceCallsPerSaddle => Converged > 0 ? (double)ForceCalls / Converged : double.NaN;

    /// <summary>Searches per hour of one thread (the searches' own times; start-up and reading not included).</summary>
    public double SearchesPerThreadHour => SearchSeconds > 0 ? Searches / (SearchSeconds / 3600) : double.NaN;

    /// <summary>The <paramref name="q"/> quantile of the converged searches' E_act (linear between order statistics); NaN without any.</summary>
    public double EactQuantile(double q) => Eact.Length == 0 ? double.NaN : Numerics.Quantiles.Linear(Eact, q);

    /// <summary>Atoms with at least <paramref name="k"/> converged searches.</summary>
    public int AtomsWithConverged(int k) => PerAtom.Count(a => a.Converged >= k);

    /// <summary>Selected atoms that need no more searches (null without a record).</summary>
    public int? DoneAtoms => SearchesPerAtom is not { } cap ? null : PerAtom.Count(a => ArtCampaign.ExpectedLeft(a.Searches, a.Converged, cap, UntilConverged) == 0);

    /// <summary>
    /// About how many searches are left (null without a record): <see cref="ArtCampaign.ExpectedLeft"/> summed over
    /// the selected atoms, those not yet searched with no searches.
    /// </summary>
    public double? RemainingSearches
    {
        get
        {
            if (SearchesPerAtom is not { } cap) return null;
            double left = PerAtom.Sum(a => ArtCampaign.ExpectedLeft(a.Searches, a.Converged, cap, UntilConverged));
            int unsearched = Math.Max(0, (Selected ?? PerAtom.Count) - PerAtom.Count);
            return left + unsearched * ArtCampaign.ExpectedLeft(0, 0, cap, UntilConverged);
        }
    }
}
