using System.Net;
using NetIpc.Packets;
using NetIpc.Proc;

namespace NetIpc.Tests.Experiments;

public class ByteOrderLabTests
{
    [LinuxFact]
    public void Lines_are_the_kernels_own_for_the_sockets_the_lab_opened()
    {
        using var lab = ByteOrderLab.Start(preferredPort: 0);
        Assert.NotEqual(NetIpc.Sockets.SeedPort.Number, lab.Port); // 9501 is left to the chapter tests running alongside
        var listener = TcpTable.ParseLine(lab.ListenerLine);
        Assert.Equal((new IPEndPoint(IPAddress.Loopback, lab.Port), KernelTcpState.Listen), (listener.Local, listener.State));
        Assert.Contains($"0100007F:{lab.Port:X4} 00000000:0000 0A", lab.ListenerLine);
        var client = TcpTable.ParseLine(lab.ClientLine);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, lab.Port), client.Remote);
        Assert.Equal(IPAddress.IPv6Loopback, TcpTable.ParseLine(lab.Ipv6Line).Local.Address);
    }

    [Fact]
    public void Parse_with_text_pairs_each_line_with_its_entry()
    {
        var pairs = TcpTable.ParseWithText(Recordings.ReadText("proc/seed-server/tcp"));
        Assert.Equal(5, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(p.Entry, TcpTable.ParseLine(p.Text)));
    }
}
