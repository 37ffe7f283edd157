using System.Net;
using System.Text.Json.Nodes;
using NetIpc.Notebooks.Charts;
using NetIpc.Proc;
using Plotly.NET;
using NetIpc.Tcp;
using NetIpc.Udp;

namespace NetIpc.Notebooks.Tests;

/// <summary>How every chart is laid out, whatever it shows: width left to the renderer, titles wrapped, counts ticked whole.</summary>
public class ChartLayoutTests
{
    private static JsonNode Figure(GenericChart chart) => JsonNode.Parse(ChartFormatter.FigureJson(chart))!;

    private static JsonNode? Axis(JsonNode figure, string name) => figure["layout"]![name];

    private static AcceptQueueResult SmallRun() =>
        new(2, null, 2, 5, 3, 3, 2, 2, "test", [new(1, 1, 1, 0), new(2, 2, 2, 0), new(3, 3, 3, 0), new(4, 3, 3, 1), new(5, 3, 3, 2)]);

    [Fact]
    public void A_figure_leaves_its_width_to_the_renderer_and_keeps_its_height()
    {
        var figure = Figure(SmallRun().Chart());
        Assert.Null(figure["layout"]!["width"]);
        Assert.True((bool)figure["layout"]!["autosize"]!);
        Assert.Equal(600, (int)figure["layout"]!["height"]!); // Plotly.NET's default, as before
        var lifecycle = new LifecycleResult(9501, [new(0, "socket()")], [new(0, "LISTEN", 1), new(1, "ESTAB", 2)]);
        var tall = Figure(lifecycle.Chart());
        Assert.Null(tall["layout"]!["width"]);
        Assert.Equal(480, (int)tall["layout"]!["height"]!);
    }

    [Fact]
    public void Axes_that_count_step_by_one_when_their_counts_span_ten_or_less()
    {
        // Plotly alone ticks a 1–5 range at 0.5 steps: "1.5 clients".
        var queue = Figure(SmallRun().Chart());
        foreach (string axis in new[] { "xaxis", "yaxis" })
        {
            Assert.Equal(1, (int)Axis(queue, axis)!["dtick"]!);
            Assert.Equal(0, (int)Axis(queue, axis)!["tick0"]!);
            Assert.Equal("clients that called connect()", (string?)Axis(queue, "xaxis")!["title"]!["text"]); // the axis kept its other styles
        }
        var resends = new SynQueueResult(4, 20, false, 5, 0, 0, 0, [new(0, 5, 0, 0), new(1000, 5, 1, 0), new(3000, 5, 2, 0)]);
        Assert.Equal(1, (int)Axis(Figure(TcpExperimentCharts.SynAckResends([resends])), "yaxis")!["dtick"]!);
        Assert.Equal(1, (int)Axis(Figure(TcpExperimentCharts.SynQueueChart([resends])), "yaxis")!["dtick"]!);
        var drops = new UdpDropsResult(512, [new(4096, 2, 2, 0, 0), new(4096, 6, 4, 2, 2)]);
        Assert.Equal(1, (int)Axis(Figure(drops.Chart()), "xaxis")!["dtick"]!);
        Assert.Equal(1, (int)Axis(Figure(drops.Chart()), "yaxis")!["dtick"]!);
    }

    [Fact]
    public void Wider_count_ranges_keep_plotlys_own_whole_steps()
    {
        // Columns grow from zero: 48–52 connections span 52, where Plotly steps by 10 on its own.
        var reuse = Figure(new ReusePortResult(9501, 200, [48, 52, 50, 50]).Chart());
        Assert.Null(Axis(reuse, "yaxis")?["dtick"]);
        var drops = new UdpDropsResult(512, [new(4096, 100, 60, 40, 40), new(4096, 400, 60, 340, 340)]);
        Assert.Null(Axis(Figure(drops.Chart()), "xaxis")?["dtick"]);
    }

    [Fact]
    public void Stacked_counts_are_measured_by_the_stack()
    {
        static TcpSocketEntry Entry(KernelTcpState state, int port) =>
            new(0, new IPEndPoint(IPAddress.Loopback, port), new IPEndPoint(IPAddress.Any, 0), state, 0, 0, TcpTimer.None, 0, 0, 0, 0, 0, 1);
        // Seven of ours and six others in one state: no trace passes ten, the stack does.
        var tall = Enumerable.Range(0, 7).Select(i => Entry(KernelTcpState.Established, 1000 + i))
            .Concat(Enumerable.Range(0, 6).Select(i => Entry(KernelTcpState.Established, 2000 + i))).ToList();
        var high = Figure(SocketCharts.States(tall, e => e.Local.Port < 2000, "ours", "TCP sockets per state"));
        Assert.Null(Axis(high, "yaxis")?["dtick"]);
        var low = Figure(SocketCharts.States(tall.Take(9), e => e.Local.Port < 2000, "ours", "TCP sockets per state"));
        Assert.Equal(1, (int)Axis(low, "yaxis")!["dtick"]!);
    }

    [Fact]
    public void Count_span_counts_bars_from_zero_and_skips_categories()
    {
        Assert.Equal(3, ChartExtensions.CountSpan("""{"data":[{"type":"scatter","x":[1,2],"y":[100,103]}],"layout":{}}""", NetIpc.Notebooks.Charts.Axis.Y));
        Assert.Equal(103, ChartExtensions.CountSpan("""{"data":[{"type":"bar","x":["a","b"],"y":[100,103]}],"layout":{}}""", NetIpc.Notebooks.Charts.Axis.Y));
        Assert.Null(ChartExtensions.CountSpan("""{"data":[{"type":"bar","x":["a","b"],"y":[100,103]}],"layout":{}}""", NetIpc.Notebooks.Charts.Axis.X));
        Assert.Equal(7, ChartExtensions.CountSpan("""{"data":[{"type":"bar","orientation":"h","x":[3],"y":["a"]},{"type":"bar","orientation":"h","x":[4],"y":["a"]}],"layout":{"barmode":"stack"}}""", NetIpc.Notebooks.Charts.Axis.X));
        Assert.Equal(4, ChartExtensions.CountSpan("""{"data":[{"type":"bar","orientation":"h","x":[3],"y":["a"]},{"type":"bar","orientation":"h","x":[4],"y":["a"]}],"layout":{}}""", NetIpc.Notebooks.Charts.Axis.X));
    }

    [Fact]
    public void Long_titles_wrap_at_word_boundaries_and_read_as_one_line_in_text()
    {
        const string title = "SYN-ACKs resent for those requests while each run was sampled (tcp_syncookies = 0: 8.5 s, tcp_syncookies = 1: 2.5 s)";
        var lines = ChartExtensions.WrapTitle(title);
        Assert.True(lines.Count >= 2);
        Assert.All(lines, line => Assert.InRange(line.Length, 1, ChartExtensions.TitleLineLength));
        Assert.Equal(title, string.Join(' ', lines));
        Assert.True(lines.Max(l => l.Length) - lines.Min(l => l.Length) <= 12, $"even lines: {string.Join(" | ", lines)}");
        Assert.Equal(["short"], ChartExtensions.WrapTitle("short"));
        Assert.Equal(["aaaa bbbb", "cccc dddd"], ChartExtensions.WrapTitle("aaaa bbbb cccc dddd", width: 15)); // not "aaaa bbbb cccc" and "dddd"
        Assert.Equal(["a", new string('x', 70), "b"], ChartExtensions.WrapTitle($"a {new string('x', 70)} b")); // a word longer than a line stands alone

        var chart = Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1, 2], y: [3, 4], Name: "q").WithTitle(title);
        string figure = ChartFormatter.FigureJson(chart);
        Assert.Equal(string.Join("<br>", lines), (string?)JsonNode.Parse(figure)!["layout"]!["title"]!["text"]);
        Assert.Equal($"chart: {title} (series: q)", ChartFormatter.Describe(figure));
    }

    [Fact]
    public void A_title_of_three_lines_or_more_gets_room_above_the_plot()
    {
        var two = Figure(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1], y: [1]).WithTitle(new string('a', 50) + " " + new string('b', 50)));
        Assert.Null(two["layout"]!["margin"]);
        var three = Figure(Plotly.NET.CSharp.Chart.Line<int, int, string>(x: [1], y: [1]).WithTitle(string.Join(' ', Enumerable.Repeat(new string('a', 50), 3))));
        Assert.True((int)three["layout"]!["margin"]!["t"]! > 100, "the top margin grows past Plotly's 100 px");
    }
}
