using NetIpc.Harness;
using NetIpc.Proc;

namespace NetIpc.SocketTables;

/// <summary>
/// What closing chapter 01's demo did: how the namespace's counters moved, and the demo's lines of /proc/net/tcp
/// left afterwards. A recorded demo closes nothing and has nothing to check.
/// </summary>
public sealed record DemoClosed(IReadOnlyList<CounterChange> Changes, IReadOnlyList<TcpSocketEntry> LinesAfter, bool IsRecorded);

/// <summary>Chapter 01's claim about closing a connection with unread bytes.</summary>
public static class SocketsAreFilesChecks
{
    /// <summary>
    /// Nothing of the demo is left in the table (no TIME_WAIT), and the kernel counted at least one abort on close
    /// and one reset (other programs may add to these counters).
    /// </summary>
    public static IReadOnlyList<ProofCheck> Checks(this DemoClosed closed) =>
        closed.IsRecorded ? [] : SocketsAreFiles.AbortChecks(closed.Changes, closed.LinesAfter);
}
