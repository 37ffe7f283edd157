using NetIpc.Benchmarks;
using NetIpc.Commands;
using NetIpc.Notebooks.Sentences;
using NetIpc.Packets;
using NetIpc.Performance;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Tests;

/// <summary>The measured sentences printed under results, built from the results' data.</summary>
public class SummariesTests
{
    [Fact]
    public void The_round_trip_summary_ranks_the_first_trip_among_the_others()
    {
        var result = new LoopbackRoundTripResult(64, [new(1, 30), new(2, 10), new(3, 50), new(4, 12)]);
        Assert.Equal("median 12.0 µs, 99th percentile 50.0 µs, slowest 50.0 µs (trip 3); the first trip took 30.0 µs, slower than 2 of the other 3",
            result.Summary);
    }

    [Fact]
    public void The_lifecycle_recording_says_fin_wait_2_came_before_the_servers_close()
    {
        var flow = Recordings.Load<LifecycleResult>("experiments/lifecycle.json").Result;
        Assert.Contains("before the server's close()", flow.CloseSummary);
    }

    [Fact]
    public void The_recorded_capture_counts_partial_transport_checksums()
    {
        var recorded = SkBuffProofs.RecordedReceivePath();
        Assert.Equal("0 of 6 TCP/UDP checksums verify as captured; 6 of 6 IPv4 header checksums do", recorded.TransportChecksumSummary);
    }

    [Fact]
    public void The_benchmark_summary_gives_the_recorded_ratio()
    {
        var recorded = SkBuffBenchmark.Recorded();
        Assert.Contains($"{recorded.TimeRatio * 100:F0}% of the copying version's time", recorded.Summary);
    }

    [Fact]
    public void The_comparison_summary_counts_steady_and_changed_rows()
    {
        var comparison = SsComparison.Recorded("edge-cases");
        Assert.StartsWith($"✓ /proc and ss agree on all {comparison.Rows.Count(r => !r.ChangedDuringComparison)} sockets", comparison.Summary);
        Assert.Single(comparison.Checks(), c => c.Holds);
    }

    [Fact]
    public void The_reuseport_sentences_name_each_listener_and_restart()
    {
        Assert.Equal("9 connections to port 9000: listener 1 got 5, listener 2 got 4", new ReusePortResult(9000, 9, [5, 4]).Summary);
        var restart = new ReusePortRestartResult([new(false, 40000, true, 98), new(true, 40001, true, 0)]);
        Assert.Equal("old server without SO_REUSEPORT, TIME_WAIT on port 40000: the new server's bind() = -1 EADDRINUSE (98); "
            + "old server with SO_REUSEPORT, TIME_WAIT on port 40001: the new server's bind() = 0 (bound)", restart.Summary);
    }
}
