using System.Net;
using System.Net.Sockets;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Unix;

/// <summary>What the kernel says one socket is: its domain, type and protocol (getsockopt), and the /proc/net table that lists it.</summary>
public sealed record SocketKind(string Socket, int Domain, int Type, int Protocol, string ListedIn);

/// <summary>A TCP connection and a UNIX stream connection, asked what they are.</summary>
public sealed record StreamTypesResult(IReadOnlyList<SocketKind> Kinds)
{
    [System.Text.Json.Serialization.JsonIgnore]
    public SocketKind Tcp => Kinds.Single(k => k.Socket.StartsWith("TCP", StringComparison.Ordinal));

    [System.Text.Json.Serialization.JsonIgnore]
    public SocketKind Unix => Kinds.Single(k => k.Socket.StartsWith("UNIX", StringComparison.Ordinal));
}

/// <summary>
/// "SOCK_STREAM is TCP" taken apart: a TCP socket on loopback and a UNIX stream socket, each asked with
/// getsockopt(SO_DOMAIN), (SO_TYPE) and (SO_PROTOCOL) — values from include/uapi/asm-generic/socket.h — and
/// looked up by inode in /proc/net/tcp and /proc/net/unix.
/// </summary>
internal static class StreamTypesExperiment
{
    private const int SoType = 3, SoProtocol = 38, SoDomain = 39;

    public static StreamTypesResult Run()
    {
        using var files = new SocketFiles();
        using var tcpListener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        tcpListener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        tcpListener.Listen(1);
        using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Unspecified);
        tcp.Connect(tcpListener.LocalEndPoint!);
        using var tcpServer = tcpListener.Accept();

        var unixPath = new UnixDomainSocketEndPoint(files.Abstract("stream"));
        using var unixListener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unixListener.Bind(unixPath);
        unixListener.Listen(1);
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unix.Connect(unixPath);
        using var unixServer = unixListener.Accept();

        var net = ProcNet.Self;
        var tcpInodes = net.TcpAll().Select(e => e.Inode).ToHashSet();
        var unixInodes = net.Unix().Select(e => e.Inode).ToHashSet();
        SocketKind Ask(string name, Socket s)
        {
            ulong inode = Descriptor.InodeOf(s);
            string listed = string.Join(" and ", new[] { tcpInodes.Contains(inode) ? "/proc/net/tcp" : null, unixInodes.Contains(inode) ? "/proc/net/unix" : null }.OfType<string>());
            return new SocketKind(name, Option(s, SoDomain), Option(s, SoType), Option(s, SoProtocol), listed.Length == 0 ? "neither" : listed);
        }
        return new StreamTypesResult([
            Ask("TCP, socket(AF_INET, SOCK_STREAM, 0), connected over 127.0.0.1", tcp),
            Ask("UNIX stream, socket(AF_UNIX, SOCK_STREAM, 0), connected to an abstract name", unix),
        ]);
    }

    private static int Option(Socket s, int name)
    {
        var value = new byte[4];
        s.GetRawSocketOption(Native.SocketOptions.SolSocket, name, value);
        return BitConverter.ToInt32(value);
    }
}
