namespace NetIpc.Tcp;

/// <summary>
/// The SYN queue's two rules, written as the kernel writes them, so a chapter can say what this kernel did
/// and what an older one would do: the fullness test of <c>inet_csk_reqsk_queue_is_full</c>
/// (include/net/inet_connection_sock.h) and the retry limit <c>reqsk_timer_handler</c>
/// (net/ipv4/inet_connection_sock.c) gives a request whose SYN-ACK is never answered.
/// </summary>
public static class RequestSockQueue
{
    /// <summary>
    /// The commit that changed the test from <c>qlen &gt;= sk_max_ack_backlog</c> to <c>qlen &gt; sk_max_ack_backlog</c>:
    /// "tcp/dccp: allow a connection when sk_max_ack_backlog is zero" (3479c7549fb1, merged for v6.13 in
    /// January 2025, and queued that month for every stable series then kept: 5.4, 5.10 (in 5.10.234), 5.15, 6.1,
    /// 6.6 and 6.12, per the stable trees' push logs). Before it, since "tcp: remove max_qlen_log" (ef547f2ac16b, v4.4),
    /// a listener with backlog 0 and tcp_syncookies=0 dropped every SYN.
    /// </summary>
    public const string ComparisonCommit = "3479c7549fb1, v6.13; backported to the stable series 5.4 to 6.12";

    /// <summary>inet_csk_reqsk_queue_is_full, new (<c>&gt;</c>) or old (<c>&gt;=</c>) form.</summary>
    public static bool IsFull(int queueLength, int maxAckBacklog, bool strictComparison) =>
        strictComparison ? queueLength > maxAckBacklog : queueLength >= maxAckBacklog;

    /// <summary>The most half-open requests a listener keeps with tcp_syncookies=0: backlog + 1 with <c>&gt;</c>, backlog with <c>&gt;=</c>.</summary>
    public static int Capacity(int maxAckBacklog, bool strictComparison) => strictComparison ? maxAckBacklog + 1 : maxAckBacklog;

    /// <summary>
    /// The retry limit reqsk_timer_handler applies when a request's timer fires. Once the queue is more
    /// than half of max(8, backlog) full, it lowers tcp_synack_retries by one for every doubling by which
    /// the young requests (never timed out) fall short of the queue — down to 2 — so that old requests are
    /// dropped "without pity" and half the room stays for young ones.
    /// </summary>
    public static int SynAckRetryLimit(int queueLength, int young, int maxAckBacklog, int synackRetries)
    {
        int limit = synackRetries;
        if ((queueLength << 1) > Math.Max(8, maxAckBacklog))
        {
            int doubledYoung = young << 1;
            while (limit > 2)
            {
                if (queueLength < doubledYoung)
                {
                    break;
                }
                limit--;
                doubledYoung <<= 1;
            }
        }
        return limit;
    }

    /// <summary>
    /// When a request that is never answered expires: its timer fires after 1 s, then doubles (3 s, 7 s,
    /// 15 s … from the SYN, TCP_TIMEOUT_INIT &lt;&lt; num_timeout, capped at TCP_RTO_MAX), resending the
    /// SYN-ACK each time until num_timeout reaches <paramref name="retryLimit"/>; the next firing drops it.
    /// </summary>
    public static TimeSpan ExpiresAfter(int retryLimit)
    {
        double seconds = 0;
        for (int timeout = 0; timeout <= retryLimit; timeout++)
        {
            seconds += Math.Min(1 << timeout, 120);
        }
        return TimeSpan.FromSeconds(seconds);
    }
}
