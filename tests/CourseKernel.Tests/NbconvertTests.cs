using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace CourseKernel.Tests;

/// <summary>
/// Jupyter's own client runs the course: `jupyter nbconvert --execute` (nbclient and jupyter_client, from
/// Debian's packages) executes every chapter through the installed kernelspec, chosen by the name in the
/// notebook's metadata alone.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class NbconvertTests
{
    // Chapters take seconds to ~90 s each. Two at a time keeps CI short without crowding a small machine
    // whose chapters time sockets (on 2 shared cores: 252–363 s, against 277 s one after another).
    private const int Parallel = 2;
    private static readonly TimeSpan PerChapter = TimeSpan.FromMinutes(5);

    // It runs the whole course, as the runner's whole-course tests do: --filter "Category!=WholeCourse" leaves it out too.
    [Fact, Trait("Category", TestCategory.WholeCourse)]
    public void Nbconvert_executes_every_chapter_through_the_course_kernelspec_with_the_runners_output_types()
    {
        string jupyter = Course.Tool("jupyter-nbconvert", "jupyter-nbconvert");
        using var scratch = Course.Scratch();
        var environment = Course.InstallKernelSpec(Path.Combine(scratch.Path, "prefix"));
        string output = Path.Combine(scratch.Path, "executed");

        var chapters = Directory.EnumerateFiles(Course.Notebooks, "*.ipynb").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(15, chapters.Count);
        var problems = new ConcurrentBag<string>();
        var times = new ConcurrentDictionary<string, TimeSpan>();
        var watch = Stopwatch.StartNew();
        ProcessResult Execute(string chapter) =>
            // No --ExecutePreprocessor.kernel_name: the notebook's metadata names .net-csharp, and that
            // choice is what is being tested. The cell timeout only bounds the test.
            Course.Run(jupyter,
                ["--execute", "--to", "notebook", "--output-dir", output, "--ExecutePreprocessor.timeout=300", chapter],
                Course.Notebooks, PerChapter, environment);
        var failedOnce = new ConcurrentBag<string>();
        System.Threading.Tasks.Parallel.ForEach(chapters, new ParallelOptions { MaxDegreeOfParallelism = Parallel }, chapter =>
        {
            var run = Execute(chapter);
            times[Path.GetFileName(chapter)] = run.Elapsed;
            if (run.ExitCode != 0)
            {
                Console.WriteLine($"{Path.GetFileName(chapter)} failed; it runs once more:\n{run}");
                failedOnce.Add(chapter);
            }
        });
        // Some chapters check timing claims against the live kernel (09: a FIN acknowledged within
        // TCP_DELACK_MIN), which a loaded machine can miss (other test assemblies run chapters at the
        // same time); a chapter that failed runs once more, and only that run counts.
        foreach (var chapter in failedOnce.Order(StringComparer.Ordinal))
        {
            var run = Execute(chapter);
            times[Path.GetFileName(chapter)] = run.Elapsed;
            if (run.ExitCode != 0) problems.Add($"{Path.GetFileName(chapter)}: nbconvert failed, twice\n{run}");
        }
        foreach (var chapter in chapters.Where(c => File.Exists(Path.Combine(output, Path.GetFileName(c)))))
            foreach (var problem in Compare(Path.GetFileName(chapter), chapter, Path.Combine(output, Path.GetFileName(chapter)))) problems.Add(problem);
        foreach (var (name, time) in times.OrderBy(t => t.Key)) Console.WriteLine($"{name}: {time.TotalSeconds:0.0} s");
        Console.WriteLine($"all chapters through nbconvert: {watch.Elapsed.TotalSeconds:0} s");
        Assert.True(problems.IsEmpty, string.Join("\n\n", problems.OrderBy(p => p)));
    }

    /// <summary>
    /// Jupyter's own client interrupts a cell as every front end does: KernelManager reads the
    /// kernelspec's interrupt_mode ("message") and sends interrupt_request on control. The cell asleep
    /// for good is answered with an error, the next cell runs, and the kernel ends on shutdown.
    /// </summary>
    [Fact]
    public void Jupyter_client_interrupts_a_sleeping_cell_and_the_next_cell_runs()
    {
        Course.Tool("jupyter-nbconvert", "jupyter-nbconvert"); // brings python3-jupyter-client
        using var scratch = Course.Scratch();
        var environment = Course.InstallKernelSpec(Path.Combine(scratch.Path, "prefix"));
        string script = Path.Combine(AppContext.BaseDirectory, "interrupt_with_jupyter_client.py");
        var run = Course.Run("/usr/bin/python3", [script], Course.Notebooks, TimeSpan.FromMinutes(5), environment);
        Assert.True(run.ExitCode == 0, run.ToString());
        Console.WriteLine(run.StdOut);
        var result = JsonNode.Parse(run.StdOut)!;
        Assert.Contains("CourseKernel.dll", result["kernel"]!.ToJsonString());
        Assert.Equal("message", (string?)result["interrupt_mode"]);
        Assert.Equal(true, (bool?)result["sleeping_printed"]);
        Assert.Equal("error", (string?)result["interrupted_status"]);
        Assert.Equal("ok", (string?)result["next_status"]);
        Assert.Equal(false, (bool?)result["alive_after_shutdown"]);
    }

    /// <summary>
    /// Per code cell, the MIME types of its outputs against the committed notebook's, which the course
    /// runner wrote. One difference is expected and removed first: the runner adds an image/png still
    /// beside every chart (application/vnd.plotly.v1+json) when it writes a notebook, for GitHub and
    /// nbconvert's HTML; a live kernel sends the figure and its line of text only.
    /// </summary>
    private static IEnumerable<string> Compare(string name, string committedPath, string executedPath)
    {
        var committed = CodeCells(committedPath);
        var executed = CodeCells(executedPath);
        if (committed.Count != executed.Count)
        {
            yield return $"{name}: {executed.Count} code cells executed, {committed.Count} committed";
            yield break;
        }
        var kernel = JsonNode.Parse(File.ReadAllText(executedPath))!["metadata"]!["kernelspec"]!;
        if ((string?)kernel["name"] != ".net-csharp") yield return $"{name}: ran in kernel {kernel["name"]}";
        for (int i = 0; i < committed.Count; i++)
        {
            var outputs = executed[i]["outputs"]!.AsArray();
            foreach (var error in outputs.Where(o => (string?)o!["output_type"] == "error"))
                yield return $"{name}, code cell {i + 1}: {error!["ename"]}: {error["evalue"]}";
            string want = Types(committed[i], dropStills: true), got = Types(executed[i], dropStills: false);
            if (want != got)
                yield return $"{name}, code cell {i + 1} ({Head(committed[i])}): outputs {got}, the runner's {want}";
        }
    }

    private static List<JsonNode> CodeCells(string path) =>
        JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray().Where(c => (string?)c!["cell_type"] == "code").Select(c => c!).ToList();

    private static string Types(JsonNode cell, bool dropStills) =>
        string.Join(" | ", cell["outputs"]!.AsArray().Select(output =>
        {
            string kind = (string)output!["output_type"]!;
            if (kind == "stream") return $"stream:{output["name"]}";
            if (output["data"] is not JsonObject data) return kind;
            var mimes = data.Select(p => p.Key).Where(m => !(dropStills && m == "image/png" && data.ContainsKey("application/vnd.plotly.v1+json")));
            return $"{kind}[{string.Join(",", mimes.Order(StringComparer.Ordinal))}]";
        }));

    private static string Head(JsonNode cell)
    {
        var source = cell["source"] is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)cell["source"] ?? "";
        return source.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
    }
}
