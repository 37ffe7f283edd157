using System.Text.RegularExpressions;
using NetIpc.Isolation;

namespace NotebookRunner.Tests;

/// <summary>
/// Every chapter run once by the grader, as a fresh clone has it, its exercise cells run again in the same kernel,
/// right after the last of them, with the solutions and with the wrong answers (the runner's repeated --answers): three grades for the
/// price of one run of the course. The tests of <see cref="ChapterTests"/> and <see cref="ExerciseTests"/> each
/// read their part of the one report.
/// </summary>
internal static partial class GradedCourse
{
    private static readonly Lazy<ProcessResult> run = new(() => Processes.Run("dotnet",
        [CourseLayout.RunnerDll, "--grade", "--answers", "AsWritten", "--answers", "Solutions", "--answers", "Wrong", CourseLayout.Notebooks],
        CourseLayout.Root, TimeSpan.FromMinutes(20)));

    public static ProcessResult Run => run.Value;

    public static int ChapterCount => Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Count();

    public sealed record Total(int Exercises, int Correct, int Wrong, int NotAnswered, int NotChecked);

    [GeneratedRegex(@"^Exercises(?: \(answers from solutions/: (\w+)\))?\r?\n(?:.*\r?\n)*?Total: (\d+) exercises: (\d+) correct, (\d+) wrong, (\d+) not answered, (\d+) not checked", RegexOptions.Multiline)]
    private static partial Regex GradeBlock();

    /// <summary>The total the report gives for one set of answers ("AsWritten", "Solutions", "Wrong").</summary>
    public static Total TotalFor(string answers, ProcessResult run)
    {
        var block = GradeBlock().Matches(run.StdErr).SingleOrDefault(m => (m.Groups[1].Success ? m.Groups[1].Value : "AsWritten") == answers);
        Assert.True(block is not null, $"no grade total for the answers {answers} in the runner's report:\n{run}");
        int N(int group) => int.Parse(block.Groups[group].Value);
        return new(N(2), N(3), N(4), N(5), N(6));
    }

    [GeneratedRegex(@"^Cells showing a recording: (\d+)\r?\n((?:  .*\r?\n)*)", RegexOptions.Multiline)]
    private static partial Regex RecordedSection();

    /// <summary>The cells the report says showed a recording, as (notebook file, index among all cells).</summary>
    public static IReadOnlyList<(string Notebook, int Cell)> RecordedCells(ProcessResult run)
    {
        var section = RecordedSection().Match(run.StdErr);
        Assert.True(section.Success, $"no list of recorded cells in the runner's report:\n{run}");
        var cells = new List<(string, int)>();
        string notebook = "";
        foreach (var line in section.Groups[2].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Regex.Match(line, @"^    cell (\d+):") is { Success: true } cell) cells.Add((notebook, int.Parse(cell.Groups[1].Value) - 1));
            else notebook = Path.GetFileName(line.Trim());
        }
        Assert.Equal(int.Parse(section.Groups[1].Value), cells.Count);
        return cells;
    }

    /// <summary>Whether this process may do everything the chapters may need: asked of the probes the chapters use, never of the uid.</summary>
    public static string? MissingCapabilities =>
        Capabilities.Here.Where(p => !p.Allowed).Select(p => $"{p.Capability}: {p.Outcome}").ToList() is { Count: > 0 } missing
            ? string.Join("; ", missing) : null;
}
