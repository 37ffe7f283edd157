using System.Text.Json;
using PuppeteerSharp;

namespace CourseSite.Tests;

/// <summary>What a chapter page must show, counted from its notebook's JSON independently of the builder.</summary>
internal sealed record ExpectedPage(string Page, int Charts, int OldCharts);

/// <summary>Where a drawn chart lies on its page, in CSS pixels; the title's box and the plot's top are relative to the chart's svg.</summary>
internal sealed record ChartGeometry(string Id, double Column, double Width, double Height, double? TitleLeft, double? TitleRight, double? TitleTop, double? TitleBottom, double? PlotTop);

/// <summary>
/// Opens every page of a built site in headless Chromium from file://, refusing every request outside the
/// site's folder, and lists what is wrong: blocked requests, console errors and page errors, charts that did
/// not draw, images that did not load, charts narrower or wider than the column, titles cut or running into the plot.
/// </summary>
internal static class SitePages
{
    /// <summary>The viewport every page is opened in: wider than the column, which the stylesheet caps at 60rem.</summary>
    public const int ViewportWidth = 1200;

    // The column is main's content box; plotly.js draws into svg.main-svg and puts the title (text.gtitle) in a
    // second svg of the same size on top; rect.nsewdrag is the plot area's drag surface.
    private const string GeometryScript = """
        () => {
          const main = document.querySelector('main'), style = getComputedStyle(main);
          const column = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
          return [...document.querySelectorAll('figure.chart.drawn')].map(f => {
            const svg = f.querySelector('svg.main-svg').getBoundingClientRect();
            const title = f.querySelector('text.gtitle'), plot = f.querySelector('rect.nsewdrag');
            const t = title && title.textContent.trim() ? title.getBoundingClientRect() : null;
            return {
              id: f.id, column, width: svg.width, height: svg.height,
              titleLeft: t && t.left - svg.left, titleRight: t && t.right - svg.left,
              titleTop: t && t.top - svg.top, titleBottom: t && t.bottom - svg.top,
              plotTop: plot && plot.getBoundingClientRect().top - svg.top,
            };
          });
        }
        """;

    /// <summary>Every drawn chart of the open page.</summary>
    public static Task<ChartGeometry[]> GeometryAsync(IPage page) => page.EvaluateFunctionAsync<ChartGeometry[]>(GeometryScript);

    /// <summary>What is wrong with a drawn chart's size and title: it must take the column's width, and its title fit above the plot.</summary>
    public static IEnumerable<string> Problems(ChartGeometry chart)
    {
        if (Math.Abs(chart.Width - chart.Column) > 2)
        {
            yield return $"{chart.Id}: drawn {chart.Width:0} px wide in a {chart.Column:0} px column";
        }
        if (chart.TitleLeft < 0 || chart.TitleRight > chart.Width || chart.TitleTop < 0)
        {
            yield return $"{chart.Id}: title cut: it spans {chart.TitleLeft:0}–{chart.TitleRight:0} px across, from {chart.TitleTop:0} px down, in a {chart.Width:0} px figure";
        }
        if (chart.TitleBottom > chart.PlotTop)
        {
            yield return $"{chart.Id}: title reaches {chart.TitleBottom:0} px down, into the plot starting at {chart.PlotTop:0} px";
        }
    }

    /// <summary>Every chart output of every notebook in the folder, by the page the site gives it.</summary>
    public static List<ExpectedPage> Expected(string notebooksFolder) =>
        Directory.GetFiles(notebooksFolder, "*.ipynb").Order(StringComparer.Ordinal).Select(path =>
        {
            using var notebook = JsonDocument.Parse(File.ReadAllBytes(path));
            int charts = 0, old = 0;
            foreach (var cell in notebook.RootElement.GetProperty("cells").EnumerateArray())
            {
                if (!cell.TryGetProperty("outputs", out var outputs)) continue;
                foreach (var output in outputs.EnumerateArray())
                {
                    if (!output.TryGetProperty("data", out var data)) continue;
                    if (data.TryGetProperty("application/vnd.plotly.v1+json", out _)) charts++;
                    else if (data.TryGetProperty("text/html", out var html) && html.GetRawText().Contains("cdn.plot.ly", StringComparison.Ordinal)) old++;
                }
            }
            return new ExpectedPage(Path.GetFileNameWithoutExtension(path) + ".html", charts, old);
        }).ToList();

    public static async Task<List<string>> ProblemsAsync(IBrowser browser, string site, IReadOnlyList<ExpectedPage> expected, string screenshots)
    {
        var problems = new List<string>();
        string siteUrl = new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(site)) + "/").AbsoluteUri;
        var pages = Directory.GetFiles(site, "*.html").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var missing = expected.Select(e => e.Page).Except(pages!).ToList();
        if (missing.Count > 0) problems.Add($"pages missing from the site: {string.Join(", ", missing)}");
        Directory.CreateDirectory(screenshots);

        foreach (string name in pages!)
        {
            var want = expected.SingleOrDefault(e => e.Page == name) ?? new ExpectedPage(name!, 0, 0);
            var blocked = new List<string>();
            var errors = new List<string>();
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = ViewportWidth, Height = 900 });
            await page.SetRequestInterceptionAsync(true);
            page.Request += async (_, e) =>
            {
                string url = e.Request.Url;
                if (url.StartsWith("data:", StringComparison.Ordinal) || url.StartsWith(siteUrl, StringComparison.Ordinal))
                {
                    await e.Request.ContinueAsync();
                }
                else
                {
                    lock (blocked) blocked.Add(url);
                    await e.Request.AbortAsync();
                }
            };
            page.Console += (_, e) =>
            {
                if (e.Message.Type == ConsoleType.Error) lock (errors) errors.Add($"console: {e.Message.Text}");
            };
            page.PageError += (_, e) => { lock (errors) errors.Add($"page error: {e.Message}"); };

            await page.GoToAsync(siteUrl + name, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
            try
            {
                // Plotly.newPlot finishes after the load event; every chart ends drawn or failed.
                await page.WaitForFunctionAsync(
                    "() => [...document.querySelectorAll('figure.chart')].every(f => f.classList.contains('drawn') || f.classList.contains('failed'))",
                    new WaitForFunctionOptions { Timeout = 30_000 });
            }
            catch (WaitTaskTimeoutException)
            {
                problems.Add($"{name}: charts still drawing after 30 s");
            }
            int drawn = await page.EvaluateExpressionAsync<int>(
                "[...document.querySelectorAll('.js-plotly-plot')].filter(p => p.querySelector('svg.main-svg')).length");
            int notes = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('.chart-unavailable').length");
            int doubled = await page.EvaluateExpressionAsync<int>(
                "[...document.querySelectorAll('figure.chart.drawn .still')].filter(s => s.offsetWidth > 0).length");
            string[] brokenImages = await page.EvaluateExpressionAsync<string[]>(
                "[...document.images].filter(i => !i.complete || i.naturalWidth === 0).map(i => i.getAttribute('src'))");
            var geometry = await GeometryAsync(page);
            await page.ScreenshotAsync(Path.Combine(screenshots, Path.GetFileNameWithoutExtension(name) + ".png"), new ScreenshotOptions { FullPage = true });

            if (drawn != want.Charts) problems.Add($"{name}: {drawn} charts drawn, the notebook has {want.Charts}");
            if (notes != want.OldCharts) problems.Add($"{name}: {notes} 'chart not available' notes, the notebook has {want.OldCharts} old chart outputs");
            if (doubled > 0) problems.Add($"{name}: {doubled} stills still shown beside their drawn charts");
            problems.AddRange(brokenImages.Select(src => $"{name}: image did not load: {src}"));
            problems.AddRange(geometry.SelectMany(Problems).Select(problem => $"{name}: {problem}"));
            lock (blocked) problems.AddRange(blocked.Select(url => $"{name}: request outside the site blocked: {url}"));
            lock (errors) problems.AddRange(errors.Select(error => $"{name}: {error}"));
        }
        return problems;
    }
}
