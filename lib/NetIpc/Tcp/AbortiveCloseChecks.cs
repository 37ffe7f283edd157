using NetIpc.Harness;
using NetIpc.Native;

namespace NetIpc.Tcp;

/// <summary>Chapter 09's claims about the three ways to close: FIN, and two that send a reset.</summary>
public static class AbortiveCloseChecks
{
    /// <summary>"Tcp.OutRsts +1, TCPAbortOnData +1, …": the counters a close moved.</summary>
    public static string Counters(this CloseCase c) =>
        $"Tcp.OutRsts +{c.OutRsts}, TCPAbortOnData +{c.AbortOnData}, TCPAbortOnClose +{c.AbortOnClose}, TCPAbortOnLinger +{c.AbortOnLinger}";

    /// <summary>A plain close() sends FIN: the peer reads end of file, the closer waits in TIME_WAIT, no reset.</summary>
    public static IReadOnlyList<ProofCheck> OrderlyChecks(this AbortiveCloseResult r)
    {
        var c = r.Orderly;
        return
        [
            new("after close() the peer's read() returns 0", c.PeerReadErrno == 0 && c.PeerRead.StartsWith("read() = 0", StringComparison.Ordinal), c.PeerRead),
            new("the end that closed first is left in TIME_WAIT", c.CloserAfter == "TIME_WAIT" && c.TimeWaitLeft, $"closer {c.CloserAfter}"),
            new("nothing is reset", c.OutRsts == 0 && c.AbortOnData == 0 && c.AbortOnClose == 0 && c.AbortOnLinger == 0, c.Counters()),
        ];
    }

    /// <summary>
    /// SO_LINGER {1, 0} then close() — __tcp_close calls tcp_disconnect, which sends RST (tcp_need_reset) and counts
    /// LINUX_MIB_TCPABORTONDATA; TCPAbortOnLinger is another path (TCP_LINGER2 &lt; 0 in FIN_WAIT2) and stays put.
    /// </summary>
    public static IReadOnlyList<ProofCheck> ZeroLingerChecks(this AbortiveCloseResult r) =>
        Abortive(r.ZeroLinger, "TCPAbortOnData", c => c.AbortOnData == 1 && c.AbortOnClose == 0 && c.AbortOnLinger == 0);

    /// <summary>close() with unread data — __tcp_close's data_was_unread: RST and LINUX_MIB_TCPABORTONCLOSE.</summary>
    public static IReadOnlyList<ProofCheck> UnreadDataChecks(this AbortiveCloseResult r) =>
        Abortive(r.UnreadData, "TCPAbortOnClose", c => c.AbortOnClose == 1 && c.AbortOnData == 0 && c.AbortOnLinger == 0);

    private static IReadOnlyList<ProofCheck> Abortive(CloseCase c, string counter, Func<CloseCase, bool> counted) =>
    [
        new($"{c.How} sends one RST instead of a FIN and counts it in {counter} only", c.OutRsts == 1 && counted(c), c.Counters()),
        new("no line is left for the connection, no TIME_WAIT", c.CloserAfter == "gone" && c.PeerAfter == "gone" && !c.TimeWaitLeft,
            $"closer {c.CloserAfter}, peer {c.PeerAfter}{(c.TimeWaitLeft ? ", a TIME_WAIT line" : "")}"),
        new("the peer's read() fails with ECONNRESET", c.PeerReadErrno == Errno.ECONNRESET, c.PeerRead),
        new("the peer's next write() fails with EPIPE", c.PeerWriteErrno == Errno.EPIPE, c.PeerWrite ?? "no write"),
        new("both ends went from ESTABLISHED straight to CLOSE (Tcp.EstabResets counts each)", c.EstabResets == 2, $"Tcp.EstabResets +{c.EstabResets}"),
    ];
}
