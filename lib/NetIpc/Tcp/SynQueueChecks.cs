using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 07's claims about the SYN queue: where it stops, and how long its requests are kept.</summary>
public static class SynQueueChecks
{
    /// <summary>The run without syncookies.</summary>
    public static SynQueueResult WithoutCookies(this IReadOnlyList<SynQueueResult> runs) => runs.Single(r => !r.Syncookies);

    /// <summary>The queue stopped where one form of inet_csk_reqsk_queue_is_full puts it: backlog + 1 (qlen &gt; backlog).</summary>
    public static bool StrictComparison(this SynQueueResult plain) =>
        plain.PeakSynRecv == RequestSockQueue.Capacity(plain.Backlog, strictComparison: true);

    /// <summary>
    /// Where the SYN queue stopped, in one of the two forms of inet_csk_reqsk_queue_is_full, and that every SYN beyond
    /// the queue was counted where the chapter says: as TCPReqQFullDrop without cookies, as SyncookiesSent with them.
    /// </summary>
    public static IReadOnlyList<ProofCheck> LimitChecks(this IReadOnlyList<SynQueueResult> runs)
    {
        var plain = runs.WithoutCookies();
        bool old = plain.PeakSynRecv == RequestSockQueue.Capacity(plain.Backlog, strictComparison: false);
        long beyond = plain.Syns - plain.PeakSynRecv;
        List<ProofCheck> checks =
        [
            new("with tcp_syncookies=0 the SYN queue stops at backlog + 1 (since v6.13) or at backlog (before)", plain.StrictComparison() || old,
                $"backlog {plain.Backlog}, peak {plain.PeakSynRecv} SYN_RECV lines"),
            new("without cookies every SYN beyond the queue is dropped (TCPReqQFullDrop)", plain.RequestQueueFullDrops == beyond,
                $"{plain.Syns} SYNs, {plain.PeakSynRecv} kept, TCPReqQFullDrop +{plain.RequestQueueFullDrops}"),
        ];
        checks.AddRange(runs.Where(r => r.Syncookies).Select(cookies => new ProofCheck(
            "with cookies the queue holds as much, and every SYN beyond it is answered with a cookie",
            cookies.PeakSynRecv == plain.PeakSynRecv && cookies.SyncookiesSent == cookies.Syns - cookies.PeakSynRecv,
            $"peak {cookies.PeakSynRecv}, SyncookiesSent +{cookies.SyncookiesSent} of {cookies.Syns} SYNs")));
        if (plain.QuarterRuleCeiling is int ceiling)
        {
            checks.Add(new("without cookies the SYN queue never holds more than tcp_max_syn_backlog − tcp_max_syn_backlog / 4 + 1 requests",
                plain.PeakSynRecv <= ceiling, $"tcp_max_syn_backlog {plain.MaxSynBacklog}, peak {plain.PeakSynRecv}"));
        }
        return checks;
    }

    /// <summary>The retry limit reqsk_timer_handler gives the full queue's requests (none young).</summary>
    public static int LoweredRetryLimit(this SynQueueResult run) =>
        RequestSockQueue.SynAckRetryLimit(run.PeakSynRecv, young: 0, run.Backlog, run.SynackRetries);

    /// <summary>The first sample after the peak with fewer requests: the first drop, or null.</summary>
    public static SynQueueSample? FirstDrop(this SynQueueResult run) =>
        run.Samples.SkipWhile(x => x.SynRecv < run.PeakSynRecv).FirstOrDefault(x => x.SynRecv < run.PeakSynRecv);

    /// <summary>
    /// How long unanswered requests are kept. reqsk_timer_handler lowers the retry limit for old requests while the
    /// queue is more than half of max(8, backlog) full (toward 2), so with the SYN queue full the oldest request is
    /// dropped when its timer fires after 1 + 2 + 4 s. Checked when the run was long enough to see it: the first drop
    /// must come when the lowered limit says, give or take a second (the request timers are not exact and the table
    /// is sampled).
    /// </summary>
    public static IReadOnlyList<ProofCheck> RetryChecks(this SynQueueResult run)
    {
        int formula = run.LoweredRetryLimit();
        var lowered = RequestSockQueue.ExpiresAfter(formula);
        double lastSample = run.Samples.Count == 0 ? 0 : run.Samples[^1].TimeMs;
        List<ProofCheck> checks =
        [
            new($"no request is resent more than tcp_synack_retries ({run.SynackRetries}) times", run.MaxRetransmits <= run.SynackRetries,
                $"retrnsmt reached {run.MaxRetransmits}"),
        ];
        var firstDrop = run.FirstDrop();
        bool expected = formula < run.SynackRetries && lastSample > lowered.TotalMilliseconds + 1000;
        if (expected || firstDrop is not null)
        {
            checks.Add(new($"the first request is dropped when the lowered limit ({formula}) runs out, {lowered.TotalSeconds:0} s after its SYN",
                firstDrop is not null && formula < run.SynackRetries && Math.Abs(firstDrop.TimeMs - lowered.TotalMilliseconds) <= 1000,
                firstDrop is null ? $"none dropped by {lastSample:0} ms" : $"first drop at {firstDrop.TimeMs:0} ms, tcp_synack_retries {run.SynackRetries}, formula {formula}"));
        }
        return checks;
    }
}
