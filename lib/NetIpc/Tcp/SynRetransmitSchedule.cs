namespace NetIpc.Tcp;

/// <summary>One SYN a connecting client sends: the first (0) or a resend, when, and the timeout armed after it.</summary>
/// <param name="Number">0 for the SYN connect() sends, then 1, 2, … for each resend.</param>
/// <param name="At">Time since connect().</param>
/// <param name="RtoAfter">icsk_rto once this SYN has gone: how long until the next.</param>
public sealed record SynSend(int Number, TimeSpan At, TimeSpan RtoAfter);

/// <summary>
/// When a client in SYN_SENT resends its SYN, written as the kernel writes it, so a chapter can state the schedule
/// from this kernel's sysctls and check a run against it. The first SYN arms the retransmit timer for
/// TCP_TIMEOUT_INIT (1 s). Each time it fires, <c>tcp_retransmit_timer</c> (net/ipv4/tcp_timer.c) resends the SYN and
/// counts the timeout in <c>total_rto</c>; it doubles <c>icsk_rto</c> (up to TCP_RTO_MAX, 120 s) unless the socket is
/// in SYN_SENT and <c>total_rto</c> is still at most <c>net.ipv4.tcp_syn_linear_timeouts</c>. <c>tcp_write_timeout</c>
/// gives up when <c>icsk_retransmits</c> reaches <c>tcp_syn_retries</c> plus those linear timeouts. Both came with
/// "tcp: make the first N SYN RTO backoffs linear" (ccce324dabfe, Linux 6.5, default 4); before it every timeout
/// doubled, which is the same rule with 0 linear timeouts.
/// </summary>
public static class SynRetransmitSchedule
{
    /// <summary>TCP_TIMEOUT_INIT (include/net/tcp.h): the timeout a SYN is sent with when nothing is known of the path.</summary>
    public static readonly TimeSpan InitialTimeout = TimeSpan.FromSeconds(1);

    /// <summary>TCP_RTO_MAX (include/net/tcp.h): the longest the timeout grows.</summary>
    public static readonly TimeSpan MaximumTimeout = TimeSpan.FromSeconds(120);

    /// <summary>The commit that made the first SYN timeouts linear.</summary>
    public const string LinearCommit = "ccce324dabfe (Linux 6.5)";

    /// <summary>
    /// Every SYN a client sends until it gives up, and when it gives up (connect() fails with ETIMEDOUT).
    /// <paramref name="linearTimeouts"/> is null on a kernel without the sysctl (before 6.5): every timeout doubles.
    /// </summary>
    public static (IReadOnlyList<SynSend> Sends, TimeSpan GivesUpAt) Expected(int? linearTimeouts, int synRetries)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(synRetries);
        int linear = linearTimeouts ?? 0;
        int maxRetransmits = synRetries + linear;
        var sends = new List<SynSend>();
        var at = TimeSpan.Zero;
        var rto = InitialTimeout;
        sends.Add(new SynSend(0, at, rto));
        for (int totalRto = 1; totalRto <= maxRetransmits; totalRto++)
        {
            at += rto;
            if (totalRto > linear)
            {
                rto = rto * 2 < MaximumTimeout ? rto * 2 : MaximumTimeout;
            }
            sends.Add(new SynSend(totalRto, at, rto));
        }
        return (sends, at + rto);
    }
}
