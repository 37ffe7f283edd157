using static NetIpc.Experiments.Experiments;

namespace NetIpc.Tests.Experiments;

public class LossyPathTests
{
    [RootFact]
    public void Udp_loses_datagrams_on_a_lossy_wire_while_tcp_delivers_every_byte_by_retransmitting()
    {
        var result = LossyPath(lossPercent: 10, datagrams: 300, tcpBytes: 200_000);
        Assert.True(result.DroppedFrames > 0, "the relay dropped frames");
        Assert.InRange(result.UdpReceived, 200, 299);
        Assert.True(result.UdpInOrder);
        Assert.True(result.TcpIntact, $"TCP received {result.TcpBytesReceived} of {result.TcpBytesSent} bytes");
        Assert.True(result.TcpRetransSegs > 0, "Tcp.RetransSegs moved");
    }
}
