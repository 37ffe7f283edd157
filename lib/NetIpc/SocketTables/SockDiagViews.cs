using System.Net;
using System.Net.Sockets;
using NetIpc.Diag;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.SocketTables;

/// <summary>One of the zoo's TCP sockets in both interfaces, read at the same moment.</summary>
public sealed record TwoViewsRow(TcpSocketEntry Proc, TcpDiagEntry Netlink);

/// <summary>
/// Chapter 03's "how ss reads the table": the zoo's sockets read over sock_diag, then from /proc, then over
/// sock_diag again, compared field by field on the rows the two netlink reads agree on.
/// </summary>
/// <param name="NamespaceRows">TCP rows of the whole namespace in the first netlink read: the zoo's and everyone else's.</param>
public sealed record TwoViewsOfTheZoo(ViewAgreement Tcp, ViewAgreement Udp, ViewAgreement Unix, IReadOnlyList<TwoViewsRow> ZooRows, int NamespaceRows)
{
    public bool Holds => Tcp.Holds && Udp.Holds && Unix.Holds;

    public IEnumerable<FieldDifference> Differences => Tcp.Differences.Concat(Udp.Differences).Concat(Unix.Differences);
}

/// <summary>A listener's tcp_info, and a connection's, read over sock_diag (chapter 03).</summary>
/// <param name="Backlog">What listen() was given.</param>
/// <param name="Waiting">Clients connected and never accepted.</param>
/// <param name="ProcRxQueue">The LISTEN line's rx_queue in /proc at the same moment.</param>
/// <param name="ListeningRows">Rows the kernel sent for <c>TcpStateFilter.Listen</c>.</param>
/// <param name="AllRows">Rows it sent for every state.</param>
/// <param name="RtoMinSysctlUs">net.ipv4.tcp_rto_min_us, read beside the connection (Linux 6.11+), the floor tcp_init_sock gives a
/// new socket's RTO; null on older kernels, where the floor is TCP_RTO_MIN.</param>
public sealed record ListenerInfoResult(int Backlog, int Waiting, TcpDiagEntry Listener, TcpDiagEntry Client, ulong ProcRxQueue, int ListeningRows, int AllRows, int? RtoMinSysctlUs = null);

public static class SockDiagViews
{
    /// <summary>
    /// The zoo in both views. Up to three tries: a try in which one of the zoo's rows moved between the two netlink
    /// reads (a timer firing, say) is read again; the zoo's sockets themselves sit still. Null for a recorded zoo:
    /// sock_diag asks the live kernel.
    /// </summary>
    public static TwoViewsOfTheZoo? Of(SocketZoo zoo)
    {
        if (zoo.IsRecorded)
        {
            return null;
        }
        int udpPort = UdpTable.ParseLine(zoo.UdpReceiverLine()).Local.Port;
        var unixInodes = zoo.UnixLines().Select(l => UnixTable.ParseLine(l).Inode).ToHashSet();
        bool Udp(UdpSocketEntry e) => e.Local.Port == udpPort || e.Remote.Port == udpPort;
        TwoViewsOfTheZoo result = null!;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var n1 = (Tcp: SockDiag.TcpWithInfo(withInfo: false), Udp: SockDiag.Udp(), Unix: SockDiag.Unix());
            var p = (Tcp: ProcNet.Self.TcpAll(), Udp: ProcNet.Self.UdpAll(), Unix: ProcNet.Self.Unix());
            var n2 = (Tcp: SockDiag.Tcp(), Udp: SockDiag.Udp(), Unix: SockDiag.Unix());
            var first = n1.Tcp.Select(e => e.Socket).ToList();
            var tcp = ViewAgreement.Tcp(first, p.Tcp, n2.Tcp, zoo.IsOurs);
            var udp = ViewAgreement.Udp(n1.Udp, p.Udp, n2.Udp, Udp);
            var unix = ViewAgreement.Unix(n1.Unix, p.Unix, n2.Unix, e => unixInodes.Contains(e.Inode));
            var byKey = n1.Tcp.GroupBy(e => (e.Socket.Local, e.Socket.Remote)).ToDictionary(g => g.Key, g => g.First());
            var rows = p.Tcp.Where(zoo.IsOurs)
                .Select(e => byKey.TryGetValue((e.Local, e.Remote), out var n) ? new TwoViewsRow(e, n) : null)
                .OfType<TwoViewsRow>().ToList();
            result = new TwoViewsOfTheZoo(tcp, udp, unix, rows, first.Count);
            if (tcp.Moved + udp.Moved + unix.Moved == 0)
            {
                break;
            }
        }
        return result;
    }

    // Read in the namespace the sockets were made in: /proc/sys/net is per network namespace.
    private static int? RtoMinSysctlUs() => Sysctl.ReadInt("net.ipv4.tcp_rto_min_us");

    /// <summary>
    /// A listener with <paramref name="backlog"/> and <paramref name="waiting"/> clients it never accepts, and one
    /// connection it did accept that carried 64 KiB each way (so its round-trip time has been sampled), read with
    /// INET_DIAG_INFO and the kernel's state filter; every socket closed (abortively) before it returns.
    /// </summary>
    public static ListenerInfoResult ListenerInfo(int backlog = 4, int waiting = 2)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(waiting, backlog);
        var sockets = new List<Socket>();
        Socket Keep(Socket s)
        {
            sockets.Add(s);
            return s;
        }
        try
        {
            var listener = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            listener.Listen(backlog);
            int port = listener.LocalPort();
            var client = Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            client.Connect(listener.LocalEndPoint!);
            var server = Keep(listener.Accept());
            var data = new byte[64 * 1024];
            client.Send(data);
            Receive(server, data.Length);
            server.Send(data);
            Receive(client, data.Length);
            for (int i = 0; i < waiting; i++)
            {
                Keep(new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).Connect(listener.LocalEndPoint!);
            }
            int clientPort = client.LocalPort();
            Poll.Until(TimeSpan.FromSeconds(2), $"{waiting} connections in the accept queue",
                () => SockDiag.Listeners().Any(l => l.Socket.Local.Port == port && l.AcceptQueue == (ulong)waiting));
            var rows = SockDiag.TcpWithInfo(TcpStateFilter.Listen | TcpStateFilter.Established);
            ulong procRx = ProcNet.Self.Tcp().Single(e => e.State == KernelTcpState.Listen && e.Local.Port == port).RxQueue;
            return new ListenerInfoResult(backlog, waiting,
                rows.Single(e => e.IsListener && e.Socket.Local.Port == port),
                rows.Single(e => e.Socket.Local.Port == clientPort && e.Socket.Remote.Port == port),
                procRx, SockDiag.Tcp(TcpStateFilter.Listen).Count, SockDiag.Tcp().Count, RtoMinSysctlUs());
        }
        finally
        {
            foreach (var s in sockets)
            {
                s.Abort();
            }
        }
    }

    private static void Receive(Socket socket, int bytes)
    {
        socket.ReceiveTimeout = 2000;
        var buffer = new byte[bytes];
        for (int got = 0; got < bytes;)
        {
            int n = socket.Receive(buffer, got, bytes - got, SocketFlags.None);
            if (n == 0)
            {
                throw new InvalidOperationException("the connection closed before its 64 KiB arrived");
            }
            got += n;
        }
    }
}
