using System.Diagnostics;

namespace Softspot.Reporting;

/// <summary>
/// Progress of long work on standard error: a line rewritten in place on a terminal, plain log lines (at most one
/// every few seconds) when the output is redirected.
/// </summary>
public sealed class Progress(string task, int? total = null, TextWriter? output = null, bool? inPlace = null)
{
    private readonly TextWriter _out = output ?? Console.Error;
    private readonly bool _terminal = inPlace ?? (output is null && !Console.IsErrorRedirected);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TimeSpan _lastPrint = TimeSpan.Zero;
    private long _done;

    public void Step(string? detail = null) => Update(_done + 1, detail);

    /// <summary>Reports that <paramref name="done"/> units of the work are finished (for work measured in steps, not items).</summary>
    public void Update(long done, string? detail = null)
    {
        _done = done;
        var now = _clock.Elapsed;
        bool last = total is { } t && _done >= t;
        if (!last && now - _lastPrint < (_terminal ? TimeSpan.FromMilliseconds(200) : TimeSpan.FromSeconds(5))) return;
        _lastPrint = now;
        string count = total is { } n ? $"{_done}/{n}" : $"{_done}";
        string line = $"{task}: {count} ({now.TotalSeconds:F1} s){(detail is null ? "" : ", " + detail)}";
        if (_terminal) _out.Write("\r" + line + "\u001b[K");
        else _out.WriteLine(line);
    }

    public void Done()
    {
        if (_terminal && _done > 0) _out.WriteLine();
    }
}
