using NetIpc.Harness;
using NetIpc.Tcp;
using NetIpc.Udp;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>07: the accept queue stops at backlog + 1 (sk_acceptq_is_full tests <c>&gt;</c>), and the clients beyond it wait in SYN_SENT.</summary>
    public static string AcceptQueueCeiling(AcceptQueueResult r)
    {
        r.Checks().RequireAll();
        int beyond = Math.Max(0, r.Clients - (r.EffectiveBacklog + 1));
        string netlink = r.Samples.Any(s => s.DiagQueued is not null)
            ? $"; sock_diag's idiag_rqueue matched rx_queue after every client, and its idiag_wqueue was {r.EffectiveBacklog}, the effective backlog"
            : "";
        return $"✓ effective backlog {r.EffectiveBacklog}: the queue stopped at {r.PeakQueued} = backlog + 1; " +
               $"the other {beyond} clients wait in SYN_SENT, none refused{netlink}";
    }

    /// <summary>
    /// 07: a client whose SYN is dropped resends it on the schedule <see cref="SynRetransmitSchedule"/> gives for this
    /// kernel's tcp_syn_linear_timeouts and tcp_syn_retries (<see cref="SynResendsChecks.Checks"/>).
    /// </summary>
    public static string SynResendSchedule(SynResendsResult r)
    {
        r.Checks().RequireAll();
        var (sends, givesUpAt) = r.Expected();
        var linearGaps = sends.Skip(1).TakeWhile(e => e.At - sends[e.Number - 1].At == SynRetransmitSchedule.InitialTimeout).Count();
        string times = string.Join(", ", r.Resends.Select(s => $"{s.AtMs / 1000:0.0}"));
        string shape = r.LinearTimeouts is int l && l > 0
            ? $"the first {linearGaps} come 1 s apart (tcp_syn_linear_timeouts = {l}), then each gap doubles"
            : "each gap doubles (this kernel has no tcp_syn_linear_timeouts, or it is 0)";
        return $"✓ in {r.WatchedMs / 1000:0.0} s the client resent its SYN {r.Resends.Count} times, at {times} s: {shape}. " +
               $"By the same rule it sends {sends.Count - 1} resends in all and gives up after {givesUpAt.TotalSeconds:0} s.";
    }

    /// <summary>
    /// 07: where the SYN queue stopped, which form of inet_csk_reqsk_queue_is_full that shows, and what the other
    /// form does; every SYN beyond the queue was counted where the chapter says (<see cref="SynQueueChecks.LimitChecks"/>).
    /// </summary>
    public static string SynQueueLimit(IReadOnlyList<SynQueueResult> runs, string kernel)
    {
        runs.LimitChecks().RequireAll();
        var plain = runs.WithoutCookies();
        string quarter = plain.QuarterRuleCeiling is int ceiling
            ? $" Without cookies the last quarter of tcp_max_syn_backlog stays free: at most {N(ceiling)} requests here " +
              $"({N(plain.MaxSynBacklog)} − {N(plain.MaxSynBacklog >> 2)} + 1); this run held {plain.PeakSynRecv}."
            : "";
        return (plain.StrictComparison()
            ? $"✓ {kernel}: the SYN queue held {plain.PeakSynRecv} = backlog + 1 requests, so inet_csk_reqsk_queue_is_full compares " +
              $"qlen > backlog ({RequestSockQueue.ComparisonCommit}). Older kernels compare qlen >= backlog: " +
              $"they keep {RequestSockQueue.Capacity(plain.Backlog, false)}, and with backlog 0 and no syncookies they take no connection."
            : $"✓ {kernel}: the SYN queue held {plain.PeakSynRecv} = backlog requests, so inet_csk_reqsk_queue_is_full compares " +
              $"qlen >= backlog, the form before {RequestSockQueue.ComparisonCommit}. With backlog 0 and no syncookies this kernel takes no connection. " +
              $"Newer kernels compare qlen > backlog and keep {RequestSockQueue.Capacity(plain.Backlog, true)}.") + quarter;
    }

    /// <summary>
    /// 07: how long unanswered requests are kept: reqsk_timer_handler's lowered retry limit while the queue is more
    /// than half full, and the oldest request dropped when it runs out (<see cref="SynQueueChecks.RetryChecks"/>).
    /// </summary>
    public static string SynAckRetries(SynQueueResult run)
    {
        run.RetryChecks().RequireAll();
        int formula = run.LoweredRetryLimit();
        var lowered = RequestSockQueue.ExpiresAfter(formula);
        var full = RequestSockQueue.ExpiresAfter(run.SynackRetries);
        double lastSample = run.Samples.Count == 0 ? 0 : run.Samples[^1].TimeMs;
        string formulaSentence = $"reqsk_timer_handler lowered the retry limit for these {run.PeakSynRecv} requests (backlog {run.Backlog}, none young) " +
            $"from tcp_synack_retries = {run.SynackRetries} to {formula}; alone, a request is kept {full.TotalSeconds:0} s";
        if (run.FirstDrop() is not { } firstDrop)
        {
            return $"✓ {formulaSentence}. By {lastSample:0} ms no request had been dropped; the first would go after {lowered.TotalSeconds:0} s.";
        }
        int left = firstDrop.SynRecv;
        int limitAfter = RequestSockQueue.SynAckRetryLimit(left, young: 0, run.Backlog, run.SynackRetries);
        string rest = limitAfter > formula
            ? $"With {left} left the queue is no longer more than half of max(8, {run.Backlog}) full, so the limit is {limitAfter} again"
            : $"With {left} left the limit is still {limitAfter}";
        return $"✓ {formulaSentence}. The oldest request was dropped at {firstDrop.TimeMs:0} ms, as that limit predicts ({lowered.TotalSeconds:0} s). {rest}" +
               (lastSample > firstDrop.TimeMs ? $": {left} still queued at {lastSample:0} ms." : ".");
    }

    /// <summary>07: a SYN that meets a full accept queue is dropped before any request exists, and answered with nothing.</summary>
    public static string LateSynDropped(AcceptOverflowResult r)
    {
        r.LateSynChecks().RequireAll();
        return $"✓ late client, tcp_abort_on_overflow = {(r.AbortOnOverflow ? 1 : 0)}: with {r.QueuedWhenFull} = backlog + 1 connections waiting, " +
               $"its SYN was dropped — the client is still in {r.LateClientState}, the server has no line for it; {r.LateSyn.Counted()}";
    }

    /// <summary>07, tcp_abort_on_overflow = 0: the final ACK is dropped while the client believes itself connected, and the server resends its SYN-ACK.</summary>
    public static string FinalAckDropped(AcceptOverflowResult r)
    {
        r.FinalAckChecks().RequireAll();
        long acks = r.ThirdAck.ListenOverflows;
        return $"✓ held client ESTABLISHED, server SYN_RECV: {acks} ACK{(acks == 1 ? "" : "s")} from the client dropped ({r.ThirdAck.Counted()}); " +
               $"the server resent its SYN-ACK (retrnsmt {r.Dropped!.SynAckResends})";
    }

    /// <summary>07, tcp_abort_on_overflow = 0: the client's data is accepted by write() and dropped like the ACK, until accept() makes room.</summary>
    public static string FirstDataWaits(AcceptOverflowResult r)
    {
        r.FirstDataChecks().RequireAll();
        var d = r.Dropped!;
        return $"✓ write() = {d.BytesWritten}; the {d.UnacknowledgedBytes} bytes stayed unacknowledged (tx_queue {d.UnacknowledgedBytes}), dropped at the server " +
               $"({d.FirstData.Counted()}). After accept() made room, the next segment from the client completed the handshake " +
               $"{d.CompletedAfterRoomMs / 1000:0.0} s later, and read() returned \"{d.ServerRead}\"";
    }

    /// <summary>07, tcp_abort_on_overflow = 1: the final ACK is answered with a reset, and the client — ESTABLISHED until then — reads ECONNRESET.</summary>
    public static string OverflowResets(AcceptOverflowResult r)
    {
        r.ResetChecks().RequireAll();
        var reset = r.Reset!;
        return $"✓ the final ACK met the full queue ({r.ThirdAck.Counted()}) and was answered with a reset: TcpExt.EmbryonicRsts +1, no request left. " +
               $"The client had been ESTABLISHED (Tcp.EstabResets +1) and is gone. Its next call: {reset.ReadResult}; then {reset.WriteResult}";
    }
}
