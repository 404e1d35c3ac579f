using Softspot.Cli;

namespace Softspot.Tests.Support;

/// <summary>Runs the softspot command line in-process and checks its one-line errors.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>One line "softspot: error: ..." on stderr, exit code 2, nothing on stdout, no stack trace.</summary>
    public static string AssertOneLineError((int Code, string Out, string Err) r)
    {
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.EndsWith("\n", r.Err);
        var lines = r.Err.TrimEnd('\n').Split('\n');
        Assert.Single(lines);
        Assert.StartsWith("softspot: error: ", lines[0]);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain("Exception", r.Err);
        return lines[0];
    }
}
