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

    private ProcFormatException(string file, int line, string field, string problem, string message)
        : base(message)
    {
        File = file;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>
    /// A netlink reply that does not have the shape the kernel sends: <paramref name="source"/> names the reply
    /// ("sock_diag TCP dump"), <paramref name="message"/> the 1-based message in it and its kind ("inet_diag_msg"),
    /// <paramref name="attribute"/> the field or attribute ("INET_DIAG_INFO"). <see cref="Line"/> is the message number.
    /// </summary>
    public static ProcFormatException Netlink(string source, int index, string message, string attribute, string problem) =>
        new(source, index, attribute, problem, $"{source}, message {index} ({message}), attribute '{attribute}': {problem}");

    public string File { get; }

    public int Line { get; }

    public string Field { get; }

    public string Problem { get; }
}
