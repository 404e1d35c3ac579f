using System.CommandLine;
using Softspot.Descriptors;
using Softspot.IO;
using Softspot.Neighbours;
using Softspot.Reporting;
using Softspot.Sharding;
using Softspot.Structures;

namespace Softspot.Cli.Commands;

/// <summary>
/// <c>softspot featurize FILE... --preset NAME --out features.csv</c>: per-atom descriptor tables (one row per atom
/// and frame), with a JSON recipe beside them and optionally a LAMMPS dump carrying the features for OVITO.
/// </summary>
internal static class FeaturizeCommand
{
    public static Command Build(TextWriter stdout)
    {
        var files = new Argument<string[]>("FILE") { Description = "Structure files (every frame of each, in order)", Arity = ArgumentArity.OneOrMore };
        var preset = new Option<string>("--preset", "-p") { Description = "Feature set: " + string.Join(", ", Presets.All.Select(p => p.Name)), DefaultValueFactory = _ => "interstice" };
        var output = new Option<string>("--out", "-o") { Description = "Feature table (CSV or Parquet, see --format): frame,id,type,element, then the features", Required = true };
        var dump = new Option<string?>("--dump") { Description = "Also write the frames with the features as extra columns (LAMMPS dump, for OVITO)" };
        var radii = new Option<string?>("--radii") { Description = "Radii in A by element or type (e.g. Cu=1.26,Zr=1.58); Miracle radii otherwise" };
        var voroCutoff = new Option<double>("--voronoi-cutoff") { Description = "Voronoi neighbours farther than this (A) are dropped", DefaultValueFactory = _ => 5.0 }.Positive();
        var faceFraction = new Option<double>("--small-face") { Description = "Small-face filter: drop faces below this fraction of the running mean area (0 keeps all)", DefaultValueFactory = _ => 0.05 }.Within(0, 1);
        var distCutoff = new Option<double>("--distance-cutoff") { Description = "Distance neighbours: atoms closer than this (A)", DefaultValueFactory = _ => 4.0 }.Positive();
        var amlearnAzimuth = new Option<bool>("--amlearn-azimuth") { Description = "Bond-orientational order with the reference's atan azimuth (not rotation invariant) instead of textbook Steinhardt" };
        var float32 = new Option<bool>("--float32-fold") { Description = "Round i-fold symmetry indices to float32 as the reference does" };
        var tripletImage = new Option<bool>("--amlearn-triplets") { Description = "Angular symmetry functions with the reference's minimum-image r_jk (differs only in cells narrower than 4 cutoffs)" };
        var soapCutoff = new Option<double>("--soap-rcut") { Description = "SOAP (preset soap): radius of the GTO radial basis in A; neighbours to r_cut + 3.72 sigma", DefaultValueFactory = _ => 6.0 }.Positive();
        var soapSigma = new Option<double>("--soap-sigma") { Description = "SOAP: width of the Gaussian on each atom in A", DefaultValueFactory = _ => 0.5 }.Positive();
        var soapFull = new Option<bool>("--soap-full") { Description = "SOAP: every (n, n') in cross-species blocks as dscribe does today (702 columns for two species) instead of the 2020 paper's n' >= n (567)" };
        var potential = new Option<string?>("--potential") { Description = "Interatomic potential of the physical representations (shear-modulus, flexibility-volume): a setfl file or its name in LAMMPS's potentials folder (e.g. CuZr_mm.eam.fs); recorded by name and SHA-256" };
        var shearStrain = new Option<double>("--shear-strain") { Description = "shear-modulus: the shear strain gamma of the central differences (+-gamma)", DefaultValueFactory = _ => Simulation.Elastic.LocalShearSettings.DefaultStrain }.Within(1e-6, 0.05);
        var shearTolerance = new Option<double>("--shear-force-tolerance") { Description = "shear-modulus: relax the glass and each sheared glass until no atom feels more than this force (eV/A)", DefaultValueFactory = _ => Simulation.Elastic.LocalShearSettings.DefaultForceTolerance }.Within(1e-14, 1e-3);
        var shearCoarse = new Option<double>("--shear-coarse-cutoff") { Description = "shear-modulus: G_coarse is the volume-weighted mean of G_relaxed over the atom and the atoms closer than this (A)", DefaultValueFactory = _ => Simulation.Elastic.LocalShearSettings.DefaultCoarseCutoff }.Positive();
        var snaRadii = new Option<string?>("--sna-radii") { Description = "Bispectrum: cutoff radius R_i in A by element or type (e.g. Cu=2.5,Zr=2.9); default 2.2 x the Miracle radius" };
        var snaWeights = new Option<string?>("--sna-weights") { Description = "Bispectrum: neighbour weight w_i by element or type (e.g. Cu=1.0,Zr=1.2); default 1" };
        var snaRcutfac = new Option<double>("--sna-rcutfac") { Description = "Bispectrum: a pair's cutoff is rcutfac x (R_i + R_j)", DefaultValueFactory = _ => 1.0 }.Positive();
        var snaRfac0 = new Option<double>("--sna-rfac0") { Description = "Bispectrum: rfac0 (theta0 = rfac0 pi at the cutoff)", DefaultValueFactory = _ => Bispectrum.DefaultRFac0 }.AboveUpTo(0, 1);
        var snaRmin0 = new Option<double>("--sna-rmin0") { Description = "Bispectrum: rmin0 in A (the distance mapped to theta0 = 0)", DefaultValueFactory = _ => 0.0 }.NonNegative();
        var snaSwitch = new Option<int>("--sna-switchflag") { Description = "Bispectrum: 1 = cosine switching function to zero at the cutoff, 0 = none", DefaultValueFactory = _ => 1 }.Within(0, 1);
        var snaBzero = new Option<int>("--sna-bzeroflag") { Description = "Bispectrum: 1 = subtract the bispectrum of an isolated atom (LAMMPS compute sna/atom default), 0 = do not", DefaultValueFactory = _ => 1 }.Within(0, 1);
        var mtpRmin = new Option<double>("--mtp-rmin") { Description = "mtp preset: R_min of the Chebyshev radial basis (A)", DefaultValueFactory = _ => 2.0 }.NonNegative();
        var mtpRcut = new Option<double>("--mtp-rcut") { Description = "mtp preset: neighbours closer than this count (A); must exceed --mtp-rmin", DefaultValueFactory = _ => 5.0 }.Positive();
        var flexMethod = new Option<string>("--flex-method") { Description = "flexibility-volume: how the vibrational MSD is estimated, md (Langevin MD) or harmonic (pseudo-inverse Hessian; small cells)", DefaultValueFactory = _ => "md" };
        flexMethod.AcceptOnlyFromAmong("md", "harmonic");
        var flexTemperature = new Option<double>("--flex-temperature") { Description = "flexibility-volume: temperature (K) of the MSD", DefaultValueFactory = _ => 10.0 }.Positive();
        var flexDuration = new Option<double>("--flex-duration") { Description = "flexibility-volume: sampled MD duration (ps)", DefaultValueFactory = _ => 10.0 }.Positive();
        var flexEquilibration = new Option<double>("--flex-equilibration") { Description = "flexibility-volume: MD before sampling (ps)", DefaultValueFactory = _ => 2.0 }.Within(0, 1e6);
        var flexTimestep = new Option<double>("--flex-timestep") { Description = "flexibility-volume: MD time step (ps)", DefaultValueFactory = _ => 0.002 }.Positive();
        var flexDamping = new Option<double>("--flex-damping") { Description = "flexibility-volume: Langevin damping time (ps)", DefaultValueFactory = _ => 0.1 }.Positive();
        var flexSeed = new Option<int>("--flex-seed") { Description = "flexibility-volume: seed of the MD velocities and thermostat", DefaultValueFactory = _ => 1 };
        var format = CommonOptions.Format();
        var elements = CommonOptions.Elements();
        var threads = CommonOptions.Threads();
        var shard = Shards.Option("featurize every N-th frame (over all FILEs) starting at the k-th, into --out");
        var cmd = new Command("featurize", "Compute per-atom structural descriptors")
        {
            files, preset, output, format, dump, radii, voroCutoff, faceFraction, distCutoff, amlearnAzimuth, float32, tripletImage, potential, shearStrain, shearTolerance, shearCoarse, snaRadii, snaWeights, snaRcutfac, snaRfac0, snaRmin0, snaSwitch, snaBzero, mtpRmin, mtpRcut,
            flexMethod, flexTemperature, flexDuration, flexEquilibration, flexTimestep, flexDamping, flexSeed, soapCutoff, soapSigma, soapFull, elements, threads, shard,
        };
        var slurm = new SlurmSubmit(cmd);
        cmd.SetAction(p =>
        {
            string outPath = p.GetValue(output)!;
            CommonOptions.CheckFiles((outPath, "--out"), (Featurizer.RecipePath(outPath), "--out (its recipe .json)"), (p.GetValue(dump), "--dump"));
            if (slurm.Submitted(p, outPath, stdout)) return 0;
            var chosen = Presets.Find(p.GetValue(preset)!);
            var settings = new FeaturizeSettings
            {
                VoronoiCutoff = p.GetValue(voroCutoff),
                SmallFaceFraction = p.GetValue(faceFraction),
                DistanceCutoff = p.GetValue(distCutoff),
                Radii = p.GetValue(radii),
                AmlearnAzimuth = p.GetValue(amlearnAzimuth),
                Float32FoldSymmetry = p.GetValue(float32),
                AmlearnTripletMinimumImage = p.GetValue(tripletImage),
                MtpRmin = p.GetValue(mtpRmin),
                MtpRcut = p.GetValue(mtpRcut),
                SoapCutoff = p.GetValue(soapCutoff),
                SoapSigma = p.GetValue(soapSigma),
                SoapFull = p.GetValue(soapFull),
                Potential = p.GetValue(potential) is { } pot ? Simulation.Potentials.PotentialFile.Open(pot) : null,
                ShearStrain = p.GetValue(shearStrain),
                ShearForceTolerance = p.GetValue(shearTolerance),
                ShearCoarseCutoff = p.GetValue(shearCoarse),
                SnaRadii = p.GetValue(snaRadii),
                SnaWeights = p.GetValue(snaWeights),
                SnaRCutFac = p.GetValue(snaRcutfac),
                SnaRFac0 = p.GetValue(snaRfac0),
                SnaRMin0 = p.GetValue(snaRmin0),
                SnaSwitch = p.GetValue(snaSwitch) == 1,
                SnaSubtractIsolated = p.GetValue(snaBzero) == 1,
                Threads = Parallelism.Resolve(p.GetValue(threads)),
                // recorded only for the presets that use it (Preset.Settings)
                Vibration = new Simulation.Vibration.VibrationSettings
                {
                    Method = Simulation.Vibration.MsdMethods.Parse(p.GetValue(flexMethod)!),
                    Temperature = p.GetValue(flexTemperature),
                    Duration = p.GetValue(flexDuration),
                    Equilibration = p.GetValue(flexEquilibration),
                    Timestep = p.GetValue(flexTimestep),
                    Damping = p.GetValue(flexDamping),
                    Seed = p.GetValue(flexSeed),
                },
            };
            var inputs = p.GetValue(files)!;
            var tableFormat = TableFormats.Resolve(p.GetValue(format), outPath);
            var featurizer = new Featurizer(chosen.Name, settings, RunContext.Console(p.GetValue(threads)));
            // a shard's identity: the settings the preset computes with (Featurizer.Settings), as its recipe records them
            var job = ShardedOutput.Job("featurize", p.GetValue(shard), outPath, tableFormat, inputs.Select(f => ("structure", f)),
                ("preset", chosen.Name), ("elements", p.GetValue(elements)), ("settings", featurizer.Settings));
            if (ShardedOutput.AlreadyDone(job, stdout)) return 0;
            var done = featurizer.Write(inputs, outPath, tableFormat, CommonOptions.ParseElements(p.GetValue(elements)), p.GetValue(dump), job);
            string frames = job is null ? $"{done.Frames}" : $"shard {job.Shard}: {done.Written} of {done.Frames}";
            stdout.WriteLine($"featurize: {frames} frame(s), {done.Atoms} atoms, {done.Recipe.Columns.Length} features ({chosen.Name}) in {done.Seconds:F2} s, "
                + $"peak memory {PeakMemoryMiB():F0} MiB -> {outPath}, {done.RecipePath}" + (p.GetValue(dump) is { } d ? $", {d}" : "")
                + (done.ManifestPath is { } m ? ", " + m : ""));
            return 0;
        });
        return cmd;
    }

    /// <summary>The process's peak resident memory so far (VmHWM on Linux), in MiB.</summary>
    private static double PeakMemoryMiB()
    {
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return self.PeakWorkingSet64 / 1048576.0;
    }
}
