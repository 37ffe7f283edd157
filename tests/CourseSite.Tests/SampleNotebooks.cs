using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stills;

namespace CourseSite.Tests;

/// <summary>
/// A two-chapter notebook set in the format the runner writes: charts as Plotly figure JSON with a PNG
/// still rendered by <see cref="ChartStills"/> (the first one of the course's own charts), one chart without a still, an old CDN chart output, tables,
/// streams and an error. Written to a fresh temporary folder; the caller deletes it.
/// </summary>
internal static class SampleNotebooks
{
    public const string First = "01-basics";
    public const string Second = "02-more";

    /// <summary>A title that would end the inline script if the builder did not escape the figure.</summary>
    public const string HostileTitle = "queue </script><!-- & \"quotes\"";

    public static async Task<string> WriteAsync()
    {
        string folder = Directory.CreateTempSubdirectory("course-site-notebooks-").FullName;
        string lineFigure = NetIpc.Notebooks.Charts.ChartFormatter.FigureJson(NetIpc.Notebooks.Charts.AcceptQueueCharts.QueueVersusClients([CountingRun]));
        string secondFigure = Plotly.NET.GenericChart.toFigureJson(
            Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1, 2, 3], y: [5, 7, 2], Name: HostileTitle));
        byte[] still;
        await using (var stills = await ChartStills.StartAsync())
        {
            still = await stills.RenderPngAsync(lineFigure);
        }

        Write(folder, First, [
            Markdown($"""
                # 01 — Basics

                Some *emphasis*, ~~struck~~ text and a pipe table:

                | size | MB/s |
                |---:|---:|
                | 64 | 7.8 |

                Next: [more](02-more.ipynb#a-section), or [the same page](01-basics.ipynb) and [elsewhere](https://example.org/x.ipynb).
                """),
            Code("""
                var tag = "<b> & </pre>";
                Console.WriteLine(tag);
                """,
                Stream("stdout", "<b> & </pre>\n"),
                Result("text/plain", "42"),
                Chart(lineFigure, still, NetIpc.Notebooks.Charts.ChartFormatter.Describe(lineFigure)),
                Result("text/html", "<table id=\"table_1\"><thead><tr><th>state</th></tr></thead><tbody><tr><td>LISTEN</td></tr></tbody></table><style>table td { text-align: start; }</style>"),
                new JsonObject
                {
                    ["output_type"] = "error",
                    ["ename"] = "Error",
                    ["evalue"] = "CS0103: The name 'nope' does not exist",
                    ["traceback"] = new JsonArray("\u001b[31mCS0103\u001b[0m: The name 'nope' does not exist in the current context"),
                }),
        ]);
        Write(folder, Second, [
            Markdown("""
                # 02 — More

                ## A section

                Back to [the basics](01-basics.ipynb).
                """),
            Code("Chart.Column(...)",
                Chart(secondFigure, still: null, "Line chart: hostile title"),
                Result("text/html", OldChart),
                Result("text/html", "<p class=\"kept\">kept</p><script src=\"https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js\"></script>")),
        ]);
        return folder;
    }

    /// <summary>
    /// A run of chapter 07's accept-queue experiment, small enough that Plotly alone would tick its axes at
    /// halves; its chart's title is wider than Plotly.NET's 600 px default figure.
    /// </summary>
    public static readonly NetIpc.Tcp.AcceptQueueResult CountingRun = new(
        2, null, 2, 5, 3, 3, 2, 2, "sample", [new(1, 1, 1, 0), new(2, 2, 2, 0), new(3, 3, 3, 0), new(4, 3, 3, 1), new(5, 3, 3, 2)]);

    /// <summary>How Plotly.NET's old formatter wrote a chart: an empty div and a script fetching require.js and plotly.js.</summary>
    private const string OldChart = """
        <div><div id="00000000-0000-4000-8000-000000000001"><!-- Plotly chart will be drawn inside this DIV --></div><script type="text/javascript">
        var renderPlotly = function() {
            var fsharpPlotlyRequire = requirejs.config({context:'fsharp-plotly',paths:{plotly:'https://cdn.plot.ly/plotly-2.28.0.min'}}) || require;
            fsharpPlotlyRequire(['plotly'], function(Plotly) { Plotly.newPlot('00000000-0000-4000-8000-000000000001', [], {}, {}); });
        };
        var script = document.createElement("script");
        script.setAttribute("src", "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.6/require.min.js");
        script.onload = renderPlotly;
        document.getElementsByTagName("head")[0].appendChild(script);
        </script></div>
        """;

    private static void Write(string folder, string name, JsonNode[] cells)
    {
        var notebook = new JsonObject
        {
            ["cells"] = new JsonArray(cells),
            ["metadata"] = new JsonObject { ["kernelspec"] = new JsonObject { ["display_name"] = ".NET (C#)", ["language"] = "C#", ["name"] = ".net-csharp" } },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        };
        // Unescaped as Jupyter writes it: a "</script>" in a chart title reaches the builder as it is.
        File.WriteAllText(Path.Combine(folder, name + ".ipynb"), notebook.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    private static JsonObject Markdown(string source) => new() { ["cell_type"] = "markdown", ["metadata"] = new JsonObject(), ["source"] = Lines(source) };

    private static JsonObject Code(string source, params JsonNode[] outputs) => new()
    {
        ["cell_type"] = "code",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject { ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" } },
        ["source"] = Lines(source),
        ["outputs"] = new JsonArray(outputs),
    };

    // Split into lines, as Jupyter and Polyglot Notebooks store text.
    private static JsonArray Lines(string text)
    {
        var lines = new List<JsonNode>();
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n') { lines.Add(JsonValue.Create(text[start..(i + 1)])); start = i + 1; }
        }
        if (start < text.Length) lines.Add(JsonValue.Create(text[start..]));
        return new JsonArray(lines.ToArray());
    }

    private static JsonObject Stream(string name, string text) => new() { ["output_type"] = "stream", ["name"] = name, ["text"] = Lines(text) };

    private static JsonObject Result(string mime, string content) => new()
    {
        ["output_type"] = "execute_result",
        ["execution_count"] = 1,
        ["metadata"] = new JsonObject(),
        ["data"] = new JsonObject { [mime] = Lines(content) },
    };

    private static JsonObject Chart(string figureJson, byte[]? still, string plain)
    {
        var data = new JsonObject { ["application/vnd.plotly.v1+json"] = JsonNode.Parse(figureJson), ["text/plain"] = plain };
        if (still is not null) data["image/png"] = Convert.ToBase64String(still);
        return new JsonObject { ["output_type"] = "display_data", ["metadata"] = new JsonObject(), ["data"] = data };
    }
}
