namespace Softspot.Learning;

/// <summary>
/// A model file (model.json) that cannot be used: unreadable, not JSON, another format or version, or a tree that is
/// not a tree (a child index out of range, a cycle, a node reached twice or never, a split on a feature the model does
/// not have, a non-finite number). The message names the file, and the tree and node where it applies:
/// "model.json: tree 3, node 7: child index 99 out of range (the tree has 15 nodes)".
/// </summary>
public sealed class ModelFormatException(string file, string problem, long line = 0)
    : SoftspotException(line > 0 ? $"{file}:{line}: {problem}" : $"{file}: {problem}")
{
    public string File { get; } = file;
    public long Line { get; } = line;
    public string Problem { get; } = problem;
}
