using System.Text.Json;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;

namespace NetIpc.Notebooks.Charts;

/// <summary>Which axis of a chart a helper styles.</summary>
public enum Axis
{
    X,
    Y,
}

/// <summary>The chart calls Plotly.NET.CSharp lacks; everything else comes from it directly.</summary>
public static class ChartExtensions
{
    /// <summary>
    /// The longest title line, in characters. Plotly never wraps a title: a line wider than the figure is cut
    /// at its right edge. At Plotly's title size (17 px) a line of the course's titles averages 8.5–9 px a
    /// character in Chromium, so 60 characters take about 540 px: they fit from the title's start (5% in)
    /// across a 600 px figure (Plotly.NET's default width and a narrow editor pane) as well as the 900 px still.
    /// </summary>
    public const int TitleLineLength = 60;

    // Plotly puts the title's first baseline in the middle of the top margin (100 px by default) and the
    // further lines below it, 1.3 em (22 px) apart: past two lines the title would run into the plot.
    private const int DefaultTopMargin = 100;
    private const int TitleLineHeight = 22;

    /// <summary>
    /// Sets the title, wrapped at <see cref="TitleLineLength"/> with Plotly's &lt;br&gt;, and makes room above
    /// the plot when it takes more than two lines. Every chart of the course takes its title from here, so
    /// no title is cut on any surface.
    /// </summary>
    public static GenericChart WithTitle(this GenericChart chart, string title)
    {
        var lines = WrapTitle(title);
        var titled = Plotly.NET.Chart.withTitle(string.Join("<br>", lines), FSharpOption<Font>.None).Invoke(chart);
        if (lines.Count <= 2)
        {
            return titled;
        }
        var margin = new Margin();
        margin.SetProperty("t", DefaultTopMargin + 2 * TitleLineHeight * (lines.Count - 2));
        var layout = new Layout();
        layout.SetProperty("margin", margin);
        return Plotly.NET.Chart.withLayout(layout).Invoke(titled);
    }

    /// <summary>
    /// The title's lines: whole words, each line at most <paramref name="width"/> characters unless one word
    /// is longer, in as few lines as that allows and as even as they can be, so no line ends up holding a
    /// lone "s)".
    /// </summary>
    public static IReadOnlyList<string> WrapTitle(string title, int width = TitleLineLength)
    {
        var lines = Greedy(title, width);
        for (int narrower = (title.Length + lines.Count - 1) / lines.Count; narrower < width; narrower++)
        {
            var even = Greedy(title, narrower);
            if (even.Count == lines.Count)
            {
                return even;
            }
        }
        return lines;
    }

    private static List<string> Greedy(string title, int width)
    {
        var lines = new List<string>();
        string line = "";
        foreach (string word in title.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                lines.Add(line);
                line = word;
            }
            else
            {
                line = line.Length == 0 ? word : $"{line} {word}";
            }
        }
        if (line.Length > 0 || lines.Count == 0)
        {
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>
    /// Marks an axis that counts things (sockets, clients, requests, resends, datagrams…) so its ticks fall on
    /// whole numbers. plotly.js (axes.prepTicks, autoTicks) takes the axis range over at most ten ticks and
    /// rounds that up to 1, 2 or 5 times a power of ten: a range above five always steps by whole numbers, a
    /// smaller one may step by 0.5 or 0.2 and label "1.5 sockets". So the step is set to 1 when the counts on
    /// the axis span ten or less (at most eleven ticks; bars and stacks counted from zero, as Plotly draws
    /// them) and left to Plotly otherwise. Call it after the traces are in place: it reads their values. For
    /// linear axes only: a log axis of counts already ticks at 1, 2, 5, 10….
    /// </summary>
    public static GenericChart WithCountAxis(this GenericChart chart, Axis axis)
    {
        if (CountSpan(GenericChart.toFigureJson(chart), axis) is not { } span || span > 10)
        {
            return chart;
        }
        var style = new LinearAxis();
        style.SetProperty("tick0", 0);
        style.SetProperty("dtick", 1);
        return axis == Axis.X
            ? Plotly.NET.Chart.withXAxis(style, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart)
            : Plotly.NET.Chart.withYAxis(style, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
    }

    /// <summary>How far the numbers drawn on the axis spread (highest minus lowest); null when it shows none (categories).</summary>
    internal static double? CountSpan(string figureJson, Axis axis)
    {
        using var figure = JsonDocument.Parse(figureJson);
        string letter = axis == Axis.X ? "x" : "y", other = axis == Axis.X ? "y" : "x";
        bool stacked = figure.RootElement.TryGetProperty("layout", out var layout)
            && layout.TryGetProperty("barmode", out var mode) && mode.ValueKind == JsonValueKind.String
            && mode.GetString() is "stack" or "relative";
        double low = double.PositiveInfinity, high = double.NegativeInfinity;
        var stacks = new Dictionary<string, (double Up, double Down)>();
        foreach (var trace in figure.RootElement.GetProperty("data").EnumerateArray())
        {
            if (!trace.TryGetProperty(letter, out var values) || values.ValueKind != JsonValueKind.Array)
            {
                continue;
            }
            // A bar grows from zero along its value axis: y for columns, x for horizontal bars.
            bool bar = trace.TryGetProperty("type", out var type) && type.GetString() == "bar"
                && (trace.TryGetProperty("orientation", out var o) && o.GetString() == "h" ? "x" : "y") == letter;
            var keys = trace.TryGetProperty(other, out var k) && k.ValueKind == JsonValueKind.Array ? k.EnumerateArray().Select(e => e.ToString()).ToList() : [];
            int i = 0;
            foreach (var value in values.EnumerateArray())
            {
                if (value.ValueKind == JsonValueKind.Number)
                {
                    double v = value.GetDouble();
                    low = Math.Min(low, bar ? Math.Min(v, 0) : v);
                    high = Math.Max(high, bar ? Math.Max(v, 0) : v);
                    if (bar && stacked)
                    {
                        string key = i < keys.Count ? keys[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var (up, down) = stacks.GetValueOrDefault(key);
                        stacks[key] = v >= 0 ? (up + v, down) : (up, down + v);
                    }
                }
                i++;
            }
        }
        foreach (var (up, down) in stacks.Values)
        {
            low = Math.Min(low, down);
            high = Math.Max(high, up);
        }
        return high >= low ? high - low : null;
    }

    /// <summary>
    /// Asymmetric error bars from each point's lowest to highest value (one pair per point, in order):
    /// Plotly.NET has them only as an F# function with thirteen optional arguments.
    /// </summary>
    public static GenericChart WithYRange(this GenericChart chart, IEnumerable<double> above, IEnumerable<double> below) =>
        Plotly.NET.Chart.withYErrorStyle<double, double>(
            Visible: FSharpOption<bool>.Some(true),
            Type: FSharpOption<StyleParam.ErrorType>.Some(StyleParam.ErrorType.Data),
            Symmetric: FSharpOption<bool>.Some(false),
            Array: FSharpOption<IEnumerable<double>>.Some(above.ToList()),
            Arrayminus: FSharpOption<IEnumerable<double>>.Some(below.ToList()),
            Value: FSharpOption<double>.None,
            Valueminus: FSharpOption<double>.None,
            Traceref: FSharpOption<int>.None,
            Tracerefminus: FSharpOption<int>.None,
            Copy_ystyle: FSharpOption<bool>.None,
            Color: FSharpOption<Color>.None,
            Thickness: FSharpOption<double>.None,
            Width: FSharpOption<double>.None).Invoke(chart);
}
