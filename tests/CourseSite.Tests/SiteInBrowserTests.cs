using CourseSite.Browser;
using CourseSite.Charts;
using CourseSite.Site;

namespace CourseSite.Tests;

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
