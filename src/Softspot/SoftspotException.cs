namespace Softspot;

/// <summary>
/// A problem with what the user gave Softspot (a file, an option, a model, the environment it runs in), as opposed to
/// a bug. Its message is complete and user-facing, in the library's terms: the command line prints it as one line
/// "softspot: error: MESSAGE"; anything that is not a <see cref="SoftspotException"/> (or an I/O problem of the
/// environment) is an internal error.
/// </summary>
public class SoftspotException(string message) : Exception(message);
