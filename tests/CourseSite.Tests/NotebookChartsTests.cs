using System.Text.Json.Nodes;
using Stills;

namespace CourseSite.Tests;

/// <summary>The charts in the committed notebooks, as GitHub, nbconvert and an offline VS Code get them.</summary>
public class NotebookChartsTests
{
    private static readonly string Notebooks = Path.Combine(Repository.Root, "notebooks");

    /// <summary>Every chart output of every chapter: where it is, its figure and its still (null when missing).</summary>
    private static IEnumerable<(string Where, JsonNode Figure, string? Still)> Charts() =>
        from path in Directory.GetFiles(Notebooks, "*.ipynb").Order(StringComparer.Ordinal)
        let cells = JsonNode.Parse(File.ReadAllText(path))!["cells"]!.AsArray()
        from cell in cells.Select((c, i) => (Cell: c!, Number: i + 1))
        from output in cell.Cell["outputs"]?.AsArray() ?? []
        let data = output!["data"]
        where data?["application/vnd.plotly.v1+json"] is not null
        select ($"{Path.GetFileName(path)} cell {cell.Number}", data["application/vnd.plotly.v1+json"]!, (string?)data["image/png"]);

    [Fact]
    public void No_notebook_loads_anything_from_a_cdn_and_every_chart_is_a_figure_with_a_still()
    {
        foreach (var path in Directory.GetFiles(Notebooks, "*.ipynb"))
        {
            string text = File.ReadAllText(path);
            Assert.False(text.Contains("cdn.plot.ly") || text.Contains("cdnjs"), $"{Path.GetFileName(path)} refers to a CDN");
        }
        var charts = Charts().ToList();
        Assert.True(charts.Count >= 10, $"the chapters draw their experiments: only {charts.Count} charts found");
        Assert.All(charts, c => Assert.True(c.Figure is JsonObject && c.Figure["data"] is JsonArray, $"{c.Where}: the figure is not a JSON object with data"));
        Assert.All(charts, c => Assert.True(c.Still is not null, $"{c.Where}: no image/png still (regenerate with ./run-course where Chromium is installed)"));
    }

    [Fact, Trait("Category", TestCategory.Processes)]
    public async Task Every_committed_figure_draws_with_the_bundled_plotly_and_every_still_is_a_png_of_the_fixed_width_and_the_figures_height()
    {
        await using var stills = await ChartStills.StartAsync();
        byte[] empty = await stills.RenderPngAsync("""{"data":[],"layout":{}}""");
        foreach (var (where, figure, still) in Charts())
        {
            byte[] drawn = await stills.RenderPngAsync(figure.ToJsonString());
            Assert.True(drawn.Length > empty.Length, $"{where}: plotly.js drew nothing more than an empty figure");
            // The still GitHub shows is as high as the chart the site and the editors draw.
            Assert.Equal((ChartStills.Width, ChartStills.HeightOf(figure.ToJsonString())), Png.Size(Convert.FromBase64String(still ?? "")));
        }
    }
}
