using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class BuffersAndCloseTests
{
    [LinuxFact]
    public void A_blocking_writer_whose_peer_never_reads_ends_up_blocked_with_both_queues_full()
    {
        var result = Buffers(duration: TimeSpan.FromSeconds(1.2));
        Assert.True(result.WriteBlocked, $"accepted {result.BytesAccepted}, rx {result.PeakRxQueue}, tx {result.PeakTxQueue}, samples {result.Samples.Count}, last {result.Samples[^1]}");
        Assert.True(result.PeakRxQueue > 0 && result.PeakTxQueue > 0, $"rx {result.PeakRxQueue}, tx {result.PeakTxQueue}");
        // Every queued byte was handed over by write() (the last, blocked call may have handed over part of its chunk).
        Assert.True(result.BytesAccepted >= result.PeakTxQueue - 16 * 1024 && result.BytesAccepted >= result.PeakRxQueue,
            $"accepted {result.BytesAccepted}, rx {result.PeakRxQueue}, tx {result.PeakTxQueue}");
        Assert.True(result.ZeroWindowProbeSeen, string.Join(", ", result.Samples.Select(s => s.SenderTimer).Distinct()));
    }

    [LinuxFact]
    public void A_non_blocking_writer_gets_eagain_and_a_smaller_receive_buffer_holds_less()
    {
        var large = Buffers(nonBlocking: true, duration: TimeSpan.FromSeconds(0.5));
        var small = Buffers(receiveBuffer: 8192, nonBlocking: true, duration: TimeSpan.FromSeconds(0.5));
        Assert.Equal("EAGAIN (11)", large.Errno);
        Assert.False(large.WriteBlocked);
        Assert.Equal(16384, small.ReceiveBuffer); // the kernel doubles what SO_RCVBUF asks for
        Assert.True(small.PeakRxQueue < large.PeakRxQueue, $"small {small.PeakRxQueue}, default {large.PeakRxQueue}");
    }

    [LinuxFact]
    public void Closing_passes_through_every_state_and_the_first_to_close_waits()
    {
        var result = Close();
        Assert.Superset(new HashSet<string> { "FIN-WAIT-2", "CLOSE-WAIT", "LAST-ACK (no owner)", "TIME-WAIT" },
            result.StatesSeen.Select(s => s.Replace(" (no owner)", s.StartsWith("LAST") ? " (no owner)" : "")).ToHashSet());
        Assert.True(result.Steps.Single(s => s.ReadReturnedEof is not null).ReadReturnedEof);
        Assert.InRange(result.TimeWaitRemaining, TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(60));
        Assert.Equal("TIME-WAIT", result.Steps[^1].ClientState.Replace(" (no owner)", ""));
    }
}
