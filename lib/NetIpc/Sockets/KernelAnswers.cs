using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// Small questions put to the kernel by doing the thing once on loopback: what read() returns after the
/// peer closed, the errno of a refused connect(), and so on. The chapters' self-checks compare a
/// learner's answer with these, so the truth comes from the running kernel, not from the checker.
/// </summary>
public static class KernelAnswers
{
    /// <summary>What read() returns on a connection whose peer has closed and sent everything.</summary>
    public static int ReadAfterPeerClosed()
    {
        var (client, server) = LoopbackConnection();
        using (server)
        {
            client.Dispose();
            return server.Receive(new byte[16]);
        }
    }

    /// <summary>The errno of connect() to a loopback port nobody listens on.</summary>
    public static int ConnectRefusedErrno()
    {
        int port;
        using (var probe = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            port = ((IPEndPoint)probe.LocalEndPoint!).Port; // free again once the probe closes, and never listened on
        }
        using var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        return ErrnoOf(() => client.Connect(new IPEndPoint(IPAddress.Loopback, port)));
    }

    /// <summary>The errno of bind() to the address of a listening socket.</summary>
    public static int AddressInUseErrno()
    {
        using var first = new Socket(SocketType.Stream, ProtocolType.Tcp);
        first.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        first.Listen(1);
        using var second = new Socket(SocketType.Stream, ProtocolType.Tcp);
        return ErrnoOf(() => second.Bind(first.LocalEndPoint!));
    }

    /// <summary>What getsockopt(SO_RCVBUF) reports after setsockopt(SO_RCVBUF, <paramref name="requested"/>).</summary>
    public static int ReceiveBufferReported(int requested)
    {
        // ReceiveBufferSize is setsockopt/getsockopt(SOL_SOCKET, SO_RCVBUF) with nothing added by .NET.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = requested };
        return socket.ReceiveBufferSize;
    }

    /// <summary>The errno of read() on a non-blocking socket with nothing to read.</summary>
    public static int NonBlockingReadErrno()
    {
        var (client, server) = LoopbackConnection();
        using (client)
        using (server)
        {
            server.Blocking = false;
            return ErrnoOf(() => server.Receive(new byte[16]));
        }
    }

    /// <summary>A connected pair over loopback; nothing is left open if any step fails.</summary>
    private static (Socket Client, Socket Server) LoopbackConnection()
    {
        using var listener = new Socket(SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            client.Connect(listener.LocalEndPoint!);
            return (client, listener.Accept());
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>The errno a socket call failed with (on Linux SocketException.NativeErrorCode is it), or 0 when it succeeded.</summary>
    private static int ErrnoOf(Action call)
    {
        try
        {
            call();
            return 0;
        }
        catch (SocketException e)
        {
            return e.NativeErrorCode;
        }
    }
}
