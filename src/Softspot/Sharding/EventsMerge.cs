using System.Globalization;
using Softspot.IO;
using Softspot.Simulation.Art;

namespace Softspot.Sharding;

/// <summary>
/// Joins the events files of <c>simulate art</c> shards: the rows of every shard sorted by search id (a shard writes
/// them in the order they finish), and likewise the moved-atoms companions (each search's rows kept in their order).
/// Refuses when a search appears twice, or a shard holds another number of rows than its manifest says.
/// </summary>
internal static class EventsMerge
{
    /// <summary>Writes OUTPUT and its .moved.csv companion; returns the number of searches.</summary>
    public static long Merge(ShardSet set, string output)
    {
        var events = Rows(set, p => (p.Path, p.Manifest.Output), EventsFile.Columns, unique: true);
        var known = events.Select(e => e.Search).ToHashSet();
        var moved = Rows(set, p => (p.Beside(Companion(p).File), Companion(p)), EventsFile.MovedColumns, unique: false);
        if (moved.FirstOrDefault(m => !known.Contains(m.Search)) is { } stray)
            throw new InputFormatException(stray.Source, 0, InputProblem.Syntax, $"moved atoms of search {stray.Search}, which no events file has");
        Write(output, EventsFile.Columns, events);
        Write(EventsFile.MovedPathFor(output), EventsFile.MovedColumns, moved);
        return events.Count;
    }

    private static OutputFile Companion(ShardPart p) =>
        p.Manifest.Companions?.FirstOrDefault() ?? throw new InputFormatException(p.Path, 0, InputProblem.Syntax, "its manifest names no moved-atoms file");

    private sealed record Row(long Search, string Line, string Source);

    /// <summary>Every shard's rows of one kind of file, sorted by search id (stable), checked against the manifests.</summary>
    private static List<Row> Rows(ShardSet set, Func<ShardPart, (string Path, OutputFile Record)> file, string[] columns, bool unique)
    {
        var rows = new List<Row>();
        var seen = new Dictionary<long, string>();
        foreach (var p in set.Parts)
        {
            var (path, record) = file(p);
            using var r = new CsvTableReader(path, $"the header {string.Join(',', columns)}", skipBlankRows: false);
            if (!r.Header.SequenceEqual(columns)) throw r.Fail(InputProblem.MissingColumn, $"expected the header {string.Join(',', columns)}");
            long count = 0;
            while (r.Next())
            {
                long search = r.ParseLong(0, "search");
                if (unique && !seen.TryAdd(search, path))
                    throw r.Fail(InputProblem.DuplicateId, $"search {search} appears twice (also in {seen[search]})");
                rows.Add(new Row(search, r.RawRow, path));
                count++;
            }
            if (count != record.Rows)
                throw new InputFormatException(path, 0, InputProblem.Truncated,
                    string.Create(CultureInfo.InvariantCulture, $"{count} rows, its manifest says {record.Rows}: truncated or edited; rerun shard {p.Manifest.Shard}"));
        }
        return [.. rows.OrderBy(x => x.Search)];
    }

    private static void Write(string path, string[] columns, List<Row> rows) =>
        CsvTableWriter.Write(path, columns, w => { foreach (var row in rows) w.CsvRow(row.Line); });
}
