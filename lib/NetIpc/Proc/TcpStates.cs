namespace NetIpc.Proc;

/// <summary>The TCP states as include/net/tcp_states.h numbers them, next to the names ss and the seed use.</summary>
public static class TcpStates
{
    /// <summary>The kernel's name for a state, e.g. TCP_LAST_ACK.</summary>
    public static string KernelName(TcpState state) => state switch
    {
        TcpState.Established => "TCP_ESTABLISHED",
        TcpState.SynSent => "TCP_SYN_SENT",
        TcpState.SynRecv => "TCP_SYN_RECV",
        TcpState.FinWait1 => "TCP_FIN_WAIT1",
        TcpState.FinWait2 => "TCP_FIN_WAIT2",
        TcpState.TimeWait => "TCP_TIME_WAIT",
        TcpState.Close => "TCP_CLOSE",
        TcpState.CloseWait => "TCP_CLOSE_WAIT",
        TcpState.LastAck => "TCP_LAST_ACK",
        TcpState.Listen => "TCP_LISTEN",
        TcpState.Closing => "TCP_CLOSING",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "not a TCP state"),
    };

    /// <summary>How the seed's list spells each state; it has one typo.</summary>
    public static string SeedSpelling(TcpState state) => state == TcpState.LastAck ? "TCP_LAST_ACL" : KernelName(state);

    public static string Meaning(TcpState state) => state switch
    {
        TcpState.Established => "connected: data flows both ways",
        TcpState.SynSent => "client sent SYN, waits for SYN-ACK",
        TcpState.SynRecv => "server got SYN, sent SYN-ACK, waits for the final ACK (a request in the SYN queue)",
        TcpState.FinWait1 => "closed first, FIN sent, not yet acknowledged",
        TcpState.FinWait2 => "closed first, FIN acknowledged, waits for the peer's FIN",
        TcpState.TimeWait => "closed first and both FINs exchanged: waits 60 s so late segments die",
        TcpState.Close => "not connected (also an unconnected UDP socket's st)",
        TcpState.CloseWait => "peer closed (FIN received); this side has not closed yet",
        TcpState.LastAck => "peer closed, then this side closed: waits for the ACK of its FIN",
        TcpState.Listen => "listening socket: rx_queue is its accept queue",
        TcpState.Closing => "both sides closed at the same moment",
        _ => "",
    };
}
