namespace NotebookRunner;

internal sealed record RunOptions(IReadOnlyList<string> Paths, bool CheckOnly, RunLimits Limits, bool AllowRecorded = false, bool Stills = true,
    Answers Answers = Answers.AsWritten, bool Grade = false)
{
    /// <summary>Other answers than the cells', or grading: the notebooks are run, never written.</summary>
    public bool Writes => !CheckOnly && Answers == Answers.AsWritten && !Grade && Regrade.Count == 0;

    /// <summary>More sets of answers, each graded in the same kernel once the chapter has run with <see cref="Answers"/>.</summary>
    public IReadOnlyList<Answers> Regrade { get; init; } = [];
}

internal static class Runner
{
    public const int Success = 0;
    public const int CellsFailed = 1;
    public const int BadInput = 2;
    /// <summary>Every notebook ran, but some were not written because live outputs would have become recordings.</summary>
    public const int LiveOutputsKept = 3;

    public static async Task<int> RunAsync(RunOptions options, TextWriter report)
    {
        var courseRoot = FindCourseRoot(Environment.CurrentDirectory);
        List<string> notebooks;
        try
        {
            notebooks = Discover(options.Paths.Count > 0 ? options.Paths : [Path.Combine(courseRoot, "notebooks")]);
        }
        catch (FileNotFoundException e)
        {
            report.WriteLine(e.Message);
            return BadInput;
        }
        if (notebooks.Count == 0)
        {
            report.WriteLine("No notebooks (*.ipynb) found.");
            return BadInput;
        }

        bool stillsWanted = options.Stills && options.Writes;
        if (stillsWanted && ChartStillsPass.MissingBrowser() is { } missing)
        {
            report.WriteLine($"{missing} Or pass --no-stills to write outputs without them (GitHub and nbconvert then show no chart).");
            return BadInput;
        }
        await using var stills = new ChartStillsPass();

        var progress = new ConsoleProgress(notebooks.Count, report);
        var executor = new NotebookExecutor(options.Limits, progress)
        {
            Answers = options.Answers,
            CourseRoot = courseRoot,
            ContinuePastExercises = options.Grade,
            Regrade = options.Regrade,
        };
        var exercises = new List<ExerciseOutcome>();
        var regraded = options.Regrade.Distinct().ToDictionary(a => a, _ => new List<ExerciseOutcome>());
        var recorded = new List<(string Path, List<Downgrade> Cells)>();
        var failures = new List<NotebookResult>();
        var refused = new List<(string Path, List<Downgrade> Cells)>();
        var downgraded = new List<(string Path, List<Downgrade> Cells)>();
        var started = DateTime.UtcNow;
        await using var prestart = new KernelPrestart();
        for (int n = 0; n < notebooks.Count; n++)
        {
            var path = notebooks[n];
            progress.StartNotebook(path);
            NotebookResult result;
            Action? startNext = n + 1 < notebooks.Count ? () => prestart.Start(notebooks[n + 1], options.Limits.PerCell) : null;
            try
            {
                result = await executor.RunAsync(path, OutputScrubber.ForMachine(courseRoot), prestart.Take(path), startNext);
            }
            catch (NotebookFormatException e)
            {
                report.WriteLine(e.Message);
                return BadInput;
            }

            exercises.AddRange(Exercises.Read(result));
            foreach (var (answers, document) in result.Regraded) regraded[answers].AddRange(Exercises.Read(path, document));
            if (Provenance.RecordedCells(result.Document) is { Count: > 0 } cells) recorded.Add((path, cells));
            var outcome = NotebookOutcome.Checked;
            if (!result.Succeeded)
            {
                failures.Add(result);
                outcome = NotebookOutcome.Failed;
            }
            else if (options.Writes)
            {
                var downgrades = Provenance.Downgrades(result.LiveBefore, result.Document);
                if (downgrades.Count > 0 && !options.AllowRecorded)
                {
                    refused.Add((path, downgrades));
                    outcome = NotebookOutcome.KeptLive;
                }
                else
                {
                    if (stillsWanted)
                    {
                        await stills.AddToAsync(result.Document);
                    }
                    NotebookFile.WriteAtomically(path, NotebookFile.Serialize(result.Document));
                    if (downgrades.Count > 0) downgraded.Add((path, downgrades));
                    outcome = NotebookOutcome.Written;
                }
            }
            progress.FinishNotebook(result, outcome);
        }

        report.WriteLine($"{notebooks.Count - failures.Count} passed, {failures.Count} failed ({(DateTime.UtcNow - started).TotalSeconds:0.0} s)"
            + (stills.Rendered > 0 ? $"; {stills.Rendered} chart stills rendered in {stills.Spent.TotalSeconds:0.0} s" : ""));
        foreach (var failed in failures)
        {
            var f = failed.Failure!;
            report.WriteLine();
            report.WriteLine($"FAILED {Path.GetRelativePath(courseRoot, failed.Path)}, cell {f.CellNumber}:");
            foreach (var line in f.CellHead.Split('\n')) report.WriteLine($"    | {line}");
            foreach (var line in f.Error.Split('\n').Take(12)) report.WriteLine($"    {line}");
        }
        foreach (var (path, cells) in refused)
        {
            report.WriteLine();
            report.WriteLine($"NOT WRITTEN {Path.GetRelativePath(courseRoot, path)}: live outputs would become recordings in {Cells(cells)}:");
            WriteCells(report, cells);
        }
        if (refused.Count > 0)
        {
            report.WriteLine();
            report.WriteLine("Run where these experiments can run live (as root: sudo -E env \"PATH=$PATH\" ./run-course), or pass --allow-recorded to write the recordings.");
        }
        foreach (var (path, cells) in downgraded)
        {
            report.WriteLine();
            report.WriteLine($"RECORDED {Path.GetRelativePath(courseRoot, path)}: written with --allow-recorded; these cells showed a live run and show a recording now:");
            WriteCells(report, cells);
        }
        if (options.Grade)
        {
            GradeReport.Write(report, exercises, options.Answers);
            foreach (var (answers, outcomes) in regraded) GradeReport.Write(report, outcomes, answers);
            // What a grader sees of the machine: the cells that showed a recording rather than a live run.
            report.WriteLine();
            report.WriteLine($"Cells showing a recording: {recorded.Sum(r => r.Cells.Count)}");
            foreach (var (path, cells) in recorded)
            {
                report.WriteLine($"  {Path.GetRelativePath(courseRoot, path)}");
                WriteCells(report, cells);
            }
        }
        return failures.Count > 0 ? CellsFailed : refused.Count > 0 ? LiveOutputsKept : Success;
    }

    private static string Cells(List<Downgrade> cells) => cells.Count == 1 ? "1 cell" : $"{cells.Count} cells";

    private static void WriteCells(TextWriter report, List<Downgrade> cells)
    {
        foreach (var cell in cells) report.WriteLine($"    cell {cell.CellNumber}: {cell.FirstLine}");
    }

    /// <summary>Files in the order given; a folder contributes its *.ipynb files sorted by name (chapter order).</summary>
    internal static List<string> Discover(IEnumerable<string> paths)
    {
        var found = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
                found.AddRange(Directory.EnumerateFiles(path, "*.ipynb").Order(StringComparer.Ordinal));
            else if (File.Exists(path))
                found.Add(path);
            else
                throw new FileNotFoundException($"No such notebook or folder: {path}");
        }
        return found.Select(Path.GetFullPath).ToList();
    }

    /// <summary>The folder holding Course.sln, searched upwards; outputs name paths relative to it.</summary>
    internal static string FindCourseRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Course.sln"))) return dir.FullName;
        return start;
    }
}
