using System.CommandLine;
using System.Globalization;
using Softspot.IO;
using Softspot.Simulation.Art;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot info FILE...</c>: frames, atoms, types, elements and cell of structure files; for the events CSV of
/// <c>simulate art</c>, how far the campaign has got (<see cref="ArtCampaignSummary"/>).
/// </summary>
internal static class InfoCommand
{
    public static Command Build(TextWriter stdout)
    {
        var files = new Argument<string[]>("FILE") { Description = "Structure files (LAMMPS dump or data, extended XYZ; .gz allowed), or events CSVs of simulate art", Arity = ArgumentArity.OneOrMore };
        var elements = CommonOptions.Elements();
        var cmd = new Command("info", "Show frames, atoms, types, elements and cell of structure files, or how far an ART campaign (simulate art's events CSV) has got") { files, elements };
        cmd.SetAction(p =>
        {
            var map = CommonOptions.ParseElements(p.GetValue(elements));
            foreach (var f in p.GetValue(files)!)
            {
                if (ArtCampaignSummary.LooksLikeEvents(f)) Describe(ArtCampaignSummary.Read(f), stdout);
                else Describe(f, map, stdout);
            }
            return 0;
        });
        return cmd;
    }

    private static void Describe(string path, ElementMap? map, TextWriter o)
    {
        var format = StructureFile.Detect(path);
        Snapshot? first = null, last = null;
        int frames = 0;
        foreach (var s in StructureFile.ReadFrames(path, map, format))
        {
            first ??= s; last = s; frames++;
        }
        if (first is null) { o.WriteLine($"{path}: {format}, no frames"); return; }
        o.WriteLine($"{path}");
        o.WriteLine($"  format    {format}");
        o.WriteLine(frames == 1 ? $"  frames    1 (timestep {first.Timestep})" : $"  frames    {frames} (timesteps {first.Timestep} .. {last!.Timestep})");
        o.WriteLine($"  atoms     {first.Count}" + (frames > 1 && last!.Count != first.Count ? $" in the first frame, {last.Count} in the last" : ""));
        var types = first.Types.GroupBy(t => t).OrderBy(g => g.Key)
            .Select(g => $"{g.Key}={first.Elements?[g.Key]?.Symbol ?? "?"} ({g.Count()}, {100.0 * g.Count() / first.Count:F1}%)");
        o.WriteLine($"  types     {string.Join("  ", types)}");
        if (first.Elements is null) o.WriteLine("  elements  unknown (name them with --elements)");
        o.WriteLine($"  cell      {first.Cell}");
        o.WriteLine(FormattableString.Invariant($"  volume    {first.Cell.Volume:F4} A^3 ({first.Cell.Volume / first.Count:F4} A^3/atom)"));
        if (first.Extra.Count > 0) o.WriteLine($"  columns   {string.Join(' ', first.Extra.Select(c => c.Name))}");
    }

    private static void Describe(ArtCampaignSummary c, TextWriter o)
    {
        string N(double v, string format = "N0") => double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "-";
        string Share(int part, int whole) => whole > 0 ? $"{N(100.0 * part / whole, "F1")} %" : "-";
        o.WriteLine(c.Path);
        o.WriteLine($"  format     ART events of simulate art" + (c.Version is { } v ? $", search version {v}" : " (no readable .json record beside it: no plan, no progress)"));
        var perAtom = c.PerAtom.Select(a => (double)a.Searches).Order().ToList();
        string plan = c.SearchesPerAtom is { } cap ? $"; at most {cap} per atom" + (c.UntilConverged is { } t ? $", until {t} converge" : "") : "";
        o.WriteLine($"  searches   {N(c.Searches)} around {N(c.PerAtom.Count)} atoms"
            + (c.Selected is { } sel ? $" of {N(sel)} selected" : "")
            + (perAtom.Count > 0 ? $" ({N(perAtom[0])} to {N(perAtom[^1])} per atom, median {N(Softspot.Numerics.Quantiles.Linear(perAtom, 0.5), "0.#")})" : "") + plan);
        o.WriteLine($"  converged  {N(c.Converged)} ({Share(c.Converged, c.Searches)})" + (c.Converged == 0 ? "" : $"; E_act median {N(c.EactQuantile(0.5), "F3")} eV, 5 % / 95 % {N(c.EactQuantile(0.05), "F3")} / {N(c.EactQuantile(0.95), "F3")} eV"));
        o.WriteLine($"  cost       {N(c.ForceCallsPerSaddle)} force calls per converged saddle (failures included); {N(c.SearchesPerThreadHour)} searches per thread-hour (the searches' own times)");
        o.WriteLine($"  outcomes   {string.Join("; ", c.Outcomes.Take(6).Select(x => $"{x.Outcome} {N(x.Count)}"))}" + (c.Outcomes.Count > 6 ? $"; {c.Outcomes.Count - 6} other kinds {N(c.Outcomes.Skip(6).Sum(x => x.Count))}" : ""));
        int[] ks = [1, 5, 10, 20];
        o.WriteLine($"  per atom   " + string.Join(", ", ks.Select(k => $"{N(c.AtomsWithConverged(k))} atoms with >= {k} converged")));
        if (c.DoneAtoms is { } done)
        {
            double left = c.RemainingSearches!.Value;
            o.WriteLine($"  progress   {N(done)} of {N(c.Selected ?? c.PerAtom.Count)} atoms done; about {N(left)} searches left (at each atom's converged fraction so far)"
                + (left > 0 && double.IsFinite(c.SearchesPerThreadHour) ? $", {N(left / c.SearchesPerThreadHour, "F1")} thread-hours at the rate so far" : ""));
        }
    }
}
