using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace NotebookRunner.Tests;

/// <summary>Every chapter of the course, executed and inspected.</summary>
[Collection(WholeCourse.Collection)]
public partial class ChapterTests
{
    private static IEnumerable<string> Chapters => Directory.EnumerateFiles(CourseLayout.Notebooks, "*.ipynb").Order(StringComparer.Ordinal);

    /// <summary>
    /// The course as a fresh clone runs it: every chapter without an error, and every exercise, with its
    /// placeholders, "not answered" — graded, so the grader's view of a fresh clone is checked too.
    /// </summary>
    [Fact]
    public void Every_chapter_executes_headlessly_without_errors_and_every_exercise_is_unanswered()
    {
        var run = Processes.RunRunner("--grade", CourseLayout.Notebooks);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"{Chapters.Count()} passed, 0 failed", run.StdErr);
        var total = ExerciseTests.Total(run);
        Assert.True(total.Exercises >= 20, run.StdErr);
        Assert.Equal((0, 0, total.Exercises, 0), (total.Correct, total.Wrong, total.NotAnswered, total.NotChecked));
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

    [Fact]
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
