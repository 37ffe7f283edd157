using System.Net;
using NetIpc.Experiments;
using NetIpc.Proc;
using NetIpc.Notebooks;

namespace NetIpc.Tests.Experiments;

public class ByteOrderLabTests
{
    [LinuxFact]
    public void Lines_are_the_kernels_own_for_the_sockets_the_lab_opened()
    {
        using var lab = ByteOrderLab.Start(preferredPort: 0);
        Assert.NotEqual(NetIpc.Sockets.SeedPort.Number, lab.Port); // 9501 is left to the chapter tests running alongside
        var listener = TcpTable.ParseLine(lab.ListenerLine);
        Assert.Equal((new IPEndPoint(IPAddress.Loopback, lab.Port), TcpState.Listen), (listener.Local, listener.State));
        Assert.Contains($"0100007F:{lab.Port:X4} 00000000:0000 0A", lab.ListenerLine);
        var client = TcpTable.ParseLine(lab.ClientLine);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, lab.Port), client.Remote);
        Assert.Equal(IPAddress.IPv6Loopback, TcpTable.ParseLine(lab.Ipv6Line).Local.Address);
    }

    [Fact]
    public void Sockaddr_puts_the_port_in_network_order_and_the_family_in_host_order()
    {
        var frame = ByteOrder.Sockaddr(new IPEndPoint(IPAddress.Any, 9501));
        Assert.Equal(["sin_family", "sin_port", "sin_addr", "sin_zero (padding)"], frame["field"].Cast<string>());
        Assert.Equal("25 1D", frame["bytes in memory"][1]);
        Assert.Equal(BitConverter.IsLittleEndian ? "02 00" : "00 02", frame["bytes in memory"][0]);
        Assert.Equal("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01", ByteOrder.Sockaddr(new IPEndPoint(IPAddress.IPv6Loopback, 1))["bytes in memory"][3]);
    }

    [Fact]
    public void Addresses_show_their_network_order_bytes()
    {
        var frame = ByteOrder.ShowAddresses("127.0.0.1");
        Assert.Equal("7F 00 00 01", frame["bytes in memory"][0]);
        Assert.Equal("127.0.0.1", frame["inet_ntoa() back"][0]);
    }

    [Fact]
    public void Parse_with_text_pairs_each_line_with_its_entry()
    {
        var pairs = TcpTable.ParseWithText(Recordings.ReadText("proc/seed-server/tcp"));
        Assert.Equal(5, pairs.Count);
        Assert.All(pairs, p => Assert.Equal(p.Entry, TcpTable.ParseLine(p.Text)));
    }
}
