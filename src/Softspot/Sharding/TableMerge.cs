using System.Globalization;
using Softspot.IO;

namespace Softspot.Sharding;

/// <summary>
/// Joins the tables of a complete <see cref="ShardSet"/> into the table the unsharded run writes: frames in
/// increasing order, each frame's rows in the order its shard wrote them (the unsharded order, since a frame is
/// never split), so a merged CSV is the same text and a merged Parquet the same bytes. Streams: shards are read
/// side by side, a frame at a time. Refuses (and writes nothing) when a frame or a (frame, id) key appears twice,
/// a frame lies in a shard it does not belong to, or a shard holds another number of rows than its manifest says.
/// </summary>
internal static class TableMerge
{
    /// <summary>Writes the merged table; returns its number of rows.</summary>
    public static long Merge(ShardSet set, string output, TableFormat format)
    {
        var types = set.ColumnTypes();
        var header = set.First.Columns!.Select(c => c.Name).ToArray();
        var readers = new List<TableRowReader>();
        try
        {
            foreach (var p in set.Parts)
            {
                var r = TableRowReader.Open(p.Path, types);
                readers.Add(r);
                if (!r.Header.SequenceEqual(header)) throw new InputFormatException(p.Path, 1, InputProblem.MissingColumn, "its columns differ from its manifest's");
            }
            using var table = TableFile.Create(output, format);
            var writer = table.Begin(header);
            var live = readers.Select(r => r.Next()).ToArray();
            long last = -1;
            var ids = new HashSet<long>();
            while (Next(set, readers, live) is { } s)
            {
                long frame = readers[s].Frame;
                if (frame <= last)
                    throw Fail(set.Parts[s], $"frame {frame} appears again after frame {last}: a frame is written once, in frame order");
                if (!set.Parts[s].Spec.Owns(frame) || frame >= (set.First.FramesTotal ?? long.MaxValue))
                    throw Fail(set.Parts[s], $"frame {frame} does not belong to shard {set.Parts[s].Manifest.Shard} of {set.First.FramesTotal} frames");
                ids.Clear();
                do
                {
                    if (!ids.Add(readers[s].Id)) throw Fail(set.Parts[s], $"frame {frame}, id {readers[s].Id} appears twice (row {readers[s].Rows})");
                    readers[s].CopyTo(writer);
                    live[s] = readers[s].Next();
                } while (live[s] && readers[s].Frame == frame);
                last = frame;
            }
            for (int i = 0; i < readers.Count; i++)
                if (readers[i].Rows != set.Parts[i].Manifest.Output.Rows)
                    throw Fail(set.Parts[i], $"{readers[i].Rows} rows, its manifest says {set.Parts[i].Manifest.Output.Rows}: truncated or edited; rerun shard {set.Parts[i].Manifest.Shard}");
            table.Commit();
            return table.Written!.Rows;
        }
        finally
        {
            foreach (var r in readers) r.Dispose();
        }
    }

    /// <summary>The shard whose current frame comes first; two shards at the same frame hold it twice.</summary>
    private static int? Next(ShardSet set, List<TableRowReader> readers, bool[] live)
    {
        int? best = null;
        for (int i = 0; i < readers.Count; i++)
            if (live[i] && (best is null || readers[i].Frame < readers[best.Value].Frame)) best = i;
        for (int i = 0; i < readers.Count; i++)
            if (best is { } b && i != b && live[i] && readers[i].Frame == readers[b].Frame)
                throw Fail(set.Parts[i], string.Create(CultureInfo.InvariantCulture, $"frame {readers[i].Frame}, id {readers[i].Id} is also in {set.Parts[b].Path}"));
        return best;
    }

    private static InputFormatException Fail(ShardPart p, string problem) => new(p.Path, 0, InputProblem.DuplicateId, problem);
}
