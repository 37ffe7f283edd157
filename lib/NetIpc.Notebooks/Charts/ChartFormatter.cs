using System.Text.Json;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NetIpc.Notebooks;

/// <summary>
/// How a chart leaves the kernel: the Plotly figure under Plotly's own MIME type plus one line of text,
/// and never HTML. Plotly.NET.Interactive's formatter writes text/html that loads require.js and plotly.js
/// from two CDNs, so every chart was blank offline, on GitHub and in nbconvert. The choice, by front end:
/// <list type="bullet">
/// <item>VS Code (Polyglot and Jupyter extensions) sorts an output's MIME types by its display order and
/// puts types that order does not list first, so application/vnd.plotly.v1+json wins over image/png and
/// text/plain; the Jupyter renderers extension draws it with the plotly.js it ships: no network.</item>
/// <item>JupyterLab draws the same type with its Plotly renderer.</item>
/// <item>nbconvert's HTML and GitHub ignore the Plotly type and show image/png, the still that
/// ./run-course renders with a headless browser and adds to the output when it writes the notebook.</item>
/// <item>text/plain is what a terminal or a screen reader gets: the title and the series.</item>
/// </list>
/// A text/html part would defeat all of that: every front end above ranks it before image/png.
/// </summary>
public static class ChartFormatter
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(GenericChart.toFigureJson(chart)), PlotlyMimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Describe(GenericChart.toFigureJson(chart))), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), PlotlyMimeType, PlainTextFormatter.MimeType);
    }

    /// <summary>"chart: Throughput … (series: TCP (loopback), UNIX stream)", from the figure itself.</summary>
    public static string Describe(string figureJson)
    {
        using var figure = JsonDocument.Parse(figureJson);
        var root = figure.RootElement;
        string title = root.TryGetProperty("layout", out var layout) && layout.TryGetProperty("title", out var t)
            ? t.ValueKind == JsonValueKind.String ? t.GetString()! : t.TryGetProperty("text", out var text) ? text.GetString() ?? "" : ""
            : "";
        var series = root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(trace => trace.TryGetProperty("name", out var name) ? name.GetString() : null).OfType<string>().Distinct().ToList()
            : [];
        string line = title.Length > 0 ? $"chart: {title}" : "chart";
        return series.Count > 0 ? $"{line} (series: {string.Join(", ", series)})" : line;
    }
}
