using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;
using NetIpc.Notebooks.Charts;

namespace NetIpc.Notebooks.Tests;

public class ChartFormatterTests
{
    private static GenericChart Chart() =>
        Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1, 2], y: [3, 4], Name: "rx_queue").WithTitle("Queues");

    [Fact]
    public void A_chart_is_offered_as_a_plotly_figure_and_one_line_of_text_and_never_as_html()
    {
        ChartFormatter.Register();
        Assert.Equal([ChartFormatter.PlotlyMimeType, PlainTextFormatter.MimeType], Formatter.GetPreferredMimeTypesFor(typeof(GenericChart)));
        string figure = Chart().ToDisplayString(ChartFormatter.PlotlyMimeType);
        using var json = System.Text.Json.JsonDocument.Parse(figure);
        Assert.Equal("rx_queue", json.RootElement.GetProperty("data")[0].GetProperty("name").GetString());
        Assert.DoesNotContain("cdn", figure, StringComparison.OrdinalIgnoreCase);
        Assert.False(json.RootElement.GetProperty("layout").TryGetProperty("width", out _), "the renderer sets the width");
        Assert.Equal("chart: Queues (series: rx_queue)", Chart().ToDisplayString(PlainTextFormatter.MimeType));
    }

    [Theory]
    [InlineData("""{"data":[{"name":"a"},{"name":"b"},{"name":"a"}],"layout":{"title":{"text":"T"}}}""", "chart: T (series: a, b)")]
    [InlineData("""{"data":[{"type":"bar"}],"layout":{"title":"Old style"}}""", "chart: Old style")]
    [InlineData("""{"data":[],"layout":{}}""", "chart")]
    public void The_text_line_names_the_title_and_each_series_once(string figure, string expected) =>
        Assert.Equal(expected, ChartFormatter.Describe(figure));
}
