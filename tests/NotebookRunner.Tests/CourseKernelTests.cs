using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;

namespace NotebookRunner.Tests;

/// <summary>
/// Starts the kernel exactly as .vscode/settings.json tells VS Code to, and talks to it over the
/// same stdio protocol: the proof that a learner's chart cells work.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class CourseKernelTests
{
    [Fact]
    public async Task The_kernel_VS_Code_is_told_to_start_runs_the_setup_cell_and_draws_a_chart()
    {
        var (command, workingDirectory) = LaunchFromVSCodeSettings(notebookFolder: CourseLayout.Notebooks);
        Assert.DoesNotContain(command, a => a.Contains(' ')); // StdIoKernelConnector joins arguments unquoted

        using var connector = new StdIoKernelConnector(command, "course", new Uri("kernel://vscode-settings-test"), new DirectoryInfo(workingDirectory));
        using var csharp = await NotebookRunner.KernelProcess.ConnectAsync(connector, "csharp");

        var setup = await csharp.SendAsync(new SubmitCode(FirstCodeCell("00-start-here.ipynb")));
        AssertSucceeded(setup);

        var chart = await csharp.SendAsync(new SubmitCode(
            "Plotly.NET.CSharp.Chart.Point<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 1, 4, 9 })"));
        AssertSucceeded(chart);
        // What VS Code's renderers draw offline: the figure under Plotly's MIME type, one line of text, no HTML.
        var values = chart.Events.OfType<ReturnValueProduced>().Single().FormattedValues;
        Assert.Equal(["application/vnd.plotly.v1+json", "text/plain"], values.Select(v => v.MimeType).Order(StringComparer.Ordinal));
        using var figure = JsonDocument.Parse(values.Single(v => v.MimeType == "application/vnd.plotly.v1+json").Value);
        Assert.Equal("scatter", figure.RootElement.GetProperty("data")[0].GetProperty("type").GetString());

        var table = await csharp.SendAsync(new SubmitCode("NetIpc.EnvironmentReport.Collect().ToDataFrame()"));
        AssertSucceeded(table);
        Assert.StartsWith("<table id=\"table_", table.Events.OfType<ReturnValueProduced>().Single()
            .FormattedValues.Single(v => v.MimeType == "text/html").Value);
    }

    [Fact]
    public async Task Cells_run_in_the_notebook_folder_and_console_output_stays_off_the_protocol()
    {
        var (command, workingDirectory) = LaunchFromVSCodeSettings(notebookFolder: CourseLayout.Notebooks);
        using var connector = new StdIoKernelConnector(command, "course", new Uri("kernel://vscode-cwd-test"), new DirectoryInfo(workingDirectory));
        using var csharp = await NotebookRunner.KernelProcess.ConnectAsync(connector, "csharp");

        var result = await csharp.SendAsync(new SubmitCode("Console.WriteLine(\"hello from a cell\"); System.IO.Directory.GetCurrentDirectory()"));

        AssertSucceeded(result);
        Assert.Contains(result.Events.OfType<StandardOutputValueProduced>(), e => e.FormattedValues.Any(v => v.Value.Contains("hello from a cell")));
        Assert.Equal(CourseLayout.Notebooks, result.Events.OfType<ReturnValueProduced>().Single().FormattedValues.First().Value);
    }

    /// <summary>
    /// Polyglot Notebooks' Interrupt sends Cancel over this same protocol. A cell asleep for good on the
    /// kernel's thread is woken (it leaves a mark when it is, so the test sees the thread itself freed,
    /// not only the scheduler moving on), and the next cell runs.
    /// </summary>
    [Fact]
    public async Task Polyglots_interrupt_wakes_a_cell_asleep_for_good_and_the_next_cell_runs()
    {
        var limit = TimeSpan.FromSeconds(60);
        var (command, workingDirectory) = LaunchFromVSCodeSettings(notebookFolder: CourseLayout.Notebooks);
        using var connector = new StdIoKernelConnector(command, "course", new Uri("kernel://vscode-interrupt-test"), new DirectoryInfo(workingDirectory));
        using var csharp = await NotebookRunner.KernelProcess.ConnectAsync(connector, "csharp").WaitAsync(limit);
        var printed = new TaskCompletionSource();
        using var events = csharp.KernelEvents.Subscribe(e => { if (e is StandardOutputValueProduced) printed.TrySetResult(); });

        var sleeping = csharp.SendAsync(new SubmitCode("""
            Console.WriteLine("sleeping");
            try { System.Threading.Thread.Sleep(System.Threading.Timeout.Infinite); }
            catch (System.Threading.ThreadInterruptedException) { AppDomain.CurrentDomain.SetData("woken", "yes"); throw; }
            """));
        await printed.Task.WaitAsync(limit);
        await Task.Delay(500);
        Assert.False(sleeping.IsCompleted);

        await csharp.SendAsync(new Cancel()).WaitAsync(limit);
        await sleeping.WaitAsync(limit);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var next = await csharp.SendAsync(new SubmitCode("AppDomain.CurrentDomain.GetData(\"woken\")")).WaitAsync(TimeSpan.FromSeconds(30));
        AssertSucceeded(next);
        // Values cross the process boundary formatted only.
        Assert.Contains(next.Events.OfType<ReturnValueProduced>().Single().FormattedValues, f => f.Value.Contains("yes"));
        Console.WriteLine($"the next cell ran {watch.Elapsed.TotalMilliseconds:0} ms after the cancel");
    }

    private static void AssertSucceeded(Microsoft.DotNet.Interactive.KernelCommandResult result)
    {
        var failures = result.Events.OfType<CommandFailed>().Select(f => f.Message).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Contains(result.Events, e => e is CommandSucceeded);
    }

    internal static string FirstCodeCell(string notebook)
    {
        var cells = JsonNode.Parse(File.ReadAllText(Path.Combine(CourseLayout.Notebooks, notebook)))!["cells"]!.AsArray();
        var first = cells.First(c => (string)c!["cell_type"]! == "code")!;
        return string.Concat(first["source"]!.AsArray().Select(l => (string)l!));
    }

    /// <summary>
    /// The command line and directory VS Code's extension builds from the settings: it replaces
    /// {dotnet_path}, {working_dir} (the notebook's folder) and {global_storage_path}, nothing else.
    /// </summary>
    internal static (string[] Command, string WorkingDirectory) LaunchFromVSCodeSettings(string notebookFolder)
    {
        var json = File.ReadAllText(Path.Combine(CourseLayout.Root, ".vscode", "settings.json"));
        var settings = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        var placeholders = new Dictionary<string, string>
        {
            ["{dotnet_path}"] = "dotnet",
            ["{working_dir}"] = notebookFolder,
            ["{global_storage_path}"] = Path.GetTempPath(),
        };
        string Fill(string template) => placeholders.Aggregate(template, (s, p) => s.Replace(p.Key, p.Value));

        var args = settings["dotnet-interactive.kernelTransportArgs"]!.AsArray().Select(a => Fill((string)a!)).ToArray();
        var cwd = Fill((string)settings["dotnet-interactive.kernelTransportWorkingDirectory"]!);
        // The extension starts the process in cwd; StdIoKernelConnector does too, so a relative path
        // to the kernel resolves the same way in both.
        return (args, cwd);
    }
}
