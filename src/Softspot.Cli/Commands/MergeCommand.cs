using Softspot.IO;
using System.CommandLine;
using Softspot.Sharding;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot merge SHARD_OUTPUTS... --out MERGED</c>: joins the outputs of the shards of one featurize, label d2min
/// or simulate art run into the output the unsharded run writes, after checking that none is missing, repeated,
/// changed or from another run.
/// </summary>
internal static class MergeCommand
{
    public static Command Build(TextWriter stdout)
    {
        var shards = new Argument<string[]>("SHARD_OUTPUT") { Description = "The shards' outputs (each with its OUT.manifest.json beside it)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "Merged output (+ its .json and .manifest.json; simulate art: + .moved.csv)", Required = true };
        var format = CommonOptions.Format();
        format.Description = "Table format: csv or parquet (default: as --out's extension .csv/.parquet says, else the shards' format)";
        var allowIncomplete = new Option<bool>("--allow-incomplete") { Description = "simulate art: merge shards whose searches are not all done" };
        var cmd = new Command("merge", "Join the outputs of the shards of a sharded run (--shard k/N) into one, checking that nothing is missing or repeated")
        {
            shards, output, format, allowIncomplete,
        };
        cmd.SetAction(p =>
        {
            OutputLocation.CheckFile(p.GetValue(output), "--out");
            var r = ShardMerger.Merge(p.GetValue(shards)!, p.GetValue(output)!, p.GetValue(format), p.GetValue(allowIncomplete));
            var written = new[] { r.Output }.Concat(r.Companions).Concat(r.Sidecar is null ? [] : [r.Sidecar]).Append(ShardManifest.PathFor(r.Output));
            string what = r.Set.First.FramesTotal is { } frames ? $"{frames} frame(s), {r.Rows} rows" : $"{r.Rows} searches";
            stdout.WriteLine($"merge: {r.Set.Parts.Count} shards of {r.Set.Command} ({what}) -> {string.Join(", ", written)}");
            return 0;
        });
        return cmd;
    }
}
