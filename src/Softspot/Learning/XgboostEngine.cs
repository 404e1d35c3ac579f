using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Softspot.Neighbours;

namespace Softspot.Learning;

/// <summary>
/// The optional training engine: Debian's libxgboost (package <c>libxgboost0</c>, <c>libxgboost.so.0</c>) through its
/// C API. <see cref="Fit"/> trains with xgboost's <c>hist</c> method and the same hyper-parameters as
/// <see cref="GradientBoosting"/>, saves the booster as JSON and reads it back with <see cref="XgboostImport.FromJson"/>,
/// so that prediction, TreeSHAP and model.json work exactly as for the managed engine.
/// <para>Mapping of <see cref="GradientBoostingOptions"/>: objective binary:logistic / reg:squarederror,
/// tree_method hist, eta, max_depth (or grow_policy lossguide + max_leaves, with max_depth as a cap, 0 = none),
/// lambda, gamma, min_child_weight, subsample, colsample_bynode (per split) or colsample_bytree (per tree; sqrt gives
/// floor(sqrt(m))/m), max_bin, seed and nthread = <see cref="GradientBoostingOptions.Threads"/>. base_score is the label mean (the
/// managed engine's start). Not available in xgboost, and ignored: <see cref="GradientBoostingOptions.MinSamplesLeaf"/>;
/// <see cref="GradientBoostingOptions.EarlyStoppingRounds"/> needs a validation set, which this engine does not take.
/// Features are converted to float32 (as xgboost always does); NaN is missing.</para>
/// <para>libgomp spins its idle threads unless OMP_WAIT_POLICY says otherwise, which makes timings explode on shared
/// small machines; the library is loaded with OMP_WAIT_POLICY=PASSIVE unless the variable is already set.</para>
/// <para>Public (unlike the rest of the engine's plumbing) so that the command line can check <see cref="Available"/>.</para>
/// </summary>
public static unsafe class XgboostEngine
{
    public const string LibraryName = "libxgboost.so.0";

    private static readonly nint Library;
    private static readonly delegate* unmanaged[Cdecl]<byte*> GetLastError;
    private static readonly delegate* unmanaged[Cdecl]<float*, ulong, ulong, float, nint*, int> DMatrixCreateFromMat;
    private static readonly delegate* unmanaged[Cdecl]<nint, byte*, float*, ulong, int> DMatrixSetFloatInfo;
    private static readonly delegate* unmanaged[Cdecl]<nint, int> DMatrixFree;
    private static readonly delegate* unmanaged[Cdecl]<nint*, ulong, nint*, int> BoosterCreate;
    private static readonly delegate* unmanaged[Cdecl]<nint, byte*, byte*, int> BoosterSetParam;
    private static readonly delegate* unmanaged[Cdecl]<nint, int, nint, int> BoosterUpdateOneIter;
    private static readonly delegate* unmanaged[Cdecl]<nint, byte*, int> BoosterSaveModel;
    private static readonly delegate* unmanaged[Cdecl]<nint, nint, int, uint, int, ulong*, float**, int> BoosterPredict;
    private static readonly delegate* unmanaged[Cdecl]<nint, int> BoosterFree;

    /// <summary>Whether libxgboost could be loaded (and has every function used here).</summary>
    public static bool Available { get; }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int SetEnv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);

    static XgboostEngine()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")))
        {
            Environment.SetEnvironmentVariable("OMP_WAIT_POLICY", "PASSIVE");
            // .NET keeps its own copy of the environment; libgomp reads the process's, through getenv
            try { if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()) SetEnv("OMP_WAIT_POLICY", "PASSIVE", 0); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        if (!NativeLibrary.TryLoad(LibraryName, out Library)) return;
        try
        {
            GetLastError = (delegate* unmanaged[Cdecl]<byte*>)Export("XGBGetLastError");
            DMatrixCreateFromMat = (delegate* unmanaged[Cdecl]<float*, ulong, ulong, float, nint*, int>)Export("XGDMatrixCreateFromMat");
            DMatrixSetFloatInfo = (delegate* unmanaged[Cdecl]<nint, byte*, float*, ulong, int>)Export("XGDMatrixSetFloatInfo");
            DMatrixFree = (delegate* unmanaged[Cdecl]<nint, int>)Export("XGDMatrixFree");
            BoosterCreate = (delegate* unmanaged[Cdecl]<nint*, ulong, nint*, int>)Export("XGBoosterCreate");
            BoosterSetParam = (delegate* unmanaged[Cdecl]<nint, byte*, byte*, int>)Export("XGBoosterSetParam");
            BoosterUpdateOneIter = (delegate* unmanaged[Cdecl]<nint, int, nint, int>)Export("XGBoosterUpdateOneIter");
            BoosterSaveModel = (delegate* unmanaged[Cdecl]<nint, byte*, int>)Export("XGBoosterSaveModel");
            BoosterPredict = (delegate* unmanaged[Cdecl]<nint, nint, int, uint, int, ulong*, float**, int>)Export("XGBoosterPredict");
            BoosterFree = (delegate* unmanaged[Cdecl]<nint, int>)Export("XGBoosterFree");
            Available = true;
        }
        catch (EntryPointNotFoundException) { Available = false; }
    }

    private static nint Export(string name) => NativeLibrary.GetExport(Library, name);

    /// <summary>Trains on row-major <paramref name="x"/> (rows x columns) with libxgboost; see the class summary.</summary>
    public static TreeEnsemble Fit(double[] x, int rows, int columns, double[] y, string[] featureNames, GradientBoostingOptions options) =>
        Train(x, rows, columns, y, featureNames, options, null).Model;

    /// <summary>
    /// <see cref="Fit"/>, and also libxgboost's own predictions (XGBoosterPredict, probabilities or values) for the
    /// rows of <paramref name="predictX"/>, from the booster that was saved: a test hook, as are
    /// <paramref name="extraParameters"/> (set after the options' own).
    /// </summary>
    internal static (TreeEnsemble Model, float[] Predictions) Train(double[] x, int rows, int columns, double[] y, string[] featureNames,
        GradientBoostingOptions options, double[]? predictX, IEnumerable<(string Name, string Value)>? extraParameters = null)
    {
        ArgumentNullException.ThrowIfNull(x); ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(featureNames); ArgumentNullException.ThrowIfNull(options);
        if (!Available) throw new InvalidOperationException($"the xgboost engine needs Debian's libxgboost0 ({LibraryName} could not be loaded)");
        options.Validate();
        if (rows < 1 || columns < 1) throw new ArgumentException("need at least one row and one column");
        if (x.LongLength != (long)rows * columns) throw new ArgumentException($"features has {x.LongLength} values, expected {rows} x {columns}");
        if (y.Length != rows) throw new ArgumentException($"labels has {y.Length} values for {rows} rows");
        if (featureNames.Length != columns) throw new ArgumentException($"{featureNames.Length} feature names for {columns} columns");
        if (predictX is not null && predictX.LongLength % columns != 0) throw new ArgumentException("predictX must have the training columns");
        bool logistic = options.Objective == Objective.BinaryLogistic;
        foreach (double v in y)
            if (logistic ? v is not (0 or 1) : !double.IsFinite(v))
                throw new ArgumentException(logistic ? "binary labels must be 0 or 1" : "labels must be finite");

        double baseScore = y.Average();
        if (logistic) baseScore = Math.Clamp(baseScore, 1e-6, 1 - 1e-6);

        nint train = 0, test = 0, booster = 0;
        string path = Path.Combine(Path.GetTempPath(), $"softspot-xgboost-{Guid.NewGuid():N}.json");
        try
        {
            train = Matrix(x, rows, columns);
            var labels = y.Select(v => (float)v).ToArray();
            fixed (float* l = labels)
            fixed (byte* field = Utf8("label"))
                Check(DMatrixSetFloatInfo(train, field, l, (ulong)rows), "XGDMatrixSetFloatInfo");
            nint handle = train;
            Check(BoosterCreate(&handle, 1, &booster), "XGBoosterCreate");
            foreach (var (name, value) in Parameters(options, columns, baseScore).Concat(extraParameters ?? [])) SetParam(booster, name, value);
            for (int round = 0; round < options.Trees; round++)
                Check(BoosterUpdateOneIter(booster, round, train), "XGBoosterUpdateOneIter");
            fixed (byte* p = Utf8(path)) Check(BoosterSaveModel(booster, p), "XGBoosterSaveModel");
            var model = XgboostImport.FromJson(path, featureNames);

            float[] predictions = [];
            if (predictX is not null)
            {
                int n = (int)(predictX.LongLength / columns);
                test = Matrix(predictX, n, columns);
                ulong length;
                float* result;
                Check(BoosterPredict(booster, test, 0, 0, 0, &length, &result), "XGBoosterPredict");
                if (length != (ulong)n) throw new InvalidOperationException($"xgboost: XGBoosterPredict returned {length} values for {n} rows");
                predictions = new ReadOnlySpan<float>(result, n).ToArray();
            }
            return (model, predictions);
        }
        finally
        {
            if (booster != 0) BoosterFree(booster);
            if (test != 0) DMatrixFree(test);
            if (train != 0) DMatrixFree(train);
            try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>The xgboost parameters for <paramref name="options"/> on <paramref name="columns"/> features.</summary>
    internal static List<(string Name, string Value)> Parameters(GradientBoostingOptions options, int columns, double baseScore)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var p = new List<(string, string)>
        {
            ("objective", options.Objective == Objective.BinaryLogistic ? "binary:logistic" : "reg:squarederror"),
            ("tree_method", "hist"),
            ("eta", F(options.LearningRate)),
            ("lambda", F(options.L2)),
            ("alpha", "0"),
            ("gamma", F(options.MinSplitGain)),
            ("min_child_weight", F(options.MinChildWeight)),
            ("subsample", F(options.RowSubsample)),
            ("max_bin", options.MaxBins.ToString(CultureInfo.InvariantCulture)),
            ("seed", options.Seed.ToString(CultureInfo.InvariantCulture)),
            ("nthread", options.Threads.ToString(CultureInfo.InvariantCulture)),
            ("base_score", F(baseScore)),
            ("verbosity", "0"),
        };
        if (options.MaxLeaves is { } leaves)
        {
            p.Add(("grow_policy", "lossguide"));
            p.Add(("max_leaves", leaves.ToString(CultureInfo.InvariantCulture)));
            p.Add(("max_depth", options.MaxDepth.ToString(CultureInfo.InvariantCulture)));
        }
        else p.Add(("max_depth", options.MaxDepth.ToString(CultureInfo.InvariantCulture)));
        var fs = options.FeatureSubsample;
        if (!fs.IsAll(columns))
        {
            // xgboost draws max(1, (int)(fraction x m)) features with a float fraction: a hair above k/m gives exactly k
            int k = fs.Count(columns);
            double fraction = Math.Min(1, (k + 1e-3) / columns);
            p.Add((fs.PerSplit ? "colsample_bynode" : "colsample_bytree", F(fraction)));
        }
        return p;
    }

    private static nint Matrix(double[] x, int rows, int columns)
    {
        var data = new float[x.LongLength];
        for (long i = 0; i < data.LongLength; i++) data[i] = (float)x[i];
        nint handle;
        fixed (float* d = data) Check(DMatrixCreateFromMat(d, (ulong)rows, (ulong)columns, float.NaN, &handle), "XGDMatrixCreateFromMat");
        return handle;
    }

    private static void SetParam(nint booster, string name, string value)
    {
        fixed (byte* n = Utf8(name))
        fixed (byte* v = Utf8(value))
            Check(BoosterSetParam(booster, n, v), $"XGBoosterSetParam({name}={value})");
    }

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s + "\0");

    private static void Check(int code, string call)
    {
        if (code == 0) return;
        string message = Marshal.PtrToStringUTF8((nint)GetLastError()) ?? "unknown error";
        throw new InvalidOperationException($"xgboost: {call} failed: {message.Trim()}");
    }
}
