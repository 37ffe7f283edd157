using System.Net;
using System.Net.Sockets;
using NetIpc.Notebooks.Tables;
using NetIpc.Proc;

namespace NetIpc.Notebooks.Tests;

/// <summary>The DataFrames of the /proc parsers' tables (Tables/ProcTables.cs).</summary>
public class ProcTablesTests
{
    private static readonly UnixTable UnixEdgeCases = UnixTable.Parse(Recordings.ReadText("proc/edge-cases/unix"), "unix");

    [Fact]
    public void Tcp_data_frame_has_a_row_per_socket()
    {
        var table = TcpTable.Parse(Recordings.ReadText("proc/edge-cases/tcp"), "tcp");
        var frame = table.ToDataFrame();
        Assert.Equal(table.Count, frame.Rows.Count);
        Assert.Equal("TimeWait", frame["state"][2]);
    }

    [Fact]
    public void Udp_data_frame_keeps_drops()
    {
        var frame = UdpTable.Parse(Recordings.ReadText("proc/edge-cases/udp"), "edge-cases/udp").ToDataFrame();
        Assert.Equal(2, frame.Rows.Count);
        Assert.Contains(47UL, frame["drops"].Cast<ulong>());
    }

    [Fact]
    public void Unix_data_frame_lists_every_socket()
    {
        var frame = UnixEdgeCases.ToDataFrame();
        Assert.Equal(UnixEdgeCases.Count, frame.Rows.Count);
        Assert.Contains("listening", frame["state"].Cast<string>());
    }

    [LinuxFact]
    public void Socket_table_frame_has_a_row_per_socket_of_this_process()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        using var server = listener.Accept();
        var mine = SocketTable.Tcp().OwnedBy(Environment.ProcessId);
        Assert.True(mine.Count >= 3, $"{mine.Count} sockets");
        Assert.Equal(mine.Count, mine.ToDataFrame().Rows.Count);
    }
}
