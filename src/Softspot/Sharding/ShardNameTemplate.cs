using System.Globalization;

namespace Softspot.Sharding;

/// <summary>
/// How a family's shard outputs are named, guessed from the names of the shards found (e.g. f.1.csv and f.3.csv:
/// f.{k}.csv; f.01.csv: zero-padded), so that <c>softspot status</c> can look for the outputs and temporary files of
/// the shards that have no manifest yet.
/// </summary>
internal sealed record ShardNameTemplate(string Prefix, string Suffix, int Width)
{
    public string NameOf(int k) => Prefix + k.ToString(Width > 0 ? "D" + Width.ToString(CultureInfo.InvariantCulture) : "D", CultureInfo.InvariantCulture) + Suffix;

    public override string ToString() => Prefix + "{k}" + Suffix;

    /// <summary>The template all the (name, k) pairs agree on, or null; with several, the one that numbers the last digit run, unpadded if it can be.</summary>
    public static ShardNameTemplate? Infer(IEnumerable<(string Name, int K)> shards)
    {
        List<ShardNameTemplate>? common = null;
        foreach (var (name, k) in shards)
        {
            var mine = Candidates(name, k);
            common = common is null ? mine : common.Intersect(mine).ToList();
        }
        return common?.OrderBy(t => t.Prefix.Length).ThenByDescending(t => t.Width).LastOrDefault();
    }

    /// <summary>Each run of digits in the name that reads as k, as a template: unpadded and, for runs of 2 digits or more, padded to their width.</summary>
    private static List<ShardNameTemplate> Candidates(string name, int k)
    {
        var found = new List<ShardNameTemplate>();
        for (int i = 0; i < name.Length;)
        {
            if (!char.IsAsciiDigit(name[i])) { i++; continue; }
            int start = i;
            while (i < name.Length && char.IsAsciiDigit(name[i])) i++;
            string run = name[start..i];
            if (!int.TryParse(run, NumberStyles.None, CultureInfo.InvariantCulture, out int v) || v != k) continue;
            if (run[0] != '0') found.Add(new ShardNameTemplate(name[..start], name[i..], 0));
            if (run.Length > 1) found.Add(new ShardNameTemplate(name[..start], name[i..], run.Length));
        }
        return found;
    }
}
