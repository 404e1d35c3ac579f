using Softspot.Reporting;

namespace Softspot;

/// <summary>
/// How a Softspot service runs, passed explicitly to every service (no global state): the threads its parallel loops
/// may use, where progress goes, and a cancellation token. Immutable; <see cref="Default"/> uses every core, reports
/// nothing and cannot be cancelled.
/// </summary>
public sealed record RunContext
{
    private readonly int _threads = Environment.ProcessorCount;

    /// <summary>Threads for parallel loops (default: every core). Results do not depend on it.</summary>
    public int Threads
    {
        get => _threads;
        init => _threads = value >= 1 ? value : throw new SoftspotException($"threads must be at least 1, not {value}");
    }

    /// <summary>Where progress lines go (null: nowhere).</summary>
    public TextWriter? ProgressOutput { get; init; }

    /// <summary>Rewrite one progress line in place (a terminal) instead of printing a plain line every few seconds (a log).</summary>
    public bool ProgressInPlace { get; init; }

    /// <summary>Stops long work between steps (frames, splits, searches).</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Every core, silent, not cancellable.</summary>
    public static RunContext Default { get; } = new();

    /// <summary>Progress on standard error, in place on a terminal, plain lines when redirected (what the command line uses).</summary>
    public static RunContext Console(int? threads = null) => new()
    {
        Threads = threads ?? Environment.ProcessorCount,
        ProgressOutput = System.Console.Error,
        ProgressInPlace = !System.Console.IsErrorRedirected,
    };

    /// <summary>A progress reporter for one piece of work (silent when <see cref="ProgressOutput"/> is null).</summary>
    internal Progress Progress(string task, int? total = null) => new(task, total, ProgressOutput ?? TextWriter.Null, ProgressInPlace);
}
