using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>What every experiment does with its sockets: learn the port it got, read a whole message, and abort at the end.</summary>
public static class SocketExtensions
{
    /// <summary>The port an IP socket is bound to (the one the kernel picked after a bind to port 0).</summary>
    /// <exception cref="InvalidOperationException">The socket is not bound, or is not an IP socket.</exception>
    public static int LocalPort(this Socket socket) => socket.LocalEndPoint switch
    {
        IPEndPoint ip => ip.Port,
        null => throw new InvalidOperationException("the socket is not bound: it has no port yet"),
        var other => throw new InvalidOperationException($"a {other.AddressFamily} socket has no port"),
    };

    /// <summary>
    /// Reads until <paramref name="buffer"/> is full. TCP is a byte stream: one Receive may return part of a
    /// message, so loop until it is whole.
    /// </summary>
    public static void ReceiveExactly(this Socket socket, Span<byte> buffer)
    {
        while (!buffer.IsEmpty)
        {
            int n = socket.Receive(buffer);
            if (n == 0)
            {
                throw new EndOfStreamException("the peer closed the connection mid-message");
            }
            buffer = buffer[n..];
        }
    }

    /// <summary>
    /// Makes the receive buffer hold a burst: SO_RCVBUFFORCE passes net.core.rmem_max but needs
    /// CAP_NET_ADMIN over the whole machine (capable(), not ns_capable()), which root inside a user
    /// namespace lacks; there SO_RCVBUF grants what rmem_max allows. Returns what the kernel granted.
    /// </summary>
    public static int ForceReceiveBuffer(this Socket socket, int bytes)
    {
        try
        {
            socket.SetRawSocketOption(Native.SocketOptions.SolSocket, Native.SocketOptions.SoRcvBufForce, BitConverter.GetBytes(bytes));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AccessDenied)
        {
            socket.SetRawSocketOption(Native.SocketOptions.SolSocket, Native.SocketOptions.SoRcvBuf, BitConverter.GetBytes(bytes));
        }
        return socket.ReceiveBufferSize;
    }

    /// <summary>Closes with SO_LINGER 0: an abortive close (RST) that leaves no FIN_WAIT, LAST_ACK or TIME_WAIT behind.</summary>
    public static void Abort(this Socket socket)
    {
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // already shut down or closed: nothing left to abort
        }
        socket.Dispose();
    }
}

/// <summary>Loopback ports nobody is using, for a server the course starts elsewhere (iperf3) or a connect that must be refused.</summary>
public static class LoopbackPorts
{
    /// <summary>
    /// A port the kernel would give a <paramref name="type"/> socket on 127.0.0.1 now: free again once the probe
    /// closes, and never listened on. Another program may take it before the caller does; callers bind it at once.
    /// </summary>
    public static int Unused(SocketType type = SocketType.Stream)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, type, ProtocolType.Unspecified);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return probe.LocalPort();
    }
}
