using NetIpc.Harness;

namespace NetIpc.Udp;

/// <summary>Chapter 10's claim that UDP's losses are the receive buffer's.</summary>
public static class UdpDropsChecks
{
    /// <summary>In every burst the drops column is sent − received, and the namespace counter moved at least as much.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this UdpDropsResult r) =>
    [
        new("there was a burst to count", r.Bursts.Count > 0, $"{r.Bursts.Count} bursts"),
        .. r.Bursts.Select(b => new ProofCheck("drops column = sent − received, and Udp.RcvbufErrors moved at least as much",
            b.DropsColumn == b.Sent - b.Received && b.RcvbufErrors >= b.DropsColumn,
            $"SO_RCVBUF {b.ReceiveBuffer:N0}: sent {b.Sent}, received {b.Received}, drops {b.DropsColumn}, RcvbufErrors {b.RcvbufErrors}")),
    ];
}
