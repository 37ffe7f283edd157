namespace NetIpc.Proc;

/// <summary>The TCP states as include/net/tcp_states.h numbers them, next to the names ss and the seed use.</summary>
public static class TcpStates
{
    /// <summary>The kernel's name for a state, e.g. TCP_LAST_ACK.</summary>
    public static string KernelName(KernelTcpState state) => state switch
    {
        KernelTcpState.Established => "TCP_ESTABLISHED",
        KernelTcpState.SynSent => "TCP_SYN_SENT",
        KernelTcpState.SynRecv => "TCP_SYN_RECV",
        KernelTcpState.FinWait1 => "TCP_FIN_WAIT1",
        KernelTcpState.FinWait2 => "TCP_FIN_WAIT2",
        KernelTcpState.TimeWait => "TCP_TIME_WAIT",
        KernelTcpState.Close => "TCP_CLOSE",
        KernelTcpState.CloseWait => "TCP_CLOSE_WAIT",
        KernelTcpState.LastAck => "TCP_LAST_ACK",
        KernelTcpState.Listen => "TCP_LISTEN",
        KernelTcpState.Closing => "TCP_CLOSING",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a TCP state"),
    };

    /// <summary>How the seed's list spells each state; it has one typo.</summary>
    public static string SeedSpelling(KernelTcpState state) => state == KernelTcpState.LastAck ? "TCP_LAST_ACL" : KernelName(state);

    public static string Meaning(KernelTcpState state) => state switch
    {
        KernelTcpState.Established => "connected: data flows both ways",
        KernelTcpState.SynSent => "client sent SYN, waits for SYN-ACK",
        KernelTcpState.SynRecv => "server got SYN, sent SYN-ACK, waits for the final ACK (a request_sock, state 12 inside the kernel)",
        KernelTcpState.FinWait1 => "closed first, FIN sent, not yet acknowledged",
        KernelTcpState.FinWait2 => "closed first, FIN acknowledged, waits for the peer's FIN",
        KernelTcpState.TimeWait => "closed first and both FINs exchanged: waits 60 s so late segments die",
        KernelTcpState.Close => "not connected (also an unconnected UDP socket's st)",
        KernelTcpState.CloseWait => "peer closed (FIN received); this side has not closed yet",
        KernelTcpState.LastAck => "peer closed, then this side closed: waits for the ACK of its FIN",
        KernelTcpState.Listen => "listening socket: rx_queue is its accept queue",
        KernelTcpState.Closing => "both sides closed at the same moment",
        _ => "",
    };

    /// <summary>
    /// The enum's values after TCP_CLOSING, which /proc/net/tcp never prints and <see cref="KernelTcpState"/> therefore
    /// leaves out: get_openreq4 and inet_req_diag_fill print a request as TCP_SYN_RECV, and TCP_BOUND_INACTIVE is only
    /// a bit of an inet_diag request.
    /// </summary>
    public static IReadOnlyList<UnprintedTcpState> NeverPrinted { get; } =
    [
        new(12, "TCP_NEW_SYN_RECV", "SYN-RECV (as 3)",
            "a half-open request_sock in the established hash (Linux 4.4+, 079096f103fa); printed as 3"),
        new(13, "TCP_BOUND_INACTIVE", "UNCONN (as 7, ss -B)",
            "no socket's state: the inet_diag request bit for bound-only sockets (Linux 6.8+, 91051f003948), dumped as 7"),
    ];
}

/// <summary>A state number of include/net/tcp_states.h that no table prints.</summary>
public sealed record UnprintedTcpState(int Number, string KernelName, string SsShows, string Meaning);
