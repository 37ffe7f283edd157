using static NetIpc.Experiments.Experiments;

namespace NetIpc.Tests.Experiments;

public class ThroughputTests
{
    [Fact]
    public void Every_transport_moves_data_and_unix_datagrams_lose_none()
    {
        var result = Throughput([256, 8192], TimeSpan.FromMilliseconds(100), roundTrips: 20);
        Assert.Equal(8, result.Points.Count);
        Assert.All(result.Points, p => Assert.True(p.MegabytesPerSecond > 0 && p.MedianRoundTripMicroseconds > 0, p.ToString()));
        Assert.All(result.Points.Where(p => p.Transport.StartsWith("UNIX") || p.Transport.StartsWith("TCP")), p => Assert.Equal(0, p.MessagesLost));
    }
}
