using System.Net;
using NetIpc.Proc;

namespace NetIpc.Diag;

/// <summary>One field of one socket on which /proc and sock_diag differ, with the kernel's reason when there is one.</summary>
/// <param name="Row">The socket: "tcp 127.0.0.1:9501 → 0.0.0.0:0 LISTEN", "unix inode 12345".</param>
/// <param name="Field">The entry's property (TxQueue, TimerTicks, …).</param>
/// <param name="KernelReason">Why the kernel fills the two differently; null: unexplained, a disagreement.</param>
public sealed record FieldDifference(string Row, string Field, string Proc, string Netlink, string? KernelReason)
{
    public bool IsExplained => KernelReason is not null;
}

/// <summary>
/// Both views of one table taken at the same moment: sock_diag read before and after /proc, and only the rows the
/// two netlink reads agree on (nothing moved while /proc was read) compared field by field.
/// </summary>
/// <param name="Table">"tcp + tcp6", "udp + udp6", "unix".</param>
/// <param name="Compared">Rows present, unchanged, in both netlink reads and compared with /proc.</param>
/// <param name="Moved">Rows that changed, a timer armed again included, or came and went between the two netlink reads: not compared.</param>
/// <param name="Missing">Stable rows one view has and the other does not ("only in /proc: …").</param>
/// <param name="Differences">Fields that differ on compared rows, explained or not.</param>
/// <param name="NotReported">What /proc prints and sock_diag has no field for, so is never compared.</param>
public sealed record ViewAgreement(
    string Table, int Compared, int Moved, IReadOnlyList<string> Missing, IReadOnlyList<FieldDifference> Differences, IReadOnlyList<string> NotReported)
{
    /// <summary>Every compared row found in both views and every difference explained by the kernel.</summary>
    public bool Holds => Missing.Count == 0 && Differences.All(d => d.IsExplained);

    public IEnumerable<FieldDifference> Unexplained => Differences.Where(d => !d.IsExplained);

    /// <summary>A timer may tick this much beyond the window between the two netlink reads: one USER_HZ tick, plus one jiffy at HZ=100.</summary>
    private const double TimerSlackMs = 20;

    public const string ListenerTxQueue = "for a LISTEN socket sock_diag's idiag_wqueue is the backlog (sk_max_ack_backlog, ss's Send-Q); /proc's tx_queue is write_seq − snd_una, 0 for a socket that never sent";
    public const string TimerTimeLeft = "the time left on a running timer is read at two instants; /proc prints it in 1/100 s (jiffies_delta_to_clock_t), sock_diag in ms (idiag_expires), and the /proc value lies between the two netlink reads";
    public const string RequestRetransmits = "a request socket's retrnsmt in /proc is req->num_timeout (timer firings); sock_diag's idiag_retrans is req->num_retrans (SYN-ACKs sent again): TCP_DEFER_ACCEPT fires the timer without resending";
    public const string RequestUid = "a request socket has no struct socket: /proc prints the listener's uid (sock_i_uid(rsk_listener)), inet_req_diag_fill puts 0";

    /// <summary>TCP: <paramref name="include"/> picks the rows to compare (all, or an experiment's own).</summary>
    public static ViewAgreement Tcp(IReadOnlyList<TcpSocketEntry> netlinkBefore, IReadOnlyList<TcpSocketEntry> proc, IReadOnlyList<TcpSocketEntry> netlinkAfter,
        Func<TcpSocketEntry, bool>? include = null)
    {
        include ??= _ => true;
        static (string, IPEndPoint, IPEndPoint) Key(TcpSocketEntry e) => (e.Netid, e.Local, e.Remote);
        static string Name(TcpSocketEntry e) => $"{e.Netid} {e.Local} → {e.Remote} {SocketTable.SsStateName(e.State)}";
        // What both netlink reads must agree on for a row to count as still: everything but the timer's time left,
        // which may only run down. Time left that grew means the timer was armed again between the reads (it fired,
        // or was reset); a TCP_DEFER_ACCEPT request's firing changes nothing else (no SYN-ACK is resent, and
        // sock_diag has no num_timeout), and an overdue timer reads 0 in sock_diag (jiffies_delta_to_msecs) just
        // before it fires.
        static object Still(TcpSocketEntry e) => (e.State, e.TxQueue, e.RxQueue, e.Timer, e.Retransmits, e.Uid, e.Timeouts, e.Inode);
        static bool Rearmed(TcpSocketEntry n1, TcpSocketEntry n2) => n2.TimerTicks > n1.TimerTicks;
        return Compare("tcp + tcp6", netlinkBefore, proc, netlinkAfter, include, Key, Name, (n1, n2) => Equals(Still(n1), Still(n2)) && !Rearmed(n1, n2), (n1, p, n2, diff) =>
        {
            diff("State", p.State, n1.State, null);
            diff("RxQueue", p.RxQueue, n1.RxQueue, null);
            diff("TxQueue", p.TxQueue, n1.TxQueue, n1.State == KernelTcpState.Listen ? ListenerTxQueue : null);
            diff("Timer", p.Timer, n1.Timer, null);
            double procMs = p.TimerTicks * 10.0;
            bool timerBetween = procMs <= n1.TimerTicks * 10.0 + TimerSlackMs && procMs >= n2.TimerTicks * 10.0 - TimerSlackMs;
            diff("TimerTicks", p.TimerTicks, n1.TimerTicks, timerBetween ? TimerTimeLeft : null);
            bool request = n1.State == KernelTcpState.SynRecv && n1.Inode == 0;
            diff("Retransmits", p.Retransmits, n1.Retransmits, request ? RequestRetransmits : null);
            diff("Uid", p.Uid, n1.Uid, request ? RequestUid : null);
            diff("Timeouts", p.Timeouts, n1.Timeouts, null);
            diff("Inode", p.Inode, n1.Inode, null);
        }, ["sl (the slot: the row's index in the dump here)", "ref (the reference count; null here)", "the timer's time left to better than 1/100 s"]);
    }

    public static ViewAgreement Udp(IReadOnlyList<UdpSocketEntry> netlinkBefore, IReadOnlyList<UdpSocketEntry> proc, IReadOnlyList<UdpSocketEntry> netlinkAfter,
        Func<UdpSocketEntry, bool>? include = null)
    {
        include ??= _ => true;
        static (string, IPEndPoint, IPEndPoint) Key(UdpSocketEntry e) => (e.Netid, e.Local, e.Remote);
        static string Name(UdpSocketEntry e) => $"{e.Netid} {e.Local} → {e.Remote}";
        static object Still(UdpSocketEntry e) => (e.State, e.TxQueue, e.RxQueue, e.Uid, e.Inode, e.Drops);
        return Compare("udp + udp6", netlinkBefore, proc, netlinkAfter, include, Key, Name, (n1, n2) => Equals(Still(n1), Still(n2)), (n1, p, _, diff) =>
        {
            diff("State", p.State, n1.State, null);
            diff("RxQueue", p.RxQueue, n1.RxQueue, null);
            diff("TxQueue", p.TxQueue, n1.TxQueue, null);
            diff("Uid", p.Uid, n1.Uid, null);
            diff("Inode", p.Inode, n1.Inode, null);
            diff("Drops", p.Drops, n1.Drops, null);
        }, ["sl (a hash bucket in /proc; the row's index here)", "ref (sk_refcnt; 0 here)", "pointer (the kernel address; %pK)"]);
    }

    public static ViewAgreement Unix(IReadOnlyList<UnixSocketEntry> netlinkBefore, IReadOnlyList<UnixSocketEntry> proc, IReadOnlyList<UnixSocketEntry> netlinkAfter,
        Func<UnixSocketEntry, bool>? include = null)
    {
        include ??= _ => true;
        static ulong Key(UnixSocketEntry e) => e.Inode;
        static string Name(UnixSocketEntry e) => $"unix inode {e.Inode} {e.Path ?? "(unnamed)"}";
        static object Still(UnixSocketEntry e) => (e.Type, e.State, e.Flags, e.Path);
        return Compare("unix", netlinkBefore, proc, netlinkAfter, e => e.Inode != 0 && include(e), Key, Name, (n1, n2) => Equals(Still(n1), Still(n2)), (n1, p, _, diff) =>
        {
            diff("Type", p.Type, n1.Type, null);
            diff("State", p.State, n1.State, null);
            diff("Flags", p.Flags, n1.Flags, null);
            diff("Protocol", p.Protocol, n1.Protocol, null);
            diff("Path", p.Path ?? "", n1.Path ?? "", null);
        }, ["Num (the kernel address; %pK)", "RefCount (sk_refcnt; 0 here)", "St SS_CONNECTING/SS_DISCONNECTING, which /proc prints for a socket with no struct socket (an embryo in an accept queue; sock_diag says ESTABLISHED or CLOSE)"]);
    }

    private delegate void Diff(string field, object procValue, object netlinkValue, string? reason);

    private static ViewAgreement Compare<TEntry, TKey>(string table, IReadOnlyList<TEntry> before, IReadOnlyList<TEntry> proc, IReadOnlyList<TEntry> after,
        Func<TEntry, bool> include, Func<TEntry, TKey> key, Func<TEntry, string> name, Func<TEntry, TEntry, bool> still,
        Action<TEntry, TEntry, TEntry, Diff> compare, IReadOnlyList<string> notReported)
        where TKey : notnull
    {
        var first = ByKey(before.Where(include), key);
        var second = ByKey(after.Where(include), key);
        var procRows = ByKey(proc.Where(include), key);
        var missing = new List<string>();
        var differences = new List<FieldDifference>();
        int compared = 0, moved = 0;
        foreach (var (k, n1) in first)
        {
            if (!second.TryGetValue(k, out var n2) || !still(n1, n2))
            {
                moved++;
                continue;
            }
            if (!procRows.TryGetValue(k, out var p))
            {
                missing.Add($"only in sock_diag: {name(n1)}");
                continue;
            }
            compared++;
            compare(n1, p, n2, (field, procValue, netlinkValue, reason) =>
            {
                if (!Equals(procValue, netlinkValue))
                {
                    differences.Add(new FieldDifference(name(n1), field, procValue.ToString() ?? "", netlinkValue.ToString() ?? "", reason));
                }
            });
        }
        moved += second.Keys.Count(k => !first.ContainsKey(k));
        // A /proc row that neither netlink read saw would have come and gone between them: name it.
        missing.AddRange(procRows.Where(r => !first.ContainsKey(r.Key) && !second.ContainsKey(r.Key)).Select(r => $"only in /proc: {name(r.Value)}"));
        return new ViewAgreement(table, compared, moved, missing, differences, notReported);
    }

    private static Dictionary<TKey, TEntry> ByKey<TEntry, TKey>(IEnumerable<TEntry> rows, Func<TEntry, TKey> key) where TKey : notnull
    {
        var map = new Dictionary<TKey, TEntry>();
        foreach (var row in rows)
        {
            map.TryAdd(key(row), row);
        }
        return map;
    }
}
