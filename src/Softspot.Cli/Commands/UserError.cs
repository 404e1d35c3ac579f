using System.Text.RegularExpressions;

namespace Softspot.Cli.Commands;

/// <summary>Which exceptions are the user's input or environment problems (one line, no stack trace) rather than bugs.</summary>
internal static partial class UserError
{
    public static string? Describe(Exception e) => e switch
    {
        SoftspotException => OneLine(e.Message),
        FileNotFoundException or DirectoryNotFoundException => OneLine(e.Message),
        UnauthorizedAccessException u => OneLine(u.Message),
        IOException io => OneLine(io.Message),
        ArgumentException a when a.Source == "Softspot" => OneLine(ParameterSuffix().Replace(a.Message, "")),
        // parallel work fails with every thread's exception: a user problem among them is the one to tell
        AggregateException agg => agg.Flatten().InnerExceptions.Where(x => x is not OperationCanceledException).Select(Describe).FirstOrDefault(m => m is not null)
            ?? (agg.Flatten().InnerExceptions.All(x => x is OperationCanceledException) ? "cancelled" : null),
        OperationCanceledException => "cancelled",
        OutOfMemoryException => "out of memory: the input needs more memory than this machine gives the process (a smaller input, fewer --threads, or a larger machine)",
        _ => null,
    };

    /// <summary>A parser message without .NET type names, e.g. "--threads: 'two' is not a whole number".</summary>
    public static string DescribeParse(string message)
    {
        var m = CannotParse().Match(message);
        if (!m.Success) return OneLine(message);
        string type = m.Groups["type"].Value;
        string what = type.Contains("Int32") || type.Contains("Int64") ? "a whole number"
            : type.Contains("Double") || type.Contains("Single") ? "a number"
            : type.Contains("Boolean") ? "true or false" : "valid here";
        return $"{m.Groups["option"].Value}: '{m.Groups["value"].Value}' is not {what}";
    }

    /// <summary>Several lines joined into one (a pipeline's list of problems reads "2 problems: ...; ...").</summary>
    public static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var one = new System.Text.StringBuilder();
        for (int i = 0; i < lines.Length; i++)
            one.Append(i == 0 ? "" : lines[i - 1].EndsWith(':') ? " " : "; ").Append(lines[i]);
        return one.ToString();
    }

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for option '(?<option>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex CannotParse();

    [GeneratedRegex(@" \(Parameter '[^']*'\)$")]
    private static partial Regex ParameterSuffix();
}

/// <summary>A wrong combination of options.</summary>
internal sealed class UsageException(string message) : SoftspotException(message);
