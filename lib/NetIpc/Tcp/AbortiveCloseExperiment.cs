using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Serialization;
using NetIpc.Harness;
using NetIpc.Isolation;
using NetIpc.Namespaces;
using NetIpc.Native;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Tcp;

/// <summary>
/// One way of closing, seen from both ends: the closing end's line and its peer's afterwards, whether a TIME_WAIT
/// line was left, what the peer's read() and write() returned, and how the counters of the experiment's own
/// network namespace moved (nothing else runs there, so every count is this close's).
/// </summary>
public sealed record CloseCase(
    string How, string CloserAfter, string PeerAfter, bool TimeWaitLeft,
    string PeerRead, int PeerReadErrno, string? PeerWrite, int PeerWriteErrno,
    long OutRsts, long AbortOnData, long AbortOnClose, long AbortOnLinger, long EstabResets);

/// <summary>What <see cref="Experiments.AbortiveClose"/> saw: an orderly close beside the two closes that send a reset.</summary>
public sealed record AbortiveCloseResult(CloseCase Orderly, CloseCase ZeroLinger, CloseCase UnreadData)
{
    [JsonIgnore]
    public IReadOnlyList<CloseCase> Cases => [Orderly, ZeroLinger, UnreadData];
}

/// <summary>close() that sends FIN, and the two that send RST: SO_LINGER with a zero timeout, and unread data.</summary>
internal static class AbortiveCloseExperiment
{
    /// <summary>
    /// Three loopback connections in a network namespace of its own, each closed by its client in one way: a
    /// plain close(); SO_LINGER {l_onoff = 1, l_linger = 0} then close(); close() with bytes the server sent still
    /// unread in the client's receive queue. After each, the server — the peer — calls read() and, when that
    /// failed, write(). The namespace keeps the counters (TcpExt.TCPAbortOn*, Tcp.OutRsts) to these connections
    /// alone. Every wait is bounded; everything is closed on return, and the namespace goes with it.
    /// </summary>
    public static AbortiveCloseResult Run() => AbortiveCloseRun.Run(0);

    public static readonly IsolatedExperiment<int, AbortiveCloseResult> AbortiveCloseRun = new(
        "abortive-close", "09", [Capability.NetworkNamespace, Capability.LoopbackUp],
        _ => NetworkNamespace.Run((net, cancel) =>
        {
            NetworkNamespace.BringLoopbackUp();
            return CloseThreeWays(net, cancel);
        }, TimeSpan.FromSeconds(30)));

    private const string Unread = "unread";

    private static AbortiveCloseResult CloseThreeWays(ProcNet net, CancellationToken cancel)
    {
        using var owned = new OwnedSockets(cancel);
        Socket Track(Socket s) => owned.Track(s);
        var listener = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(4);
        int serverPort = listener.LocalPort();

        (Socket Client, Socket Server, int ClientPort) Connect()
        {
            var client = Track(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            client.Connect(listener.LocalEndPoint!); // on loopback the handshake is done inside connect()
            if (!listener.Poll(TimeSpan.FromSeconds(2), SelectMode.SelectRead))
            {
                throw new TimeoutException("gave up waiting 2 s for the connection to reach the accept queue");
            }
            var server = Track(listener.Accept());
            server.ReceiveTimeout = 2000;
            server.SendTimeout = 2000;
            return (client, server, client.LocalPort());
        }

        TcpSocketEntry? Closer(int clientPort) => net.Tcp().FirstOrDefault(e => e.Local.Port == clientPort && e.Remote.Port == serverPort);
        TcpSocketEntry? Peer(int clientPort) => net.Tcp().FirstOrDefault(e => e.Local.Port == serverPort && e.Remote.Port == clientPort);

        CloseCase Observe(string how, int clientPort, NetCounters before, string peerRead, int readErrno, string? peerWrite, int writeErrno)
        {
            var delta = before.DeltaTo(net.Counters());
            var closer = Closer(clientPort);
            var peer = Peer(clientPort);
            bool timeWait = net.Tcp().Any(e => e.State == KernelTcpState.TimeWait && (e.Local.Port == clientPort || e.Remote.Port == clientPort));
            return new CloseCase(how, Describe(closer), Describe(peer), timeWait, peerRead, readErrno, peerWrite, writeErrno,
                delta["Tcp.OutRsts"], delta["TcpExt.TCPAbortOnData"], delta["TcpExt.TCPAbortOnClose"], delta["TcpExt.TCPAbortOnLinger"], delta["Tcp.EstabResets"]);
        }

        // 1. close(): FIN. The server reads end of file and closes too; the client, which closed first, waits in TIME_WAIT.
        var (client, server, port) = Connect();
        var before = net.Counters();
        client.Dispose();
        var (read, readErrno) = Call(() => server.Receive(new byte[64]), "read()");
        server.Dispose();
        Poll.Until(TimeSpan.FromSeconds(2), "the client in TIME_WAIT and the server's line gone after an orderly close",
            () => Closer(port)?.State == KernelTcpState.TimeWait && Peer(port) is null,
            seen: () => $"client {Describe(Closer(port))}, server {Describe(Peer(port))}");
        var orderly = Observe("close()", port, before, read, readErrno, null, 0);

        // 2. SO_LINGER {1, 0}, then close(): the connection is dropped on the spot.
        (client, server, port) = Connect();
        before = net.Counters();
        client.LingerState = new LingerOption(true, 0);
        client.Dispose();
        var zeroLinger = PeerCalls("SO_LINGER {l_onoff = 1, l_linger = 0}, then close()", port, server, before);

        // 3. close() with bytes the server sent still unread in the client's receive queue.
        (client, server, port) = Connect();
        server.Send(Encoding.ASCII.GetBytes(Unread));
        int unreadPort = port;
        Poll.Until(TimeSpan.FromSeconds(2), $"the client's rx_queue to hold the {Unread.Length} bytes",
            () => Closer(unreadPort)?.RxQueue == (ulong)Unread.Length, seen: () => Describe(Closer(unreadPort)));
        before = net.Counters();
        client.Dispose();
        var unreadData = PeerCalls($"close() with {Unread.Length} bytes unread", port, server, before);

        return new AbortiveCloseResult(orderly, zeroLinger, unreadData);

        // The reset reaches the server on loopback before close() returns; the lines are waited for all the same.
        CloseCase PeerCalls(string how, int clientPort, Socket peerSocket, NetCounters countersBefore)
        {
            Poll.Until(TimeSpan.FromSeconds(2), $"both lines to leave the table after \"{how}\"",
                () => Closer(clientPort) is null && Peer(clientPort) is null,
                seen: () => $"client {Describe(Closer(clientPort))}, server {Describe(Peer(clientPort))}");
            var (peerRead, peerReadErrno) = Call(() => peerSocket.Receive(new byte[64]), "read()");
            var (peerWrite, peerWriteErrno) = Call(() => peerSocket.Send(Encoding.ASCII.GetBytes("late")), "write()");
            return Observe(how, clientPort, countersBefore, peerRead, peerReadErrno, peerWrite, peerWriteErrno);
        }
    }

    private static string Describe(TcpSocketEntry? e) => e is null ? "gone" : TcpStates.KernelName(e.State)["TCP_".Length..];

    /// <summary>A socket call's result the way C prints it: "read() = 0" or "read() = -1 ECONNRESET (104)".</summary>
    private static (string Text, int Errno) Call(Func<int> call, string name)
    {
        try
        {
            int n = call();
            return (n == 0 && name == "read()" ? $"{name} = 0 (end of file)" : $"{name} = {n}", 0);
        }
        catch (SocketException e)
        {
            return ($"{name} = -1 {Errno.Describe(e.NativeErrorCode)}", e.NativeErrorCode);
        }
    }
}
