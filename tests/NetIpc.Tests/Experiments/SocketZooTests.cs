using NetIpc.Experiments;
using NetIpc.Namespaces;
using NetIpc.Proc;
using NetIpc.Notebooks;

namespace NetIpc.Tests.Experiments;

public class SocketZooTests
{
    [LinuxFact]
    public void Every_state_the_chapter_explains_is_in_the_table_and_gone_after_dispose_but_time_wait()
    {
        var zoo = SocketZoo.Start(preferredPort: 0);
        Assert.NotEqual(NetIpc.Sockets.SeedPort.Number, zoo.Port); // 9501 is left to the chapter tests running alongside
        var states = zoo.Lines().Select(l => l.Entry.State).ToHashSet();
        Assert.Superset(new HashSet<TcpState> { TcpState.Listen, TcpState.Established, TcpState.FinWait2, TcpState.CloseWait, TcpState.TimeWait, TcpState.SynRecv }, states);
        Assert.Equal(5UL, TcpTable.ParseLine(zoo.Line(TcpState.Established)).RxQueue);
        Assert.True(TcpTable.ParseLine(zoo.MappedLine()).Remote.Address.IsIPv4MappedToIPv6);
        Assert.Contains(zoo.UnixLines(), l => l.EndsWith("@zoo"));
        Assert.EndsWith("seed server.sock", zoo.UnixListenerLine());
        string unixPath = zoo.UnixPath;

        zoo.Dispose();
        Assert.All(zoo.Lines(), l => Assert.Equal(TcpState.TimeWait, l.Entry.State));
        Assert.False(File.Exists(unixPath));
    }

    [LinuxFact]
    public void Udp_drops_are_exactly_what_could_not_be_read()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        var receiver = ProcNet.ParseUdp("   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n" + zoo.UdpReceiverLine()).Single();
        Assert.True(receiver.Drops > 0);
        Assert.Equal((ulong)zoo.DatagramsSent, receiver.Drops + (ulong)zoo.DrainUdp());
    }

    [Fact]
    public void Recording_stands_in_for_the_zoo_and_says_so()
    {
        using var zoo = SocketZoo.Recorded();
        Assert.StartsWith("RECORDED", zoo.Source);
        Assert.Equal(9511, zoo.Port);
        Assert.Equal(TcpState.SynRecv, TcpTable.ParseLine(zoo.Line(TcpState.SynRecv)).State);
        Assert.Equal(3, zoo.DrainUdp());
        Assert.EndsWith("seed server.sock", zoo.UnixListenerLine());
        Assert.Contains("not run", TablesPerNamespace.ChildProcessView(zoo)["who reads"][0]!.ToString());
    }

    [LinuxFact]
    public void A_process_without_sockets_reads_the_same_table()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        var view = TablesPerNamespace.ChildProcessView(zoo);
        Assert.Equal(0, view["sockets in its fd table"][1]);
        Assert.Equal(true, view["lists this process's listener"][1]);
    }

    [ExperimentFact("twin-listener")]
    public void A_new_namespace_has_its_own_table_and_the_same_port_is_free_there()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        var view = TablesPerNamespace.NewNamespaceView(zoo);
        Assert.Equal(1, view["lines in tcp + tcp6"][1]);
        Assert.Equal(false, view["lists this process's listener"][1]);
        Assert.NotEqual(view["inode of the LISTEN line on the port"][0], view["inode of the LISTEN line on the port"][1]);
    }

    [Fact]
    public void Column_guide_decodes_every_column_of_a_recorded_line()
    {
        var tcp = ColumnGuide.Tcp(TcpTable.ParseWithText(Recordings.ReadText("proc/seed-server/tcp"))[4].Text);
        Assert.Equal(19, tcp.Rows.Count);
        Assert.Equal("19", tcp["decoded"][5]); // rx_queue: the unread "hello from telnet\r\n"
        var unixLine = Recordings.ReadText("proc/edge-cases/unix").Split('\n').First(l => l.Contains("@netipc@demo"));
        Assert.Equal("listening (__SO_ACCEPTCON)", ColumnGuide.Unix(unixLine)["decoded"][3]);
        var udpLine = Recordings.ReadText("proc/edge-cases/udp").Split('\n')[2];
        Assert.Equal("47", ColumnGuide.Udp(udpLine)["decoded"][13]);
    }

    [Fact]
    public void State_table_corrects_the_seed_once()
    {
        var table = TcpStates.Table();
        Assert.Equal(11, table.Rows.Count);
        Assert.Single(table["seed writes"].Cast<string>(), s => s != "same");
        Assert.Equal("TCP_LAST_ACK", TcpStates.KernelName(TcpState.LastAck));
    }

    [Fact]
    public void State_chart_stacks_the_highlighted_sockets()
    {
        var table = Recordings.Proc("edge-cases").TcpAll();
        var html = Plotly.NET.GenericChart.toChartHTML(NetIpc.Charts.SocketCharts.States(table, e => e.Local.Port == 9513, "dual stack", "t"));
        Assert.Contains("dual stack", html);
        Assert.Contains("TIME-WAIT", html);
    }
}
