using System.Net;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class SocketFilterTests
{
    [LinuxFact]
    public void A_socket_with_the_drop_everything_filter_receives_nothing_until_it_is_removed()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);

        SocketFilter.DropEverything(receiver);
        sender.SendTo("dropped"u8, receiver.LocalEndPoint!);
        Assert.False(receiver.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead));

        SocketFilter.Remove(receiver);
        sender.SendTo("heard"u8, receiver.LocalEndPoint!);
        Assert.True(receiver.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead));
        var buffer = new byte[16];
        Assert.Equal("heard", System.Text.Encoding.ASCII.GetString(buffer, 0, receiver.Receive(buffer)));
    }
}
