using System.Net;
using System.Net.Sockets;
using NetIpc.Sockets;

namespace NetIpc.Tests.Sockets;

public class LoopbackPortsTests
{
    [Theory]
    [InlineData(SocketType.Stream)]
    [InlineData(SocketType.Dgram)]
    public void An_unused_port_is_one_a_socket_of_that_type_can_bind_at_once_and_nobody_listens_on(SocketType type)
    {
        int port = LoopbackPorts.Unused(type);
        Assert.InRange(port, 1, 65535);
        using (var socket = new Socket(AddressFamily.InterNetwork, type, ProtocolType.Unspecified))
        {
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            Assert.Equal(port, socket.LocalPort());
        }
        if (type == SocketType.Stream)
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            var refused = Assert.Throws<SocketException>(() => client.Connect(new IPEndPoint(IPAddress.Loopback, port)));
            Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        }
    }
}
