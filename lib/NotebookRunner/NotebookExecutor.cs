using System.Diagnostics;
using CourseKernel;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;

namespace NotebookRunner;

internal sealed record RunLimits(TimeSpan PerCell, TimeSpan PerNotebook);

/// <summary>Why a notebook did not complete: the cell, its first lines and the error.</summary>
internal sealed record CellFailure(int CellNumber, string CellHead, string Error);

internal sealed record NotebookResult(
    string Path,
    InteractiveDocument Document,
    IReadOnlyList<bool> LiveBefore,
    int CellsRun,
    TimeSpan KernelStart,
    TimeSpan Elapsed,
    CellFailure? Failure)
{
    public bool Succeeded => Failure is null;
}

/// <summary>
/// Runs one notebook top to bottom in a fresh course kernel, with the notebook's folder as the
/// working directory. Stops at the first failing cell, as a reader would.
/// </summary>
internal sealed class NotebookExecutor(RunLimits limits, IProgress<CellProgress> progress)
{
    /// <summary>How long a cancelled cell gets to stop before the run gives up on its kernel.</summary>
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(5);

    public async Task<NotebookResult> RunAsync(string path, OutputScrubber scrubber)
    {
        var total = Stopwatch.StartNew();
        var document = NotebookFile.Read(path);
        var cells = document.Elements;
        var liveBefore = Provenance.LiveCells(document);
        int codeCellCount = cells.Count(IsCode);

        var previousDirectory = Environment.CurrentDirectory;
        Environment.CurrentDirectory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var kernel = CourseKernelFactory.Create();
        TimeSpan? kernelStart = null;
        bool disposeKernel = true;
        try
        {
            int executionCount = 0;
            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (!IsCode(cell)) continue;
                executionCount++;
                progress.Report(new CellProgress(executionCount, codeCellCount, total.Elapsed));

                var remaining = limits.PerNotebook - total.Elapsed;
                var budget = remaining < limits.PerCell ? remaining : limits.PerCell;
                var outcome = await RunCellAsync(kernel, cell, budget, budget < limits.PerCell);
                kernelStart ??= total.Elapsed; // kernel creation plus the first cell

                cell.Outputs.Clear();
                foreach (var output in outcome.Outputs.Outputs) cell.Outputs.Add(Scrub(scrubber, output));
                outcome.Outputs.SetExecutionCount(executionCount);
                cell.ExecutionOrder = executionCount;

                if (outcome.Error is { } error)
                {
                    disposeKernel = !outcome.Runaway;
                    return new NotebookResult(path, document, liveBefore, executionCount, kernelStart.Value, total.Elapsed,
                        new CellFailure(i + 1, Head(cell.Contents), scrubber.Scrub(error)));
                }
            }
            return new NotebookResult(path, document, liveBefore, executionCount, kernelStart ?? total.Elapsed, total.Elapsed, null);
        }
        finally
        {
            Environment.CurrentDirectory = previousDirectory;
            // A kernel whose cell ignored cancellation may block in Dispose; it is abandoned instead
            // and the process ends it on exit.
            if (disposeKernel) kernel.Dispose();
        }
    }

    private sealed record CellOutcome(CellOutputs Outputs, string? Error, bool Runaway);

    private async Task<CellOutcome> RunCellAsync(Kernel kernel, InteractiveDocumentElement cell, TimeSpan budget, bool notebookLimit)
    {
        var outputs = new CellOutputs();
        using var subscription = kernel.KernelEvents.Subscribe(e =>
        {
            lock (outputs) outputs.Add(e);
        });

        var submission = kernel.SendAsync(new SubmitCode(cell.Contents, cell.KernelName ?? CourseKernelFactory.CSharpKernelName));
        if (budget > TimeSpan.Zero && await Task.WhenAny(submission, Task.Delay(budget)) == submission)
        {
            await submission;
            lock (outputs) return new CellOutcome(outputs, outputs.Failure, false);
        }

        var limit = notebookLimit ? $"the notebook's time limit ({limits.PerNotebook.TotalSeconds:0} s)" : $"the cell time limit ({limits.PerCell.TotalSeconds:0} s)";
        await kernel.SendAsync(new Cancel());
        bool stopped = await Task.WhenAny(submission, Task.Delay(CancelGrace)) == submission;
        var message = $"Stopped: the cell ran past {limit}" + (stopped ? "." : " and did not respond to cancellation; its kernel was abandoned.");
        lock (outputs)
        {
            outputs.Add(new Microsoft.DotNet.Interactive.Events.CommandFailed(message, new SubmitCode(cell.Contents)));
            return new CellOutcome(outputs, message, !stopped);
        }
    }

    private static InteractiveDocumentOutputElement Scrub(OutputScrubber scrubber, InteractiveDocumentOutputElement output)
    {
        switch (output)
        {
            case TextElement text: return scrubber.Scrub(text);
            case ErrorElement error: return scrubber.Scrub(error);
            default: scrubber.Scrub(output); return output;
        }
    }

    private static bool IsCode(InteractiveDocumentElement cell) =>
        cell.KernelName is not null && cell.KernelName != "markdown";

    private static string Head(string code)
    {
        var lines = code.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Take(3).ToList();
        return string.Join("\n", lines) + (code.Split('\n').Length > 3 ? "\n…" : "");
    }
}

internal sealed record CellProgress(int Cell, int Cells, TimeSpan Elapsed);
