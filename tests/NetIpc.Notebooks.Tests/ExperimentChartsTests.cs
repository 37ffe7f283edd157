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
    public void Accept_queue_chart_has_a_line_per_run()
    {
        var run = new AcceptQueueResult(1, null, 1, 2, 2, 2, 0, 0, "test", [new(1, 1, 1, 0), new(2, 2, 2, 0)]);
        var html = Plotly.NET.GenericChart.toChartHTML(AcceptQueueCharts.QueueVersusClients([run, run with { Backlog = 4 }]));
        Assert.Contains("backlog 1", html);
        Assert.Contains("backlog 4", html);
    }

    [LinuxFact]
    public void Lifecycle_chart_shows_the_calls()
    {
        var result = Lifecycle(TimeSpan.FromMilliseconds(30), preferredPort: 0);
        Assert.Contains("calls", Plotly.NET.GenericChart.toChartHTML(result.Chart()));
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
