using System.Globalization;
using NetIpc.Experiments;
using NetIpc.Tools;

namespace NetIpc.Notebooks;

/// <summary>
/// A sentence of a chapter that the kernel contradicted. Its text names the claim and what was seen, so a
/// notebook that stops on it says which sentence no longer holds on this machine.
/// </summary>
public sealed class ClaimFailedException(string claim, string seen)
    : Exception($"the kernel disagrees with the chapter: \"{claim}\" — seen: {seen}")
{
    public string Claim { get; } = claim;
    public string Seen { get; } = seen;
}

/// <summary>
/// The checks chapters 05–14 call right after a measurement. Each one tests the measured result against the
/// sentence the chapter's prose rests on and returns that sentence filled in from the result — the prose
/// around it then carries no number of its own — or throws <see cref="ClaimFailedException"/>.
/// </summary>
public static class Claims
{
    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>A wchan that names a kernel function: "0" is a thread running, or a kernel that does not say.</summary>
    private static bool Asleep(string wchan) => wchan.Length > 0 && wchan != "0";

    /// <summary>"+1,000", "−3", "0": a change in a count.</summary>
    private static string Signed(double value) =>
        Math.Round(value) == 0 ? "0" : Math.Round(value).ToString("+#,0;−#,0", CultureInfo.InvariantCulture);

    private static void Require(bool holds, string claim, string seen)
    {
        if (!holds)
        {
            throw new ClaimFailedException(claim, seen);
        }
    }

    /// <summary>
    /// 03: sock_diag and /proc, read at the same moment, agree on every field of the zoo's rows that both report;
    /// every difference is one the kernel explains. Returns the sentence with the counts and the reasons seen.
    /// </summary>
    public static string ViewsAgree(TwoViewsOfTheZoo views)
    {
        var failed = new[] { views.Tcp, views.Udp, views.Unix }.FirstOrDefault(v => !v.Holds);
        Require(failed is null, "sock_diag and /proc agree on every field both report, but for the differences the kernel explains",
            failed is null ? "" : $"{failed.Table}: {string.Join("; ", failed.Missing.Concat(failed.Unexplained.Select(d => $"{d.Row} {d.Field}: /proc {d.Proc}, sock_diag {d.Netlink}")))}");
        Require(views.Tcp.Compared > 0 && views.Udp.Compared > 0 && views.Unix.Compared > 0, "the zoo's TCP, UDP and UNIX sockets were all compared",
            $"{views.Tcp.Compared} TCP, {views.Udp.Compared} UDP, {views.Unix.Compared} UNIX rows compared");
        var listeners = views.ZooRows.Where(r => r.Proc.State == Proc.KernelTcpState.Listen).ToList();
        Require(listeners.Count > 0 && listeners.All(r => r.Proc.TxQueue == 0 && r.Netlink.Backlog > 0),
            "a listener's tx_queue is 0 in /proc, and its backlog in sock_diag's idiag_wqueue",
            string.Join("; ", listeners.Select(r => $"{r.Proc.Local}: tx_queue {r.Proc.TxQueue}, idiag_wqueue {r.Netlink.Socket.TxQueue}")));
        var reasons = views.Differences.GroupBy(d => d.Field).Select(g => $"{g.Key} on {g.Count()} row{(g.Count() == 1 ? "" : "s")}");
        return $"✓ sock_diag and /proc agree on the zoo's {views.Tcp.Compared} TCP, {views.Udp.Compared} UDP and {views.Unix.Compared} UNIX sockets, field by field. " +
               $"They differ only where the kernel fills the two from different places ({string.Join(", ", reasons.DefaultIfEmpty("nowhere this time"))})";
    }

    /// <summary>TCP_INIT_CWND (include/net/tcp.h): the window tcp_init_sock gives every TCP socket, a listener's included.</summary>
    private const int InitialCongestionWindow = 10;

    /// <summary>
    /// 03: a listener's tcp_info aliases two fields — tcpi_unacked is its accept queue, tcpi_sacked its backlog — and
    /// has no round-trip time; the connection's does. The accept queue is the same number three ways.
    /// </summary>
    public static string ListenerTcpInfo(ListenerInfoResult r)
    {
        var l = r.Listener;
        Require(l.AcceptQueue == (ulong)r.Waiting && r.ProcRxQueue == (ulong)r.Waiting && l.Info?.Unacked == r.Waiting,
            "the accept queue is the same three ways: /proc's rx_queue, sock_diag's idiag_rqueue, tcp_info's tcpi_unacked",
            $"{r.Waiting} waiting; rx_queue {r.ProcRxQueue}, idiag_rqueue {l.AcceptQueue}, tcpi_unacked {l.Info?.Unacked}");
        Require(l.Backlog == (ulong)r.Backlog && l.Info?.Sacked == r.Backlog, "the backlog is idiag_wqueue and tcpi_sacked",
            $"listen({r.Backlog}); idiag_wqueue {l.Backlog}, tcpi_sacked {l.Info?.Sacked}");
        Require(l.Info?.RttMicroseconds == 0 && l.Info.CongestionWindow == InitialCongestionWindow && r.Client.Info is { RttMicroseconds: > 0, CongestionWindow: > 0 },
            $"a listener has no round-trip time and keeps the initial window ({InitialCongestionWindow}, TCP_INIT_CWND) it never uses; a connection that carried data has both",
            $"listener tcpi_rtt {l.Info?.RttMicroseconds}, tcpi_snd_cwnd {l.Info?.CongestionWindow}; connection tcpi_rtt {r.Client.Info?.RttMicroseconds}, tcpi_snd_cwnd {r.Client.Info?.CongestionWindow}");
        // tcp_rto_min(): the socket's icsk_rto_min, set by tcp_init_sock from tcp_rto_min_us (6.11+) or TCP_RTO_MIN before it.
        long rtoFloor = r.RtoMinSysctlUs ?? (long)(TcpRtoMinMs * 1000);
        string floorSource = r.RtoMinSysctlUs is null ? "TCP_RTO_MIN" : "net.ipv4.tcp_rto_min_us";
        Require(r.Client.Info!.RtoMicroseconds >= rtoFloor, $"the retransmission timeout is at least {rtoFloor / 1000.0:0.###} ms ({floorSource}), however short the round trip",
            $"tcpi_rto {r.Client.Info.RtoMicroseconds} µs for tcpi_rtt {r.Client.Info.RttMicroseconds} µs");
        Require(r.ListeningRows < r.AllRows, "asked for LISTEN only, the kernel sent fewer rows", $"{r.ListeningRows} of {r.AllRows}");
        return $"✓ {r.Waiting} connections wait: rx_queue, idiag_rqueue and tcpi_unacked all say {r.Waiting}; idiag_wqueue and tcpi_sacked say {r.Backlog}, the backlog. " +
               $"The listener's tcpi_rtt is 0 and its tcpi_snd_cwnd the initial {InitialCongestionWindow}; the connection's tcpi_rtt is {r.Client.Info!.RttMicroseconds} µs, its window {r.Client.Info.CongestionWindow} segments. " +
               $"Filtered for LISTEN, the kernel sent {r.ListeningRows} of the namespace's {r.AllRows} rows";
    }

    /// <summary>03: the recorded run has the netlink reader at least twice as fast as <c>ss -tan</c>, and faster than reading /proc's bytes alone.</summary>
    public static string SockDiagFaster(TcpTableBenchmark b)
    {
        Require(b.SpeedupOverSs >= 2, "the sock_diag reader is at least 2× faster than ss -tan",
            $"medians: sock_diag {b.SockDiag.MedianMs:F2} ms, ss -tan {b.Ss.MedianMs:F2} ms");
        Require(b.SockDiag.MedianMs < b.ProcBytes.MedianMs, "the sock_diag reader is faster than reading /proc/net/tcp's bytes alone",
            $"medians: sock_diag {b.SockDiag.MedianMs:F2} ms, bare /proc read {b.ProcBytes.MedianMs:F2} ms");
        string floor = b.NetlinkBytes is { } bare
            ? $" Decoding the rows cost {b.SockDiag.MedianMs - bare.MedianMs:F1} ms over the bare dump's {bare.MedianMs:F1} ms."
            : "";
        return $"✓ recorded, {b.Sockets:N0} sockets: sock_diag read the table in {b.SockDiag.MedianMs:F1} ms (median). " +
               $"ss -tan took {b.SpeedupOverSs:F1} times as long, and the bare read of /proc's text {b.ProcBytes.MedianMs / b.SockDiag.MedianMs:F1} times." + floor;
    }

    /// <summary>07: the accept queue stops at backlog + 1 (sk_acceptq_is_full tests <c>&gt;</c>), and the clients beyond it wait in SYN_SENT.</summary>
    public static string AcceptQueueCeiling(AcceptQueueResult r)
    {
        int ceiling = r.EffectiveBacklog + 1;
        Require(r.PeakQueued == ceiling, "the accept queue grows to backlog + 1",
            $"backlog {r.EffectiveBacklog}, peak {r.PeakQueued}");
        int beyond = Math.Max(0, r.Clients - ceiling);
        Require(r.StuckInSynSent == beyond, "every client beyond backlog + 1 is left in SYN_SENT, none refused",
            $"{r.StuckInSynSent} of {r.Clients} clients in SYN_SENT, {beyond} expected");
        string netlink = "";
        if (r.Samples.Any(s => s.DiagQueued is not null))
        {
            var off = r.Samples.FirstOrDefault(s => s.DiagQueued != s.Queued || s.DiagBacklog != r.EffectiveBacklog);
            Require(off is null, "sock_diag reports the same accept queue as rx_queue, and the effective backlog as idiag_wqueue",
                off is null ? "" : $"after client {off.Clients}: rx_queue {off.Queued}, idiag_rqueue {off.DiagQueued}, idiag_wqueue {off.DiagBacklog}, effective backlog {r.EffectiveBacklog}");
            netlink = $"; sock_diag's idiag_rqueue matched rx_queue after every client, and its idiag_wqueue was {r.EffectiveBacklog}, the effective backlog";
        }
        return $"✓ effective backlog {r.EffectiveBacklog}: the queue stopped at {r.PeakQueued} = backlog + 1; " +
               $"the other {beyond} clients wait in SYN_SENT, none refused{netlink}";
    }

    /// <summary>
    /// 07: a client whose SYN is dropped resends it on the schedule <see cref="SynRetransmitSchedule"/> gives for this
    /// kernel's tcp_syn_linear_timeouts and tcp_syn_retries. Every resend the rule puts inside the watched time must be
    /// seen, each gap within a quarter of the rule's (timers fire late by a wheel slot, the sampler reads every 2 ms),
    /// and tcp_info's timeout after each must be the rule's exactly.
    /// </summary>
    public static string SynResendSchedule(SynResendsResult r)
    {
        Require(r.QueuedAtListener == 1 && r.StillSynSent, "a SYN that meets a full accept queue is dropped, and the client stays in SYN_SENT",
            $"{r.QueuedAtListener} queued at the listener; client still in SYN_SENT: {r.StillSynSent}");
        var (sends, givesUpAt) = r.Expected();
        Require(Math.Abs(r.InitialRtoMs - sends[0].RtoAfter.TotalMilliseconds) <= 1, "the first SYN goes with TCP_TIMEOUT_INIT, 1 s",
            $"tcpi_rto {r.InitialRtoMs} ms after connect()");
        // A resend due in the last 400 ms may or may not have been seen: timers fire late by up to a wheel slot.
        var due = sends.Skip(1).Where(e => e.At.TotalMilliseconds <= r.WatchedMs - 400).ToList();
        var maybe = sends.Skip(1).Count(e => e.At.TotalMilliseconds <= r.WatchedMs);
        Require(r.Resends.Count >= due.Count && r.Resends.Count <= maybe,
            $"the client resends its SYN {due.Count} times in {r.WatchedMs / 1000:0.0} s (tcp_syn_linear_timeouts {Show(r.LinearTimeouts)})",
            $"{r.Resends.Count} resends, at {string.Join(", ", r.Resends.Select(s => $"{s.AtMs:0} ms"))}");
        double previous = 0;
        foreach (var seen in r.Resends)
        {
            var rule = sends[seen.Number];
            double gap = seen.AtMs - previous, ruleGap = (rule.At - sends[seen.Number - 1].At).TotalMilliseconds;
            Require(Math.Abs(gap - ruleGap) <= ruleGap / 4, $"resend {seen.Number} comes {ruleGap / 1000:0.#} s after the one before",
                $"{gap:0} ms after");
            Require(Math.Abs(seen.RtoAfterMs - rule.RtoAfter.TotalMilliseconds) <= 1, $"after resend {seen.Number} the timeout is {rule.RtoAfter.TotalSeconds:0.#} s",
                $"tcpi_rto {seen.RtoAfterMs} ms");
            previous = seen.AtMs;
        }
        var linearGaps = sends.Skip(1).TakeWhile(e => e.At - sends[e.Number - 1].At == SynRetransmitSchedule.InitialTimeout).Count();
        string times = string.Join(", ", r.Resends.Select(s => $"{s.AtMs / 1000:0.0}"));
        string shape = r.LinearTimeouts is int l && l > 0
            ? $"the first {linearGaps} come 1 s apart (tcp_syn_linear_timeouts = {l}), then each gap doubles"
            : "each gap doubles (this kernel has no tcp_syn_linear_timeouts, or it is 0)";
        return $"✓ in {r.WatchedMs / 1000:0.0} s the client resent its SYN {r.Resends.Count} times, at {times} s: {shape}. " +
               $"By the same rule it sends {sends.Count - 1} resends in all and gives up after {givesUpAt.TotalSeconds:0} s.";
    }

    private static string Show(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "absent";

    /// <summary>
    /// 07: where the SYN queue stopped, which form of inet_csk_reqsk_queue_is_full that shows, and what the other
    /// form does. Also checks that every SYN beyond the queue was counted where the chapter says it is: as
    /// TCPReqQFullDrop without cookies, as SyncookiesSent with them.
    /// </summary>
    public static string SynQueueLimit(IReadOnlyList<SynQueueResult> runs, string kernel)
    {
        var plain = runs.Single(r => !r.Syncookies);
        bool strict = plain.PeakSynRecv == RequestSockQueue.Capacity(plain.Backlog, strictComparison: true);
        bool old = plain.PeakSynRecv == RequestSockQueue.Capacity(plain.Backlog, strictComparison: false);
        Require(strict || old, "with tcp_syncookies=0 the SYN queue stops at backlog + 1 (since v6.13) or at backlog (before)",
            $"backlog {plain.Backlog}, peak {plain.PeakSynRecv} SYN_RECV lines");
        long beyond = plain.Syns - plain.PeakSynRecv;
        Require(plain.RequestQueueFullDrops == beyond, "without cookies every SYN beyond the queue is dropped (TCPReqQFullDrop)",
            $"{plain.Syns} SYNs, {plain.PeakSynRecv} kept, TCPReqQFullDrop +{plain.RequestQueueFullDrops}");
        foreach (var cookies in runs.Where(r => r.Syncookies))
        {
            Require(cookies.PeakSynRecv == plain.PeakSynRecv && cookies.SyncookiesSent == cookies.Syns - cookies.PeakSynRecv,
                "with cookies the queue holds as much, and every SYN beyond it is answered with a cookie",
                $"peak {cookies.PeakSynRecv}, SyncookiesSent +{cookies.SyncookiesSent} of {cookies.Syns} SYNs");
        }
        string quarter = "";
        if (plain.QuarterRuleCeiling is int ceiling)
        {
            Require(plain.PeakSynRecv <= ceiling, "without cookies the SYN queue never holds more than tcp_max_syn_backlog − tcp_max_syn_backlog / 4 + 1 requests",
                $"tcp_max_syn_backlog {plain.MaxSynBacklog}, peak {plain.PeakSynRecv}");
            quarter = $" Without cookies the last quarter of tcp_max_syn_backlog stays free: at most {N(ceiling)} requests here " +
                      $"({N(plain.MaxSynBacklog)} − {N(plain.MaxSynBacklog >> 2)} + 1); this run held {plain.PeakSynRecv}.";
        }
        return (strict
            ? $"✓ {kernel}: the SYN queue held {plain.PeakSynRecv} = backlog + 1 requests, so inet_csk_reqsk_queue_is_full compares " +
              $"qlen > backlog ({RequestSockQueue.ComparisonCommit}). Older kernels compare qlen >= backlog: " +
              $"they keep {RequestSockQueue.Capacity(plain.Backlog, false)}, and with backlog 0 and no syncookies they take no connection."
            : $"✓ {kernel}: the SYN queue held {plain.PeakSynRecv} = backlog requests, so inet_csk_reqsk_queue_is_full compares " +
              $"qlen >= backlog, the form before {RequestSockQueue.ComparisonCommit}. With backlog 0 and no syncookies this kernel takes no connection. " +
              $"Newer kernels compare qlen > backlog and keep {RequestSockQueue.Capacity(plain.Backlog, true)}.") + quarter;
    }

    /// <summary>
    /// 07: how long unanswered requests are kept. reqsk_timer_handler lowers the retry limit for old requests
    /// while the queue is more than half of max(8, backlog) full (toward 2), so with the SYN queue full the
    /// oldest request is dropped when its timer fires after 1 + 2 + 4 s; one request fewer and the queue is no
    /// longer that full, the limit is tcp_synack_retries again, and the others stay. Checked when the run was
    /// long enough to see it: the first drop must come when the lowered limit says, give or take a second
    /// (the request timers are not exact and the table is sampled).
    /// </summary>
    public static string SynAckRetries(SynQueueResult run)
    {
        int formula = RequestSockQueue.SynAckRetryLimit(run.PeakSynRecv, young: 0, run.Backlog, run.SynackRetries);
        var lowered = RequestSockQueue.ExpiresAfter(formula);
        var full = RequestSockQueue.ExpiresAfter(run.SynackRetries);
        double lastSample = run.Samples.Count == 0 ? 0 : run.Samples[^1].TimeMs;
        Require(run.MaxRetransmits <= run.SynackRetries, $"no request is resent more than tcp_synack_retries ({run.SynackRetries}) times",
            $"retrnsmt reached {run.MaxRetransmits}");
        var firstDrop = run.Samples.SkipWhile(x => x.SynRecv < run.PeakSynRecv).FirstOrDefault(x => x.SynRecv < run.PeakSynRecv);
        bool expected = formula < run.SynackRetries && lastSample > lowered.TotalMilliseconds + 1000;
        if (expected || firstDrop is not null)
        {
            Require(firstDrop is not null && formula < run.SynackRetries && Math.Abs(firstDrop.TimeMs - lowered.TotalMilliseconds) <= 1000,
                $"the first request is dropped when the lowered limit ({formula}) runs out, {lowered.TotalSeconds:0} s after its SYN",
                firstDrop is null ? $"none dropped by {lastSample:0} ms" : $"first drop at {firstDrop.TimeMs:0} ms, tcp_synack_retries {run.SynackRetries}, formula {formula}");
        }
        string formulaSentence = $"reqsk_timer_handler lowered the retry limit for these {run.PeakSynRecv} requests (backlog {run.Backlog}, none young) " +
            $"from tcp_synack_retries = {run.SynackRetries} to {formula}; alone, a request is kept {full.TotalSeconds:0} s";
        if (firstDrop is null)
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

    private static string Counted(OverflowCounters c) =>
        $"ListenOverflows +{c.ListenOverflows}, ListenDrops +{c.ListenDrops}, Tcp.OutRsts +{c.OutRsts}";

    /// <summary>
    /// 07: this kernel drops a SYN that meets a full accept queue before any request exists (tcp_conn_request:
    /// sk_acceptq_is_full → LINUX_MIB_LISTENOVERFLOWS, then tcp_listendrop → LINUX_MIB_LISTENDROPS), and answers
    /// nothing — whatever tcp_abort_on_overflow says.
    /// </summary>
    public static string LateSynDropped(AcceptOverflowResult r)
    {
        Require(r.QueuedWhenFull == r.Backlog + 1, "the accept queue was full: backlog + 1 connections waiting",
            $"backlog {r.Backlog}, {r.QueuedWhenFull} waiting");
        // The state may carry ", retrnsmt 1": a run stalled past a second saw the client resend its SYN.
        Require(r.LateClientState.StartsWith("SYN_SENT", StringComparison.Ordinal) && !r.LateClientHasRequest,
            "a SYN that meets a full accept queue creates no request: the client stays in SYN_SENT and the server has no line for it",
            $"client {r.LateClientState}, server {(r.LateClientHasRequest ? "has a line for it" : "nothing")}");
        // One SYN, normally; a run stalled past a second would also see the client's resent SYN, dropped the same way.
        Require(r.LateSyn.ListenOverflows >= 1 && r.LateSyn.ListenDrops == r.LateSyn.ListenOverflows && r.LateSyn.OutRsts == 0,
            "the SYN is dropped without an answer, counted in ListenOverflows and in ListenDrops alike", Counted(r.LateSyn));
        return $"✓ late client, tcp_abort_on_overflow = {(r.AbortOnOverflow ? 1 : 0)}: with {r.QueuedWhenFull} = backlog + 1 connections waiting, " +
               $"its SYN was dropped — the client is still in {r.LateClientState}, the server has no line for it; {Counted(r.LateSyn)}";
    }

    /// <summary>
    /// 07, tcp_abort_on_overflow = 0: the final ACK of a handshake whose SYN got in is dropped when the queue is full
    /// (tcp_check_req → tcp_v4_syn_recv_sock: sk_acceptq_is_full, both counters), the client believing itself
    /// connected while the server holds only the request, which resends its SYN-ACK.
    /// </summary>
    public static string FinalAckDropped(AcceptOverflowResult r)
    {
        Require(!r.AbortOnOverflow && r.Dropped is not null, "this run leaves net.ipv4.tcp_abort_on_overflow at 0",
            $"tcp_abort_on_overflow = {(r.AbortOnOverflow ? 1 : 0)}");
        var d = r.Dropped!;
        Require(r.HeldClientState == "ESTABLISHED" && r.ServerHoldsRequest,
            "the client says ESTABLISHED while the server holds only a request (SYN_RECV)",
            $"client {r.HeldClientState}, server {(r.ServerHoldsRequest ? "SYN_RECV" : "no request")}");
        Require(r.ThirdAck.ListenOverflows >= 1 && r.ThirdAck.ListenDrops == r.ThirdAck.ListenOverflows && r.ThirdAck.OutRsts == 0,
            "the client's ACK is dropped in silence, each one counted in ListenOverflows and in ListenDrops", Counted(r.ThirdAck));
        Require(d.SynAckResends >= 1, "the server resends its SYN-ACK", $"retrnsmt {d.SynAckResends} on the SYN_RECV line");
        long acks = r.ThirdAck.ListenOverflows;
        return $"✓ held client ESTABLISHED, server SYN_RECV: {acks} ACK{(acks == 1 ? "" : "s")} from the client dropped ({Counted(r.ThirdAck)}); " +
               $"the server resent its SYN-ACK (retrnsmt {d.SynAckResends})";
    }

    /// <summary>07, tcp_abort_on_overflow = 0: the client's data is accepted by write() and dropped like the ACK, until accept() makes room.</summary>
    public static string FirstDataWaits(AcceptOverflowResult r)
    {
        var d = r.Dropped ?? throw new ClaimFailedException("this run leaves net.ipv4.tcp_abort_on_overflow at 0", "tcp_abort_on_overflow = 1");
        Require(d.BytesWritten == d.DataSent.Length && d.UnacknowledgedBytes == d.BytesWritten,
            "write() succeeds and its bytes stay unacknowledged in the client's tx_queue",
            $"write() = {d.BytesWritten}, tx_queue {d.UnacknowledgedBytes}");
        Require(d.FirstData.ListenOverflows >= 1 && d.FirstData.ListenDrops == d.FirstData.ListenOverflows && d.FirstData.OutRsts == 0,
            "the data segment is dropped like the ACK", Counted(d.FirstData));
        Require(d.ServerRead == d.DataSent, "once accept() made room, the connection completed and the data arrived",
            $"read() returned \"{d.ServerRead}\", \"{d.DataSent}\" was written");
        return $"✓ write() = {d.BytesWritten}; the {d.UnacknowledgedBytes} bytes stayed unacknowledged (tx_queue {d.UnacknowledgedBytes}), dropped at the server " +
               $"({Counted(d.FirstData)}). After accept() made room, the next segment from the client completed the handshake " +
               $"{d.CompletedAfterRoomMs / 1000:0.0} s later, and read() returned \"{d.ServerRead}\"";
    }

    /// <summary>
    /// 07, tcp_abort_on_overflow = 1: the same final ACK is answered with a reset (tcp_check_req's embryonic_reset:
    /// LINUX_MIB_EMBRYONICRSTS), the request is dropped, and the client — ESTABLISHED until then — reads ECONNRESET.
    /// </summary>
    public static string OverflowResets(AcceptOverflowResult r)
    {
        Require(r.AbortOnOverflow && r.Reset is not null, "this run sets net.ipv4.tcp_abort_on_overflow = 1 in its namespace",
            $"tcp_abort_on_overflow = {(r.AbortOnOverflow ? 1 : 0)}");
        var reset = r.Reset!;
        Require(r.ThirdAck.ListenOverflows >= 1 && r.ThirdAck.ListenDrops == r.ThirdAck.ListenOverflows,
            "the final ACK still meets a full queue and is counted as before", Counted(r.ThirdAck));
        Require(r.ThirdAck.EmbryonicRsts == 1 && r.ThirdAck.OutRsts >= 1 && !r.ServerHoldsRequest,
            "it is answered with a reset and the request is dropped (EmbryonicRsts)",
            $"EmbryonicRsts +{r.ThirdAck.EmbryonicRsts}, Tcp.OutRsts +{r.ThirdAck.OutRsts}, server {(r.ServerHoldsRequest ? "still SYN_RECV" : "no request")}");
        Require(r.ThirdAck.EstabResets == 1 && r.HeldClientState == "gone",
            "the client was ESTABLISHED when the reset came, and its connection is gone",
            $"Tcp.EstabResets +{r.ThirdAck.EstabResets}, client {r.HeldClientState}");
        Require(reset.ReadErrno == 104, "the client's next read() fails with ECONNRESET", reset.ReadResult);
        Require(reset.WriteErrno == 32, "a write() after that fails with EPIPE: the reset is reported once", reset.WriteResult);
        return $"✓ the final ACK met the full queue ({Counted(r.ThirdAck)}) and was answered with a reset: TcpExt.EmbryonicRsts +1, no request left. " +
               $"The client had been ESTABLISHED (Tcp.EstabResets +1) and is gone. Its next call: {reset.ReadResult}; then {reset.WriteResult}";
    }

    /// <summary>
    /// 08: tx_queue is write_seq − snd_una, bytes written and not yet acknowledged, including bytes never sent.
    /// The kernel can have sent at most one receive window beyond what was acknowledged, and a window is at most
    /// the receiver's buffer: everything above that was never sent — and SIOCOUTQNSD, write_seq − snd_nxt, says how
    /// much. Also checks that SIOCOUTQ is the number /proc prints as tx_queue, on a sample where the queue had settled
    /// (the same as the sample before it), since the ioctls and the /proc read are not one snapshot.
    /// </summary>
    public static string TxQueueIncludesUnsent(BuffersResult r)
    {
        var last = r.Samples[^1];
        Require(r.PeakTxQueue > r.ReceiveBuffer, "tx_queue grows beyond anything the receiver's window could let the sender send",
            $"peak tx_queue {N(r.PeakTxQueue)}, receiver's SO_RCVBUF {N(r.ReceiveBuffer)}");
        Require(last.SenderNotSent > 0 && last.SenderNotSent <= last.SenderTxQueue && last.SenderTxQueue - last.SenderNotSent <= r.ReceiveBuffer,
            "most of tx_queue was never sent (write_seq − snd_nxt), and what was sent fits in the receiver's buffer",
            $"tx_queue {N(last.SenderTxQueue)}, never sent {N(last.SenderNotSent)}, SO_RCVBUF {N(r.ReceiveBuffer)}");
        var settled = r.Samples.Skip(1).Zip(r.Samples, (s, before) => (s, before))
            .LastOrDefault(p => p.s.ProcTxQueue is not null && p.s.SenderTxQueue == p.before.SenderTxQueue).s;
        string same = "";
        if (r.Samples.Any(s => s.ProcTxQueue is not null))
        {
            Require(settled is not null && settled.ProcTxQueue == settled.SenderTxQueue, "SIOCOUTQ is the number /proc/net/tcp prints as tx_queue",
                settled is null ? "the queue never settled between two samples" : $"at {settled.TimeMs:0} ms: SIOCOUTQ {N(settled.SenderTxQueue)}, /proc tx_queue {N(settled.ProcTxQueue!.Value)}");
            same = $"; /proc's tx_queue said the same {N(settled!.ProcTxQueue!.Value)} at {settled.TimeMs:0} ms";
        }
        return $"✓ at the end: tx_queue {N(last.SenderTxQueue)} bytes, of which {N(last.SenderNotSent)} never sent " +
               $"({100.0 * last.SenderNotSent / last.SenderTxQueue:0.0}%); the receiver held {N(last.ReceiverRxQueue)} unread{same}";
    }

    /// <summary>TCP_RTO_MIN (include/net/tcp.h): HZ/5.</summary>
    private const double TcpRtoMinMs = 200;

    /// <summary>
    /// 08: the step after the window closed. The sender's next segment did not fit in the little window left
    /// (sender-side silly window avoidance), so it waited for the zero-window probe timer; when it fired,
    /// tcp_write_wakeup cut the segment to the window and sent it: the receiver's queue grows by exactly what
    /// the sender's tx_queue loses. Two timing checks, both from the kernel's own timer: it was armed for the
    /// sender's RTO (tcp_probe0_base: at least TCP_RTO_MIN) — the time left /proc printed when the timer was first
    /// seen, plus how long it could have run before that — and the step came when it was due. A sample's view is
    /// placed anywhere between when it began and when its /proc read ended, so a preempted sampler widens the
    /// brackets instead of breaking them. Samples without those two numbers (older recordings) give the step only.
    /// Returns a sentence saying so when no step happened.
    /// </summary>
    public static string WindowProbeStep(BuffersResult r)
    {
        var samples = r.Samples;
        int probeSeen = samples.ToList().FindIndex(s => s.SenderTimer == "ZeroWindowProbe");
        Require(probeSeen >= 0, "the sender's timer column shows the zero-window probe (tr 4)", "never seen");
        for (int i = probeSeen + 1; i < samples.Count; i++)
        {
            long grew = samples[i].ReceiverRxQueue - samples[i - 1].ReceiverRxQueue;
            if (grew <= 0)
            {
                continue;
            }
            // The receiver's ACK can reach the sender after the sample that saw the data arrive (a sender socket busy
            // in a system call takes it from its backlog later): the drop is the first change of tx_queue from here on.
            int j = i;
            while (j < samples.Count - 1 && j < i + 5 && samples[j].SenderTxQueue == samples[i - 1].SenderTxQueue) j++;
            long acked = samples[i - 1].SenderTxQueue - samples[j].SenderTxQueue;
            Require(acked == grew, "what the receiver's queue gained at the probe is what the sender's tx_queue lost",
                $"rx_queue +{N(grew)} at {samples[i].TimeMs:0} ms, tx_queue −{N(acked)} by {samples[j].TimeMs:0} ms");
            string moved = $"rx_queue +{N(grew)} bytes, tx_queue −{N(acked)} bytes — one segment cut to the window";
            var seen = samples[probeSeen];
            if (probeSeen == 0 || seen.SenderRtoMs is not double rto || seen.SenderTimerLeftMs is not double left
                || seen.ReadDoneMs is not double seenBy || samples[i].ReadDoneMs is not double firedBy)
            {
                return $"✓ at {samples[i].TimeMs:0} ms, {samples[i].TimeMs - seen.TimeMs:0} ms after the probe timer was first seen: {moved}";
            }
            // /proc prints the time left truncated to 1/100 s (jiffies_delta_to_clock_t): the true value is up to 10 ms more.
            const double Tick = 10;
            double armedFrom = samples[probeSeen - 1].TimeMs, ranBefore = seenBy - armedFrom;
            // tcp_probe0_base: max(icsk_rto, TCP_RTO_MIN) — a route's rto_min can put the rto column below 200 ms.
            double armedFor = Math.Max(rto, TcpRtoMinMs);
            Require(left <= armedFor + Tick && left + Tick + ranBefore >= armedFor - Tick, "the probe timer is armed for one RTO, at least TCP_RTO_MIN (tcp_probe0_base)",
                $"{left:0} ms left when first seen, at most {ranBefore:0.0} ms after it was armed; rto column {rto:0} ms, so {armedFor:0} ms expected");
            double dueFrom = seen.TimeMs + left, dueBy = seenBy + left + Tick;
            double firedFrom = samples[i - 1].TimeMs;
            // A timer runs in the softirq at or after its tick; the bracket's far side allows a few ticks of that.
            Require(firedBy >= dueFrom - Tick && firedFrom <= dueBy + 4 * Tick, "the step comes when the probe timer is due",
                $"due between {dueFrom:0.0} and {dueBy:0.0} ms; the receiver's queue grew between {firedFrom:0.0} and {firedBy:0.0} ms");
            string forWhat = armedFor == rto ? $"for the sender's RTO ({rto:0} ms" : $"for TCP_RTO_MIN ({armedFor:0} ms, above the sender's RTO of {rto:0}";
            return $"✓ the probe timer was armed between {armedFrom:0.0} and {seenBy:0.0} ms, {forWhat}; {left:0} ms left when first seen), " +
                   $"so due between {dueFrom:0.0} and {dueBy:0.0} ms. The step came between {firedFrom:0.0} and {firedBy:0.0} ms: {moved}";
        }
        return $"✓ the sender's timer column showed the zero-window probe from {samples[probeSeen].TimeMs:0} ms; the window never reopened in this run's {samples[^1].TimeMs:0} ms";
    }

    /// <summary>
    /// 09: how soon the client's FIN was acknowledged. The end that receives a FIN enters pingpong mode (tcp_fin) and
    /// schedules a delayed ACK for its ato (tcp_send_delayed_ack); ato is 0 until the first data segment arrives
    /// (tcp_event_data_recv sets TCP_ATO_MIN, 40 ms), so a server that has received nothing acknowledges at the next
    /// timer tick. Checked: with ato 0, FIN-WAIT-2 comes before TCP_DELACK_MIN; with an ato, not before it (less a
    /// sampling step).
    /// </summary>
    public static string FinAcknowledged(CloseResult r)
    {
        double seen = r.FinWait2AfterMs;
        if (r.ServerAtoBeforeFinMs is not double ato)
        {
            return $"from shutdown(SHUT_WR) to the table showing FIN-WAIT-2: {seen:0.0} ms in this run (this recording has no ato column)";
        }
        // The kernel's stamp of the ACK's arrival where the run has it; the first look at the table that showed
        // FIN-WAIT-2 (later by however long the look took) in older recordings.
        double after = r.FinAckedAfterMs ?? seen;
        string how = r.FinAckedAfterMs is null ? "FIN-WAIT-2 was in the table" : "the ACK of the FIN arrived (the client's tcpi_last_ack_recv)";
        Require(after > -10, "the ACK the client last received came after its FIN (to the kernel's clock tick)",
            $"{after:0.0} ms after shutdown(SHUT_WR)");
        if (ato == 0)
        {
            Require(after < 40, "a server that has received no data acknowledges a FIN at the next timer tick, before TCP_DELACK_MIN (40 ms)",
                $"ato 0, {how} {after:0.0} ms after shutdown(SHUT_WR)");
            return $"✓ the server had received no data, so its ato column showed 0 before the FIN: its delayed ACK was due at once, at the next timer tick. " +
                   $"It came in time: {how} {after:0.0} ms after shutdown(SHUT_WR), under TCP_DELACK_MIN's 40 ms";
        }
        Require(after >= ato - 5, "a FIN is acknowledged by the delayed-ACK timer, no sooner than the receiver's ato",
            $"ato {ato:0} ms, {how} {after:0.0} ms after shutdown(SHUT_WR)");
        return $"✓ the server's ato was {ato:0} ms before the FIN, and {how} {after:0.0} ms after shutdown(SHUT_WR): the delayed-ACK timer's wait";
    }

    /// <summary>
    /// 09: the seed's "EOF in the receive buffer". The FIN is queued on the receive queue and takes one sequence
    /// number (tcp_data_queue advances rcv_nxt to its end_seq), so /proc's rx_queue, rcv_nxt − copied_seq, counts it as
    /// 1 though it holds no byte; read() returns 0 and steps copied_seq over it (tcp_recvmsg_locked, found_fin_ok).
    /// </summary>
    public static string FinInTheReceiveQueue(CloseResult r)
    {
        if (r.ServerRxQueueAfterFin is not long before || r.ServerRxQueueAfterEof is not long after)
        {
            return "this recording has no rx_queue readings around the server's read()";
        }
        bool eof = r.Steps.Any(s => s.ReadReturnedEof == true);
        Require(eof && before == 1 && after == 0,
            "a FIN takes one sequence number in the receive queue: rx_queue 1 in CLOSE-WAIT before read(), 0 once read() returned 0",
            $"read() returned 0: {eof}; rx_queue before {before}, after {after}");
        return $"✓ in CLOSE-WAIT, before read(), the server's rx_queue was {before}: the FIN, no byte but one sequence number; " +
               $"read() returned 0 and rx_queue became {after}";
    }

    /// <summary>09: TIME_WAIT lasts TCP_TIMEWAIT_LEN, 60 s, counted down from when the state was entered.</summary>
    public static string TimeWaitLength(CloseResult r)
    {
        double left = r.TimeWaitRemaining.TotalSeconds;
        Require(left is > 55 and <= 60, "the TIME_WAIT timer counts down from 60 s (TCP_TIMEWAIT_LEN)", $"{left:0.00} s left");
        return $"✓ {left:0.00} s left of TCP_TIMEWAIT_LEN's 60 s ({(60 - left) * 1000:0} ms after the state was entered, in /proc's 10 ms ticks)";
    }

    private static string AbortCounters(CloseCase c) =>
        $"Tcp.OutRsts +{c.OutRsts}, TCPAbortOnData +{c.AbortOnData}, TCPAbortOnClose +{c.AbortOnClose}, TCPAbortOnLinger +{c.AbortOnLinger}";

    /// <summary>09: a plain close() sends FIN: the peer reads end of file, the closer waits in TIME_WAIT, no reset.</summary>
    public static string OrderlyCloseSendsFin(AbortiveCloseResult r)
    {
        var c = r.Orderly;
        Require(c.PeerReadErrno == 0 && c.PeerRead.StartsWith("read() = 0", StringComparison.Ordinal), "after close() the peer's read() returns 0", c.PeerRead);
        Require(c.CloserAfter == "TIME_WAIT" && c.TimeWaitLeft, "the end that closed first is left in TIME_WAIT", $"closer {c.CloserAfter}");
        Require(c.OutRsts == 0 && c.AbortOnData == 0 && c.AbortOnClose == 0 && c.AbortOnLinger == 0, "nothing is reset", AbortCounters(c));
        return $"✓ {c.How}: peer {c.PeerRead}; the closer is in {c.CloserAfter}; {AbortCounters(c)}";
    }

    /// <summary>
    /// 09: SO_LINGER {1, 0} then close() — __tcp_close calls tcp_disconnect, which sends RST (tcp_need_reset) and counts
    /// LINUX_MIB_TCPABORTONDATA; TCPAbortOnLinger is another path (TCP_LINGER2 &lt; 0 in FIN_WAIT2) and stays put.
    /// </summary>
    public static string ZeroLingerSendsRst(AbortiveCloseResult r) =>
        Abortive(r.ZeroLinger, "TCPAbortOnData", c => c.AbortOnData == 1 && c.AbortOnClose == 0 && c.AbortOnLinger == 0);

    /// <summary>09: close() with unread data — __tcp_close's data_was_unread: RST and LINUX_MIB_TCPABORTONCLOSE.</summary>
    public static string UnreadDataSendsRst(AbortiveCloseResult r) =>
        Abortive(r.UnreadData, "TCPAbortOnClose", c => c.AbortOnClose == 1 && c.AbortOnData == 0 && c.AbortOnLinger == 0);

    private static string Abortive(CloseCase c, string counter, Func<CloseCase, bool> counted)
    {
        Require(c.OutRsts == 1 && counted(c), $"{c.How} sends one RST instead of a FIN and counts it in {counter} only", AbortCounters(c));
        Require(c.CloserAfter == "gone" && c.PeerAfter == "gone" && !c.TimeWaitLeft, "no line is left for the connection, no TIME_WAIT",
            $"closer {c.CloserAfter}, peer {c.PeerAfter}{(c.TimeWaitLeft ? ", a TIME_WAIT line" : "")}");
        Require(c.PeerReadErrno == 104, "the peer's read() fails with ECONNRESET (errno 104)", c.PeerRead);
        Require(c.PeerWriteErrno == 32, "the peer's next write() fails with EPIPE", c.PeerWrite ?? "no write");
        Require(c.EstabResets == 2, "both ends went from ESTABLISHED straight to CLOSE (Tcp.EstabResets counts each)",
            $"Tcp.EstabResets +{c.EstabResets}");
        return $"✓ {c.How}: {AbortCounters(c)}; no line left, no TIME_WAIT, Tcp.EstabResets +{c.EstabResets}; peer {c.PeerRead}, then {c.PeerWrite}";
    }

    /// <summary>10: UDP's losses are the receive buffer's: drops column = sent − received, and the namespace counter moved at least as much.</summary>
    public static string DropsAreTheMissing(UdpDropsResult r)
    {
        foreach (var b in r.Bursts)
        {
            Require(b.DropsColumn == b.Sent - b.Received && b.RcvbufErrors >= b.DropsColumn,
                "drops column = sent − received, and Udp.RcvbufErrors moved at least as much",
                $"SO_RCVBUF {N(b.ReceiveBuffer)}: sent {b.Sent}, received {b.Received}, drops {b.DropsColumn}, RcvbufErrors {b.RcvbufErrors}");
        }
        return $"✓ in all {r.Bursts.Count} bursts: drops column = sent − received";
    }

    /// <summary>10: the three writes as segments on the wire — counted, since autocorking may merge them.</summary>
    public static string SegmentsForThreeSends(BoundariesResult r)
    {
        Require(r.TcpDataSegments is >= 1 and <= 3, "three small writes leave as one to three data segments",
            $"{r.TcpDataSegments} data segments (tcpi_data_segs_out)");
        var tcp = r.Reads.Where(x => x.Protocol == "TCP").ToList();
        return $"the three write() calls left as {r.TcpDataSegments} data segment{(r.TcpDataSegments == 1 ? "" : "s")} (tcpi_data_segs_out) " +
               $"and were read by {tcp.Count} read() call{(tcp.Count == 1 ? "" : "s")}";
    }

    /// <summary>
    /// 10: how TCP repaired the lossy or reordering wire, from the sender's own namespace counters: RACK-TLP's
    /// probes and fast retransmits, timer expiries (the only kind the retrnsmt column counts), and the
    /// receiver's D-SACK reports of segments it got twice — retransmissions that were not needed.
    /// </summary>
    public static string TcpRecovery(LossyPathResult r)
    {
        Require(r.TcpIntact && r.TcpBytesReceived == r.TcpBytesSent, "TCP delivered every byte, in order",
            $"{N(r.TcpBytesReceived)} of {N(r.TcpBytesSent)} bytes");
        if (r.TcpRecovery is null)
        {
            return $"Tcp.RetransSegs +{r.TcpRetransSegs} (this recording has no per-kind counters)";
        }
        long timeouts = r.Recovery("TcpExt.TCPTimeouts");
        Require(r.MaxRetrnsmtSeen <= Math.Max(timeouts, 0) + 1, "the retrnsmt column moves only with timer-driven retransmissions",
            $"retrnsmt peaked at {r.MaxRetrnsmtSeen}, TCPTimeouts +{timeouts}");
        string acks = r.AcksDropped is int dropped ? $"; the relay dropped {dropped} of the receiver's frames on their way back (its ACKs)" : "";
        // Older recordings lack TCPSlowStartRetrans: say so rather than print a zero nobody measured.
        string slowStart = r.TcpRecovery?.ContainsKey("TcpExt.TCPSlowStartRetrans") == true ? $"+{r.Recovery("TcpExt.TCPSlowStartRetrans")}" : "not recorded";
        return $"Tcp.RetransSegs +{r.TcpRetransSegs}; counted apart: tail-loss probes (TCPLossProbes) +{r.Recovery("TcpExt.TCPLossProbes")}, " +
               $"fast retransmits (TCPFastRetrans) +{r.Recovery("TcpExt.TCPFastRetrans")}, after a timeout (TCPSlowStartRetrans) {slowStart}, timer expiries (TCPTimeouts) +{timeouts}. " +
               $"The receiver reported {r.Recovery("TcpExt.TCPDSACKRecv")} segment(s) received twice (TCPDSACKRecv), " +
               $"reordering counted (TCPSACKReorder) +{r.Recovery("TcpExt.TCPSACKReorder")}{acks}";
    }

    /// <summary>10: what the relay did to UDP is what the receiver saw: loss without reordering, or reordering without loss.</summary>
    public static string UdpAcrossRelay(LossyPathResult r)
    {
        if (r.ReorderPercent == 0)
        {
            Require(r.UdpInOrder, "with a relay that does not reorder, what arrived came in order", $"{r.UdpOutOfOrder} out of order");
            return $"✓ UDP: {r.UdpReceived} of {r.UdpSent} datagrams arrived ({r.UdpSent - r.UdpReceived} lost, {100.0 * (r.UdpSent - r.UdpReceived) / r.UdpSent:0.0}%), in order; " +
                   $"the relay dropped {100.0 * r.DroppedFrames / Math.Max(1, r.RelayedFrames + r.DroppedFrames):0.0}% of all frames";
        }
        Require(r.UdpReceived == r.UdpSent, "a relay that only reorders loses nothing", $"{r.UdpReceived} of {r.UdpSent}");
        return $"✓ UDP: all {r.UdpSent} datagrams arrived, {r.UdpOutOfOrder} after a later one";
    }

    /// <summary>10: loopback's reordering, stated as measured — the count is not assumed to be zero.</summary>
    public static string LoopbackOrder(int outOfOrder, int sent) =>
        outOfOrder == 0
            ? $"{sent:N0} datagrams, none out of order over loopback in this run"
            : $"{outOfOrder} of {sent:N0} datagrams arrived after a later one over loopback in this run";

    /// <summary>05: the seed's flow in the order the kernel ran it: handshake, data both ways, the client's FIN first.</summary>
    public static string SeedFlowOrder(SeedFlowTrace t)
    {
        var s = t.Segments;
        string Flow(FlowSegment x) => $"{x.From} {x.Flags}{(x.Payload > 0 ? $" ({x.Payload} B)" : "")}";
        string seen = string.Join(", ", s.Select(Flow));
        Require(s.Count >= 3 && s[0] is { From: "client", Flags: "SYN" } && s[1] is { From: "server", Flags: "SYN-ACK" } && s[2] is { From: "client", Flags: "ACK" },
            "the connection opens with SYN, SYN-ACK, ACK", seen);
        double At(string side, string callStart) => t.Calls.First(c => c.Side == side && c.Call.StartsWith(callStart, StringComparison.Ordinal)).Microseconds;
        Require(At("client", "connect()") >= s[1].Microseconds, "connect() returns only after the SYN-ACK has arrived",
            $"connect() at {At("client", "connect()"):0} µs, SYN-ACK at {s[1].Microseconds:0} µs");
        Require(At("server", "accept()") >= s[2].Microseconds, "accept() returns only after the client's ACK has arrived",
            $"accept() at {At("server", "accept()"):0} µs, ACK at {s[2].Microseconds:0} µs");
        var data = s.Where(x => x.Payload > 0).ToList();
        Require(data.Count == 2 && data[0].From == "client" && data[1].From == "server", "one data segment each way, the client's first", seen);
        var fins = s.Where(x => x.Flags.Contains("FIN", StringComparison.Ordinal)).ToList();
        Require(fins.Count == 2 && fins[0].From == "client" && fins[1].From == "server", "the client's FIN comes first, then the server's", seen);
        Require(t.Calls.Any(c => c is { Side: "server", Call: "read() = 0" }) && At("server", "read() = 0") >= fins[0].Microseconds,
            "the server's read() returns 0 after the client's FIN", $"FIN at {fins[0].Microseconds:0} µs");
        return $"✓ {s.Count} segments: {seen}; connect() returned {At("client", "connect()") - s[1].Microseconds:0} µs after the SYN-ACK arrived";
    }

    /// <summary>05: accept() does not wait for a handshake: the connection was complete, queued, before the call.</summary>
    public static string AcceptTakesAFinishedConnection(AcceptTimingResult r)
    {
        Require(r.ServerLineBeforeAccept == "TCP_ESTABLISHED" && r.InodeBeforeAccept == 0 && r.ListenRxQueueBeforeAccept == 1,
            "before accept(), the server's end is ESTABLISHED with inode 0, counted in the LISTEN line's rx_queue",
            $"{r.ServerLineBeforeAccept}, inode {r.InodeBeforeAccept}, rx_queue {r.ListenRxQueueBeforeAccept}");
        Require(r.AcceptTookMicroseconds < 10_000 && r.InodeAfterAccept != 0,
            "accept() returns at once with the queued connection, which then gets an inode",
            $"accept() took {r.AcceptTookMicroseconds:0} µs, inode after {r.InodeAfterAccept}");
        return $"✓ connect() returned after {r.ConnectReturnedMs:0.00} ms; the server's end was then {r.ServerLineBeforeAccept} with inode 0 " +
               $"(LISTEN rx_queue {r.ListenRxQueueBeforeAccept}); accept() was called {r.AcceptCalledMs - r.ConnectReturnedMs:0} ms later and " +
               $"took {r.AcceptTookMicroseconds:0} µs — no packet was exchanged for it; the socket got inode {r.InodeAfterAccept}";
    }

    /// <summary>10: a stream keeps no message boundaries: short reads, short non-blocking writes, and framing that restores them.</summary>
    public static string MessagesOverAStream(FramingResult r)
    {
        Require(r.FirstRead > 0 && r.FirstRead < r.Written, "one read() returns fewer bytes than one write() sent",
            $"{N(r.FirstRead)} of {N(r.Written)}");
        Require(r.Accepted > 0 && r.Accepted < r.AskedToWrite && r.NextWriteErrno == 11,
            "a non-blocking write() takes only what fits, and the next one fails with EAGAIN",
            $"{N(r.Accepted)} of {N(r.AskedToWrite)} taken, next errno {r.NextWriteErrno}");
        Require(r.FramedReceived.SequenceEqual(r.FramedSent) && r.FramedReads > 2 * r.FramedSent.Count,
            "length-prefixed messages come back whole although the reads do not line up with them",
            $"sent {string.Join(", ", r.FramedSent)}, received {string.Join(", ", r.FramedReceived)} in {r.FramedReads} reads");
        return $"✓ one write() of {N(r.Written)} bytes, first read() {N(r.FirstRead)} bytes, {r.ReadsForAll} reads in all. " +
               $"A non-blocking write() of {N(r.AskedToWrite)} bytes took {N(r.Accepted)} (SO_SNDBUF granted: {N(r.SendBuffer)}), the next one EAGAIN. " +
               $"Messages of {string.Join(", ", r.FramedSent.Select(n => N(n)))} bytes, each behind a 4-byte length, came back whole in {r.FramedReads} reads";
    }

    /// <summary>11: a descriptor passed with SCM_RIGHTS is a new number for the same open file; SO_PEERCRED names the peer process.</summary>
    public static string DescriptorPassed(DescriptorPassingResult r)
    {
        Require(r.ReceiverPid != r.SenderPid && r.ReceiverTarget == r.SenderTarget,
            "the other process's descriptor points at the same file", $"sender {r.SenderPid} fd {r.SenderFd} → {r.SenderTarget}; receiver {r.ReceiverPid} fd {r.ReceiverFd} → {r.ReceiverTarget}");
        Require(r.FileContents.Contains($"written by process {r.ReceiverPid} through its descriptor {r.ReceiverFd}", StringComparison.Ordinal),
            "what the receiver wrote through its descriptor is in the sender's file", $"the file holds \"{r.FileContents.Trim()}\"");
        Require(r.PeerCredPid == r.ReceiverPid && r.PeerCredUid == r.SenderUid && r.PeerCredGid == r.SenderGid,
            "SO_PEERCRED gives the connecting process's pid, uid and gid",
            $"SO_PEERCRED pid {r.PeerCredPid} uid {r.PeerCredUid} gid {r.PeerCredGid}; receiver pid {r.ReceiverPid}, same user {r.SenderUid}:{r.SenderGid}");
        return $"✓ process {r.SenderPid} sent its fd {r.SenderFd}; process {r.ReceiverPid} received it as fd {r.ReceiverFd}" +
               $"{(r.ReceiverFd == r.SenderFd ? " (the same number by chance)" : "")}, both → {r.SenderTarget}, and wrote through it: \"{r.FileContents.Trim()}\". " +
               $"On the server's end, SO_PEERCRED said pid {r.PeerCredPid}, uid {r.PeerCredUid}, gid {r.PeerCredGid}";
    }

    /// <summary>11: SOCK_STREAM is a type, TCP a protocol: a UNIX stream socket has the type and not the protocol.</summary>
    public static string StreamIsNotTcp(StreamTypesResult r)
    {
        const int afUnix = 1, afInet = 2, sockStream = 1, ipprotoTcp = 6;
        Require(r.Tcp.Type == sockStream && r.Unix.Type == sockStream, "both are SOCK_STREAM sockets", $"SO_TYPE {r.Tcp.Type} and {r.Unix.Type}");
        Require(r.Tcp.Domain == afInet && r.Tcp.Protocol == ipprotoTcp && r.Tcp.ListedIn == "/proc/net/tcp",
            "the TCP socket is AF_INET, protocol IPPROTO_TCP, listed in /proc/net/tcp", $"domain {r.Tcp.Domain}, protocol {r.Tcp.Protocol}, in {r.Tcp.ListedIn}");
        Require(r.Unix.Domain == afUnix && r.Unix.Protocol == 0 && r.Unix.ListedIn == "/proc/net/unix",
            "the UNIX stream socket is AF_UNIX, protocol 0, listed in /proc/net/unix only", $"domain {r.Unix.Domain}, protocol {r.Unix.Protocol}, in {r.Unix.ListedIn}");
        return $"✓ both SO_TYPE = {sockStream} (SOCK_STREAM); SO_PROTOCOL = {r.Tcp.Protocol} (IPPROTO_TCP) for the TCP socket, {r.Unix.Protocol} for the UNIX one, " +
               $"which only /proc/net/unix lists; SO_DOMAIN = {r.Unix.Domain}, AF_UNIX, the number AF_LOCAL also names";
    }

    /// <summary>10: a TCP server holds a listening descriptor and one per client; a UDP server one descriptor, and no listen() or accept().</summary>
    public static string ServerDescriptors(ServerDescriptorsResult r)
    {
        var (tcp, udp) = (r.Tcp, r.Udp);
        Require(tcp.Descriptors.Count == r.Clients + 1 && tcp.Descriptors.Count(d => d.Contains(": Listen ", StringComparison.Ordinal)) == 1,
            $"the TCP server holds {r.Clients + 1} descriptors on its port: the listening one and one per client", string.Join("; ", tcp.Descriptors));
        Require(tcp.Calls.Any(c => c.StartsWith("listen(", StringComparison.Ordinal)) && tcp.Calls.Count(c => c.StartsWith("accept()", StringComparison.Ordinal)) == r.Clients,
            "the TCP server called listen() once and accept() once per client", string.Join("; ", tcp.Calls));
        Require(udp.Descriptors.Count == 1 && udp.TableLines.Count == 1,
            "the UDP server holds one descriptor, one socket, one line in /proc/net/udp", $"{string.Join("; ", udp.Descriptors)} | {string.Join("; ", udp.TableLines)}");
        Require(!udp.Calls.Any(c => c.StartsWith("listen(", StringComparison.Ordinal) || c.StartsWith("accept(", StringComparison.Ordinal) || c.StartsWith("connect(", StringComparison.Ordinal)),
            "the UDP server never called listen(), accept() or connect()", string.Join("; ", udp.Calls));
        Require(udp.Peers.Distinct().Count() == r.Clients && tcp.Peers.Distinct().Count() == r.Clients,
            "both answered every client at its own address", $"TCP {string.Join(", ", tcp.Peers)}; UDP {string.Join(", ", udp.Peers)}");
        return $"✓ {r.Clients} clients: the TCP server needed {tcp.Descriptors.Count} descriptors (1 listening + {r.Clients} from accept()), " +
               $"the UDP server 1 — recvfrom() named each sender ({string.Join(", ", udp.Peers)}) and sendto() answered it";
    }

    /// <summary>05: SOCK_STREAM/SOCK_DGRAM pick TCP/UDP, SOCK_RAW hands over whole packets, SOCK_NONBLOCK is a flag and not a type.</summary>
    public static string SocketTypes(SocketTypesResult r)
    {
        const int stream = 1, dgram = 2, raw = 3, tcp = 6, udp = 17, eagain = 11;
        Require(r.Rows.Count == 4, "four sockets were asked", $"{r.Rows.Count}");
        var (s, d, w, n) = (r.Rows[0], r.Rows[1], r.Rows[2], r.Rows[3]);
        Require(s.SoType == stream && s.SoProtocol == tcp && s.ListedIn == "/proc/net/tcp", "SOCK_STREAM with protocol 0 is TCP",
            $"SO_TYPE {s.SoType}, SO_PROTOCOL {s.SoProtocol}, in {s.ListedIn}");
        Require(d.SoType == dgram && d.SoProtocol == udp && d.ListedIn == "/proc/net/udp", "SOCK_DGRAM with protocol 0 is UDP",
            $"SO_TYPE {d.SoType}, SO_PROTOCOL {d.SoProtocol}, in {d.ListedIn}");
        const int ipv4Header = 20, udpHeader = 8;
        Require(w.SoType == raw && w.SoProtocol == udp && w.ListedIn == "/proc/net/raw" && w.Line.Contains(":0011 ", StringComparison.Ordinal),
            "SOCK_RAW with IPPROTO_UDP is listed in /proc/net/raw, its protocol number (17 = 0x11) where a port would be",
            $"SO_TYPE {w.SoType}, SO_PROTOCOL {w.SoProtocol}, in {w.ListedIn}: {w.Line}");
        Require(r.RawReceived == ipv4Header + udpHeader + r.Payload && r.RawFirstByte == 0x45 && r.RawProtocolByte == udp,
            "the raw socket received the whole packet: a 20-byte IPv4 header (0x45), the 8-byte UDP header, the payload",
            $"{r.RawReceived} bytes for a {r.Payload}-byte payload, first byte 0x{r.RawFirstByte:x2}, protocol byte {r.RawProtocolByte}");
        Require(n.SoType == stream && n.NonBlocking && r.NonBlockingAcceptErrno == eagain,
            "SOCK_NONBLOCK leaves the type SOCK_STREAM and sets O_NONBLOCK: accept() with nothing queued says EAGAIN",
            $"SO_TYPE {n.SoType}, O_NONBLOCK {n.NonBlocking}, accept() errno {r.NonBlockingAcceptErrno}");
        Require(!s.NonBlocking && !d.NonBlocking && !w.NonBlocking, "the sockets made without the flag block", "O_NONBLOCK set on one of them");
        return $"✓ STREAM → TCP and DGRAM → UDP. RAW + IPPROTO_UDP received {r.RawReceived} bytes for a {r.Payload}-byte payload " +
               $"({ipv4Header} of IPv4 header starting 0x{r.RawFirstByte:x2}, {udpHeader} of UDP header). SOCK_NONBLOCK came back as SO_TYPE {n.SoType} " +
               $"with O_NONBLOCK set, and accept() answered EAGAIN in {r.NonBlockingAcceptMicroseconds:0.#} µs instead of waiting";
    }

    /// <summary>11: connect() to a path needs write permission on the file (unless CAP_DAC_OVERRIDE); an abstract name needs nothing.</summary>
    public static string SocketPermissions(SocketPermissionsResult r)
    {
        const int eacces = 13;
        Require(r.Cases.Count == 4, "four connects were made", $"{r.Cases.Count}");
        var (asCreated, readOnly, anyone, process) = (r.Cases[0], r.Cases[1], r.Cases[2], r.Cases[3]);
        bool ownerMayWrite = asCreated.Mode.Length == 9 && asCreated.Mode[1] == 'w';
        Require(asCreated.Errno == (ownerMayWrite ? 0 : eacces),
            $"bind() made the file {asCreated.Mode} (0777 less umask {r.Umask}), so its owner {(ownerMayWrite ? "may" : "may not")} connect",
            asCreated.Connect);
        Require(readOnly.Mode.Length == 9 && !readOnly.Mode.Contains('w') && readOnly.Errno == eacces,
            "without write permission on the socket file, connect() fails with EACCES", $"{readOnly.Mode}: {readOnly.Connect}");
        Require(anyone.Errno == 0 && r.AbstractPeerUid == r.ConnectingUid,
            "the abstract name took the connection, and SO_PEERCRED names the connecting uid", $"{anyone.Connect}; SO_PEERCRED uid {r.AbstractPeerUid}, connecting uid {r.ConnectingUid}");
        Require(process.Errno == (r.DacOverride ? 0 : eacces),
            $"with{(r.DacOverride ? "" : "out")} CAP_DAC_OVERRIDE ({r.CapabilitiesBefore}) the process itself {(r.DacOverride ? "passes" : "meets")} the same check",
            process.Connect);
        return $"✓ a socket file is guarded like any file: {asCreated.Mode} → {asCreated.Connect}, {readOnly.Mode} → {readOnly.Connect}. " +
               $"The abstract name → {anyone.Connect}, whoever asks (its server learns afterwards, from SO_PEERCRED, that uid {r.AbstractPeerUid} connected). " +
               $"This process, whose effective capabilities {r.CapabilitiesBefore} {(r.DacOverride ? "include" : "lack")} CAP_DAC_OVERRIDE, {(r.DacOverride ? "ignores the file's mode" : "is held to it as well")}: {process.Connect}";
    }

    /// <summary>11: the two limits of UNIX datagrams — the socketpair sender's send buffer, a named receiver's max_dgram_qlen + 1.</summary>
    public static string UnixDatagramLimits(UnixReliabilityResult r)
    {
        Require(r.UnixReceived == r.Burst && r.UnixInOrder, "every UNIX datagram arrived, in order", $"{r.UnixReceived} of {r.Burst}");
        Require(r.NamedReceiverQueuedBeforeEagain == r.MaxDgramQlen + 1,
            "an unconnected sender to a named receiver is stopped when the queue is longer than net.unix.max_dgram_qlen",
            $"max_dgram_qlen {r.MaxDgramQlen}, {r.NamedReceiverQueuedBeforeEagain} queued before EAGAIN");
        Require(r.UnixSentBeforeEagain < r.Burst && (long)r.UnixSentBeforeEagain * 512 < r.UnixSendBuffer,
            "the socketpair sender is stopped by its send buffer, which counts each datagram's whole sk_buff",
            $"{r.UnixSentBeforeEagain} datagrams of 512 bytes before EAGAIN, SO_SNDBUF {N(r.UnixSendBuffer)}");
        return $"✓ socketpair: EAGAIN after {r.UnixSentBeforeEagain} datagrams — {N(r.UnixSendBuffer)} bytes of send buffer, about " +
               $"{N(r.UnixSendBuffer / r.UnixSentBeforeEagain)} per 512-byte datagram; named receiver, unconnected sender: EAGAIN after " +
               $"{r.NamedReceiverQueuedBeforeEagain} = net.unix.max_dgram_qlen ({r.MaxDgramQlen}) + 1";
    }

    /// <summary>
    /// 12: the round trip across the veth cable set against one over loopback measured just now the same way
    /// (LoopbackRoundTrip: 64 bytes, both ends on one thread), the comparison chapter 12 makes with chapter 00.
    /// "The same order" is checked: the two medians within a factor of ten of each other. A recorded veth run is
    /// not set against this machine's loopback.
    /// </summary>
    public static string VethAgainstLoopback(Measured<TwoHostsResult> hosts, LoopbackRoundTripResult loopback)
    {
        double veth = hosts.Result.MedianRoundTripMicroseconds, loop = loopback.MedianMicroseconds;
        if (hosts.IsRecorded)
        {
            return $"the veth figure ({veth:F0} µs) is a recording: it is not set against this machine's loopback ({loop:F1} µs, measured just now)";
        }
        double ratio = veth / loop;
        Require(ratio is > 0.1 and < 10, "a round trip across the veth cable is of the same order as one over loopback",
            $"veth {veth:F1} µs, loopback {loop:F1} µs");
        return $"✓ median round trip across the veth cable {veth:F1} µs, over loopback {loop:F1} µs: the cable's is {ratio:0.0}× as long, " +
               $"{(veth >= loop ? $"{veth - loop:F1} µs more" : $"{loop - veth:F1} µs less")}. " +
               $"Loopback was measured just now the same way, in this notebook's namespace: {loopback.Trips.Count} round trips of {loopback.MessageSize} bytes, both ends on one thread";
    }

    /// <summary>
    /// 12: the weak host model (RFC 1122 §3.3.4.2). An address belongs to the host: a SYN that came in on the cable
    /// for an address configured on lo is delivered (ip_route_input_slow finds it RTN_LOCAL). Only SO_BINDTODEVICE ties
    /// a socket to an interface: the listener lookup skips a socket bound to another device (inet_sk_bound_dev_eq).
    /// </summary>
    public static string WeakHost(TwoHostsResult r)
    {
        if (r.Binding is not { Count: 3 } b)
        {
            return "this recording has no binding attempts";
        }
        string seen = string.Join("; ", b.Select(a => $"{a.Listener}{(a.Device is null ? "" : $" on {a.Device}")} ← {a.ConnectTo}: {a.Outcome}"));
        Require(b[0].Outcome == "connected", "a connection across the cable reaches an address the server host has on its loopback", seen);
        Require(b[1].Outcome == "ECONNREFUSED", "a listener tied to lo with SO_BINDTODEVICE does not get the cable's SYN", seen);
        Require(b[2].Outcome == "connected", "a listener tied to the cable's interface gets its SYN", seen);
        return $"✓ across the cable, connect() reached {b[0].ConnectTo}, an address on the server host's lo; " +
               $"a listener on 0.0.0.0 tied to lo (SO_BINDTODEVICE) gave {b[1].Outcome}, one tied to veth-server {b[2].Outcome}";
    }

    private static string Mb(double megabytesPerSecond) => megabytesPerSecond.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>
    /// 13: throughput against message size, transport by transport, from the medians: where it grew with every step,
    /// and where not. Checked: every transport moved more bytes per second at the largest size than at the smallest —
    /// a send() costs about as much for 64 bytes as for thousands, so small messages move few bytes per call.
    /// </summary>
    public static string ThroughputGrowth(ThroughputResult sweep)
    {
        var grew = new List<string>();
        var dipped = new List<string>();
        foreach (var points in sweep.Points.GroupBy(p => p.Transport))
        {
            var bySize = points.OrderBy(p => p.MessageSize).ToList();
            if (bySize.Count < 2)
            {
                continue;
            }
            Require(bySize[^1].MegabytesPerSecond > bySize[0].MegabytesPerSecond, "every transport moves more bytes per second with its largest messages than with its smallest",
                $"{points.Key}: {Mb(bySize[0].MegabytesPerSecond)} MB/s at {bySize[0].MessageSize:N0} bytes, {Mb(bySize[^1].MegabytesPerSecond)} MB/s at {bySize[^1].MessageSize:N0}");
            var falls = bySize.Zip(bySize.Skip(1)).Where(p => p.Second.MegabytesPerSecond <= p.First.MegabytesPerSecond).ToList();
            if (falls.Count == 0)
            {
                grew.Add(points.Key);
            }
            else
            {
                dipped.Add($"{points.Key} ({string.Join("; ", falls.Select(f => $"{f.First.MessageSize:N0} → {f.Second.MessageSize:N0} bytes: {Mb(f.First.MegabytesPerSecond)} → {Mb(f.Second.MegabytesPerSecond)} MB/s"))})");
            }
        }
        return $"✓ every transport moved more bytes per second with its largest messages than with its smallest. The median grew with every step in size for " +
               (grew.Count == 0 ? "none of them" : string.Join(", ", grew)) +
               (dipped.Count == 0 ? "" : $"; not for {string.Join(", ", dipped)}");
    }

    /// <summary>
    /// 13: what a round trip costs, from the run: the range of the medians, and four system calls that do nothing
    /// (getppid) set against the smallest messages' round trips — one thread makes a round trip's four calls (a send
    /// and a receive on each socket), so that share is the cost of entering and leaving the kernel.
    /// </summary>
    public static string RoundTripCost(ThroughputResult sweep)
    {
        var fastest = sweep.Points.MinBy(p => p.MedianRoundTripMicroseconds)!;
        var slowest = sweep.Points.MaxBy(p => p.MedianRoundTripMicroseconds)!;
        string range = $"Median round trips from {fastest.MedianRoundTripMicroseconds:F1} µs ({fastest.Transport}, {fastest.MessageSize:N0} bytes) " +
                       $"to {slowest.MedianRoundTripMicroseconds:F1} µs ({slowest.Transport}, {slowest.MessageSize:N0} bytes)";
        if (double.IsNaN(sweep.FourSystemCallsMicroseconds))
        {
            return range;
        }
        int smallest = sweep.Points.Min(p => p.MessageSize);
        var small = sweep.Points.Where(p => p.MessageSize == smallest).OrderBy(p => p.MedianRoundTripMicroseconds).ToList();
        double bare = sweep.FourSystemCallsMicroseconds;
        double low = 100 * bare / small[^1].MedianRoundTripMicroseconds, high = 100 * bare / small[0].MedianRoundTripMicroseconds;
        string verdict = low > 50 ? "entering and leaving the kernel is most of every one of them"
            : high < 50 ? "most of each is the transport's own work, not the system calls as such"
            : "entering and leaving the kernel is most of the fastest ones, not of the slowest";
        return $"{range}. Four system calls that do nothing (getppid), as many as a round trip makes, took {bare:F1} µs here. " +
               $"That is {low:0}% to {high:0}% of the {smallest:N0}-byte round trips ({small[0].MedianRoundTripMicroseconds:F1} µs for {small[0].Transport} " +
               $"to {small[^1].MedianRoundTripMicroseconds:F1} µs for {small[^1].Transport}). So {verdict}";
    }

    /// <summary>
    /// 13: why the sweep's TCP figure and the recorded iperf3 comparison's differ. Both are one TCP stream over
    /// loopback, bytes received per second, measured by the same code; they differ in write size, run length and
    /// moment. <paramref name="now"/> is the course's figure with the recording's write size and run length,
    /// measured just now: whichever of the two it lies closer to (by ratio) says which difference matters.
    /// </summary>
    public static string SweepAgainstRecording(ThroughputResult sweep, Recording<Iperf3Comparison> recorded, IReadOnlyList<double> now)
    {
        var tcp = sweep.Points.Where(p => p.Transport == "TCP (loopback)").MaxBy(p => p.MessageSize)
            ?? throw new ArgumentException("the sweep has no TCP point", nameof(sweep));
        Require(now.Count > 0, "the recording's write size and round length were measured again", "no rounds");
        var c = recorded.Result;
        double s = tcp.MegabytesPerSecond, r = c.OursMedian * 1000, l = now.Order().ElementAt((now.Count - 1) / 2); // the lower middle, as the sweep's medians
        double spread = Math.Max(tcp.MaxMegabytesPerSecond / tcp.MinMegabytesPerSecond, now.Max() / now.Min());
        double tolerance = Math.Max(1.25, spread);
        static double Factor(double a, double b) => Math.Max(a, b) / Math.Min(a, b);
        double gap = Factor(s, r);
        // One cause is named only when the re-run lands within this machine's spread of one figure and outside the
        // other's; otherwise the day and the settings both moved it, and the two factors are given.
        bool nearRecording = Factor(l, r) <= tolerance, nearSweep = Factor(l, s) <= tolerance;
        string verdict = gap <= tolerance
            ? $"Here the sweep's figure and the recording's differ by {gap:0.00}× only, no more than runs differ from each other: nothing to explain in this run"
            : nearRecording && !nearSweep
            ? $"With the recording's writes and rounds this machine gives about the recording's figure now. So the gap between the sweep and the recording comes from how each was measured — write size and run length — not from the day"
            : nearSweep && !nearRecording
            ? $"With the recording's writes and rounds this machine gives about the sweep's figure now. So the gap comes from the moment the recording was made (a busier machine, another kernel build, or its two threads scheduled differently), not from write size or run length"
            : nearRecording && nearSweep
            ? $"The re-run lies within this machine's spread of both figures, so this run cannot tell the settings from the day"
            : $"Both moved it: the day and the kernel build (the recording then against its settings now, {Factor(l, r):0.0}×) and the settings (those against the sweep's, {Factor(s, l):0.0}×)";
        return $"One measurement three times: one TCP stream over loopback, bytes received per second, the same code. " +
               $"The sweep's TCP, {tcp.MessageSize:N0}-byte messages in {sweep.SecondsPerRun:0.#} s runs: {Mb(s)} MB/s ({Mb(tcp.MinMegabytesPerSecond)}–{Mb(tcp.MaxMegabytesPerSecond)}). " +
               $"The recording's, {c.WriteSize:N0}-byte writes in {c.SecondsPerRun:0.#} s rounds on {recorded.RecordedOn}: {Mb(r)} MB/s. " +
               $"The recording's writes and rounds again just now: {Mb(l)} MB/s ({Mb(now.Min())}–{Mb(now.Max())}, {now.Count} rounds). " +
               $"{verdict}. From one run to the next this machine varied by up to {spread:0.0}×.";
    }

    /// <summary>
    /// 13: the UDP comparison's verdict, from its loss column. Both senders are unthrottled, so what arrives is what
    /// each receiver managed to read: both must have lost datagrams. A received rate is the sending rate times the
    /// share that arrived, so the ratio of the two medians splits into how fast each sender sent and how much of it
    /// each receiver got.
    /// </summary>
    public static string UdpAgainstIperf3(Iperf3Comparison c)
    {
        Require(c.OursLostMedian is > 0 && c.Iperf3LostMedian is > 0, "both unthrottled UDP senders outran their receivers and lost datagrams",
            $"lost: the course {c.OursLostMedian}%, iperf3 {c.Iperf3LostMedian}%");
        double ours = c.OursLostMedian!.Value, theirs = c.Iperf3LostMedian!.Value;
        double share = (100 - ours) / (100 - theirs);
        double sent = c.Ratio / share;
        string who = ours < theirs ? "the course's receiver got the larger share" : ours > theirs ? "iperf3's receiver got the larger share" : "both receivers got the same share";
        return $"UDP, {c.WriteSize:N0}-byte datagrams, {c.SecondsPerRun:0.#} s a round: the course's median ÷ iperf3's = {c.Ratio:F2}. " +
               $"Of the datagrams each sender sent, {ours:0.#}% of the course's and {theirs:0.#}% of iperf3's never reached the reader. So {who} ({100 - ours:0.#}% against {100 - theirs:0.#}% arrived, {share:0.00}×). " +
               $"Of the {c.Ratio:F2}×, the share that arrived makes {share:0.00}× and the senders' pace {sent:0.00}×";
    }

    /// <summary>13: the course's TCP measurement agrees with iperf3's within 20%.</summary>
    public static string AgreesWithIperf3(Iperf3Comparison c)
    {
        Require(c.WithinTwentyPercent, "the course's TCP median is within 20% of iperf3's", $"ratio {c.Ratio:F2}");
        return $"✓ TCP, one stream, {c.WriteSize:N0}-byte writes, {c.SecondsPerRun:0.#} s a round (the sweep above: 0.2 s runs of smaller messages): " +
               $"the course's median ÷ iperf3's = {c.Ratio:F2}, within ±20%";
    }

    /// <summary>14: one LISTEN socket, and per accept() a new ESTABLISHED socket on the same local port, with a descriptor and an inode of its own.</summary>
    public static string AcceptMakesANewSocket(SharedPortResult r)
    {
        var listen = r.Rows.Where(x => x.State == "LISTEN").ToList();
        Require(listen.Count == 1 && listen[0].Inode == r.ListenerInode && listen[0].Local.EndsWith($":{r.Port}", StringComparison.Ordinal)
                && listen[0].Owners.Any(o => o.Pid == r.Pid && o.Fd == r.ListenerFd),
            "one LISTEN socket on the port, the listener's descriptor",
            string.Join("; ", listen.Select(x => $"{x.Local} inode {x.Inode} {string.Join(", ", x.Owners)}")));
        foreach (var a in r.Accepted)
        {
            var row = r.RowOf(a);
            Require(row is not null && row.State == "ESTAB" && row.Local.EndsWith($":{r.Port}", StringComparison.Ordinal)
                    && row.Remote.EndsWith($":{a.ClientPort}", StringComparison.Ordinal) && row.Owners.Any(o => o.Pid == r.Pid && o.Fd == a.Fd),
                "each accepted socket is ESTABLISHED on the listener's local port, held at the descriptor accept() returned",
                row is null ? $"no row with inode {a.Inode}" : $"{row.State} {row.Local} ⇄ {row.Remote}, {string.Join(", ", row.Owners)}; accept() returned fd {a.Fd}");
        }
        Require(r.Accepted.Select(a => a.ClientPort).Distinct().Count() == r.Accepted.Count, "the accepted sockets differ in their remote end",
            $"client ports {string.Join(", ", r.Accepted.Select(a => a.ClientPort))}");
        var fds = r.Accepted.Select(a => a.Fd).Append(r.ListenerFd).ToList();
        var inodes = r.Accepted.Select(a => a.Inode).Append(r.ListenerInode).ToList();
        Require(fds.Distinct().Count() == fds.Count && inodes.Distinct().Count() == inodes.Count,
            "every accept() gives a new descriptor and a new inode, none the listener's",
            $"fds {string.Join(", ", fds)}; inodes {string.Join(", ", inodes)}");
        return $"✓ one LISTEN socket on port {r.Port} (fd {r.ListenerFd}, inode {r.ListenerInode}) and {r.Accepted.Count} ESTAB sockets with the same local port, one per accept(). " +
               $"Their fds ({string.Join(", ", r.Accepted.Select(a => a.Fd))}) and inodes ({string.Join(", ", r.Accepted.Select(a => a.Inode))}) are all different. " +
               $"What tells them apart is the remote end: ports {string.Join(", ", r.Accepted.Select(a => a.ClientPort))}";
    }

    /// <summary>14: every round trip came back as sent, and each run closed every socket it opened.</summary>
    public static string EveryReplyAndNoSocketLeft(ManyClientsResult r)
    {
        foreach (var p in r.Points)
        {
            Require(p.EchoErrors == 0, "every reply is the request, byte for byte", $"{p.Design.Name()}, {p.Clients} clients: {p.EchoErrors} wrong replies");
            foreach (var run in p.Runs)
            {
                Require(run.SocketDescriptorsAtPeak - run.SocketDescriptorsBefore == 2 * p.Clients + 1,
                    "at the peak the process holds two sockets per client and the listener",
                    $"{p.Design.Name()}, {p.Clients} clients: {run.SocketDescriptorsBefore} socket descriptors before, {run.SocketDescriptorsAtPeak} at the peak");
                Require(run.SocketDescriptorsAfter == run.SocketDescriptorsBefore, "each run closes every socket it opened",
                    $"{p.Design.Name()}, {p.Clients} clients: {run.SocketDescriptorsBefore} socket descriptors before, {run.SocketDescriptorsAfter} after");
                Require(run.TimeWaitLeft == 0, "the clients' abortive close leaves no TIME_WAIT behind",
                    $"{p.Design.Name()}, {p.Clients} clients: {run.TimeWaitLeft} TIME_WAIT lines on the run's port after it");
            }
        }
        long trips = r.Points.Sum(p => p.Runs.Sum(x => (long)x.RoundTrips));
        return $"✓ {N(trips)} round trips in {r.Seconds:0} s, every reply equal to its request. " +
               $"At each peak the process held 2 × clients + 1 more sockets (up to {N(2 * r.TopClients + 1)}); after each run, none of them, nor a TIME_WAIT line on its port";
    }

    /// <summary>14: thread per client starts exactly one thread per client; the event loop none, and its thread count does not follow the clients.</summary>
    public static string OneThreadPerClient(ManyClientsResult r)
    {
        foreach (var p in r.Points)
        {
            int expected = p.Design == ServerDesign.ThreadPerClient ? p.Clients : 0;
            Require(p.MinServerThreads == expected && p.MaxServerThreads == expected,
                p.Design == ServerDesign.ThreadPerClient ? "thread per client has one thread per connected client" : "the event loop starts no thread of its own",
                $"{p.Design.Name()}, {p.Clients} clients: {p.MinServerThreads}–{p.MaxServerThreads} threads named '{ManyClientsResult.ServerThreadName}' at the peak");
        }
        var loop = r.At(ServerDesign.EventLoop, r.TopClients);
        var threads = r.At(ServerDesign.ThreadPerClient, r.TopClients);
        var waits = threads.Runs[0].ThreadWaitsAtPeak.Where(w => w.Name == ManyClientsResult.ServerThreadName).ToList();
        string asleep = " (where they sleep, this kernel does not show: wchan reads 0)";
        if (waits.Any(w => Asleep(w.WaitChannel)))
        {
            Require(waits.All(w => Asleep(w.WaitChannel)), "at the peak every per-client thread is asleep in the kernel, waiting for its client",
                string.Join(", ", waits.Select(w => $"{w.Count} in '{w.WaitChannel}'")));
            asleep = $", all asleep in the kernel (wchan: {string.Join(", ", waits.Select(w => $"{N(w.Count)} × {w.WaitChannel}"))})";
        }
        bool flat = r.TopClients >= 100;
        if (flat)
        {
            Require(loop.ThreadsAdded * 10 < r.TopClients, "with the event loop the process's thread count does not follow the clients (fewer than one thread per ten clients)",
                $"{r.TopClients} clients, {loop.ThreadsAdded} threads added");
        }
        return $"✓ at the peak, thread per client had exactly one '{ManyClientsResult.ServerThreadName}' thread per client at every size ({string.Join(", ", r.ClientCounts.Select(n => N(n)))}) in every run. " +
               $"At {N(r.TopClients)} clients the process had {Signed(threads.ThreadsAdded)} threads against its count before{asleep}. The event loop started none, and at " +
               $"{N(r.TopClients)} clients the process had {Signed(loop.ThreadsAdded)} threads against its count before" + (flat ? "" : " (too few clients to show the count staying flat)");
    }

    /// <summary>
    /// 14: what .NET's async sockets use underneath on Linux — every socket registered in an epoll instance of the
    /// runtime's SocketAsyncEngine, one instance per ".NET Sockets" thread — and that blocking sockets never are.
    /// </summary>
    public static string AsyncSocketsUseEpoll(ManyClientsResult r)
    {
        foreach (var p in r.Points)
        {
            foreach (var run in p.Runs)
            {
                int serverExpected = p.Design == ServerDesign.EventLoop ? p.Clients : 0;
                Require(run.ServerSocketsInEpoll == serverExpected,
                    p.Design == ServerDesign.EventLoop ? "every socket of the event-loop server is registered in an epoll instance" : "the blocking sockets of thread per client are in no epoll instance",
                    $"{p.Design.Name()}, {p.Clients} clients: {run.ServerSocketsInEpoll} of the server's sockets registered");
                Require(run.ClientSocketsInEpoll == p.Clients, "every (async) client socket is registered too",
                    $"{p.Clients} clients, {run.ClientSocketsInEpoll} registered");
                if (p.Design == ServerDesign.EventLoop)
                {
                    const uint wanted = Proc.EpollTarget.EpollIn | Proc.EpollTarget.EpollOut | Proc.EpollTarget.EpollEt;
                    Require(run.ServerSocketEpollEvents.Count > 0 && run.ServerSocketEpollEvents.All(e => (e & wanted) == wanted),
                        "each socket is registered edge-triggered, for reading and writing (EPOLLET | EPOLLIN | EPOLLOUT)",
                        $"{p.Clients} clients: event masks {string.Join(", ", run.ServerSocketEpollEvents.Select(e => $"0x{e:x}"))}");
                }
                Require(run.SocketEngineThreads >= 1 && run.EpollInstancesWithSockets >= 1 && run.EpollInstancesWithSockets <= run.SocketEngineThreads,
                    "the sockets sit in the epoll instances of the runtime's socket engines, one per '.NET Sockets' thread",
                    $"{run.EpollInstancesWithSockets} epoll instances hold them, {run.SocketEngineThreads} '.NET Sockets' threads");
            }
        }
        var top = r.At(ServerDesign.EventLoop, r.TopClients).Runs[0];
        var engine = top.ThreadWaitsAtPeak.Where(w => w.Name == ManyClientsResult.SocketEngineThreadName).ToList();
        string where = " (where it sleeps, this kernel does not show: wchan reads 0)";
        if (engine.Any(w => Asleep(w.WaitChannel)))
        {
            Require(engine.All(w => w.WaitChannel.Contains("epoll", StringComparison.Ordinal)), "the '.NET Sockets' thread waits in epoll_wait",
                string.Join(", ", engine.Select(w => $"{w.Count} in '{w.WaitChannel}'")));
            where = $", asleep in {string.Join(", ", engine.Select(w => w.WaitChannel).Distinct())}";
        }
        return $"✓ at {N(r.TopClients)} clients, all {N(r.TopClients)} sockets of the event-loop server and all {N(r.TopClients)} clients' were registered in " +
               $"{top.EpollInstancesWithSockets} epoll instance{(top.EpollInstancesWithSockets == 1 ? "" : "s")} (/proc/self/fdinfo of its anon_inode:[eventpoll] descriptor lists each one). " +
               $"The server's sockets were registered with events {string.Join("; ", top.ServerSocketEpollEvents.Select(e => $"0x{e:x} = {Proc.EpollTarget.Describe(e)}"))} — edge-triggered, for reading and writing. " +
               $"They were served by {top.SocketEngineThreads} '.NET Sockets' thread{(top.SocketEngineThreads == 1 ? "" : "s")}{where}, on this {r.ProcessorCount}-core machine, " +
               $"with {top.PoolWorkersAtPeak} thread-pool workers running the continuations. Thread per client's blocking sockets: none registered, at every size";
    }

    /// <summary>14: waiting grows with the clients: every design's 99th percentile is longer with the most clients than with the fewest.</summary>
    public static string WaitingGrowsWithClients(ManyClientsResult r)
    {
        int fewest = r.ClientCounts[0], most = r.TopClients;
        var parts = new List<string>();
        foreach (var design in new[] { ServerDesign.ThreadPerClient, ServerDesign.EventLoop })
        {
            var low = r.At(design, fewest);
            var high = r.At(design, most);
            Require(most > fewest && high.P99Microseconds > low.P99Microseconds, "with more clients at once, the slowest round trips take longer",
                $"{design.Name()}: p99 {low.P99Microseconds:0} µs at {fewest} clients, {high.P99Microseconds:0} µs at {most}");
            parts.Add($"{design.Name()}: p99 {low.P99Microseconds:N0} → {high.P99Microseconds:N0} µs (×{high.P99Microseconds / low.P99Microseconds:N0}), " +
                      $"median {low.MedianMicroseconds:N0} → {high.MedianMicroseconds:N0} µs");
        }
        return $"✓ from {N(fewest)} to {N(most)} clients — {string.Join("; ", parts)}";
    }

    /// <summary>14: a thread costs a kernel stack too, outside VmRSS; KernelStack (machine-wide) shows it where the clients outnumber the machine's other thread churn.</summary>
    public static string ThreadsCostKernelStacks(ManyClientsResult r)
    {
        var threads = r.At(ServerDesign.ThreadPerClient, r.TopClients);
        if (r.TopClients < 100)
        {
            return $"not checked: at {N(r.TopClients)} clients KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection with threads — too few for the machine's other threads to be ignored";
        }
        Require(threads.KernelStackKbPerConnection >= 8, "each thread of thread per client adds a kernel stack (at least 8 kB), memory VmRSS does not count",
            $"KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection at {r.TopClients} clients");
        return $"✓ with a thread per client, KernelStack grew by {threads.KernelStackKbPerConnection:0.0} kB per connection at {N(r.TopClients)} clients — " +
               "one kernel stack per thread, on top of the VmRSS growth";
    }
}
