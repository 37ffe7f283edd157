using System.Net;
using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>data/proc/*/udp and udp6 ↔ UdpTable.cs.</summary>
public class UdpTableTests
{
    private static UdpTable Recorded(string path) => UdpTable.Parse(Recordings.ReadText($"proc/{path}"), path);

    [Fact]
    public void Receiver_that_overflowed_reports_its_drops_and_buffer_memory()
    {
        var receiver = Assert.Single(Recorded("edge-cases/udp"), e => e.Local.Port == 9514);
        Assert.Equal(KernelTcpState.Close, receiver.State);
        Assert.False(receiver.IsConnected);
        Assert.Equal(47UL, receiver.Drops);
        Assert.Equal(0xF00UL, receiver.RxQueue); // memory charged to the buffer, not payload bytes (3 × 512)
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), receiver.Remote);
    }

    [Fact]
    public void Connected_sender_has_state_01_and_its_peer()
    {
        var sender = Assert.Single(Recorded("edge-cases/udp"), e => e.IsConnected);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9514), sender.Remote);
        Assert.Equal(0UL, sender.Drops);
    }

    [Fact]
    public void Slot_is_the_hash_bucket_not_a_line_number()
    {
        Assert.Equal([2717, 12997], Recorded("edge-cases/udp").Select(e => e.Slot));
    }

    [Fact]
    public void Udp6_socket_on_loopback()
    {
        var entry = Assert.Single(Recorded("edge-cases/udp6"));
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9515), entry.Local);
        Assert.Equal("udp6", entry.Netid);
    }

    [Fact]
    public void Older_header_spacing_reads_the_same_entries()
    {
        Assert.Equal(Recorded("edge-cases/udp"), Recorded("variants/udp-old-header"));
    }

    [Fact]
    public void A_column_a_newer_kernel_appends_is_ignored()
    {
        Assert.Equal(Recorded("edge-cases/udp"), Recorded("variants/udp-extra-column"));
    }

    [Fact]
    public void Missing_drops_column_is_named()
    {
        string text = "   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
            + "  1: 0100007F:252A 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 7648 2 00000000edd1b2e1\n";
        var error = Assert.Throws<ProcFormatException>(() => UdpTable.Parse(text, "udp"));
        Assert.Equal((2, "drops"), (error.Line, error.Field));
    }
}
