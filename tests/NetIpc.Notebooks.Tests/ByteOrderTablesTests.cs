using System.Net;
using NetIpc.Notebooks.Tables;

namespace NetIpc.Notebooks.Tests;

/// <summary>Chapter 02's tables (Tables/ByteOrderTables.cs).</summary>
public class ByteOrderTablesTests
{
    [Fact]
    public void Show_frame_has_a_row_per_form()
    {
        var view = ByteOrder.Show(9501);
        Assert.Equal(view.Rows.Count, view.ToDataFrame().Rows.Count);
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
}
