namespace NotebookRunner;

/// <summary>
/// Progress on stderr: one self-overwriting line on a terminal, plain lines in a log (CI), and one
/// summary line per notebook either way.
/// </summary>
/// <remarks>
/// Writes to the stderr writer it is given, never to whatever <see cref="Console.Error"/> is at the
/// time: while a kernel command is in flight, .NET Interactive swaps Console.Error for a writer that
/// drops what does not come from the command, and a command whose kernel process died never finishes.
/// </remarks>
internal sealed class ConsoleProgress(int notebookCount, TextWriter stderr) : IProgress<CellProgress>
{
    private readonly bool _interactive = !Console.IsErrorRedirected;
    private int _notebook;
    private string _name = "";

    public void StartNotebook(string path)
    {
        _notebook++;
        _name = Path.GetFileName(path);
        if (!_interactive) stderr.WriteLine($"[{_notebook}/{notebookCount}] {_name}");
    }

    public void Report(CellProgress value)
    {
        var line = $"[{_notebook}/{notebookCount}] {_name}  cell {value.Cell}/{value.Cells}  {value.Elapsed.TotalSeconds,6:0.0} s";
        if (_interactive) stderr.Write("\r" + line.PadRight(Math.Max(line.Length, 79)));
        else stderr.WriteLine("    " + line[(line.IndexOf(']') + 2 + _name.Length + 2)..]);
    }

    public void FinishNotebook(NotebookResult result, NotebookOutcome outcome)
    {
        if (_interactive) stderr.Write("\r" + new string(' ', 79) + "\r");
        var mark = result.Succeeded ? "ok  " : "FAIL";
        var what = outcome switch
        {
            NotebookOutcome.Failed => $"failed at cell {result.Failure!.CellNumber}",
            NotebookOutcome.Written => $"{result.CellsRun} cells, outputs written",
            NotebookOutcome.KeptLive => $"{result.CellsRun} cells, NOT written (live outputs would become recordings)",
            _ => $"{result.CellsRun} cells, checked",
        };
        stderr.WriteLine(
            $"{mark} [{_notebook}/{notebookCount}] {_name}: {what} in {result.Elapsed.TotalSeconds:0.0} s (kernel ready and first cell {result.KernelStart.TotalSeconds:0.0} s)");
    }
}

internal enum NotebookOutcome { Checked, Written, KeptLive, Failed }
