namespace NetIpc.Proc;

/// <summary>
/// A /proc text that does not have the shape the kernel prints. The message names the file,
/// the line (1-based, counting the header) and the column, so a reader can open the file and look.
/// </summary>
public sealed class ProcFormatException : FormatException
{
    public ProcFormatException(string file, int line, string field, string problem)
        : base($"{file}, line {line}, field '{field}': {problem}")
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string File { get; }

    public int Line { get; }

    public string Field { get; }

    public string Problem { get; }
}
