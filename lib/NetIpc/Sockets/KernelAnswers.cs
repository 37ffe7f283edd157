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
        var (client, server) = LoopbackTcp.Open().WithoutListener();
        using (server)
        {
            client.Dispose();
            return server.Receive(new byte[16]);
        }
    }

    /// <summary>The errno of connect() to a loopback port nobody listens on.</summary>
    public static int ConnectRefusedErrno()
    {
        int port = LoopbackPorts.Unused();
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
        var (client, server) = LoopbackTcp.Open().WithoutListener();
        using (client)
        using (server)
        {
            server.Blocking = false;
            return ErrnoOf(() => server.Receive(new byte[16]));
        }
    }

    /// <summary>
    /// Which end of a loopback connection the kernel keeps in TIME_WAIT when the server closes first and the
    /// client closes after reading the end of file: "server", "client" or "neither", read from /proc/net/tcp.
    /// </summary>
    public static string TimeWaitSideWhenServerClosesFirst()
    {
        var (client, server) = LoopbackTcp.Open().WithoutListener();
        int serverPort = server.LocalPort();
        int clientPort = client.LocalPort();
        using (client)
        {
            server.Dispose();
            client.ReceiveTimeout = 2000;
            client.Receive(new byte[16]); // 0: the server's FIN arrived
        }
        // The last ACK may still be on its way through loopback: look for a moment.
        for (int attempt = 0; attempt < 50; attempt++)
        {
            // Loopback on both ends, so the two ports name the connection; TcpAll, as the pair may be IPv4 on a dual-mode socket.
            var waiting = Proc.ProcNet.Self.TcpAll().Where(e => e.State == Proc.KernelTcpState.TimeWait).ToList();
            if (waiting.Any(e => e.Local.Port == serverPort && e.Remote.Port == clientPort)) return "server";
            if (waiting.Any(e => e.Local.Port == clientPort && e.Remote.Port == serverPort)) return "client";
            Thread.Sleep(10);
        }
        return "neither";
    }

    /// <summary>
    /// What each recvfrom() returns when datagrams of <paramref name="sizes"/> bytes are sent, then read one by one
    /// into a buffer of <paramref name="buffer"/> bytes.
    /// </summary>
    public static int[] RecvfromReturns(int[] sizes, int buffer)
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.ReceiveTimeout = 2000;
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        foreach (int size in sizes) sender.SendTo(new byte[size], receiver.LocalEndPoint!);
        var into = new byte[buffer];
        var returns = new int[sizes.Length];
        for (int i = 0; i < sizes.Length; i++)
        {
            // .NET reports a cut datagram as MessageSize after filling the buffer; C's recvfrom returns the bytes copied.
            try
            {
                returns[i] = receiver.Receive(into);
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.MessageSize)
            {
                returns[i] = buffer;
            }
        }
        return returns;
    }

    /// <summary>
    /// The largest UDP payload one sendto() over IPv4 loopback accepts, found by trying: a larger one fails with
    /// EMSGSIZE. Searched between 1 and 65,535 bytes (the IPv4 total-length field's limit).
    /// </summary>
    public static int LargestUdpPayload()
    {
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 1 << 20 };
        receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { SendBufferSize = 1 << 20 };
        var payload = new byte[65_535];
        int low = 1, high = 65_535; // low is known to pass once tried; find the largest that does
        while (low < high)
        {
            int mid = low + (high - low + 1) / 2;
            bool sent = ErrnoOf(() => sender.SendTo(payload.AsSpan(0, mid), receiver.LocalEndPoint!)) == 0;
            if (sent) low = mid; else high = mid - 1;
        }
        return low;
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
