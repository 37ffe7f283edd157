using CourseSite.Site;
using PuppeteerSharp;
using Stills;

namespace CourseSite.Tests;

[Trait("Category", TestCategory.Processes)]
[Collection(SampleCollection.Name)]
public class SiteInBrowserTests(SampleFixture sample)
{
    [Fact]
    public async Task The_sample_site_draws_every_chart_with_its_own_plotly_js_and_loads_nothing_from_outside()
    {
        var expected = SitePages.Expected(sample.Notebooks);
        // The set must exercise what is checked: charts with and without a still, and an old chart.
        Assert.Equal([(1, 0), (1, 1)], expected.Select(e => (e.Charts, e.OldCharts)));
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            SiteBuilder.Build(sample.Notebooks, site);
            await using var browser = await Chromium.LaunchAsync();
            var problems = await SitePages.ProblemsAsync(browser, site, expected, Path.Combine(Repository.Screenshots, "sample"));
            Assert.Empty(problems);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task A_course_chart_fills_the_column_at_any_width_its_title_fits_and_its_counts_tick_whole()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            SiteBuilder.Build(sample.Notebooks, site);
            await using var browser = await Chromium.LaunchAsync();
            await using var page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = SitePages.ViewportWidth, Height = 900 });
            await page.GoToAsync(new Uri(Path.Combine(site, SampleNotebooks.First + ".html")).AbsoluteUri);
            await page.WaitForFunctionAsync("() => document.querySelector('#chart-1.drawn, #chart-1.failed') !== null");
            var wide = (await SitePages.GeometryAsync(page)).Single(g => g.Id == "chart-1");
            // Wider than the 600 px Plotly.NET writes into a figure by default, or the width check could not tell them apart.
            Assert.InRange(wide.Column, 800, SitePages.ViewportWidth);
            Assert.InRange(wide.Width, wide.Column - 2, wide.Column + 2);
            Assert.NotNull(wide.TitleRight);
            Assert.Empty(SitePages.Problems(wide));

            string[] ticks = await page.EvaluateExpressionAsync<string[]>(
                "[...document.querySelectorAll('#chart-1 .xtick text, #chart-1 .ytick text')].map(t => t.textContent)");
            Assert.True(ticks.Length >= 6, $"both axes ticked: {string.Join(", ", ticks)}");
            Assert.All(ticks, tick => Assert.Matches(@"^\d+$", tick)); // clients and queued connections come whole

            // A narrower window narrows the column, and the chart follows it.
            await page.SetViewportAsync(new ViewPortOptions { Width = 700, Height = 900 });
            await page.WaitForFunctionAsync(
                "() => { const m = document.querySelector('main'), s = getComputedStyle(m);" +
                " const column = m.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);" +
                " return Math.abs(document.querySelector('#chart-1 svg.main-svg').getBoundingClientRect().width - column) <= 2; }",
                new WaitForFunctionOptions { Timeout = 10_000 });
            var narrow = (await SitePages.GeometryAsync(page)).Single(g => g.Id == "chart-1");
            Assert.True(narrow.Column < wide.Column - 200, $"the column narrowed: {wide.Column} → {narrow.Column} px");
            Assert.Empty(SitePages.Problems(narrow));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task The_course_site_opens_every_chapter_cleanly_from_disk()
    {
        string notebooks = Path.Combine(Repository.Root, "notebooks");
        var expected = SitePages.Expected(notebooks);
        // Old chart outputs count as notes until the notebooks are regenerated, then as charts that must draw.
        Assert.True(expected.Sum(e => e.Charts + e.OldCharts) > 0, "the course's notebooks have charts");
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            var summary = SiteBuilder.Build(notebooks, site);
            Assert.Equal(expected.Count, summary.Chapters.Count);
            await using var browser = await Chromium.LaunchAsync();
            var problems = await SitePages.ProblemsAsync(browser, site, expected, Repository.Screenshots);
            Assert.Empty(problems);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task Without_plotly_js_the_charts_count_as_undrawn_and_the_stills_show_instead()
    {
        var expected = SitePages.Expected(sample.Notebooks);
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            SiteBuilder.Build(sample.Notebooks, site);
            File.Delete(Path.Combine(site, PlotlyJs.FileName));
            await using var browser = await Chromium.LaunchAsync();
            var problems = await SitePages.ProblemsAsync(browser, site, expected, Path.Combine(parent, "screenshots"));
            Assert.Contains($"{SampleNotebooks.First}.html: 0 charts drawn, the notebook has 1", problems);
            Assert.Contains($"{SampleNotebooks.Second}.html: 0 charts drawn, the notebook has 1", problems);
            Assert.Contains(problems, p => p.StartsWith($"{SampleNotebooks.First}.html: console:", StringComparison.Ordinal)); // the missing file

            await using var page = await browser.NewPageAsync();
            await page.GoToAsync(new Uri(Path.Combine(site, SampleNotebooks.First + ".html")).AbsoluteUri);
            await page.WaitForFunctionAsync("() => document.querySelector('figure.chart.failed') !== null");
            Assert.Equal(ChartStills.Width, await page.EvaluateExpressionAsync<int>("document.querySelector('figure.chart img.still').naturalWidth"));
            Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelector('figure.chart img.still').offsetWidth") > 0, "the still is shown");
            // The chart without a still says what it was instead.
            await page.GoToAsync(new Uri(Path.Combine(site, SampleNotebooks.Second + ".html")).AbsoluteUri);
            await page.WaitForFunctionAsync("() => document.querySelector('figure.chart.failed') !== null");
            Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelector('figure.chart p.still').offsetWidth") > 0, "the note is shown");
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
