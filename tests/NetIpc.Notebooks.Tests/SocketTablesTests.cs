using NetIpc.Hosts;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Notebooks.Tables;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Tests;

/// <summary>Chapters 01 and 03's tables and charts: the demo's descriptors, the zoo's views, the column guide, the state table.</summary>
public class SocketTablesTests
{
    [LinuxFact]
    public void Descriptor_table_grows_with_connect_and_accept()
    {
        using var demo = SocketsAreFiles.Start(preferredPort: 0);
        demo.Connect();
        Assert.Equal(2, demo.Descriptors().Rows.Count);
        demo.Accept();
        Assert.Equal(3, demo.Descriptors().Rows.Count);
    }

    /// <summary>In a network namespace of its own: TCPAbortOnClose counts for the namespace, and tests alongside close connections too.</summary>
    [InProcessFact(Capability.NetworkNamespace, Capability.LoopbackUp)]
    public void Closing_with_unread_bytes_shows_the_abort_counter()
    {
        var counters = NetworkNamespace.Run((_, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            var demo = SocketsAreFiles.Start(preferredPort: 0);
            using var closeOnCancel = cancel.Register(demo.Dispose);
            demo.Connect();
            demo.Accept();
            demo.ClientSends("x");
            return demo.Close().ToDataFrame();
        }, TimeSpan.FromSeconds(30));
        Assert.Equal("TcpExt.TCPAbortOnClose", counters["counter"][0]);
        Assert.Equal(1L, counters["change"][0]);
    }

    [Fact]
    public void Recorded_demo_tables_show_the_end_state()
    {
        using var demo = SocketsAreFiles.Recorded();
        demo.Connect();
        demo.Accept();
        Assert.Equal(4, demo.Descriptors().Rows.Count);
        Assert.Contains("nobody yet: waiting in the accept queue", demo.Table()["owned by"].Cast<string>());
    }

    [Fact]
    public void Recorded_zoo_view_says_the_child_was_not_run()
    {
        using var zoo = SocketZoo.Recorded();
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
        Assert.Equal(13, table.Rows.Count);
        Assert.Single(table["seed writes"].Cast<string>(), s => s.EndsWith("(typo)", StringComparison.Ordinal));
        // 12 and 13 come after the printed states, numbered as include/net/tcp_states.h numbers them.
        Assert.Equal([12, 13], table["decimal"].Cast<int>().Skip(11));
        Assert.Equal(["not listed", "not listed"], table["seed writes"].Cast<string>().Skip(11));
    }

    [Fact]
    public void State_chart_stacks_the_highlighted_sockets()
    {
        var table = Recordings.Proc("edge-cases").TcpAll();
        var html = Plotly.NET.GenericChart.toChartHTML(NetIpc.Notebooks.Charts.SocketCharts.States(table, e => e.Local.Port == 9513, "dual stack", "t"));
        Assert.Contains("dual stack", html);
        Assert.Contains("TIME-WAIT", html);
    }
}
