using Stills;

namespace CourseSite.Tests;

[Trait("Category", TestCategory.Processes)]
public class ChartStillsTests
{
    private static string Figure() => Plotly.NET.GenericChart.toFigureJson(
        Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1, 2, 3], y: [3, 1, 2], Name: "queue"));

    [Fact]
    public async Task A_figure_becomes_a_png_of_the_fixed_width_and_its_own_height_without_the_network()
    {
        await using var stills = await ChartStills.StartAsync();
        byte[] png = await stills.RenderPngAsync(Figure());
        Assert.Equal((ChartStills.Width, 600), Png.Size(png)); // Plotly.NET's default height, which the figure carries
        Assert.True(png.Length > 5_000, $"a chart with a line and axes, not a blank image: {png.Length} bytes");
        byte[] blank = await stills.RenderPngAsync("""{"data":[],"layout":{}}""");
        Assert.Equal((ChartStills.Width, ChartStills.Height), Png.Size(blank));
        Assert.True(png.Length > blank.Length, "the line and its axes add to an empty figure");
        // A width in the figure does not change the still's; a tall figure stays tall rather than squeezed.
        byte[] tall = await stills.RenderPngAsync("""{"data":[],"layout":{"width":600,"height":764}}""");
        Assert.Equal((ChartStills.Width, 764), Png.Size(tall));
    }

    [Fact]
    public async Task Malformed_json_is_refused_naming_the_position()
    {
        await using var stills = await ChartStills.StartAsync();
        var e = await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(() => stills.RenderPngAsync("""{"data": [}"""));
        Assert.Contains("Position", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_plotly_script_is_the_one_plotly_net_carries()
    {
        Assert.Matches(@"^plotly-\d+\.\d+\.\d+\.min\.js$", PlotlyJs.FileName);
        Assert.StartsWith("/**", PlotlyJs.Read().TrimStart()); // its licence banner
    }

    [Fact]
    public void A_missing_browser_named_by_the_variable_says_what_to_install()
    {
        var e = Assert.Throws<ChromiumMissingException>(() => Chromium.Find("/nonexistent/chromium"));
        Assert.Contains("apt-get install chromium", e.Message);
        Assert.Contains(Chromium.Variable, e.Message);
    }
}
