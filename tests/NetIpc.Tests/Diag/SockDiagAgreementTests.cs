using System.Net;
using System.Net.Sockets;
using NetIpc.Diag;
using NetIpc.Harness;
using NetIpc.Proc;
using NetIpc.SocketTables;
using NetIpc.Sockets;
using Xunit.Abstractions;

namespace NetIpc.Tests.Diag;

/// <summary>
/// The two interfaces to the socket tables, read at the same moment of chapter 03's zoo plus what the zoo lacks
/// (native IPv6 TCP and UDP, UNIX datagram and seqpacket sockets): sock_diag, /proc, sock_diag again, and every
/// row the two netlink reads agree on compared with /proc field by field.
/// </summary>
public class SockDiagAgreementTests(ITestOutputHelper output)
{
    [LinuxFact]
    public void Netlink_and_proc_agree_row_for_row_on_every_kind_of_socket_the_course_makes()
    {
        using var zoo = SocketZoo.Start(preferredPort: 0);
        using var extras = new Extras();
        int udpReceiverPort = UdpTable.ParseLine(zoo.UdpReceiverLine()).Local.Port;
        var unixInodes = zoo.UnixLines().Select(l => UnixTable.ParseLine(l).Inode).Concat(extras.UnixInodes).ToHashSet();

        // Up to three tries: a row may move between reads (another test's socket, a timer firing); the zoo's must not.
        ViewAgreement tcp = null!, udp = null!, unix = null!;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            var (tcp1, udp1, unix1) = (SockDiag.Tcp(), SockDiag.Udp(), SockDiag.Unix());
            var (tcpP, udpP, unixP) = (ProcNet.Self.TcpAll(), ProcNet.Self.UdpAll(), ProcNet.Self.Unix());
            var (tcp2, udp2, unix2) = (SockDiag.Tcp(), SockDiag.Udp(), SockDiag.Unix());
            tcp = ViewAgreement.Tcp(tcp1, tcpP, tcp2, e => zoo.IsOurs(e) || extras.IsOurs(e.Local.Port, e.Remote.Port));
            udp = ViewAgreement.Udp(udp1, udpP, udp2, e => e.Local.Port == udpReceiverPort || e.Remote.Port == udpReceiverPort || extras.IsOurs(e.Local.Port, e.Remote.Port));
            unix = ViewAgreement.Unix(unix1, unixP, unix2, e => unixInodes.Contains(e.Inode));
            if (tcp.Moved + udp.Moved + unix.Moved == 0)
            {
                break;
            }
        }
        foreach (var view in new[] { tcp, udp, unix })
        {
            output.WriteLine($"{view.Table}: {view.Compared} rows compared, {view.Moved} moved");
            foreach (var d in view.Differences)
            {
                output.WriteLine($"  {d.Row} {d.Field}: /proc {d.Proc}, sock_diag {d.Netlink} — {d.KernelReason ?? "UNEXPLAINED"}");
            }
            Assert.True(view.Holds, $"{view.Table}: {string.Join("; ", view.Missing.Concat(view.Unexplained.Select(d => $"{d.Row} {d.Field}: /proc {d.Proc}, sock_diag {d.Netlink}")))}");
        }

        // Everything the course makes was compared: every TCP state of the zoo, both families, every UNIX type.
        var tcpRows = SockDiag.Tcp().Where(e => zoo.IsOurs(e) || extras.IsOurs(e.Local.Port, e.Remote.Port)).ToList();
        Assert.Superset(new HashSet<KernelTcpState> { KernelTcpState.Listen, KernelTcpState.Established, KernelTcpState.FinWait2, KernelTcpState.CloseWait, KernelTcpState.TimeWait, KernelTcpState.SynRecv },
            tcpRows.Select(e => e.State).ToHashSet());
        Assert.Contains(tcpRows, e => e.IsIPv6 && !e.Local.Address.IsIPv4MappedToIPv6);
        Assert.Contains(tcpRows, e => e.Local.Address.IsIPv4MappedToIPv6);
        Assert.True(tcp.Compared == tcpRows.Count, $"{tcp.Compared} of {tcpRows.Count} TCP rows compared");
        Assert.True(udp.Compared >= 4, $"{udp.Compared} UDP rows compared");
        Assert.Equal(unixInodes.Count, unix.Compared);
        Assert.Equal([UnixSocketType.Stream, UnixSocketType.Dgram, UnixSocketType.SeqPacket],
            SockDiag.Unix().Where(e => unixInodes.Contains(e.Inode)).Select(e => e.Type).Distinct().Order());
        // The one difference every run shows: the listeners' backlog where /proc prints 0.
        Assert.Contains(tcp.Differences, d => d.Field == "TxQueue" && d.KernelReason == ViewAgreement.ListenerTxQueue);
    }

    [LinuxFact]
    public void The_bare_dump_counts_the_rows_the_decoding_reader_returns()
    {
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        listener.Listen();
        // Other processes open and close sockets too: the two reads must agree on one of a few tries.
        var tries = Enumerable.Range(0, 5).Select(_ => (Bare: SockDiag.TcpMessageCount(), Decoded: SockDiag.Tcp().Count)).ToList();
        Assert.True(tries.Any(t => t.Bare == t.Decoded && t.Bare >= 1), string.Join("; ", tries.Select(t => $"bare {t.Bare}, decoded {t.Decoded}")));
    }

    [LinuxFact]
    public void The_state_filter_is_applied_by_the_kernel_and_a_listener_reports_its_accept_queue()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(7);
        int port = listener.LocalPort();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        client.Connect(listener.LocalEndPoint!);
        Poll.Until(TimeSpan.FromSeconds(2), "the connection to wait in the accept queue",
            () => SockDiag.Listeners().Any(l => l.Socket.Local.Port == port && l.AcceptQueue == 1));

        var listeners = SockDiag.Listeners();
        Assert.All(listeners, l => Assert.Equal(KernelTcpState.Listen, l.Socket.State));
        var ours = Assert.Single(listeners, l => l.Socket.Local.Port == port);
        Assert.Equal(1UL, ours.AcceptQueue);
        Assert.Equal(7UL, ours.Backlog);
        Assert.Equal(ProcNet.Self.Tcp().Single(e => e.State == KernelTcpState.Listen && e.Local.Port == port).RxQueue, ours.AcceptQueue);

        var established = SockDiag.Tcp(TcpStateFilter.Established);
        Assert.All(established, e => Assert.Equal(KernelTcpState.Established, e.State));
        Assert.Contains(established, e => e.Local.Port == client.LocalPort());

        // tcp_info: the listener's aliased fields, the client's rtt and cwnd.
        var withInfo = SockDiag.TcpWithInfo();
        var listenerInfo = withInfo.Single(e => e.IsListener && e.Socket.Local.Port == port).Info!;
        Assert.Equal(1u, listenerInfo.Unacked);
        Assert.Equal(7u, listenerInfo.Sacked);
        var clientInfo = withInfo.Single(e => e.Socket.Local.Port == client.LocalPort()).Info!;
        Assert.Equal((byte)KernelTcpState.Established, clientInfo.State);
        Assert.True(clientInfo.CongestionWindow >= 1, $"cwnd {clientInfo.CongestionWindow}");
        Assert.True(clientInfo.RttMicroseconds > 0, $"rtt {clientInfo.RttMicroseconds} µs");
    }

    /// <summary>What the zoo does not make: native IPv6 TCP with unread bytes, UDP over IPv6, UNIX datagram and seqpacket sockets.</summary>
    private sealed class Extras : IDisposable
    {
        private readonly List<Socket> sockets = [];
        private readonly HashSet<int> ports = [];

        public Extras()
        {
            if (Socket.OSSupportsIPv6)
            {
                var listener = Keep(new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
                listener.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
                listener.Listen(4);
                var client = Keep(new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp));
                client.Connect(listener.LocalEndPoint!);
                Keep(listener.Accept());
                client.Send(new byte[3]);
                var receiver = Keep(new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
                receiver.Bind(new IPEndPoint(IPAddress.IPv6Loopback, 0));
                var sender = Keep(new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp));
                sender.Connect(receiver.LocalEndPoint!);
                sender.Send(new byte[100]);
            }
            var dgram = Keep(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified));
            dgram.Bind(new UnixDomainSocketEndPoint($"\0netipc-diag-dgram-{Environment.ProcessId}-{Guid.NewGuid():N}"));
            var dgramSender = Keep(new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified));
            dgramSender.Connect(dgram.LocalEndPoint!);
            dgramSender.Send(new byte[10]);
            var seq = Keep(new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified));
            seq.Bind(new UnixDomainSocketEndPoint($"\0netipc-diag-seq-{Environment.ProcessId}-{Guid.NewGuid():N}"));
            seq.Listen(2);
            var seqClient = Keep(new Socket(AddressFamily.Unix, SocketType.Seqpacket, ProtocolType.Unspecified));
            seqClient.Connect(seq.LocalEndPoint!);
            Keep(seq.Accept());
            ports.UnionWith(sockets.Select(s => s.LocalEndPoint).OfType<IPEndPoint>().Select(e => e.Port));
        }

        public IEnumerable<ulong> UnixInodes => sockets.Where(s => s.AddressFamily == AddressFamily.Unix).Select(Descriptor.InodeOf).ToList();

        public bool IsOurs(int localPort, int remotePort) => ports.Contains(localPort) && (remotePort == 0 || ports.Contains(remotePort));

        private Socket Keep(Socket s)
        {
            sockets.Add(s);
            return s;
        }

        public void Dispose()
        {
            foreach (var s in sockets)
            {
                s.Abort();
            }
        }

    }
}
