using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// One TCP connection over 127.0.0.1, as most experiments start: a listener on a port the kernel picks,
/// a client connected to it (on loopback the handshake is done inside connect()), and the server's end
/// from accept(). The hooks set options where they must be set: on the listener before listen() (the
/// accepted socket inherits them, and a receive buffer must be sized before the handshake), and on the
/// client before connect(). Disposing closes the server's end, the client, then the listener — the order
/// of the using declarations it replaces. Every socket is .NET's own, so close-on-exec.
/// </summary>
public sealed record LoopbackTcp(Socket Listener, Socket Client, Socket Server) : IDisposable
{
    public int ServerPort => Server.LocalPort();
    public int ClientPort => Client.LocalPort();

    public static LoopbackTcp Open(Action<Socket>? beforeListen = null, Action<Socket>? beforeConnect = null)
    {
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Socket? client = null;
        try
        {
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            beforeListen?.Invoke(listener);
            listener.Listen(1);
            client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            beforeConnect?.Invoke(client);
            client.Connect(listener.LocalEndPoint!);
            return new LoopbackTcp(listener, client, listener.Accept());
        }
        catch
        {
            client?.Dispose();
            listener.Dispose();
            throw;
        }
    }

    /// <summary>The two ends alone, the listener closed: for callers that pass the pair on.</summary>
    public (Socket Client, Socket Server) WithoutListener()
    {
        Listener.Dispose();
        return (Client, Server);
    }

    public void Dispose()
    {
        Server.Dispose();
        Client.Dispose();
        Listener.Dispose();
    }
}
