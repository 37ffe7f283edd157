using NetIpc.Harness;

namespace NetIpc.SocketTables;

/// <summary>Chapter 03's claims about the two views of the socket tables, checked against a run.</summary>
public static class SockDiagViewsChecks
{
    /// <summary>TCP_INIT_CWND (include/net/tcp.h): the window tcp_init_sock gives every TCP socket, a listener's included.</summary>
    public const int InitialCongestionWindow = 10;

    /// <summary>TCP_RTO_MIN (include/net/tcp.h): HZ/5, in milliseconds.</summary>
    public const double TcpRtoMinMs = 200;

    /// <summary>
    /// sock_diag and /proc, read at the same moment, agree on every field of the zoo's rows that both report; every
    /// difference is one the kernel explains; a listener's backlog sits where each view puts it.
    /// </summary>
    public static IReadOnlyList<ProofCheck> Checks(this TwoViewsOfTheZoo views)
    {
        var failed = new[] { views.Tcp, views.Udp, views.Unix }.FirstOrDefault(v => !v.Holds);
        var listeners = views.ZooRows.Where(r => r.Proc.State == Proc.KernelTcpState.Listen).ToList();
        return
        [
            new("sock_diag and /proc agree on every field both report, but for the differences the kernel explains", failed is null,
                failed is null ? "every difference explained" : $"{failed.Table}: {string.Join("; ", failed.Missing.Concat(failed.Unexplained.Select(d => $"{d.Row} {d.Field}: /proc {d.Proc}, sock_diag {d.Netlink}")))}"),
            new("the zoo's TCP, UDP and UNIX sockets were all compared", views.Tcp.Compared > 0 && views.Udp.Compared > 0 && views.Unix.Compared > 0,
                $"{views.Tcp.Compared} TCP, {views.Udp.Compared} UDP, {views.Unix.Compared} UNIX rows compared"),
            new("a listener's tx_queue is 0 in /proc, and its backlog in sock_diag's idiag_wqueue",
                listeners.Count > 0 && listeners.All(r => r.Proc.TxQueue == 0 && r.Netlink.Backlog > 0),
                listeners.Count == 0 ? "no listener among the zoo's rows" : string.Join("; ", listeners.Select(r => $"{r.Proc.Local}: tx_queue {r.Proc.TxQueue}, idiag_wqueue {r.Netlink.Socket.TxQueue}"))),
        ];
    }

    /// <summary>
    /// A listener's tcp_info aliases two fields — tcpi_unacked is its accept queue, tcpi_sacked its backlog — and has no
    /// round-trip time; the connection's does. The accept queue is the same number three ways.
    /// </summary>
    public static IReadOnlyList<ProofCheck> Checks(this ListenerInfoResult r)
    {
        var l = r.Listener;
        // tcp_rto_min(): the socket's icsk_rto_min, set by tcp_init_sock from tcp_rto_min_us (6.11+) or TCP_RTO_MIN before it.
        long rtoFloor = r.RtoMinSysctlUs ?? (long)(TcpRtoMinMs * 1000);
        string floorSource = r.RtoMinSysctlUs is null ? "TCP_RTO_MIN" : "net.ipv4.tcp_rto_min_us";
        return
        [
            new("the accept queue is the same three ways: /proc's rx_queue, sock_diag's idiag_rqueue, tcp_info's tcpi_unacked",
                l.AcceptQueue == (ulong)r.Waiting && r.ProcRxQueue == (ulong)r.Waiting && l.Info?.Unacked == r.Waiting,
                $"{r.Waiting} waiting; rx_queue {r.ProcRxQueue}, idiag_rqueue {l.AcceptQueue}, tcpi_unacked {l.Info?.Unacked}"),
            new("the backlog is idiag_wqueue and tcpi_sacked", l.Backlog == (ulong)r.Backlog && l.Info?.Sacked == r.Backlog,
                $"listen({r.Backlog}); idiag_wqueue {l.Backlog}, tcpi_sacked {l.Info?.Sacked}"),
            new($"a listener has no round-trip time and keeps the initial window ({InitialCongestionWindow}, TCP_INIT_CWND) it never uses; a connection that carried data has both",
                l.Info?.RttMicroseconds == 0 && l.Info.CongestionWindow == InitialCongestionWindow && r.Client.Info is { RttMicroseconds: > 0, CongestionWindow: > 0 },
                $"listener tcpi_rtt {l.Info?.RttMicroseconds}, tcpi_snd_cwnd {l.Info?.CongestionWindow}; connection tcpi_rtt {r.Client.Info?.RttMicroseconds}, tcpi_snd_cwnd {r.Client.Info?.CongestionWindow}"),
            new($"the retransmission timeout is at least {rtoFloor / 1000.0:0.###} ms ({floorSource}), however short the round trip",
                r.Client.Info is { } info && info.RtoMicroseconds >= rtoFloor,
                $"tcpi_rto {r.Client.Info?.RtoMicroseconds} µs for tcpi_rtt {r.Client.Info?.RttMicroseconds} µs"),
            new("asked for LISTEN only, the kernel sent fewer rows", r.ListeningRows < r.AllRows, $"{r.ListeningRows} of {r.AllRows}"),
        ];
    }
}
