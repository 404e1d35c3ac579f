using System.Globalization;
using Softspot.Numerics;
using Softspot.Structures;

namespace Softspot.Simulation.Art;

/// <summary>
/// Which atoms searches start around: every atom (<c>all</c>), listed ids (<c>1,5,9</c>) or N atoms drawn with the
/// campaign's seed (<c>sample:N</c>). Parsed once from its text (<see cref="Parse"/>); <see cref="ToString"/> gives
/// the text back, as run manifests record it.
/// </summary>
public abstract record AtomSelection
{
    private AtomSelection() { }

    /// <summary>Every atom of the structure.</summary>
    public sealed record All : AtomSelection
    {
        /// <inheritdoc/>
        public override string ToString() => "all";
    }

    /// <summary>The listed atom ids (duplicates ignored).</summary>
    /// <param name="Ids">The ids, as listed.</param>
    public sealed record Listed(IReadOnlyList<long> Ids) : AtomSelection
    {
        /// <inheritdoc/>
        public override string ToString() => string.Join(',', Ids.Select(i => i.ToString(CultureInfo.InvariantCulture)));
    }

    /// <summary><paramref name="Count"/> distinct atoms drawn with the seed.</summary>
    /// <param name="Count">How many atoms, at least 1.</param>
    public sealed record Sample(int Count) : AtomSelection
    {
        /// <inheritdoc/>
        public override string ToString() => FormattableString.Invariant($"sample:{Count}");
    }

    /// <summary>Parses <c>all</c>, <c>sample:N</c> or a comma-separated list of ids.</summary>
    /// <exception cref="SoftspotException">The text is none of these.</exception>
    public static AtomSelection Parse(string text)
    {
        string t = text.Trim();
        if (t == "all") return new All();
        if (t.StartsWith("sample:", StringComparison.Ordinal))
            return int.TryParse(t[7..], NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1
                ? new Sample(n) : throw new SoftspotException($"atoms '{text}': sample:N needs a whole number N of at least 1");
        var ids = t.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(x =>
            long.TryParse(x, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) ? id
                : throw new SoftspotException($"atoms '{text}': '{x}' is not an atom id (expected all, sample:N or a comma-separated list of ids)")).ToList();
        return ids.Count > 0 ? new Listed(ids) : throw new SoftspotException($"atoms '{text}': no atom ids (expected all, sample:N or a comma-separated list of ids)");
    }

    /// <summary>
    /// The selected ids of a structure, sorted; then shard k of n (1-based) keeps every n-th of them starting at the k-th.
    /// </summary>
    /// <exception cref="SoftspotException">A listed id is not in the structure, or the sample is larger than the structure.</exception>
    public List<long> Resolve(Snapshot s, long seed, int shard = 1, int shards = 1)
    {
        List<long> ids;
        switch (this)
        {
            case Sample { Count: var n }:
                if (n > s.Count) throw new SoftspotException($"atoms sample:{n}: the structure has only {s.Count} atoms");
                var order = Enumerable.Range(0, s.Count).ToArray();
                new SplitMix64(seed, -1).PartialShuffle(order, n);
                ids = [.. order.Take(n).Select(i => s.Ids[i])];
                break;
            case Listed { Ids: var listed }:
                var index = s.IndexById();
                ids = [.. listed.Select(id => index.ContainsKey(id) ? id : throw new SoftspotException($"atoms: {id} is not an atom id of the structure")).Distinct()];
                break;
            default:
                ids = [.. s.Ids];
                break;
        }
        ids.Sort();
        if (shards < 1 || shard < 1 || shard > shards) throw new SoftspotException($"shard {shard}/{shards}: k must lie in 1..N");
        return [.. ids.Where((_, i) => i % shards == shard - 1)];
    }
}
