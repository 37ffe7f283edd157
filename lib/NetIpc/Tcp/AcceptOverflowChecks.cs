using NetIpc.Harness;
using NetIpc.Native;

namespace NetIpc.Tcp;

/// <summary>Chapter 07's claims about a full accept queue meeting a handshake, one set per step of it.</summary>
public static class AcceptOverflowChecks
{
    /// <summary>"ListenOverflows +1, ListenDrops +1, Tcp.OutRsts +0".</summary>
    public static string Counted(this OverflowCounters c) =>
        $"ListenOverflows +{c.ListenOverflows}, ListenDrops +{c.ListenDrops}, Tcp.OutRsts +{c.OutRsts}";

    /// <summary>Dropped in silence: counted in both counters alike, and no reset sent.</summary>
    private static bool DroppedSilently(OverflowCounters c) => c.ListenOverflows >= 1 && c.ListenDrops == c.ListenOverflows && c.OutRsts == 0;

    /// <summary>
    /// This kernel drops a SYN that meets a full accept queue before any request exists (tcp_conn_request:
    /// sk_acceptq_is_full → LINUX_MIB_LISTENOVERFLOWS, then tcp_listendrop → LINUX_MIB_LISTENDROPS), and answers
    /// nothing — whatever tcp_abort_on_overflow says.
    /// </summary>
    public static IReadOnlyList<ProofCheck> LateSynChecks(this AcceptOverflowResult r) =>
    [
        new("the accept queue was full: backlog + 1 connections waiting", r.QueuedWhenFull == r.Backlog + 1,
            $"backlog {r.Backlog}, {r.QueuedWhenFull} waiting"),
        // The state may carry ", retrnsmt 1": a run stalled past a second saw the client resend its SYN.
        new("a SYN that meets a full accept queue creates no request: the client stays in SYN_SENT and the server has no line for it",
            r.LateClientState.StartsWith("SYN_SENT", StringComparison.Ordinal) && !r.LateClientHasRequest,
            $"client {r.LateClientState}, server {(r.LateClientHasRequest ? "has a line for it" : "nothing")}"),
        // One SYN, normally; a run stalled past a second would also see the client's resent SYN, dropped the same way.
        new("the SYN is dropped without an answer, counted in ListenOverflows and in ListenDrops alike", DroppedSilently(r.LateSyn), r.LateSyn.Counted()),
    ];

    private static ProofCheck AbortOnOverflowIs(AcceptOverflowResult r, bool wanted) =>
        new(wanted ? "this run sets net.ipv4.tcp_abort_on_overflow = 1 in its namespace" : "this run leaves net.ipv4.tcp_abort_on_overflow at 0",
            r.AbortOnOverflow == wanted && (wanted ? r.Reset is not null : r.Dropped is not null),
            $"tcp_abort_on_overflow = {(r.AbortOnOverflow ? 1 : 0)}");

    /// <summary>
    /// The checks of one setting of tcp_abort_on_overflow, after the check that the run had it: a run in the other
    /// setting has no <paramref name="part"/> to check, so it fails on the setting alone.
    /// </summary>
    private static IReadOnlyList<ProofCheck> InMode<T>(AcceptOverflowResult r, bool abortOnOverflow, T? part, Func<T, IEnumerable<ProofCheck>> checks)
        where T : class
    {
        var mode = AbortOnOverflowIs(r, abortOnOverflow);
        return mode.Holds ? [mode, .. checks(part!)] : [mode];
    }

    /// <summary>
    /// tcp_abort_on_overflow = 0: the final ACK of a handshake whose SYN got in is dropped when the queue is full
    /// (tcp_check_req → tcp_v4_syn_recv_sock: sk_acceptq_is_full, both counters), the client believing itself
    /// connected while the server holds only the request, which resends its SYN-ACK.
    /// </summary>
    public static IReadOnlyList<ProofCheck> FinalAckChecks(this AcceptOverflowResult r) => InMode(r, false, r.Dropped, d =>
        [
            new("the client says ESTABLISHED while the server holds only a request (SYN_RECV)", r.HeldClientState == "ESTABLISHED" && r.ServerHoldsRequest,
                $"client {r.HeldClientState}, server {(r.ServerHoldsRequest ? "SYN_RECV" : "no request")}"),
            new("the client's ACK is dropped in silence, each one counted in ListenOverflows and in ListenDrops", DroppedSilently(r.ThirdAck), r.ThirdAck.Counted()),
            new("the server resends its SYN-ACK", d.SynAckResends >= 1, $"retrnsmt {d.SynAckResends} on the SYN_RECV line"),
        ]);

    /// <summary>tcp_abort_on_overflow = 0: the client's data is accepted by write() and dropped like the ACK, until accept() makes room.</summary>
    public static IReadOnlyList<ProofCheck> FirstDataChecks(this AcceptOverflowResult r) => InMode(r, false, r.Dropped, d =>
        [
            new("write() succeeds and its bytes stay unacknowledged in the client's tx_queue",
                d.BytesWritten == d.DataSent.Length && d.UnacknowledgedBytes == d.BytesWritten,
                $"write() = {d.BytesWritten}, tx_queue {d.UnacknowledgedBytes}"),
            new("the data segment is dropped like the ACK", DroppedSilently(d.FirstData), d.FirstData.Counted()),
            new("once accept() made room, the connection completed and the data arrived", d.ServerRead == d.DataSent,
                $"read() returned \"{d.ServerRead}\", \"{d.DataSent}\" was written"),
        ]);

    /// <summary>
    /// tcp_abort_on_overflow = 1: the same final ACK is answered with a reset (tcp_check_req's embryonic_reset:
    /// LINUX_MIB_EMBRYONICRSTS), the request is dropped, and the client — ESTABLISHED until then — reads ECONNRESET.
    /// </summary>
    public static IReadOnlyList<ProofCheck> ResetChecks(this AcceptOverflowResult r) => InMode(r, true, r.Reset, reset =>
        [
            new("the final ACK still meets a full queue and is counted as before",
                r.ThirdAck.ListenOverflows >= 1 && r.ThirdAck.ListenDrops == r.ThirdAck.ListenOverflows, r.ThirdAck.Counted()),
            new("it is answered with a reset and the request is dropped (EmbryonicRsts)",
                r.ThirdAck.EmbryonicRsts == 1 && r.ThirdAck.OutRsts >= 1 && !r.ServerHoldsRequest,
                $"EmbryonicRsts +{r.ThirdAck.EmbryonicRsts}, Tcp.OutRsts +{r.ThirdAck.OutRsts}, server {(r.ServerHoldsRequest ? "still SYN_RECV" : "no request")}"),
            new("the client was ESTABLISHED when the reset came, and its connection is gone", r.ThirdAck.EstabResets == 1 && r.HeldClientState == "gone",
                $"Tcp.EstabResets +{r.ThirdAck.EstabResets}, client {r.HeldClientState}"),
            new("the client's next read() fails with ECONNRESET", reset.ReadErrno == Errno.ECONNRESET, reset.ReadResult),
            new("a write() after that fails with EPIPE: the reset is reported once", reset.WriteErrno == Errno.EPIPE, reset.WriteResult),
        ]);
}
