using System.CommandLine;
using System.Text.Json;
using Softspot.IO;
using Softspot.Sharding;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot status DIR [--json]</c>: the sharded runs found in a folder (by their manifests), which shards are
/// done, missing, running, interrupted or stale, and whether a merged output exists. Exit code 0 when every shard
/// of every run found is done, 1 otherwise (or when the folder holds no manifest).
/// </summary>
internal static class StatusCommand
{

    public static Command Build(TextWriter stdout)
    {
        var folder = new Argument<string>("DIR") { Description = "Folder holding shard outputs and their manifests" };
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var cmd = new Command("status", "Which shards of the sharded runs in a folder are done, missing, running or stale (exit 0 when all are done)") { folder, json };
        cmd.SetAction(p =>
        {
            string dir = p.GetValue(folder)!;
            var families = ShardStatus.Scan(dir);
            bool allDone = families.Count > 0 && families.All(f => f.AllDone);
            if (p.GetValue(json)) stdout.WriteLine(JsonSerializer.Serialize(new { Folder = Path.GetFullPath(dir), AllDone = allDone, Runs = families.Select(ToJson) }, SoftspotJson.Indented));
            else Print(dir, families, stdout);
            return allDone ? 0 : 1;
        });
        return cmd;
    }

    private static object ToJson(ShardFamily f) => new
    {
        f.Command, f.Shards, f.Naming, f.Done, f.AllDone, f.Merged,
        States = f.States.Select(s => new { s.Shard, s.State, s.Output, s.Rows, s.Note }),
    };

    private static void Print(string dir, IReadOnlyList<ShardFamily> families, TextWriter o)
    {
        if (families.Count == 0) { o.WriteLine($"{dir}: no shard manifests (*.manifest.json)"); return; }
        foreach (var f in families)
        {
            string merged = f.Merged.Count == 0 ? "not merged"
                : "merged: " + string.Join(", ", f.Merged.Select(m => $"{m.File} ({m.Rows} rows{(m.Unchanged ? "" : ", changed since")})"));
            o.WriteLine($"{f.Command}, {f.Shards} shard(s){(f.Naming is null ? "" : $" ({f.Naming})")}: {f.Done} of {f.Shards} done; {merged}");
            int width = Math.Max(6, f.States.Max(s => (s.Output ?? "?").Length));
            foreach (var s in f.States)
                o.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"  {s.Shard,-7} {s.State,-11} {s.Output ?? "?"}{new string(' ', width - (s.Output ?? "?").Length)}  {(s.Rows is { } r ? $"{r} rows" : "")}{(s.Note is null ? "" : (s.Rows is null ? "" : "; ") + s.Note)}").TrimEnd());
        }
    }
}
