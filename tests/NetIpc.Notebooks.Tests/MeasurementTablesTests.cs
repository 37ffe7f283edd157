using NetIpc.Notebooks.Charts;
using NetIpc.Notebooks.Tables;
using NetIpc.Performance;

namespace NetIpc.Notebooks.Tests;

public class MeasurementTablesTests
{
    private static ThroughputPoint P(string transport, int size, params double[] rates) =>
        new(transport, size, rates.Select(r => new ThroughputRun(r, 10, 100, 0)).ToList());

    [Fact]
    public void The_unix_against_tcp_sentence_counts_the_sizes_from_the_run_by_median_and_by_every_run()
    {
        var run = new ThroughputResult(
        [
            // 64 bytes: UNIX stream ahead in every run; 1024: ahead by the median only (its slowest run is below TCP's fastest).
            P("TCP (loopback)", 64, 10, 11, 12), P("UNIX stream", 64, 20, 21, 19), P("UNIX datagram", 64, 5, 6, 7),
            P("TCP (loopback)", 1024, 100, 110, 120), P("UNIX stream", 1024, 115, 130, 140), P("UNIX datagram", 1024, 50, 60, 70),
            P("TCP (loopback)", 65000, 5000, 5000, 5000), P("UNIX stream", 65000, 3000, 3000, 3000), P("UNIX datagram", 65000, 4000, 4000, 4000),
        ]);
        Assert.Equal("Here, over 3 runs: UNIX stream beat TCP at 2 of 3 sizes by the median (64, 1024 bytes), at 1 of them in every run. "
            + "UNIX datagram beat TCP at 0 of 3 sizes by the median.", run.UnixVersusTcp());
    }

    [Fact]
    public void A_point_is_the_median_of_its_runs_with_the_lowest_and_highest_beside_it()
    {
        var point = P("TCP (loopback)", 64, 30, 10, 20, 50);
        Assert.Equal(20, point.MegabytesPerSecond); // of 10, 20, 30, 50 the lower middle: a value some run measured
        Assert.Equal(10, point.MinMegabytesPerSecond);
        Assert.Equal(50, point.MaxMegabytesPerSecond);
        var row = new ThroughputResult([point]).ToDataFrame().Rows[0];
        Assert.Equal("10.0–50.0", row[3]);
        Assert.Equal("0 / 400", row[6]);
    }

    [Fact]
    public void The_chart_draws_each_runs_spread_as_bars_from_lowest_to_highest()
    {
        string html = Plotly.NET.GenericChart.toChartHTML(new ThroughputResult([P("UNIX stream", 64, 10, 20, 50)]).ThroughputChart());
        Assert.Contains("\"array\":[30.0]", html);      // highest 50 above the median 20
        Assert.Contains("\"arrayminus\":[10.0]", html); // lowest 10 below it
    }
}
