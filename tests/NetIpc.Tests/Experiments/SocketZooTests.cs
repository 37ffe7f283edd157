using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Tests.Experiments;

public class SocketZooTests
{
    [LinuxFact]
    public void Every_state_the_chapter_explains_is_in_the_table_and_gone_after_dispose_but_time_wait()
    {
        var zoo = SocketZoo.Start(preferredPort: 0);
        Assert.NotEqual(NetIpc.Sockets.SeedPort.Number, zoo.Port); // 9501 is left to the chapter tests running alongside
        var states = zoo.Lines().Select(l => l.Entry.State).ToHashSet();
        Assert.Superset(new HashSet<KernelTcpState> { KernelTcpState.Listen, KernelTcpState.Established, KernelTcpState.FinWait2, KernelTcpState.CloseWait, KernelTcpState.TimeWait, KernelTcpState.SynRecv }, states);
        Assert.Equal(5UL, TcpTable.ParseLine(zoo.Line(KernelTcpState.Established)).RxQueue);
        Assert.True(TcpTable.ParseLine(zoo.MappedLine()).Remote.Address.IsIPv4MappedToIPv6);
        Assert.Contains(zoo.UnixLines(), l => l.EndsWith("@zoo"));
        Assert.EndsWith("seed server.sock", zoo.UnixListenerLine());
        string unixPath = zoo.UnixPath;

        zoo.Dispose();
        Assert.All(zoo.Lines(), l => Assert.Equal(KernelTcpState.TimeWait, l.Entry.State));
        Assert.False(File.Exists(unixPath));
    }

    [LinuxFact]
    public void The_chapters_checks_hold_and_each_summary_row_is_one_endpoint()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        Assert.All(zoo.Checks(), c => Assert.True(c.Holds, $"{c.Claim}: {c.Evidence}"));
        var parts = zoo.Parts();
        Assert.All(parts, p => Assert.DoesNotContain(", ", p.Where));
        Assert.Contains(parts, p => p.ExpectedState == "SYN-RECV" && p.Where!.Contains(" → ", StringComparison.Ordinal));
    }

    [Fact]
    public void The_deferred_ack_check_fails_when_no_ack_was_dropped()
    {
        Assert.True(SocketZoo.DeferredAckDropped(7, 8).Holds);
        Assert.False(SocketZoo.DeferredAckDropped(7, 7).Holds);
        Assert.False(SocketZoo.DeferredAckDropped(-1, -1).Holds);
    }

    [LinuxFact]
    public void Udp_drops_are_exactly_what_could_not_be_read()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        var receiver = ProcNet.ParseUdp("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" + zoo.UdpReceiverLine()).Single();
        Assert.True(receiver.Drops > 0);
        Assert.Equal((ulong)zoo.DatagramsSent, receiver.Drops + (ulong)zoo.DrainUdp());
    }

    [LinuxFact]
    public void Two_zoos_alive_at_once_in_one_process_do_not_collide()
    {
        using var first = SocketZoo.Start(preferredPort: 0);
        using var second = SocketZoo.Start(preferredPort: 0);
        Assert.NotEqual(first.AbstractName, second.AbstractName);
        Assert.NotEqual(first.UnixPath, second.UnixPath);
        Assert.Contains(second.UnixLines(), l => l.EndsWith("@zoo"));
    }

    [Fact]
    public void Recording_stands_in_for_the_zoo_and_says_so()
    {
        using var zoo = SocketZoo.Recorded();
        Assert.StartsWith("RECORDED", zoo.Source);
        Assert.Equal(9511, zoo.Port);
        Assert.Equal(KernelTcpState.SynRecv, TcpTable.ParseLine(zoo.Line(KernelTcpState.SynRecv)).State);
        Assert.Equal(3, zoo.DrainUdp());
        Assert.EndsWith("seed server.sock", zoo.UnixListenerLine());
    }

    [Fact]
    public void State_names_are_the_kernels()
    {
        Assert.Equal("TCP_LAST_ACK", TcpStates.KernelName(KernelTcpState.LastAck));
    }
}
