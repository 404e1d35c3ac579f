using System.CommandLine;
using Softspot.IO;
using Softspot.Simulation;
using Softspot.Simulation.Glass;
using Softspot.Simulation.Lammps;
using Softspot.Simulation.Shear;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary><c>softspot simulate shear</c>: athermal quasi-static shear in LAMMPS, snapshots for D2min.</summary>
internal static class SimulateShearCommand
{
    public static Command Build(TextWriter stdout)
    {
        var structure = new Option<string>("--structure") { Description = "The glass (its first frame)", Required = true };
        var potential = new Option<string>("--potential") { Description = "Potential file (path, or a name in /usr/share/lammps/potentials)", Required = true };
        var elements = CommonOptions.Elements();
        var maxStrain = new Option<double>("--max-strain") { Description = "Shear strain to reach", DefaultValueFactory = _ => 0.10 }.AboveUpTo(0, 2);
        var step = new Option<double>("--step") { Description = "Strain step (each followed by a minimisation)", DefaultValueFactory = _ => 1e-4 }.AboveUpTo(0, 0.01);
        var snapshots = new Option<string>("--snapshots") { Description = "Strains at which to write the structure, comma-separated", DefaultValueFactory = _ => "0.02,0.04,0.06,0.08,0.10" };
        var every = new Option<double?>("--snapshot-every") { Description = "Write the structure every this much strain (a whole number of --step; e.g. 0.00125 to 0.1: 80 frames), instead of --snapshots" };
        var ftol = new Option<double>("--force-tolerance") { Description = "Minimisation force tolerance (eV/A)", DefaultValueFactory = _ => 1e-6 }.Positive();
        var gzip = new Option<bool>("--gzip") { Description = "Write the structures and the log gzip-compressed (.dump.gz, .log.gz)" };
        var output = new Option<string>("--out", "-o") { Description = "Output folder: reference.dump, sheared.dump (one frame per snapshot), stress_strain.csv, shear.lmp, shear.log, provenance.json", Required = true };
        var ranks = SimulateCommand.Ranks();
        var pairStyle = SimulateCommand.PairStyle();
        var cmd = new Command("shear", "Athermal quasi-static simple shear with LAMMPS: snapshots for label d2min and the stress-strain curve")
        {
            structure, potential, elements, maxStrain, step, snapshots, every, ftol, gzip, output, ranks, pairStyle,
        };
        cmd.SetAction(p =>
        {
            OutputLocation.CheckFolder(p.GetValue(output), "--out");
            bool listed = p.GetResult(snapshots) is { Implicit: false };
            if (listed && p.GetValue(every) is not null) throw new UsageException("give --snapshots or --snapshot-every, not both");
            var strains = p.GetValue(every) is { } spacing
                ? ShearProtocol.EveryStrain(spacing, p.GetValue(maxStrain), p.GetValue(step))
                : CommonOptions.ParseNumbers(p.GetValue(snapshots)!, "--snapshots");
            ShearProtocol.CheckStrains(p.GetValue(maxStrain), p.GetValue(step), strains);
            var (glass, map) = SimulateCommand.ReadStructure(p.GetValue(structure)!, p.GetValue(elements));
            var pot = PotentialSpec.Resolve(p.GetValue(potential)!, map.ElementsByType.Select(e => e.Symbol).ToList(), p.GetValue(pairStyle));
            var protocol = new ShearProtocol(pot, p.GetValue(maxStrain), p.GetValue(step), strains) { ForceTolerance = p.GetValue(ftol) };
            protocol.Validate();
            string dir = Path.GetFullPath(p.GetValue(output)!);
            string work = Path.Combine(dir, $".shear-{Environment.ProcessId}");
            Directory.CreateDirectory(work);
            string version = LammpsInstallation.Version();
            var started = DateTimeOffset.UtcNow;
            stdout.WriteLine($"shear {glass.Count} atoms ({map}) in {protocol.Steps} steps of {protocol.Step:G4} to {protocol.MaxStrain:G4}; LAMMPS log: {Path.Combine(dir, "shear.log")}");
            try
            {
                LammpsDataWriter.Write(Path.Combine(work, "input.data"), glass);
                string script = protocol.Script("input.data", "stress_strain.csv");
                AtomicFile.Write(Path.Combine(dir, "shear.lmp"), w => w.Write(script));
                File.WriteAllText(Path.Combine(work, "shear.lmp"), script);
                try { LammpsProcess.Run(work, "shear.lmp", "shear.log", "simulate shear: strain steps", protocol.Steps, p.GetValue(ranks), progressCsv: "stress_strain.csv"); }
                finally
                {
                    // a thousand minimisations make a long log: with --gzip it is compressed like the structures
                    string log = Path.Combine(work, "shear.log");
                    if (File.Exists(log)) AtomicFile.Write(Path.Combine(dir, p.GetValue(gzip) ? "shear.log.gz" : "shear.log"), w => w.Write(File.ReadAllText(log)));
                }
                string ext = p.GetValue(gzip) ? ".dump.gz" : ".dump";
                Snapshot Frame(int k) => StructureFile.ReadFirst(Path.Combine(work, $"frame_{k}.dump"), map);
                LammpsDumpWriter.Write(Path.Combine(dir, "reference" + ext), [Frame(0)]);
                LammpsDumpWriter.Write(Path.Combine(dir, "sheared" + ext), protocol.SnapshotSteps.Select(Frame));
                File.Copy(Path.Combine(work, "stress_strain.csv"), Path.Combine(dir, "stress_strain.csv"), true);
                double peak = double.NegativeInfinity;
                using (var curve = new CsvTableReader(Path.Combine(dir, "stress_strain.csv"), "the header of the stress-strain curve"))
                {
                    while (curve.Next()) peak = Math.Max(peak, curve.ParseDouble(2, curve.Header[2]));
                    if (curve.LineNumber < 2) throw curve.Fail(InputProblem.Truncated, "no strain step: LAMMPS wrote no row of the curve");
                }
                Provenance.Write(Path.Combine(dir, "provenance.json"), new
                {
                    Command = "softspot " + Provenance.CommandLine,
                    Softspot = Provenance.SoftspotVersion,
                    Lammps = version,
                    Structure = Provenance.Input(p.GetValue(structure)!),
                    Elements = map.ToString(),
                    Potential = Provenance.Input(pot.File), pot.PairStyle,
                    protocol.MaxStrain, StrainStep = protocol.Step, protocol.Steps, protocol.ForceTolerance,
                    Snapshots = protocol.Snapshots.Zip(protocol.SnapshotSteps, (s, k) => new { Strain = s, Step = k, Timestep = k }).ToList(),
                    PeakShearStressGpa = peak,
                    Started = started, WallSeconds = Math.Round((DateTimeOffset.UtcNow - started).TotalSeconds, 1),
                });
                stdout.WriteLine($"peak shear stress {peak:F3} GPa; wrote {Path.Combine(dir, "reference" + ext)}, {Path.Combine(dir, "sheared" + ext)} ({strains.Count} frames), stress_strain.csv");
            }
            catch (LammpsException)
            {
                stdout.WriteLine($"LAMMPS's working files are kept in {work}");
                throw;
            }
            Directory.Delete(work, recursive: true);
            return 0;
        });
        return cmd;
    }
}
