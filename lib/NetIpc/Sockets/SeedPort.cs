using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>The port a demo bound: the seed's 9501 when it was free, otherwise one the kernel chose.</summary>
public sealed record PortChoice(int Port, string? Note)
{
    public override string ToString() => Note ?? $"bound port {Port}, as in the seed";
}

/// <summary>
/// The seed's servers listen on 9501. A demo uses it when it is free, so the numbers match the text;
/// when another program (or a second notebook) holds it, the demo takes an ephemeral port and says so,
/// rather than failing with EADDRINUSE.
/// </summary>
public static class SeedPort
{
    public const int Number = 9501;

    public static PortChoice Bind(Socket socket, IPAddress address, int preferred = Number)
    {
        try
        {
            socket.Bind(new IPEndPoint(address, preferred));
            return new PortChoice(preferred, null);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Bind(new IPEndPoint(address, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            return new PortChoice(port, $"port {preferred} is in use on this machine, so the kernel chose port {port} instead");
        }
    }

    /// <summary>A TCP socket bound like the seed's server (address, 9501 if free) and listening.</summary>
    public static (Socket Listener, PortChoice Port) Listen(IPAddress address, int backlog = 5, int preferred = Number)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var choice = Bind(listener, address, preferred);
            listener.Listen(backlog);
            return (listener, choice);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }
}
