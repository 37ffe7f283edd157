using NetIpc.Performance;

namespace NetIpc.Tests;

// Counts this process's socket descriptors: alone, as CleanupTests does, or a parallel test's sockets count too.
[Collection(nameof(NetIpc.Tests.Experiments.CleanupTests))]
public class LoopbackRoundTripTests
{
    [Fact]
    public void Every_message_makes_a_timed_round_trip()
    {
        var result = LoopbackRoundTrip.Measure(messages: 20, messageSize: 1000);
        Assert.Equal(Enumerable.Range(1, 20), result.Trips.Select(t => t.Message));
        Assert.All(result.Trips, t => Assert.True(t.Microseconds > 0));
        Assert.InRange(result.MedianMicroseconds, result.Trips.Min(t => t.Microseconds), result.P99Microseconds);
    }

    [Fact]
    public void The_summary_ranks_the_first_trip_among_the_others()
    {
        var result = new LoopbackRoundTripResult(64, [new(1, 30), new(2, 10), new(3, 50), new(4, 12)]);
        Assert.Equal(2, result.FasterThanFirst);
    }

    [Fact]
    public void The_median_is_set_against_typical_round_trips_between_machines_by_computation()
    {
        var result = new LoopbackRoundTripResult(64, [new(1, 30), new(2, 10), new(3, 50), new(4, 12)]);
        Assert.Equal("median 12.0 µs: 17 to 83 times shorter than a typical round trip between two machines on one local network (200 µs to 1 ms), "
            + "833 to 25,000 times shorter than one across the internet (10 to 300 ms)", result.InProportion);
    }

    [Fact]
    public void Leaves_no_socket_open()
    {
        // A socket another test dropped without closing would be finalized at a random moment and move the count: collect it first.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        int before = OpenSockets();
        LoopbackRoundTrip.Measure(messages: 5);
        Assert.Equal(before, OpenSockets());
    }

    [Fact]
    public void Rejects_nonsense_sizes()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => LoopbackRoundTrip.Measure(messages: 0));
        Assert.Equal("messages", e.ParamName);
    }

    private static int OpenSockets() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget?.StartsWith("socket:", StringComparison.Ordinal) == true);
}
