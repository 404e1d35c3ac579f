namespace Softspot.Numerics;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator with a fixed, documented output, so seeded splits
/// never change with the runtime. Streams are keyed by (seed, purpose, index).
/// </summary>
public sealed class SplitMix64
{
    private ulong _state;

    public SplitMix64(int seed, int purpose, int index)
    {
        _state = (ulong)(uint)seed;
        _state = Next() ^ ((ulong)(uint)purpose << 32 | (uint)index);
        Next();
    }

    /// <summary>A stream keyed by a 64-bit seed and an index (e.g. one per activation search).</summary>
    public SplitMix64(long seed, long index)
    {
        _state = (ulong)seed;
        _state = Next() ^ (ulong)index * 0xD1B54A32D192ED03UL;
        Next();
    }

    public ulong Next()
    {
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, n) without modulo bias (rejection).</summary>
    public int NextInt(int n)
    {
        ulong bound = (ulong)n, limit = ulong.MaxValue - ulong.MaxValue % bound;
        ulong x;
        do x = Next(); while (x >= limit);
        return (int)(x % bound);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal (Box-Muller, both numbers drawn fresh each call).</summary>
    public double NextGaussian()
    {
        double u = 1.0 - NextDouble(), v = NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }

    /// <summary>Fisher-Yates shuffle of the whole array.</summary>
    public void Shuffle(int[] a) => PartialShuffle(a, a.Length);

    /// <summary>Makes a[0..k) a uniform random draw without replacement from a (Fisher-Yates, first k steps).</summary>
    public void PartialShuffle(int[] a, int k)
    {
        for (int i = 0; i < k && i < a.Length - 1; i++)
        {
            int j = i + NextInt(a.Length - i);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
