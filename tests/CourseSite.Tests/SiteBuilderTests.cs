using System.Diagnostics;
using System.Text.RegularExpressions;
using CourseSite.Site;
using Stills;

namespace CourseSite.Tests;

[Trait("Category", TestCategory.Processes)]
[Collection(SampleCollection.Name)]
public class SiteBuilderTests(SampleFixture sample)
{
    private static string Read(string site, string page) => File.ReadAllText(Path.Combine(site, page));

    [Fact]
    public void Chapter_pages_carry_markdown_code_and_outputs_with_links_pointing_at_pages()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            var summary = SiteBuilder.Build(sample.Notebooks, site);
            Assert.Equal([new ChapterLink("01", "01 — Basics", "01-basics.html"), new ChapterLink("02", "02 — More", "02-more.html")], summary.Chapters);
            Assert.Equal((2, 1), (summary.Charts, summary.Unavailable));

            string first = Read(site, "01-basics.html");
            Assert.Contains("href=\"02-more.html#a-section\"", first);
            Assert.Contains("href=\"01-basics.html\"", first);
            Assert.Contains("href=\"https://example.org/x.ipynb\"", first); // not a chapter of this site: left alone
            Assert.Contains("<del>struck</del>", first);
            Assert.Matches(@"<table>\s*<thead>\s*<tr>\s*<th style=""text-align: right;"">size</th>", first);
            Assert.Contains("<span class=\"keyword\">var</span>", first);
            Assert.Matches(@"<pre class=""output stdout"">&lt;b&gt; &amp; &lt;/pre&gt;", first);
            Assert.Contains("<pre class=\"output text\">42</pre>", first);
            Assert.Contains("<td>LISTEN</td>", first);
            Assert.Matches(@"<pre class=""output error"">Error: CS0103: The name &#x27;nope&#x27; does not exist&#xA;CS0103: The name", first);
            Assert.DoesNotContain("\u001b", first, StringComparison.Ordinal);
            Assert.DoesNotContain("rel=\"prev\"", first);
            Assert.Contains("rel=\"next\" href=\"02-more.html\"", first);
            Assert.Contains($"<script src=\"{PlotlyJs.FileName}\"></script>", first);

            string still = Regex.Match(first, @"<img class=""still"" src=""([^""]+)""").Groups[1].Value;
            Assert.Equal("images/01-basics-chart-1.png", still);
            string figure = NetIpc.Notebooks.Charts.ChartFormatter.FigureJson(NetIpc.Notebooks.Charts.AcceptQueueCharts.QueueVersusClients([SampleNotebooks.CountingRun]));
            Assert.Equal((ChartStills.Width, ChartStills.HeightOf(figure)), Png.Size(File.ReadAllBytes(Path.Combine(site, still))));

            string second = Read(site, "02-more.html");
            Assert.Contains("<p class=\"kept\">kept</p>", second);
            Assert.DoesNotContain("<script src=\"http", second);
            Assert.Single(Regex.Matches(second, "class=\"output note chart-unavailable\""));
            Assert.Contains("</script><!--", File.ReadAllText(Path.Combine(sample.Notebooks, SampleNotebooks.Second + ".ipynb")));
            // The figure's title sits in an inline script: its "</script>" and "<!--" are escaped, its text kept.
            Assert.DoesNotContain(SampleNotebooks.HostileTitle, second);
            Assert.Contains(@"queue <\/script>\u003C!-- & \""quotes\""", second);
            Assert.Contains("rel=\"prev\" href=\"01-basics.html\"", second);

            string index = Read(site, "index.html");
            Assert.Contains("<tr><td>01</td><td><a href=\"01-basics.html\">01 — Basics</a></td></tr>", index);
            Assert.Contains("<tr><td>02</td><td><a href=\"02-more.html\">02 — More</a></td></tr>", index);
            Assert.DoesNotContain("<script", index);
            Assert.Equal(PlotlyJs.Read(), File.ReadAllText(Path.Combine(site, PlotlyJs.FileName)));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void No_page_of_the_sample_or_the_course_site_names_a_cdn()
    {
        foreach (string notebooks in new[] { sample.Notebooks, Path.Combine(Repository.Root, "notebooks") })
        {
            string site = SampleFixture.NewSiteFolder(out string parent);
            try
            {
                SiteBuilder.Build(notebooks, site);
                var hits = new List<string>();
                foreach (string file in Directory.EnumerateFiles(site, "*", SearchOption.AllDirectories))
                {
                    string text = File.ReadAllText(file);
                    // plotly.js itself names cdn.plot.ly once, as the default topojsonURL, fetched only by geo maps,
                    // which the course does not draw; any other mention, there or elsewhere, is a hit.
                    if (Path.GetFileName(file) == PlotlyJs.FileName) text = text.Replace("topojsonURL:{valType:\"string\",noBlank:!0,dflt:\"https://cdn.plot.ly/\"}", "");
                    foreach (string cdn in new[] { "cdn.plot.ly", "cdnjs" })
                    {
                        int count = Regex.Matches(text, Regex.Escape(cdn)).Count;
                        if (count > 0) hits.Add($"{Path.GetRelativePath(site, file)}: {cdn} ×{count}");
                    }
                }
                Assert.Empty(hits);
            }
            finally
            {
                Directory.Delete(parent, recursive: true);
            }
        }
        // Both sets did name CDNs before the build: the sample's old chart and script, the course's old charts.
        Assert.Contains("cdn.plot.ly", string.Concat(Directory.GetFiles(sample.Notebooks).Select(File.ReadAllText)));
        Assert.Contains("cdnjs", string.Concat(Directory.GetFiles(sample.Notebooks).Select(File.ReadAllText)));
    }

    [Fact]
    public void A_notebook_that_is_not_json_is_named_and_the_previous_site_stays_whole()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        string broken = Path.Combine(parent, "notebooks");
        try
        {
            SiteBuilder.Build(sample.Notebooks, site);
            string before = Read(site, "index.html");
            Directory.CreateDirectory(broken);
            foreach (string file in Directory.GetFiles(sample.Notebooks)) File.Copy(file, Path.Combine(broken, Path.GetFileName(file)));
            File.WriteAllText(Path.Combine(broken, "03-broken.ipynb"), "{\"cells\": [");

            var e = Assert.Throws<SiteInputException>(() => SiteBuilder.Build(broken, site));
            Assert.Contains("03-broken.ipynb: not valid JSON", e.Message);
            Assert.Equal(before, Read(site, "index.html"));
            Assert.False(File.Exists(Path.Combine(site, "03-broken.html")));
            Assert.Equal(["notebooks", "site"], Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Order()); // no staging folder left
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void A_missing_folder_is_named_and_nothing_is_written()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            string missing = Path.Combine(parent, "no-notebooks-here");
            var e = Assert.Throws<SiteInputException>(() => SiteBuilder.Build(missing, site));
            Assert.Contains(missing, e.Message);
            Assert.Empty(Directory.GetFileSystemEntries(parent));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public void A_folder_the_builder_did_not_make_is_not_replaced()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            Directory.CreateDirectory(site);
            File.WriteAllText(Path.Combine(site, "notes.txt"), "mine");
            var e = Assert.Throws<SiteInputException>(() => SiteBuilder.Build(sample.Notebooks, site));
            Assert.Contains(SiteBuilder.Marker, e.Message);
            Assert.Equal(["notes.txt"], Directory.GetFileSystemEntries(site).Select(Path.GetFileName));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task The_command_exits_non_zero_naming_the_bad_notebook()
    {
        string site = SampleFixture.NewSiteFolder(out string parent);
        try
        {
            string notebooks = Directory.CreateDirectory(Path.Combine(parent, "notebooks")).FullName;
            File.WriteAllText(Path.Combine(notebooks, "00-start.ipynb"), "not json");
            // The builder the tests reference, started as ./run-course --site starts it.
            string dll = typeof(SiteBuilder).Assembly.Location;
            var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (string arg in new[] { dll, "--notebooks", notebooks, "--out", site }) start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            string stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.Equal(2, process.ExitCode);
            Assert.Contains("00-start.ipynb: not valid JSON", stderr);
            Assert.False(Directory.Exists(site));
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
