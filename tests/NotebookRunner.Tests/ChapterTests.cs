using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>Every chapter of the course, executed and inspected.</summary>
[Collection(WholeCourse.Collection)]
public partial class ChapterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static IEnumerable<string> Chapters => Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>
    /// The course as a fresh clone runs it: every chapter without an error, and every exercise, with its
    /// placeholders, "not answered" — graded, so the grader's view of a fresh clone is checked too.
    /// </summary>
    [Fact, Trait("Category", WholeCourse.Category)]
    public void Every_chapter_executes_headlessly_without_errors_and_every_exercise_is_unanswered()
    {
        var run = GradedCourse.Run;
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{Chapters.Count()} passed, 0 failed", run.StdErr);
        var total = GradedCourse.TotalFor("AsWritten", run);
        Assert.True(total.Exercises >= 20, run.StdErr);
        Assert.Equal((0, 0, total.Exercises, 0), (total.Correct, total.Wrong, total.NotAnswered, total.NotChecked));
    }

    /// <summary>
    /// A recording where the experiment could have run live is a regression that passes every other test: the
    /// chapter still runs, only its outputs turn into a recording. Where this process has every capability the
    /// chapters probe for, the run that graded the course may show a recording only in the cells the committed
    /// chapters show one in (what is recorded everywhere: a benchmark that takes minutes). Elsewhere those cells
    /// must be recorded at least, and the others are listed.
    /// </summary>
    [Fact, Trait("Category", WholeCourse.Category)]
    public void With_every_capability_no_cell_shows_a_recording_beyond_those_recorded_everywhere()
    {
        var run = GradedCourse.Run;
        Assert.True(run.ExitCode == 0, run.ToString());
        var everywhere = CourseCopy.RecordedCellsIn(CourseLayout.Notebooks).Select(c => (c.Notebook, c.Cell)).ToList();
        var recorded = GradedCourse.RecordedCells(run);
        var stale = everywhere.Except(recorded).ToList();
        Assert.True(stale.Count == 0, "cells the committed chapters show recorded ran live here; regenerate the outputs (./run-course): "
            + string.Join(", ", stale.Select(c => $"{c.Notebook} cell {c.Cell + 1}")));
        var beyond = recorded.Except(everywhere).ToList();
        string listed = string.Join(", ", beyond.Select(c => $"{c.Notebook} cell {c.Cell + 1}"));
        if (GradedCourse.MissingCapabilities is { } missing)
        {
            output.WriteLine($"{beyond.Count} cells recorded here beyond those recorded everywhere ({listed}); this process lacks {missing}");
            return;
        }
        Assert.True(beyond.Count == 0, $"every capability is here, yet {beyond.Count} cells showed a recording beyond those recorded everywhere: {listed}\n{run.StdErr}");
    }

    [GeneratedRegex(@"^\d\d-[a-z0-9-]+\.ipynb$")]
    private static partial Regex ChapterName();

    [Fact]
    public void Chapters_are_numbered_carry_polyglot_metadata_and_start_with_the_shared_setup()
    {
        Assert.NotEmpty(Chapters);
        foreach (var path in Chapters)
        {
            var name = Path.GetFileName(path);
            Assert.Matches(ChapterName(), name);
            var notebook = JsonNode.Parse(File.ReadAllText(path))!;
            Assert.Equal(".net-csharp", (string?)notebook["metadata"]!["kernelspec"]!["name"]);
            Assert.Equal("csharp", (string?)notebook["metadata"]!["polyglot_notebook"]!["kernelInfo"]!["defaultKernelName"]);

            var code = notebook["cells"]!.AsArray().Where(c => (string)c!["cell_type"]! == "code").ToList();
            Assert.All(code, c => Assert.Equal("csharp", (string?)c!["metadata"]!["polyglot_notebook"]!["kernelName"]));
            var first = string.Concat(code[0]!["source"]!.AsArray().Select(l => (string)l!));
            Assert.StartsWith("#r \"../artifacts/bin/NetIpc.Notebooks/debug/NetIpc.Notebooks.dll\"", first);
            Assert.Contains("Chapter.Setup()", first);
            Assert.All(code, c => Assert.True(c!["execution_count"] is JsonValue,
                $"{name}: a code cell was never executed; run ./run-course and commit the outputs"));
        }
    }

    [Fact, Trait("Category", TestCategory.Processes)]
    public void Chapters_are_valid_nbformat_4()
    {
        // Without the validator every chapter would "fail validation" with an ImportError; say what is missing instead.
        var validator = File.Exists("/usr/bin/python3")
            ? Processes.Run("/usr/bin/python3", ["-c", "import nbformat"], CourseLayout.Root, TimeSpan.FromMinutes(1))
            : null;
        Assert.True(validator is { ExitCode: 0 },
            "The notebook validator is missing: Debian's python3-nbformat (for /usr/bin/python3). ./run-course installs it " +
            "when run as root (tools/setup.sh); otherwise run: sudo apt-get install -y python3-nbformat");
        foreach (var path in Chapters)
        {
            var result = Processes.Run("/usr/bin/python3",
                ["-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path],
                CourseLayout.Root, TimeSpan.FromMinutes(1));
            Assert.True(result.ExitCode == 0,
                $"{Path.GetFileName(path)} is not valid nbformat 4 (the validator is Debian's python3-nbformat):\n{result}");
        }
    }

    [Fact]
    public void Committed_outputs_name_no_path_of_a_machine()
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        foreach (var path in Chapters)
        {
            var outputs = string.Join("\n", JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Select(c => c!["outputs"]?.ToJsonString()));
            Assert.DoesNotContain(CourseLayout.Root, outputs);
            Assert.DoesNotContain(home + "/", outputs);
        }
    }
}
