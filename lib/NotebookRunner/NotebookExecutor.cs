using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Events;

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

    /// <summary>The chapter's exercise cells run again with other answers (see <see cref="NotebookExecutor.Regrade"/>), each set in a copy of the document.</summary>
    public IReadOnlyList<(Answers Answers, InteractiveDocument Document)> Regraded { get; init; } = [];
}

/// <summary>
/// Runs one notebook top to bottom in a fresh course kernel process, with the notebook's folder as the
/// working directory. Stops at the first failing cell, as a reader would.
/// </summary>
internal sealed class NotebookExecutor(RunLimits limits, IProgress<CellProgress> progress)
{
    /// <summary>Which answers fill the exercise cells (see <see cref="Exercises"/>).</summary>
    public Answers Answers { get; init; } = Answers.AsWritten;

    /// <summary>The course's folder, where solutions/ is.</summary>
    public string CourseRoot { get; init; } = Environment.CurrentDirectory;

    /// <summary>
    /// Go on past an exercise cell that fails (a learner's answer that does not compile), as a grader must;
    /// any other failing cell still stops the notebook.
    /// </summary>
    public bool ContinuePastExercises { get; init; }

    /// <summary>
    /// Answers to try in the same kernel right after the chapter's last exercise cell: each set fills the exercise
    /// cells again and they alone run again, so one run of a chapter grades several sets of answers. What they read
    /// has run by then, and the cells after them (which may close it) run once all sets are done.
    /// </summary>
    public IReadOnlyList<Answers> Regrade { get; init; } = [];

    /// <summary>
    /// Runs the notebook. <paramref name="started"/> is a kernel process already starting for it (see
    /// <see cref="KernelPrestart"/>), which this run then owns; without one the first code cell starts it.
    /// <paramref name="firstCellRun"/> is called once the kernel has run the first code cell: the moment the
    /// next notebook's kernel may start without two kernels starting at once.
    /// </summary>
    public async Task<NotebookResult> RunAsync(string path, OutputScrubber scrubber, Task<KernelProcess>? started = null, Action? firstCellRun = null)
    {
        var total = Stopwatch.StartNew();
        KernelProcess? kernel = null;
        TimeSpan? kernelStart = null;
        // Starting the kernel process is not the notebook's doing and does not count against its
        // limits (it has one of its own, the cell limit); the first cell's compiler warm-up does.
        var startup = TimeSpan.Zero;
        try
        {
            // Inside the try: a notebook or solutions file that cannot be read still ends a kernel started for it.
            var document = NotebookFile.Read(path);
            Exercises.Substitute(document, path, CourseRoot, Answers);
            var cells = document.Elements;
            var liveBefore = Provenance.LiveCells(document);
            int codeCellCount = cells.Count(IsCode);

            int executionCount = 0;
            var regraded = new List<(Answers, InteractiveDocument)>();
            int lastExercise = Regrade.Count == 0 ? -1 : cells.Select((c, i) => Exercises.IsExercise(c) ? i : -1).DefaultIfEmpty(-1).Max();

            // Each further set of answers fills the exercise cells of a fresh copy, and they alone run again.
            async Task<CellFailure?> RegradeAsync(KernelProcess kernel)
            {
                foreach (var answers in Regrade)
                {
                    var again = NotebookFile.Read(path);
                    Exercises.Substitute(again, path, CourseRoot, answers);
                    regraded.Add((answers, again));
                    foreach (var cell in again.Elements.Where(Exercises.IsExercise))
                    {
                        executionCount++;
                        var remaining = limits.PerNotebook - (total.Elapsed - startup);
                        var budget = remaining < limits.PerCell ? remaining : limits.PerCell;
                        CellOutcome outcome;
                        try
                        {
                            outcome = await RunCellAsync(kernel, await kernel.SubkernelAsync(KernelName(cell)), cell, budget, budget < limits.PerCell);
                        }
                        catch (KernelUnavailableException e)
                        {
                            outcome = new CellOutcome(new CellOutputs(), e.Message);
                        }
                        foreach (var output in outcome.Outputs.Outputs) cell.Outputs.Add(Scrub(scrubber, output));
                        cell.ExecutionOrder = executionCount;
                        if (outcome.Error is { } error && (!ContinuePastExercises || kernel.Exited.IsCompleted))
                            return new CellFailure(again.Elements.IndexOf(cell) + 1, $"[answers: {answers}]\n" + Head(cell.Contents), scrubber.Scrub(error));
                    }
                }
                return null;
            }

            for (int i = 0; i < cells.Count; i++)
            {
                var cell = cells[i];
                if (!IsCode(cell)) continue;
                executionCount++;
                progress.Report(new CellProgress(executionCount, codeCellCount, total.Elapsed));

                CellOutcome outcome;
                try
                {
                    if (kernel is null)
                    {
                        var starting = started ?? KernelProcess.StartAsync(Path.GetDirectoryName(Path.GetFullPath(path))!, KernelName(cell), limits.PerCell);
                        started = null; // owned here from now on, or failed
                        kernel = await starting;
                        startup = total.Elapsed;
                    }
                    var subkernel = await kernel.SubkernelAsync(KernelName(cell));
                    var remaining = limits.PerNotebook - (total.Elapsed - startup);
                    var budget = remaining < limits.PerCell ? remaining : limits.PerCell;
                    outcome = await RunCellAsync(kernel, subkernel, cell, budget, budget < limits.PerCell);
                }
                catch (KernelUnavailableException e)
                {
                    outcome = new CellOutcome(new CellOutputs(), e.Message);
                    outcome.Outputs.Add(new CommandFailed(e.Message, new SubmitCode(cell.Contents)));
                }
                if (kernelStart is null)
                {
                    kernelStart = total.Elapsed; // kernel process start (or what was left of it), kernel ready and the first cell
                    firstCellRun?.Invoke();
                }

                cell.Outputs.Clear();
                foreach (var output in outcome.Outputs.Outputs) cell.Outputs.Add(Scrub(scrubber, output));
                outcome.Outputs.SetExecutionCount(executionCount);
                cell.ExecutionOrder = executionCount;

                bool goOn = outcome.Error is not null && ContinuePastExercises && Exercises.IsExercise(cell) && kernel is { Exited.IsCompleted: false };
                if (outcome.Error is { } error && !goOn)
                {
                    return new NotebookResult(path, document, liveBefore, executionCount, kernelStart.Value, total.Elapsed,
                        new CellFailure(i + 1, Head(cell.Contents), scrubber.Scrub(error))) { Regraded = regraded };
                }
                // Right after the last exercise, while what the exercises read is still open (a later cell may close it).
                if (i == lastExercise && kernel is not null && await RegradeAsync(kernel) is { } failure)
                {
                    return new NotebookResult(path, document, liveBefore, executionCount, kernelStart.Value, total.Elapsed, failure) { Regraded = regraded };
                }
            }
            return new NotebookResult(path, document, liveBefore, executionCount, kernelStart ?? total.Elapsed, total.Elapsed, null) { Regraded = regraded };
        }
        finally
        {
            kernel?.Dispose();
            if (started is not null) await KernelPrestart.DisposeAsync(started); // never reached a code cell
        }
    }

    private sealed record CellOutcome(CellOutputs Outputs, string? Error);

    private async Task<CellOutcome> RunCellAsync(KernelProcess kernel, Kernel subkernel, InteractiveDocumentElement cell, TimeSpan budget, bool notebookLimit)
    {
        var outputs = new CellOutputs();
        using var subscription = subkernel.KernelEvents.Subscribe(e =>
        {
            lock (outputs) outputs.Add(e);
        });

        var submission = subkernel.SendAsync(new SubmitCode(cell.Contents));
        var timeUp = Task.Delay(budget > TimeSpan.Zero ? budget : TimeSpan.Zero);
        var first = await Task.WhenAny(submission, kernel.Exited, timeUp);
        if (first == submission)
        {
            await submission;
            lock (outputs) return new CellOutcome(outputs, outputs.Failure);
        }

        string message;
        if (first == kernel.Exited)
        {
            message = "The kernel process ended while the cell ran.";
        }
        else
        {
            // Cancellation would be only a request, which a busy loop or a blocked call never sees; the
            // notebook stops here anyway, so its kernel ends now, with everything the cell started.
            kernel.Kill();
            var limit = notebookLimit ? $"the notebook's time limit ({limits.PerNotebook.TotalSeconds:0} s)" : $"the cell time limit ({limits.PerCell.TotalSeconds:0} s)";
            message = $"Stopped: the cell ran past {limit}; its kernel process was ended.";
        }
        lock (outputs)
        {
            outputs.Add(new CommandFailed(message, new SubmitCode(cell.Contents)));
            return new CellOutcome(outputs, message);
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

    private static string KernelName(InteractiveDocumentElement cell) => cell.KernelName ?? NotebookFile.CSharpKernelName;

    private static bool IsCode(InteractiveDocumentElement cell) =>
        cell.KernelName is not null && cell.KernelName != "markdown";

    private static string Head(string code)
    {
        var lines = code.Split('\n').Select(l => l.TrimEnd()).Where(l => l.Length > 0).Take(3).ToList();
        return string.Join("\n", lines) + (code.Split('\n').Length > 3 ? "\n…" : "");
    }
}

internal sealed record CellProgress(int Cell, int Cells, TimeSpan Elapsed);
