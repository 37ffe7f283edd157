using NetIpc.Harness;

namespace NetIpc.Unix;

/// <summary>Chapter 11's claims about the two limits of UNIX datagrams.</summary>
public static class UnixReliabilityChecks
{
    /// <summary>The size of each datagram the socketpair sender sends until EAGAIN.</summary>
    public const int DatagramBytes = 512;

    /// <summary>The socketpair sender's send buffer, and a named receiver's max_dgram_qlen + 1.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this UnixReliabilityResult r) =>
    [
        new("every UNIX datagram arrived, in order", r.UnixReceived == r.Burst && r.UnixInOrder, $"{r.UnixReceived} of {r.Burst}, in order: {r.UnixInOrder}"),
        new("an unconnected sender to a named receiver is stopped when the queue is longer than net.unix.max_dgram_qlen",
            r.NamedReceiverQueuedBeforeEagain == r.MaxDgramQlen + 1,
            $"max_dgram_qlen {r.MaxDgramQlen}, {r.NamedReceiverQueuedBeforeEagain} queued before EAGAIN"),
        new("the socketpair sender is stopped by its send buffer, which counts each datagram's whole sk_buff",
            r.UnixSentBeforeEagain > 0 && r.UnixSentBeforeEagain < r.Burst && (long)r.UnixSentBeforeEagain * DatagramBytes < r.UnixSendBuffer,
            $"{r.UnixSentBeforeEagain} datagrams of {DatagramBytes} bytes before EAGAIN, SO_SNDBUF {r.UnixSendBuffer:N0}"),
    ];
}
