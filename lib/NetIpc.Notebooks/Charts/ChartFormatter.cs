using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace NetIpc.Notebooks.Charts;

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
/// <para>
/// The figure carries a height but no width (<see cref="FigureJson"/>): whatever draws it decides the width.
/// VS Code's and JupyterLab's renderers and the course site fill their output area or column with it, and
/// the still is drawn at the width GitHub shows (CourseSite's ChartStills). A width fixed in the figure
/// (Plotly.NET writes 600 px unless told otherwise) would be wrong on all but one of those surfaces: 600 px
/// in the site's 960 px column, with the title cut wherever it is wider.
/// </para>
/// </summary>
public static class ChartFormatter
{
    public const string PlotlyMimeType = "application/vnd.plotly.v1+json";

    public static void Register()
    {
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(FigureJson(chart)), PlotlyMimeType);
        Formatter.Register<GenericChart>((chart, writer) => writer.Write(Describe(FigureJson(chart))), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(GenericChart), PlotlyMimeType, PlainTextFormatter.MimeType);
    }

    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// The chart as a Plotly figure, without a width and with autosize on, so each renderer sizes it to its
    /// container (see the class's remarks); the chart object itself is left as it was.
    /// </summary>
    public static string FigureJson(GenericChart chart)
    {
        var figure = JsonNode.Parse(GenericChart.toFigureJson(chart))!.AsObject();
        if (figure["layout"] is JsonObject layout)
        {
            layout.Remove("width");
            layout["autosize"] = true;
        }
        return figure.ToJsonString(Unescaped);
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
        title = title.Replace("<br>", " ", StringComparison.Ordinal); // a wrapped title reads as one line
        string line = title.Length > 0 ? $"chart: {title}" : "chart";
        return series.Count > 0 ? $"{line} (series: {string.Join(", ", series)})" : line;
    }
}
