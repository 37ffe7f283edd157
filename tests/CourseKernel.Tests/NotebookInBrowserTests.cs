using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using PuppeteerSharp;
using Stills;

namespace CourseKernel.Tests;

/// <summary>
/// Chapter 00 in Debian's Jupyter Notebook (classic Notebook 6), in a headless Chromium: run all cells and
/// check, in the page, that the environment table and the chart are drawn. The chart needs the
/// course-plotly extension the kernelspec install adds (Notebook 6 has no Plotly renderer) and nothing
/// from the network: every request that leaves the machine is refused and reported.
/// </summary>
[Trait("Category", TestCategory.Processes)]
public class NotebookInBrowserTests
{
    private static readonly TimeSpan ServerStart = TimeSpan.FromSeconds(60), RunAll = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Jupyter_Notebook_runs_chapter_00_and_draws_the_environment_table_and_the_chart()
    {
        string notebookServer = Course.Tool("jupyter-notebook", "jupyter-notebook");
        if (Chromium.Find() is null) Assert.Fail($"no Chromium on this machine: {Chromium.InstallHint}");
        using var scratch = Course.Scratch();
        var environment = Course.InstallKernelSpec(Path.Combine(scratch.Path, "prefix"));

        // A copy, so that the server's autosave never touches the committed notebook; beside it, the
        // course's artifacts folder, which the setup cell's #r "../artifacts/…" expects.
        string root = Path.Combine(scratch.Path, "course");
        Directory.CreateDirectory(Path.Combine(root, "notebooks"));
        File.Copy(Path.Combine(Course.Notebooks, "00-start-here.ipynb"), Path.Combine(root, "notebooks", "00-start-here.ipynb"));
        Directory.CreateSymbolicLink(Path.Combine(root, "artifacts"), Path.Combine(Course.Root, "artifacts"));

        int port = FreePort();
        string token = Guid.NewGuid().ToString("N");
        var info = new ProcessStartInfo(notebookServer) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0", $"--NotebookApp.token={token}", $"--notebook-dir={root}", "--allow-root" })
            info.ArgumentList.Add(a);
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var log = new ConcurrentQueue<string>();
        using var server = Process.Start(info)!;
        server.OutputDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        server.ErrorDataReceived += (_, e) => { if (e.Data is not null) log.Enqueue(e.Data); };
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            string baseUrl = $"http://127.0.0.1:{port}";
            await WaitForServerAsync($"{baseUrl}/api/kernelspecs?token={token}", server, log);

            await using var browser = await Chromium.LaunchAsync();
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
            var offHost = new ConcurrentBag<string>();
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                if (Uri.TryCreate(e.Request.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" && uri.Host != "127.0.0.1")
                {
                    offHost.Add(e.Request.Url);
                    await e.Request.AbortAsync();
                }
                else await e.Request.ContinueAsync();
            };

            await page.GoToAsync($"{baseUrl}/notebooks/notebooks/00-start-here.ipynb?token={token}", new NavigationOptions { Timeout = 60_000 });
            await page.WaitForFunctionAsync(
                "() => window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel && Jupyter.notebook.kernel.is_connected()",
                new WaitForFunctionOptions { Timeout = 120_000, PollingInterval = 500 });
            Assert.Equal(".net-csharp", await page.EvaluateExpressionAsync<string>("Jupyter.notebook.kernel.name"));

            // The committed outputs (with their PNG stills) go first, so what is checked was drawn now.
            await page.EvaluateExpressionAsync("Jupyter.notebook.clear_all_output(); Jupyter.notebook.execute_all_cells(); true");
            await page.WaitForFunctionAsync(
                "() => Jupyter.notebook.get_cells().every(c => c.cell_type !== 'code' || typeof c.input_prompt_number === 'number') && Jupyter.notebook.kernel_busy === false",
                new WaitForFunctionOptions { Timeout = (int)RunAll.TotalMilliseconds, PollingInterval = 1000 });

            // Classic Notebook scrolls inside its own container, so a full-page shot shows one screen:
            // the page as left, plus the table's and the chart's cells each in a shot of its own.
            Directory.CreateDirectory(Course.TestResults);
            string screenshot = Path.Combine(Course.TestResults, "notebook-00.png");
            await page.ScreenshotAsync(screenshot, new ScreenshotOptions { FullPage = true });
            var codeCells = await page.QuerySelectorAllAsync(".cell.code_cell");
            if (codeCells.Length > 4)
            {
                await codeCells[1].ScreenshotAsync(Path.Combine(Course.TestResults, "notebook-00-environment-table.png"));
                await codeCells[4].ScreenshotAsync(Path.Combine(Course.TestResults, "notebook-00-chart.png"));
            }

            var errors = await page.EvaluateExpressionAsync<string[]>("Array.from(document.querySelectorAll('.output_error')).map(e => e.innerText.slice(0, 500))");
            Assert.True(errors.Length == 0, "cells failed:\n" + string.Join("\n", errors) + $"\n(screenshot: {screenshot})");
            // The environment report: the second code cell's DataFrame, an HTML table.
            int tableRows = await page.EvaluateExpressionAsync<int>(
                "(() => { const cell = Jupyter.notebook.get_cells().filter(c => c.cell_type === 'code')[1]; const t = cell.output_area.element[0].querySelector('table'); return t ? t.querySelectorAll('tr').length : 0; })()");
            Assert.True(tableRows > 3, $"the environment table was not drawn (rows: {tableRows}); screenshot: {screenshot}");
            // The round-trip chart: plotly.js marks the div it drew into and draws SVG in it.
            int charts = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.output_area .js-plotly-plot .main-svg').length");
            Assert.True(charts > 0, $"no chart was drawn; screenshot: {screenshot}");
            Assert.True(offHost.IsEmpty, "requests left the machine: " + string.Join(", ", offHost));
        }
        finally
        {
            if (!server.HasExited) server.Kill(entireProcessTree: true);
            server.WaitForExit(10_000);
        }
    }

    private static async Task WaitForServerAsync(string url, Process server, ConcurrentQueue<string> log)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < ServerStart)
        {
            if (server.HasExited) Assert.Fail("jupyter-notebook exited:\n" + string.Join("\n", log));
            try
            {
                var response = await http.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    string specs = await response.Content.ReadAsStringAsync();
                    Assert.Contains("\".net-csharp\"", specs);
                    return;
                }
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(500);
        }
        Assert.Fail($"jupyter-notebook did not answer within {ServerStart}:\n" + string.Join("\n", log));
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
