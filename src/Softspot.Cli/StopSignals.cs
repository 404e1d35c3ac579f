using System.Runtime.InteropServices;

namespace Softspot.Cli;

/// <summary>
/// What the process does on SIGINT, SIGTERM and SIGHUP (Ctrl+C, kill, Slurm's time limit): the outputs under way are
/// not finished, so their temporary files go, unless a command that stops gracefully (as simulate art does) has
/// taken the signals over with <see cref="HandOver"/>.
/// </summary>
internal sealed class StopSignals
{
    private volatile bool _handedOver;

    /// <summary>Called by a command that handles SIGINT and SIGTERM itself, finishing what it can and stopping cleanly.</summary>
    public void HandOver() => _handedOver = true;

    public void OnStop(PosixSignalContext context)
    {
        if (_handedOver) return;
        // not cancelled: the process ends as the signal says, without its unfinished outputs
        Softspot.IO.AtomicFile.DeleteUnfinished();
    }
}
