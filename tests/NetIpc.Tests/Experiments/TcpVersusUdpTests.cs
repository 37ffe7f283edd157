using static NetIpc.Experiments;

namespace NetIpc.Tests.Experiments;

public class TcpVersusUdpTests
{
    [Fact]
    public void Tcp_is_a_stream_udp_keeps_boundaries_and_a_short_read_truncates_only_that_datagram()
    {
        var result = Boundaries();
        var tcp = Assert.Single(result.Reads, r => r.Protocol == "TCP");
        Assert.Equal("onetwothree", tcp.Text);
        Assert.Equal(["one", "two", "three"], result.Reads.Where(r => r.Protocol == "UDP" && r.Call <= 3).Select(r => r.Text));
        var truncated = Assert.Single(result.Reads, r => r.Truncated);
        Assert.Equal(10, truncated.Bytes);
        Assert.Equal("xxxxxxxxxx", truncated.Text);
        Assert.Equal("next", result.Reads[^1].Text); // the rest of the cut datagram is gone, not delivered later
    }

    [LinuxFact]
    public void Udp_drops_counted_by_the_kernel_are_exactly_the_datagrams_that_never_arrived()
    {
        var result = UdpDrops([10, 100, 400], [4096, 65536]);
        Assert.All(result.Bursts, b => Assert.Equal(b.Sent - b.Received, b.DropsColumn));
        Assert.All(result.Bursts, b => Assert.True(b.RcvbufErrors >= b.DropsColumn, $"RcvbufErrors {b.RcvbufErrors} < drops {b.DropsColumn}"));
        Assert.True(result.Bursts.Single(b => b.Sent == 400 && b.ReceiveBuffer < 65536).DropsColumn > 0);
        var small = result.Bursts.Where(b => b.ReceiveBuffer < 65536).Max(b => b.Received);
        var large = result.Bursts.Where(b => b.ReceiveBuffer >= 65536).Max(b => b.Received);
        Assert.True(large > small, $"a larger buffer kept {large}, the small one {small}");
    }

    [LinuxTheory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_tcp_server_has_a_descriptor_per_client_and_a_udp_server_one(int clients)
    {
        var r = ServerDescriptors(clients);
        // The experiment matched /proc/self/fd with the tables by inode while the clients were open; afterwards
        // neither server may leave a socket behind on its port.
        Assert.Equal(clients + 1, r.Tcp.Descriptors.Count);
        Assert.Single(r.Udp.Descriptors);
        Assert.Equal(clients + 1, r.Tcp.TableLines.Count);
        Assert.Equal(clients, r.Udp.Peers.Distinct().Count());
        Assert.DoesNotContain(NetIpc.Proc.ProcNet.Self.Tcp(), e => e.Local.Port == r.Tcp.Port || e.Remote.Port == r.Tcp.Port);
        Assert.DoesNotContain(NetIpc.Proc.ProcNet.Self.Udp(), e => e.Local.Port == r.Udp.Port);
    }
}
