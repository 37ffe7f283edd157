using NetIpc.Harness;

namespace NetIpc.Hosts;

/// <summary>Chapter 10's claims about the lossy wire: what TCP repaired and what UDP lost.</summary>
public static class LossyPathChecks
{
    /// <summary>
    /// TCP repairs what the wire breaks: every byte arrived, in order. The experiment itself requires this before it
    /// returns, so a damaged stream stops the chapter instead of showing up in a table.
    /// </summary>
    public static IReadOnlyList<ProofCheck> DeliveryChecks(this LossyPathResult r) =>
    [
        new("TCP delivered every byte, in order, across the lossy wire", r.TcpIntact && r.TcpBytesReceived == r.TcpBytesSent,
            $"{r.TcpBytesReceived:N0} of {r.TcpBytesSent:N0} bytes arrived{(r.TcpBytesReceived == r.TcpBytesSent && !r.TcpIntact ? ", not the bytes sent" : "")}"),
    ];

    /// <summary>
    /// How TCP repaired the wire, from the sender's own namespace counters: the retrnsmt column moves only with
    /// timer-driven retransmissions, never with RACK-TLP's probes or fast retransmits. A recording without the
    /// per-kind counters has nothing to check.
    /// </summary>
    public static IReadOnlyList<ProofCheck> RecoveryChecks(this LossyPathResult r)
    {
        if (r.TcpRecovery is null)
        {
            return [];
        }
        long timeouts = r.Recovery("TcpExt.TCPTimeouts");
        return
        [
            new("the retrnsmt column moves only with timer-driven retransmissions", r.MaxRetrnsmtSeen <= Math.Max(timeouts, 0) + 1,
                $"retrnsmt peaked at {r.MaxRetrnsmtSeen}, TCPTimeouts +{timeouts}"),
        ];
    }

    /// <summary>What the relay did to UDP is what the receiver saw: loss without reordering, or reordering without loss.</summary>
    public static IReadOnlyList<ProofCheck> UdpChecks(this LossyPathResult r) =>
    [
        r.ReorderPercent == 0
            ? new("with a relay that does not reorder, what arrived came in order", r.UdpInOrder, $"{r.UdpOutOfOrder} out of order")
            : new("a relay that only reorders loses nothing", r.UdpReceived == r.UdpSent, $"{r.UdpReceived} of {r.UdpSent}"),
    ];
}
