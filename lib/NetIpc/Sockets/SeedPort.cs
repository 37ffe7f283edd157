using System.Net;
using System.Net.Sockets;

namespace NetIpc.Sockets;

/// <summary>
/// The port a demo bound. <paramref name="Preferred"/> is the port it asked for (the seed's 9501, or 0 when
/// a caller such as a test must stay off it); <paramref name="Note"/> is set only when the preferred port
/// was refused, and says why. <paramref name="ProcFile"/> is the table that lists the socket: tcp6 for an IPv6
/// socket, udp for a datagram one.
/// </summary>
public sealed record PortChoice(int Port, int Preferred, string? Note, string ProcFile = "/proc/net/tcp")
{
    public bool IsSeeds => Port == SeedPort.Number;

    /// <summary>
    /// One sentence about the port obtained, computed from it, so a chapter never shows 9501 or 251D
    /// unless the kernel really gave it 9501.
    /// </summary>
    public string Sentence => IsSeeds
        ? $"port {Port}, the seed's port ({Port:X4} in {ProcFile})"
        : Note is null
            ? $"port {Port} ({Port:X4} in {ProcFile}), chosen by the kernel"
            : $"port {Port} ({Port:X4} in {ProcFile}), not the seed's {Preferred}: {Note}";

    public override string ToString() => Sentence;
}

/// <summary>
/// The seed's servers listen on 9501. A demo uses it whenever the kernel allows, so the numbers match the
/// text; only when another socket really holds it does the demo take an ephemeral port and say so, rather
/// than failing with EADDRINUSE.
/// </summary>
public static class SeedPort
{
    public const int Number = 9501;

    /// <summary>
    /// Sets SO_REUSEADDR and binds <paramref name="preferred"/> (0 asks the kernel for any free port).
    /// SO_REUSEADDR alone, not .NET's ReuseAddress (which on Linux adds SO_REUSEPORT and would let a second
    /// course server listen on the same port): with it, a TIME_WAIT that an earlier run left on the port
    /// does not refuse the bind — the kernel passes a TIME_WAIT only when its socket had SO_REUSEADDR too,
    /// and every server of the course sets it. So what still says EADDRINUSE is a socket that listens
    /// there, or one bound without SO_REUSEADDR. (.NET sets SO_REUSEADDR itself when it binds a socket
    /// created with ProtocolType.Tcp, but not one created with protocol 0 as <see cref="Sys.socket"/> does,
    /// like C; so it is set here, for every caller.)
    /// </summary>
    public static PortChoice Bind(Socket socket, IPAddress address, int preferred = Number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(preferred);
        socket.SetRawSocketOption(Native.SocketOptions.SolSocket, Native.SocketOptions.SoReuseAddr, BitConverter.GetBytes(1));
        try
        {
            socket.Bind(new IPEndPoint(address, preferred));
            return new PortChoice(LocalPort(socket), preferred, null, ProcFileOf(socket));
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && preferred != 0)
        {
            socket.Bind(new IPEndPoint(address, 0));
            return new PortChoice(LocalPort(socket), preferred, Refused(preferred), ProcFileOf(socket));
        }
    }

    /// <summary>A TCP socket bound like the seed's server (address, 9501 if the kernel allows) and listening.</summary>
    public static (Socket Listener, PortChoice Port) Listen(IPAddress address, int backlog = 5, int preferred = Number)
    {
        var (listener, choice) = TryListen(address, backlog, preferred);
        if (listener is not null)
        {
            return (listener, choice!);
        }
        // Two sockets with SO_REUSEADDR may both bind a port nobody listens on; the second listen() is
        // then the call that says EADDRINUSE. Another program won that race: take a port of our own.
        (listener, var fallback) = TryListen(address, backlog, 0);
        return (listener!, fallback! with { Preferred = preferred, Note = Refused(preferred) });
    }

    private static (Socket? Listener, PortChoice? Port) TryListen(IPAddress address, int backlog, int preferred)
    {
        var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            var choice = Bind(listener, address, preferred);
            listener.Listen(backlog);
            return (listener, choice);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse && preferred != 0)
        {
            listener.Dispose();
            return (null, null);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
    }

    private static int LocalPort(Socket socket) => socket.LocalPort();

    private static string ProcFileOf(Socket socket) =>
        (socket.SocketType == SocketType.Dgram ? "/proc/net/udp" : "/proc/net/tcp")
        + (socket.AddressFamily == AddressFamily.InterNetworkV6 ? "6" : "");

    private static string Refused(int port) =>
        $"port {port} is taken on this machine (bind() said EADDRINUSE despite SO_REUSEADDR: another socket listens there, "
        + "or holds it without SO_REUSEADDR), so the kernel chose this one instead";
}
