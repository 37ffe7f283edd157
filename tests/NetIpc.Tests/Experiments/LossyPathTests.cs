using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class LossyPathTests
{
    [ExperimentFact("lossy-path")]
    public void Udp_loses_datagrams_on_a_lossy_wire_while_tcp_delivers_every_byte_by_retransmitting()
    {
        var result = LossyPath(lossPercent: 10, datagrams: 300, tcpBytes: 200_000);
        Assert.True(result.DroppedFrames > 0, "the relay dropped frames");
        // The relay's own drops are the only loss: what UDP misses is what the wire threw away.
        Assert.InRange(result.UdpReceived, 200, 299);
        Assert.True(result.UdpSent - result.UdpReceived <= result.DroppedFrames);
        Assert.True(result.UdpInOrder);
        Assert.True(result.TcpIntact, $"TCP received {result.TcpBytesReceived} of {result.TcpBytesSent} bytes");
        Assert.True(result.TcpRetransSegs > 0, "Tcp.RetransSegs moved");
    }

    [LinuxFact]
    public void Loopback_never_reorders()
    {
        Assert.Equal(0, LoopbackOutOfOrder(1000));
    }

    [ExperimentFact("lossy-path")]
    public void A_reordering_wire_reorders_udp_but_tcp_hands_over_the_bytes_in_order()
    {
        var result = LossyPath(lossPercent: 0, datagrams: 300, tcpBytes: 100_000, reorderPercent: 10);
        Assert.True(result.ReorderedFrames > 0);
        Assert.True(result.UdpOutOfOrder > 0, "some datagrams arrived after later ones");
        Assert.Equal(300, result.UdpReceived);
        Assert.True(result.TcpIntact);
    }

    [Fact]
    public void Out_of_order_counts_late_arrivals()
    {
        Assert.Equal(0, OutOfOrder([0, 1, 2]));
        Assert.Equal(1, OutOfOrder([0, 2, 1, 3]));
        Assert.Equal(2, OutOfOrder([3, 0, 1]));
    }
}
