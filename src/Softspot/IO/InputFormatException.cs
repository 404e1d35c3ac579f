namespace Softspot.IO;

/// <summary>What is wrong with an input file.</summary>
public enum InputProblem
{
    Syntax,
    Truncated,
    ColumnCount,
    NotANumber,
    AtomCount,
    MissingColumn,
    DuplicateId,
    DegenerateCell,
    UnknownElement,
    Unsupported,
}

/// <summary>
/// Bad input: names the file, the 1-based line and the problem. The message reads "FILE:LINE: problem", the form
/// compilers use, so editors and terminals can jump to it.
/// </summary>
public sealed class InputFormatException(string file, long line, InputProblem kind, string problem)
    : SoftspotException(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public InputProblem Kind { get; } = kind;
    public string Problem { get; } = problem;
}
