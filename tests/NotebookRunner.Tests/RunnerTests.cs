using System.Text.Json;
using System.Text.Json.Nodes;

namespace NotebookRunner.Tests;

/// <summary>The runner, started as a process exactly as the README runs it.</summary>
[Trait("Category", TestCategory.Processes)]
public class RunnerTests
{
    [Fact]
    public void A_failing_cell_fails_the_run_and_the_report_names_it()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("broken.ipynb"),
            "var fine = 1;",
            "// the second code cell\nthrow new InvalidOperationException(\"the kernel said no\");",
            "var never = 3;");
        var before = File.ReadAllText(path);

        var run = Processes.RunRunner(path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("FAILED artifacts/test-scratch/", run.StdErr);
        Assert.Contains("broken.ipynb, cell 3:", run.StdErr); // cell 1 is markdown
        Assert.Contains("| // the second code cell", run.StdErr);
        Assert.Contains("the kernel said no", run.StdErr);
        Assert.Contains("0 passed, 1 failed", run.StdErr);
        Assert.Equal(before, File.ReadAllText(path)); // a failed notebook is not half-written
    }

    [Fact]
    public void Outputs_are_written_back_and_sources_and_metadata_stay_byte_for_byte()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("ok.ipynb"),
            "Console.WriteLine(\"to stdout\");\n\"returned\"",
            "display(\"first\");\ndisplay(\"second\");");
        var before = File.ReadAllText(path);

        var run = Processes.RunRunner(path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var after = File.ReadAllText(path);
        Assert.NotEqual(before, after);
        Assert.Equal(WithoutOutputs(before), WithoutOutputs(after));

        var cells = JsonNode.Parse(after)!["cells"]!.AsArray();
        Assert.Equal(1, (int)cells[1]!["execution_count"]!);
        Assert.Equal(2, (int)cells[2]!["execution_count"]!);
        var firstOutputs = cells[1]!["outputs"]!.AsArray();
        Assert.Equal("stream", (string)firstOutputs[0]!["output_type"]!);
        Assert.Equal("execute_result", (string)firstOutputs[1]!["output_type"]!);
        Assert.Equal(2, cells[2]!["outputs"]!.AsArray().Count);
    }

    [Fact]
    public void Check_mode_executes_without_writing()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("check.ipynb"), "1 + 1");
        var before = File.ReadAllText(path);

        var run = Processes.RunRunner("--check", path);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("1 cells, checked", run.StdErr);
        Assert.Equal(before, File.ReadAllText(path));
    }

    [Fact]
    public void A_proof_that_does_not_hold_fails_its_cell_instead_of_showing_a_cross()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("proof.ipynb"),
            TestNotebooks.SetupCell,
            "using NetIpc.Harness;\nusing NetIpc.Notebooks.Tables;\n"
            + "new ProofCheck[] { new(\"the first segment is a SYN\", true, \"SYN seen\"), new(\"the server answers SYN-ACK\", false, \"no SYN-ACK captured\") }.RequireAll().ToDataFrame()",
            "var after = 1;");

        var run = Processes.RunRunner("--check", path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("proof.ipynb, cell 3:", run.StdErr);
        Assert.Contains("✗ the server answers SYN-ACK — seen: no SYN-ACK captured", run.StdErr);
        Assert.DoesNotContain("the first segment is a SYN —", run.StdErr);
        Assert.Contains("0 passed, 1 failed", run.StdErr);
    }

    [Fact]
    public void A_hanging_cell_is_stopped_by_the_cell_time_limit()
    {
        using var scratch = CourseLayout.Scratch();
        var busy = TestNotebooks.Write(scratch.File("1-busy.ipynb"), "while (true) { }");
        var asleep = TestNotebooks.Write(scratch.File("2-asleep.ipynb"), "System.Threading.Thread.Sleep(-1);");
        var fine = TestNotebooks.Write(scratch.File("3-fine.ipynb"), "40 + 2");

        // Generous enough that the third notebook's first cell, which warms up the compiler of a fresh
        // kernel process, fits on a busy machine.
        var run = Processes.RunRunner("--cell-timeout", "20", busy, asleep, fine);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("1 passed, 2 failed", run.StdErr);
        Assert.Contains("1-busy.ipynb, cell 2:", run.StdErr);
        Assert.Contains("2-asleep.ipynb, cell 2:", run.StdErr);
        Assert.Contains("Stopped: the cell ran past the cell time limit (20 s)", run.StdErr);
        // Two stopped cells cost their limit and three kernel starts, not forever.
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(120), run.ToString());
    }

    [Fact]
    public void The_notebook_time_limit_spans_its_cells()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("slow.ipynb"),
            "await Task.Delay(1500);", "await Task.Delay(1500);", "await Task.Delay(1500);", "await Task.Delay(1500);");

        var run = Processes.RunRunner("--notebook-timeout", "4", path);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("the notebook's time limit (4 s)", run.StdErr);
    }

    [Fact]
    public void A_second_run_without_changes_leaves_the_file_identical()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("stable.ipynb"),
            TestNotebooks.SetupCell,
            "using Microsoft.Data.Analysis;\nnew DataFrame(new Int32DataFrameColumn(\"n\", new[] { 1, 2, 3 }))",
            "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 2, 4, 8 })",
            "display(Guid.NewGuid()); Guid.NewGuid().ToString(\"N\")");

        var first = Processes.RunRunner(path);
        var afterFirst = File.ReadAllText(path);
        var second = Processes.RunRunner(path);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(afterFirst, File.ReadAllText(path));
    }

    [Fact]
    public void Tables_render_as_html_charts_as_a_plotly_figure_with_a_still_and_local_paths_are_scrubbed()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("render.ipynb"),
            TestNotebooks.SetupCell,
            "using Microsoft.Data.Analysis;\nnew DataFrame(new StringDataFrameColumn(\"word\", new[] { \"socket\", \"bind\" }))",
            "Plotly.NET.CSharp.Chart.Column<int, string, string>(values: new[] { 3, 5 }, Keys: new[] { \"a\", \"b\" })",
            "System.IO.Directory.GetCurrentDirectory()");

        var run = Processes.RunRunner(path);

        Assert.True(run.ExitCode == 0, run.ToString());
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        var table = Html(cells[2]!);
        Assert.StartsWith("<table id=\"table_", table);
        Assert.Contains("<td>socket</td>", table);
        var chart = cells[3]!["outputs"]![0]!["data"]!.AsObject();
        // The figure itself as a JSON object (what VS Code's and JupyterLab's renderers draw), a PNG still for
        // GitHub and nbconvert, one line of text, and no HTML: that is what loaded plotly.js from a CDN.
        Assert.Equal(["application/vnd.plotly.v1+json", "image/png", "text/plain"], chart.Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal("bar", (string)chart["application/vnd.plotly.v1+json"]!["data"]![0]!["type"]!);
        var png = Convert.FromBase64String((string)chart["image/png"]!);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(png, 1, 3));
        Assert.DoesNotContain("cdn.plot.ly", File.ReadAllText(path));

        var cwd = string.Concat(cells[4]!["outputs"]![0]!["data"]!["text/plain"]!.AsArray().Select(l => (string)l!));
        Assert.StartsWith("<course>/artifacts/test-scratch/", cwd); // the notebook's folder, without this machine's path
        var outputs = string.Join("\n", cells.Select(c => c!["outputs"]?.ToJsonString()));
        Assert.DoesNotContain(CourseLayout.Root, outputs);
    }

    [Fact]
    public void Writing_without_a_browser_says_what_to_install_and_no_stills_writes_the_charts_without_one()
    {
        using var scratch = CourseLayout.Scratch();
        var path = TestNotebooks.Write(scratch.File("chart.ipynb"),
            TestNotebooks.SetupCell,
            "Plotly.NET.CSharp.Chart.Column<int, string, string>(values: new[] { 3, 5 }, Keys: new[] { \"a\", \"b\" })");
        string before = File.ReadAllText(path);
        ProcessResult RunWithoutBrowser(params string[] arguments) => Processes.Run("env",
            ["NETIPC_CHROMIUM=/nonexistent/chromium", "dotnet", CourseLayout.RunnerDll, .. arguments], CourseLayout.Root, TimeSpan.FromMinutes(5));

        var refused = RunWithoutBrowser(path);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("apt-get install chromium", refused.StdErr);
        Assert.Contains("--no-stills", refused.StdErr);
        Assert.Equal(before, File.ReadAllText(path));

        var written = RunWithoutBrowser("--no-stills", path);
        Assert.True(written.ExitCode == 0, written.ToString());
        var cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray();
        var chart = cells[cells.Count - 1]!["outputs"]![0]!["data"]!.AsObject();
        Assert.Equal(["application/vnd.plotly.v1+json", "text/plain"], chart.Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Bad_input_is_named()
    {
        using var scratch = CourseLayout.Scratch();
        var missing = Processes.RunRunner(scratch.File("nope.ipynb"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("No such notebook or folder", missing.StdErr);

        foreach (var limit in new[] { "abc", "0" })
        {
            var bad = Processes.RunRunner("--cell-timeout", limit, scratch.Path);
            Assert.True(bad.ExitCode == 2, bad.ToString());
            Assert.Contains("--cell-timeout", bad.StdErr);
            Assert.DoesNotContain("Unhandled exception", bad.StdErr);
        }

        File.WriteAllText(scratch.File("garbage.ipynb"), "{ \"cells\": [ oops");
        var garbage = Processes.RunRunner(scratch.File("garbage.ipynb"));
        Assert.Equal(2, garbage.ExitCode);
        Assert.Contains("garbage.ipynb: not a readable notebook", garbage.StdErr);
    }

    private static string Html(JsonNode cell) =>
        string.Concat(cell["outputs"]!.AsArray()
            .Select(o => o!["data"]?["text/html"])
            .First(h => h is not null)!.AsArray().Select(l => (string)l!));

    /// <summary>The file with every cell's outputs and execution count removed, everything else as written.</summary>
    private static string WithoutOutputs(string json)
    {
        var node = JsonNode.Parse(json)!;
        foreach (var cell in node["cells"]!.AsArray())
        {
            var o = cell!.AsObject();
            o.Remove("outputs");
            o.Remove("execution_count");
        }
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
