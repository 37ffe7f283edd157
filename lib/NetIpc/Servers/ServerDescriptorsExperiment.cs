using System.Net;
using System.Net.Sockets;
using System.Text;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Servers;

/// <summary>One server after it has answered every client: the calls it made and what the kernel holds for it.</summary>
/// <param name="Calls">The server's system calls, in order, as it made them.</param>
/// <param name="Descriptors">This process's descriptors whose socket is bound to the server's port, with what each is.</param>
/// <param name="TableLines">The lines of /proc/net/tcp or /proc/net/udp with the server's port as local port.</param>
/// <param name="Peers">Who each reply went to: the connection's peer (TCP), or the address recvfrom() returned (UDP).</param>
public sealed record ServerSide(string Protocol, int Port, IReadOnlyList<string> Calls, IReadOnlyList<string> Descriptors,
    IReadOnlyList<string> TableLines, IReadOnlyList<string> Peers);

/// <summary>The same echo service over TCP and over UDP, each serving the same number of clients.</summary>
public sealed record ServerDescriptorsResult(int Clients, ServerSide Tcp, ServerSide Udp);

/// <summary>
/// The seed's "a server has two descriptors, one from socket() and one from accept()" is TCP's arrangement: a
/// listening socket plus one connected socket per client. A UDP server has neither listen() nor accept(): one
/// socket, bound, answers everyone — recvfrom() says who sent each datagram and sendto() addresses the reply.
/// Both servers here answer the same clients on loopback; the descriptors are read from /proc/self/fd while every
/// client is still open.
/// </summary>
internal static class ServerDescriptorsExperiment
{
    public static ServerDescriptorsResult Run(int clients)
    {
        if (clients is < 1 or > 16)
        {
            throw new ArgumentOutOfRangeException(nameof(clients), clients, "between 1 and 16 clients");
        }
        return new ServerDescriptorsResult(clients, Tcp(clients), Udp(clients));
    }

    private static ServerSide Tcp(int clients)
    {
        var calls = new List<string>();
        // Closed with RST at the end: a re-run finds no FIN_WAIT, LAST_ACK or TIME_WAIT of this one on loopback.
        using var owned = new OwnedSockets(CancellationToken.None, abortive: true);
        var listener = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        calls.Add("socket(AF_INET, SOCK_STREAM, 0)");
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = listener.LocalPort();
        calls.Add($"bind(127.0.0.1:{port})");
        listener.Listen(clients);
        calls.Add($"listen({clients})");
        var peers = new List<string>();
        for (int i = 1; i <= clients; i++)
        {
            var client = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = 2000 });
            client.Connect(listener.LocalEndPoint!);
            if (!listener.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead))
            {
                throw new TimeoutException($"client {i}'s connection did not reach the accept queue within 2 s");
            }
            var connection = owned.Track(listener.Accept());
            connection.ReceiveTimeout = 2000;
            calls.Add($"accept() = a new descriptor for client {i}");
            client.Send(Encoding.ASCII.GetBytes($"hello from client {i}"));
            var buffer = new byte[64];
            int n = connection.Receive(buffer);
            connection.Send(buffer.AsSpan(0, n));
            calls.Add($"read() = {n}, write({n}) on client {i}'s descriptor");
            client.Receive(buffer);
            peers.Add(connection.RemoteEndPoint!.ToString()!);
        }
        // /proc/net/tcp is no snapshot: read in several chunks while other sockets come and go, it can list
        // one socket twice, so each inode is kept once.
        var entries = ProcNet.Self.Tcp().Where(e => e.Local.Port == port).DistinctBy(e => e.Inode).ToList();
        return new ServerSide("TCP", port, calls, DescriptorsOn(port, entries.Select(e => (e.Inode, e.State.ToString()))),
            [.. entries.Select(e => $"{e.Local} ↔ {e.Remote} {e.State}")], peers);
    }

    private static ServerSide Udp(int clients)
    {
        var calls = new List<string>();
        using var owned = new OwnedSockets(CancellationToken.None);
        var server = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 });
        calls.Add("socket(AF_INET, SOCK_DGRAM, 0)");
        server.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        int port = server.LocalPort();
        calls.Add($"bind(127.0.0.1:{port})");
        var peers = new List<string>();
        for (int i = 1; i <= clients; i++)
        {
            var client = owned.Track(new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 2000 });
            client.SendTo(Encoding.ASCII.GetBytes($"hello from client {i}"), server.LocalEndPoint!);
            var buffer = new byte[64];
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            int n = server.ReceiveFrom(buffer, ref from);
            calls.Add($"recvfrom() = {n} from {from}");
            server.SendTo(buffer.AsSpan(0, n), from);
            calls.Add($"sendto({n}, {from})");
            client.Receive(buffer);
            peers.Add(from.ToString()!);
        }
        var entries = ProcNet.Self.Udp().Where(e => e.Local.Port == port).DistinctBy(e => e.Inode).ToList();
        return new ServerSide("UDP", port, calls, DescriptorsOn(port, entries.Select(e => (e.Inode, "bound"))),
            [.. entries.Select(e => $"{e.Local} ↔ {e.Remote}")], peers);
    }

    /// <summary>This process's descriptors for the given sockets (inode, what it is), as /proc/self/fd lists them.</summary>
    private static IReadOnlyList<string> DescriptorsOn(int port, IEnumerable<(ulong Inode, string What)> sockets)
    {
        var what = sockets.ToDictionary(s => s.Inode, s => s.What);
        return [.. ProcessFds.OfSelf()
            .Where(fd => fd.SocketInode is { } inode && what.ContainsKey(inode))
            .Select(fd => $"fd {fd.Fd} → {fd.Target}: {what[fd.SocketInode!.Value]} on port {port}")];
    }
}
