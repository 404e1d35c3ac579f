namespace Softspot.Neighbours;

/// <summary>
/// Softspot's parallel loops. There is no process-wide thread setting: every computation that runs parallel loops
/// takes its thread count from its caller (a settings member or a parameter, every core by default).
/// </summary>
public static class Parallelism
{
    /// <summary>
    /// The thread count to use: <paramref name="threads"/> when given (at least 1), else every core
    /// (<see cref="Environment.ProcessorCount"/>).
    /// </summary>
    public static int Resolve(int? threads) => threads is { } t ? Check(t) : Environment.ProcessorCount;

    /// <summary>Returns <paramref name="threads"/>, or throws when it is below 1.</summary>
    public static int Check(int threads, string name = "threads") =>
        threads >= 1 ? threads : throw new ArgumentOutOfRangeException(name, threads, "threads must be at least 1");

    /// <summary>
    /// Runs work over [0, n) in contiguous chunks, in parallel on up to <paramref name="threads"/> threads, and
    /// returns the chunks' results in order, so that results do not depend on the number of threads.
    /// </summary>
    public static T[] MapChunks<T>(int n, int chunkSize, int threads, Func<int, int, T> work)
    {
        Check(threads);
        int chunks = (n + chunkSize - 1) / chunkSize;
        var results = new T[chunks];
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
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
