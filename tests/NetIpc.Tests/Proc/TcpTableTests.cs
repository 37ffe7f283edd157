using System.Net;
using NetIpc.Proc;

namespace NetIpc.Tests.Proc;

/// <summary>data/proc/*/tcp and tcp6 ↔ TcpTable.cs.</summary>
public class TcpTableTests
{
    private static TcpTable Recorded(string scenario, string file) =>
        TcpTable.Parse(Recordings.ReadText($"proc/{scenario}/{file}"), file);

    [Fact]
    public void A_column_a_newer_kernel_appends_is_ignored()
    {
        Assert.Equal(Recorded("seed-server", "tcp"), Recorded("variants", "tcp-extra-column"));
    }

    [Fact]
    public void Seed_server_listener_counts_the_connection_nobody_accepted()
    {
        var table = Recorded("seed-server", "tcp");
        var listener = Assert.Single(table, e => e.State == KernelTcpState.Listen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 9501), listener.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 0), listener.Remote);
        Assert.Equal(1UL, listener.RxQueue);
        Assert.Equal(0UL, listener.TxQueue);
        Assert.Equal(7617UL, listener.Inode);
    }

    [Fact]
    public void Seed_server_connection_waiting_in_the_accept_queue_has_inode_0()
    {
        var table = Recorded("seed-server", "tcp");
        var serverSides = table.Where(e => e.State == KernelTcpState.Established && e.Local.Port == 9501).ToList();
        Assert.Equal(2, serverSides.Count);
        var waiting = Assert.Single(serverSides, e => e.Inode == 0);
        var accepted = Assert.Single(serverSides, e => e.Inode != 0);
        Assert.Equal(0x13UL, accepted.RxQueue); // "hello from telnet\r\n", unread
        Assert.Equal(0UL, waiting.RxQueue);
        Assert.Equal(IPAddress.Loopback, waiting.Remote.Address);
    }

    [Fact]
    public void Seed_server_inodes_are_the_ones_the_fd_table_points_at()
    {
        var fds = ProcessFds.ParseListing(Recordings.ReadText("proc/seed-server/fd"));
        var tableInodes = Recorded("seed-server", "tcp").Select(e => e.Inode).Where(i => i != 0).Order();
        Assert.Equal(tableInodes, fds.Select(f => f.SocketInode!.Value).Order());
    }

    [Fact]
    public void Every_line_is_parsed_once_with_its_slot()
    {
        var table = Recorded("edge-cases", "tcp");
        Assert.Equal(Enumerable.Range(0, 8), table.Select(e => e.Slot));
    }

    [Fact]
    public void Time_wait_line_is_short_and_owned_by_nobody()
    {
        var timeWait = Assert.Single(Recorded("edge-cases", "tcp"), e => e.State == KernelTcpState.TimeWait);
        Assert.Equal(TcpTimer.TimeWait, timeWait.Timer);
        Assert.Equal(0x176DUL, timeWait.TimerTicks);
        Assert.Equal(TimeSpan.FromMilliseconds(0x176D * 10), timeWait.TimerRemaining);
        Assert.Equal(0UL, timeWait.Inode);
        Assert.Equal(3, timeWait.RefCount);
        Assert.Equal(9510, timeWait.Remote.Port);
    }

    [Fact]
    public void Syn_recv_request_line_has_retransmit_timer_inode_0_and_refcount_0()
    {
        var synRecv = Assert.Single(Recorded("edge-cases", "tcp"), e => e.State == KernelTcpState.SynRecv);
        Assert.Equal(TcpTimer.Retransmit, synRecv.Timer);
        Assert.Equal(0UL, synRecv.Inode);
        Assert.Equal(0, synRecv.RefCount);
        Assert.Equal(9512, synRecv.Local.Port);
    }

    [Fact]
    public void Half_closed_connection_shows_fin_wait2_and_close_wait_with_the_fin_counted()
    {
        var table = Recorded("edge-cases", "tcp");
        var finWait2 = Assert.Single(table, e => e.State == KernelTcpState.FinWait2);
        var closeWait = Assert.Single(table, e => e.State == KernelTcpState.CloseWait);
        Assert.Equal(finWait2.Local, closeWait.Remote);
        Assert.Equal(1UL, closeWait.RxQueue);
        Assert.Equal(0UL, finWait2.Inode);
    }

    [Fact]
    public void Tcp6_decodes_byte_swapped_groups_and_ipv4_mapped_peers()
    {
        var table = Recorded("edge-cases", "tcp6");
        Assert.All(table, e => Assert.True(e.IsIPv6));
        Assert.Contains(table, e => e.State == KernelTcpState.Listen && e.Local.Equals(new IPEndPoint(IPAddress.IPv6Any, 9513)));
        Assert.Contains(table, e => e.Local.Address.Equals(IPAddress.IPv6Loopback) && e.Remote.Address.Equals(IPAddress.IPv6Loopback));
        var mapped = Assert.Single(table, e => e.Local.Address.IsIPv4MappedToIPv6);
        Assert.Equal(IPAddress.Parse("::ffff:127.0.0.1"), mapped.Remote.Address);
        Assert.Equal("tcp6", mapped.Netid);
    }

    [Fact]
    public void Keepalive_timer_is_recognised()
    {
        var keepalive = Assert.Single(Recorded("edge-cases", "tcp6"), e => e.Timer == TcpTimer.Keepalive);
        Assert.Equal(9513, keepalive.Remote.Port);
        Assert.True(keepalive.TimerRemaining > TimeSpan.FromMinutes(60), "the default keepalive time is two hours");
    }

    [Fact]
    public void Inode_past_32_bits_is_kept_whole()
    {
        var listener = Assert.Single(Recorded("variants", "tcp-64bit-inode"), e => e.State == KernelTcpState.Listen);
        Assert.Equal(18446744073709551614UL, listener.Inode);
    }

    [Theory]
    [InlineData("   0: 0100007F:251D 00000000:0000 0C 00000000:00000000 00:00000000 00000000     0        0 1 1 0", "st")]
    [InlineData("   0: 0100007F:251D 00000000:0000 0A 00000000:00000000 07:00000000 00000000     0        0 1 1 0", "tr:tm->when")]
    [InlineData("   0: 0100007F:251D 00000000:0000 0A 00000000-00000000 00:00000000 00000000     0        0 1 1 0", "tx_queue:rx_queue")]
    [InlineData("   0: 0100007F:25 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0", "local_address")]
    [InlineData("   0: 0100007F:251D 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0", "rem_address")]
    [InlineData("   0: 0100007F:251D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0", "inode")]
    [InlineData("   0: 0100007F:251D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     x        0 1 1 0", "uid")]
    [InlineData("   x: 0100007F:251D 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1 0", "sl")]
    public void Malformed_line_names_the_line_and_the_field(string line, string field)
    {
        string text = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" + line + "\n";
        var error = Assert.Throws<ProcFormatException>(() => TcpTable.Parse(text, "tcp-under-test"));
        Assert.Equal(2, error.Line);
        Assert.Equal(field, error.Field);
        Assert.StartsWith($"tcp-under-test, line 2, field '{field}': ", error.Message);
    }

    [Fact]
    public void Missing_header_is_an_error_on_line_1()
    {
        var error = Assert.Throws<ProcFormatException>(() => TcpTable.Parse("   0: 0100007F:251D 00000000:0000 0A\n"));
        Assert.Equal((1, "header"), (error.Line, error.Field));
        Assert.Equal("header", Assert.Throws<ProcFormatException>(() => TcpTable.Parse("")).Field);
    }

    [Fact]
    public void Header_only_is_an_empty_table()
    {
        Assert.Empty(TcpTable.Parse("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"));
    }
}
