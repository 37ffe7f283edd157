using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 09's claims about an orderly close: when the FIN is acknowledged, where it sits, how long TIME_WAIT lasts.</summary>
public static class CloseChecks
{
    /// <summary>TCP_DELACK_MIN (include/net/tcp.h): HZ/25, in milliseconds.</summary>
    public const double DelayedAckMinMs = 40;

    /// <summary>
    /// How soon the client's FIN was acknowledged. The end that receives a FIN enters pingpong mode (tcp_fin) and
    /// schedules a delayed ACK for its ato (tcp_send_delayed_ack); ato is 0 until the first data segment arrives
    /// (tcp_event_data_recv sets TCP_ATO_MIN, 40 ms), so a server that has received nothing acknowledges at the next
    /// timer tick. Checked: with ato 0, the ACK comes before TCP_DELACK_MIN; with an ato, not before it (less a
    /// sampling step). A run whose /proc line had no ato column has nothing to check.
    /// </summary>
    public static IReadOnlyList<ProofCheck> FinAckTimingChecks(this CloseResult r)
    {
        if (r.ServerAtoBeforeFinMs is not double ato)
        {
            return [];
        }
        // The kernel's stamp of the ACK's arrival, not the first look at the table that showed FIN-WAIT-2 (later by
        // however long the look took).
        double after = r.FinAckedAfterMs;
        const string how = "the ACK of the FIN arrived (the client's tcpi_last_ack_recv)";
        return
        [
            new("the ACK the client last received came after its FIN (to the kernel's clock tick)", after > -10, $"{after:0.0} ms after shutdown(SHUT_WR)"),
            ato == 0
                ? new("a server that has received no data acknowledges a FIN at the next timer tick, before TCP_DELACK_MIN (40 ms)", after < DelayedAckMinMs,
                    $"ato 0, {how} {after:0.0} ms after shutdown(SHUT_WR)")
                : new("a FIN is acknowledged by the delayed-ACK timer, no sooner than the receiver's ato", after >= ato - 5,
                    $"ato {ato:0} ms, {how} {after:0.0} ms after shutdown(SHUT_WR)"),
        ];
    }

    /// <summary>
    /// The seed's "EOF in the receive buffer". The FIN is queued on the receive queue and takes one sequence number
    /// (tcp_data_queue advances rcv_nxt to its end_seq), so /proc's rx_queue, rcv_nxt − copied_seq, counts it as 1
    /// though it holds no byte; read() returns 0 and steps copied_seq over it (tcp_recvmsg_locked, found_fin_ok).
    /// A run without the two readings (the server's line not found) has nothing to check.
    /// </summary>
    public static IReadOnlyList<ProofCheck> FinInQueueChecks(this CloseResult r)
    {
        if (r.ServerRxQueueAfterFin is not long before || r.ServerRxQueueAfterEof is not long after)
        {
            return [];
        }
        bool eof = r.Steps.Any(s => s.ReadReturnedEof == true);
        return
        [
            new("a FIN takes one sequence number in the receive queue: rx_queue 1 in CLOSE-WAIT before read(), 0 once read() returned 0",
                eof && before == 1 && after == 0, $"read() returned 0: {eof}; rx_queue before {before}, after {after}"),
        ];
    }

    /// <summary>TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, counted down from when the state was entered.</summary>
    public static IReadOnlyList<ProofCheck> TimeWaitChecks(this CloseResult r) =>
    [
        new("the TIME_WAIT timer counts down from 60 s (TCP_TIMEWAIT_LEN)", r.TimeWaitRemaining.TotalSeconds is > 55 and <= 60,
            $"{r.TimeWaitRemaining.TotalSeconds:0.00} s left"),
    ];
}
