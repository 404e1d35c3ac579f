namespace Softspot.Sharding;

/// <summary>A set of shards that does not make one complete run (missing, repeated or mismatched shards).</summary>
public sealed class ShardException(string message) : SoftspotException(message);
