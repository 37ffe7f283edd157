using NetIpc.Notebooks.Charts;
using NetIpc.Notebooks.Tables;
using NetIpc.Performance;
using NetIpc.Tcp;
using static NetIpc.Experiments;

namespace NetIpc.Notebooks.Tests;

/// <summary>The experiments' results as tables and charts (Tables/, Charts/).</summary>
public class ExperimentChartsTests
{
    [Fact]
    public void Accept_queue_chart_draws_each_runs_samples_as_its_own_line()
    {
        var run = new AcceptQueueResult(1, null, 1, 2, 2, 2, 0, 0, "test", [new(1, 1, 1, 0), new(2, 2, 2, 0)]);
        var capped = new AcceptQueueResult(8, 4, 4, 3, 3, 3, 0, 0, "test", [new(1, 1, 1, 0), new(2, 2, 2, 0), new(3, 3, 3, 0)]);
        var traces = Traces(AcceptQueueCharts.QueueVersusClients([run, capped]));
        Assert.Equal(["backlog 1", "backlog 8, somaxconn 4"], traces.Select(t => t.Name));
        Assert.Equal([run.Samples.Select(p => (double)p.Clients), capped.Samples.Select(p => (double)p.Clients)], traces.Select(t => t.X));
        Assert.Equal([run.Samples.Select(p => (double)p.Queued), capped.Samples.Select(p => (double)p.Queued)], traces.Select(t => t.Y));
    }

    [Fact]
    public void Lifecycle_chart_counts_each_state_at_every_sampled_time_and_marks_the_calls_above_them()
    {
        var result = new LifecycleResult(9500,
            [new(1.5, "listen()"), new(4, "connect()"), new(9, "close()")],
            [new(1, "LISTEN", 1), new(5, "LISTEN", 1), new(5, "ESTABLISHED", 2), new(10, "TIME_WAIT", 1)]);
        var traces = Traces(result.Chart());
        Assert.Equal(["LISTEN", "ESTABLISHED", "TIME_WAIT", "calls"], traces.Select(t => t.Name));
        // A state absent at a sampled time counts 0 there, so the lines share one time axis.
        Assert.All(traces.SkipLast(1), t => Assert.Equal([1.0, 5, 10], t.X));
        Assert.Equal([[1.0, 1, 0], [0.0, 2, 0], [0.0, 0, 1]], traces.SkipLast(1).Select(t => t.Y));
        var calls = traces[^1];
        Assert.Equal(result.Steps.Select(s => s.TimeMs), calls.X);
        Assert.All(calls.Y, y => Assert.Equal(3, y)); // above the highest count
        Assert.Equal(result.Steps.Select(s => s.Call), calls.Text);
    }

    /// <summary>Each trace of the chart's figure as Plotly draws it: its name, its numbers and its texts.</summary>
    private static List<(string? Name, double[] X, double[] Y, string[] Text)> Traces(Plotly.NET.GenericChart chart)
    {
        using var figure = System.Text.Json.JsonDocument.Parse(Plotly.NET.GenericChart.toFigureJson(chart));
        double[] Numbers(System.Text.Json.JsonElement trace, string axis) =>
            trace.TryGetProperty(axis, out var v) ? [.. v.EnumerateArray().Select(e => e.GetDouble())] : [];
        return [.. figure.RootElement.GetProperty("data").EnumerateArray().Select(t => (
            t.TryGetProperty("name", out var n) ? n.GetString() : null,
            Numbers(t, "x"), Numbers(t, "y"),
            t.TryGetProperty("text", out var text) && text.ValueKind == System.Text.Json.JsonValueKind.Array
                ? text.EnumerateArray().Select(e => e.GetString() ?? "").ToArray() : Array.Empty<string>()))];
    }

    [ExperimentFact("syn-queue")]
    public void Syn_queue_chart_names_the_syncookies_setting()
    {
        var result = SynQueue(backlog: 4, syns: 12, syncookies: true, TimeSpan.FromSeconds(0.5));
        Assert.Contains("tcp_syncookies = 1", Plotly.NET.GenericChart.toChartHTML(TcpExperimentCharts.SynQueueChart([result])));
        Assert.Contains("tcp_syncookies = 1", Plotly.NET.GenericChart.toChartHTML(TcpExperimentCharts.SynAckResends([result])));
    }

    [Fact]
    public void Overflow_and_abortive_close_frames_have_a_row_per_step_and_per_close()
    {
        var overflow = Recordings.Load<AcceptOverflowResult>("experiments/accept-overflow.json").Result;
        var frame = overflow.ToDataFrame();
        Assert.Equal(overflow.Steps.Count, frame.Rows.Count);
        Assert.Equal("server's line for it", frame.Columns[3].Name);
        var closes = Recordings.Load<AbortiveCloseResult>("experiments/abortive-close.json").Result.ToDataFrame();
        Assert.Equal(3, closes.Rows.Count);
        Assert.Equal("(closes instead)", closes["server: write() after it"][0]);
    }

    [Fact]
    public void Throughput_frame_has_a_row_per_point()
    {
        var result = Throughput([256, 8192], TimeSpan.FromMilliseconds(100), roundTrips: 20, runs: 1);
        Assert.Equal(8, result.ToDataFrame().Rows.Count);
    }

    [ExperimentFact("two-hosts")]
    public void Two_hosts_frame_has_a_row_per_host()
    {
        var result = TwoHosts(roundTrips: 20);
        Assert.Equal(2, result.HostsFrame().Rows.Count);
    }

    [Fact]
    public void Loopback_round_trip_frame_has_a_row_per_message()
    {
        var result = LoopbackRoundTrip.Measure(messages: 20, messageSize: 1000);
        Assert.Equal(20, result.ToDataFrame().Rows.Count);
    }
}
