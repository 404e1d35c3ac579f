using Softspot.Cli;
using Softspot.Tests.Support;

namespace Softspot.Tests.Cli;

/// <summary>How the command line reports problems: one line, in softspot's terms, never a stack trace.</summary>
public sealed class ErrorReportingTests
{
    [Fact]
    public void AnOptionValueOfTheWrongTypeIsOneLineWithoutDotNetTypeNames()
    {
        string error = CliRunner.AssertOneLineError(CliRunner.Run("voronoi", "x.dump", "--threads", "two"));
        Assert.Equal("softspot: error: --threads: 'two' is not a whole number (see 'softspot voronoi --help')", error);
    }

    [Fact]
    public void AnUnknownCommandIsNamed()
    {
        string error = CliRunner.AssertOneLineError(CliRunner.Run("tesselate", "x.dump"));
        Assert.Contains("'tesselate'", error);
        Assert.Contains("see 'softspot --help'", error);
    }

    [Fact]
    public void HelpNamesTheCommandSoftspot()
    {
        var (code, stdout, _) = CliRunner.Run("featurize", "--help");
        Assert.Equal(0, code);
        Assert.Contains("softspot featurize", stdout);
        Assert.DoesNotContain("Softspot.Cli", stdout);
    }

    [Fact]
    public void AnInternalErrorIsOneLineNamingHowToSeeTheDetails()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Report(new NullReferenceException("Object reference not set to an instance of an object."), stderr, debug: false);
        Assert.Equal(70, code);
        Assert.Equal("softspot: internal error: Object reference not set to an instance of an object. (NullReferenceException); "
            + "this is a bug: rerun with SOFTSPOT_DEBUG=1 for the details and report them\n", stderr.ToString());
    }

    [Fact]
    public void WithDebugAnInternalErrorShowsItsStackTrace()
    {
        var stderr = new StringWriter();
        Exception thrown;
        try { throw new InvalidOperationException("broken"); } catch (Exception e) { thrown = e; }
        Program.Report(thrown, stderr, debug: true);
        Assert.Contains("   at ", stderr.ToString());
    }

    [Fact]
    public void AUserProblemIsOneLineWithExitCode2()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        int code = Program.Report(new SoftspotException("model.json: tree 3: a cycle"), stderr, debug: true);
        Assert.Equal(2, code);
        Assert.Equal("softspot: error: model.json: tree 3: a cycle\n", stderr.ToString());
    }

    [Fact]
    public void AParallelFailureReportsAUserProblemAmongItsThreadsExceptions()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        var e = new AggregateException(new AggregateException(new TaskCanceledException(), new SoftspotException("a.dump:3: not a number")));
        Assert.Equal(2, Program.Report(e, stderr, debug: false));
        Assert.Equal("softspot: error: a.dump:3: not a number\n", stderr.ToString());
    }

    [Fact]
    public void RunningOutOfMemoryIsAnEnvironmentProblemNotABug()
    {
        var stderr = new StringWriter { NewLine = "\n" };
        Assert.Equal(2, Program.Report(new OutOfMemoryException(), stderr, debug: false));
        Assert.StartsWith("softspot: error: out of memory: ", stderr.ToString());
    }
}
