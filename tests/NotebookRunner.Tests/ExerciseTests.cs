using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>
/// The exercises three ways — placeholders (in <see cref="ChapterTests"/>), solutions, wrong answers — and the
/// rules that keep the learner's edition unanswered.
/// </summary>
[Collection(WholeCourse.Collection)]
public partial class ExerciseTests
{
    private static IEnumerable<string> Chapters => Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>The exercise cells filled from solutions/ and run again after their chapter (see <see cref="GradedCourse"/>).</summary>
    [Fact, Trait("Category", WholeCourse.Category)]
    public void With_the_solutions_every_exercise_is_correct()
    {
        var run = GradedCourse.Run;
        Assert.True(run.ExitCode == 0, run.ToString());
        var total = GradedCourse.TotalFor("Solutions", run);
        Assert.True(total.Exercises >= 20, run.StdErr);
        Assert.True(total.Correct == total.Exercises, run.StdErr);
    }

    [Fact, Trait("Category", WholeCourse.Category)]
    public void With_the_wrong_answers_every_exercise_is_wrong_and_every_chapter_still_runs_to_the_end()
    {
        var run = GradedCourse.Run;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{Chapters.Count()} passed, 0 failed", run.StdErr);
        var total = GradedCourse.TotalFor("Wrong", run);
        Assert.True(total.Exercises >= 20, run.StdErr);
        Assert.True(total.Wrong == total.Exercises, run.StdErr);
    }

    [Fact]
    public void The_committed_chapters_hold_no_answer_and_show_not_answered()
    {
        int codeExercises = 0;
        foreach (var path in Chapters)
        {
            string name = Path.GetFileName(path);
            var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
            var exercises = cells.Where(c => c!["metadata"]?["tags"]?.AsArray().Any(t => (string?)t == "exercise") == true).ToList();
            Assert.True(exercises.Count > 0, $"{name} has no cell tagged 'exercise'");
            Assert.True(File.Exists(Path.Combine(CourseLayout.Root, "solutions", Path.ChangeExtension(name, ".md"))), $"{name} has no solutions file");
            foreach (var cell in exercises)
            {
                string source = string.Concat(cell!["source"]!.AsArray().Select(l => (string)l!));
                Assert.Matches(@"^// Exercise \d\d\.\d+ — ", source);
                bool placeholder = Regex.IsMatch(source, @"(= |return )null;") || source.Contains("throw new NotImplementedException()", StringComparison.Ordinal);
                Assert.True(placeholder, $"{name}: an exercise cell holds no placeholder:\n{source}");
                if (source.Contains("NotImplementedException", StringComparison.Ordinal)) codeExercises++;
                string outputs = cell["outputs"]!.ToJsonString();
                Assert.True(outputs.Contains("not answered yet", StringComparison.Ordinal) && !outputs.Contains("✓") && !outputs.Contains("✗"),
                    $"{name}: an exercise cell's committed output is not 'not answered yet': {outputs}");
            }
        }
        Assert.True(codeExercises >= 4, $"only {codeExercises} exercises have the learner write code");
    }

    [Fact, Trait("Category", TestCategory.Processes)]
    public void A_solutions_file_that_does_not_match_the_chapter_is_named()
    {
        using var scratch = new ScratchFolder(Directory.CreateTempSubdirectory("netipc-solutions-").FullName);
        File.WriteAllText(Path.Combine(scratch.Path, "Course.sln"), "");
        Directory.CreateDirectory(Path.Combine(scratch.Path, "solutions"));
        var notebook = TestNotebooks.Write(Path.Combine(scratch.Path, "99-test.ipynb"), TestNotebooks.SetupCell);
        // Tag a cell as an exercise the way the course does.
        var json = JsonNode.Parse(File.ReadAllText(notebook))!;
        var cell = json["cells"]!.AsArray().Last()!;
        cell["metadata"]!["tags"] = new JsonArray("exercise");
        cell["source"] = "// Exercise 99.1 — a test\nint? x = null;";
        File.WriteAllText(notebook, json.ToJsonString());
        File.WriteAllText(Path.Combine(scratch.Path, "solutions", "99-test.md"), "# t\n\n## Exercise 99.1 — a test\n\n```csharp solution\nint? x = 1;\n```\n");

        var run = Processes.Run("dotnet", [CourseLayout.RunnerDll, "--check", "--answers", "Solutions", notebook], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("99-test.md: exercise 99.1 needs a ```csharp solution block and a ```csharp wrong block", run.StdErr);

        File.WriteAllText(Path.Combine(scratch.Path, "solutions", "99-test.md"), "# t\n\n## Exercise 99.2 — another\n\n```csharp solution\nint? x = 1;\n```\n\n```csharp wrong\nint? x = 2;\n```\n");
        run = Processes.Run("dotnet", [CourseLayout.RunnerDll, "--check", "--answers", "Solutions", notebook], scratch.Path, TimeSpan.FromMinutes(2));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("99-test.md: no section '## Exercise 99.1' for the exercise cell in 99-test.ipynb", run.StdErr);
    }
}
