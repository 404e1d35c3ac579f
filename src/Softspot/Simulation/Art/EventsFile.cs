using System.Globalization;
using System.Text;
using Softspot.IO;

namespace Softspot.Simulation.Art;

/// <summary>
/// The events CSV of <c>softspot simulate art</c> (read by <c>softspot label activation</c>), appended one complete
/// line per search and flushed, so a killed run loses at most the search in progress: on restart a partial last line
/// is cut off and the searches already present are skipped. Its companion <c>*.moved.csv</c> lists, per converged
/// search, every atom that moved more than the threshold at the saddle or in the final state; its rows are written
/// before the search's row in the events file, and rows of searches missing from the events file are dropped on restart.
/// </summary>
public sealed class EventsFile : IDisposable
{
    public static readonly string[] Columns =
    [
        "search", "atom_id", "attempt", "converged", "eact", "efinal", "moved_atoms", "max_displacement", "seed",
        "status", "eigenvalue", "second_eigenvalue", "saddle_force", "center_displacement", "moved_atoms_final",
        "max_displacement_final", "force_calls", "basin_steps", "activation_steps", "seconds",
    ];
    public static readonly string[] MovedColumns = ["search", "atom_id", "moved_id", "saddle_displacement", "final_displacement"];

    private readonly StreamWriter _events, _moved;
    private readonly object _lock = new();

    /// <summary>Searches already in the file when it was opened: search id to whether it converged.</summary>
    public IReadOnlyDictionary<long, bool> Outcomes { get; }
    public string Path { get; }
    public string MovedPath { get; }

    public EventsFile(string path)
    {
        Path = System.IO.Path.GetFullPath(path);
        MovedPath = MovedPathFor(Path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var done = new Dictionary<long, bool>();
        int convergedColumn = Array.IndexOf(Columns, "converged");
        if (File.Exists(Path))
        {
            CutPartialLine(Path);
            using var r = new CsvTableReader(Path, "the header of the events file");
            if (!r.Header.SequenceEqual(Columns))
                throw r.Fail(InputProblem.MissingColumn, "this events file was not written by this version of simulate art (different columns): choose another --out");
            while (r.Next())
            {
                if (LeadingSearch(r) is not { } s) throw r.Fail(InputProblem.Syntax, "not an events row");
                if (r.Count != Columns.Length) throw r.Fail(InputProblem.Syntax, $"{r.Count} columns where the header has {Columns.Length}");
                done[s] = r[convergedColumn].SequenceEqual("1");
            }
        }
        else
            using (var header = new StreamWriter(Path, false, new UTF8Encoding(false)))
                _ = new CsvTableWriter(header, Columns);
        // the companion keeps only rows of searches that reached the events file
        // (a companion stored gzipped, as in data/, is read and written back unpacked: appending needs plain text)
        var kept = new StringWriter(CultureInfo.InvariantCulture);
        var keptRows = new CsvTableWriter(kept, MovedColumns);
        string packed = MovedPath + ".gz", existing = File.Exists(MovedPath) ? MovedPath : packed;
        if (File.Exists(existing) && new FileInfo(existing).Length > 0)
        {
            using var r = new CsvTableReader(existing, "the header of the moved-atoms file");
            while (r.Next())
                if (LeadingSearch(r) is { } s && done.ContainsKey(s) && r.Count == MovedColumns.Length)
                    keptRows.CsvRow(r.RawRow);
        }
        AtomicFile.Write(MovedPath, w => w.Write(kept.ToString()));
        if (existing == packed && File.Exists(packed)) File.Delete(packed);
        Outcomes = done;
        _events = new StreamWriter(new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
        _moved = new StreamWriter(new FileStream(MovedPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false)) { NewLine = "\n" };
    }

    /// <summary>The search id in a row's first column, or null.</summary>
    private static long? LeadingSearch(CsvTableReader r) =>
        r.Count > 1 && long.TryParse(r[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out long s) ? s : null;

    public static string MovedPathFor(string eventsPath) =>
        eventsPath.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? eventsPath[..^4] + ".moved.csv" : eventsPath + ".moved.csv";

    /// <summary>Appends one search (thread-safe): first its moved atoms, then its row; both flushed.</summary>
    public void Append(ArtRecord r)
    {
        var o = r.Outcome;
        var line = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var row = CsvTableWriter.Rows(line, Columns.Length);
        // an undefined value (a search that did not converge) is an empty cell
        void Num(double v) { if (double.IsFinite(v)) row.Number(v); else row.Empty(); }
        row.Number(r.Search).Number(r.AtomId).Number(r.Attempt).Number(o.Converged ? 1L : 0L);
        Num(o.Eact); Num(o.Efinal);
        row.Number(r.MovedAtSaddle.Count);
        Num(r.MaxSaddleDisplacement);
        row.Number(r.Seed).Text(o.Status.Replace(',', ';'));
        Num(o.Eigenvalue); Num(o.SecondEigenvalue); Num(o.SaddleForce); Num(r.CenterDisplacement);
        row.Number(r.MovedAtFinal.Count);
        Num(r.MaxFinalDisplacement);
        row.Number(o.ForceCalls).Number(o.BasinSteps).Number(o.ActivationSteps).Text(r.Seconds.ToString("F3", CultureInfo.InvariantCulture));
        row.EndRow();
        var moved = new StringWriter(CultureInfo.InvariantCulture);
        var movedRows = CsvTableWriter.Rows(moved, MovedColumns.Length);
        foreach (var (id, saddle, final) in r.Moved)
        {
            movedRows.Number(r.Search).Number(r.AtomId).Number(id).Number(saddle);
            if (double.IsFinite(final)) movedRows.Number(final); else movedRows.Empty();
            movedRows.EndRow();
        }
        lock (_lock)
        {
            _moved.Write(moved.ToString());
            _moved.Flush();
            _events.Write(line.ToString());
            _events.Flush();
        }
    }

    /// <summary>Drops an unfinished last line (a run killed mid-write).</summary>
    private static void CutPartialLine(string path)
    {
        using var f = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        if (f.Length == 0) return;
        long end = f.Length;
        f.Seek(end - 1, SeekOrigin.Begin);
        if (f.ReadByte() == '\n') return;
        long pos = end - 1;
        while (pos > 0)
        {
            f.Seek(pos - 1, SeekOrigin.Begin);
            if (f.ReadByte() == '\n') break;
            pos--;
        }
        f.SetLength(pos);
    }

    public void Dispose()
    {
        _events.Dispose();
        _moved.Dispose();
    }
}

/// <summary>One finished search with what the events file records beyond the outcome.</summary>
public sealed record ArtRecord(long Search, long AtomId, int Attempt, long Seed, ArtOutcome Outcome, double Seconds,
    IReadOnlyList<(long Id, double Saddle, double Final)> Moved, double CenterDisplacement)
{
    public IReadOnlyList<long> MovedAtSaddle => Moved.Where(m => m.Saddle > Threshold).Select(m => m.Id).ToList();
    public IReadOnlyList<long> MovedAtFinal => Moved.Where(m => m.Final > Threshold).Select(m => m.Id).ToList();
    public double MaxSaddleDisplacement => Outcome.SaddleDisplacement.DefaultIfEmpty(double.NaN).Max();
    public double MaxFinalDisplacement => Outcome.FinalDisplacement.DefaultIfEmpty(double.NaN).Max();
    public double Threshold { get; init; } = 0.1;
}
