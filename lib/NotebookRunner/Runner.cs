namespace NotebookRunner;

internal sealed record RunOptions(IReadOnlyList<string> Paths, bool CheckOnly, RunLimits Limits);

internal static class Runner
{
    public const int Success = 0;
    public const int CellsFailed = 1;
    public const int BadInput = 2;

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

        var progress = new ConsoleProgress(notebooks.Count);
        var executor = new NotebookExecutor(options.Limits, progress);
        var failures = new List<NotebookResult>();
        var started = DateTime.UtcNow;
        foreach (var path in notebooks)
        {
            progress.StartNotebook(path);
            NotebookResult result;
            try
            {
                result = await executor.RunAsync(path, OutputScrubber.ForMachine(courseRoot));
            }
            catch (NotebookFormatException e)
            {
                report.WriteLine(e.Message);
                return BadInput;
            }

            bool write = result.Succeeded && !options.CheckOnly;
            if (write) NotebookFile.WriteAtomically(path, NotebookFile.Serialize(result.Document));
            progress.FinishNotebook(result, write);
            if (!result.Succeeded) failures.Add(result);
        }

        report.WriteLine($"{notebooks.Count - failures.Count} passed, {failures.Count} failed ({(DateTime.UtcNow - started).TotalSeconds:0.0} s)");
        foreach (var failed in failures)
        {
            var f = failed.Failure!;
            report.WriteLine();
            report.WriteLine($"FAILED {Path.GetRelativePath(courseRoot, failed.Path)}, cell {f.CellNumber}:");
            foreach (var line in f.CellHead.Split('\n')) report.WriteLine($"    | {line}");
            foreach (var line in f.Error.Split('\n').Take(12)) report.WriteLine($"    {line}");
        }
        return failures.Count == 0 ? Success : CellsFailed;
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
