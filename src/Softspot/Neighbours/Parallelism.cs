namespace Softspot.Neighbours;

/// <summary>How many threads Softspot's parallel loops use (default: every core).</summary>
public static class Parallelism
{
    private static int _threads = Environment.ProcessorCount;

    public static int Threads
    {
        get => _threads;
        set => _threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "threads must be at least 1");
    }

    /// <summary>
    /// Runs work over [0, n) in contiguous chunks, in parallel, and returns the chunks' results in order, so that
    /// results do not depend on the number of threads.
    /// </summary>
    public static T[] MapChunks<T>(int n, int chunkSize, Func<int, int, T> work, int? threads = null)
    {
        int chunks = (n + chunkSize - 1) / chunkSize;
        var results = new T[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads ?? Threads };
        try
        {
            Parallel.For(0, chunks, options, c =>
            {
                int start = c * chunkSize;
                results[c] = work(start, Math.Min(n, start + chunkSize));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            // callers see the worker's own exception (e.g. CutoffTooLargeException), not the parallel wrapper
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        return results;
    }
}
