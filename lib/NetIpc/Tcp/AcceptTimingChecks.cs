using NetIpc.Harness;

namespace NetIpc.Tcp;

/// <summary>Chapter 05's claim that accept() takes a connection the kernel finished before the call.</summary>
public static class AcceptTimingChecks
{
    public static IReadOnlyList<ProofCheck> Checks(this AcceptTimingResult r) =>
    [
        new("before accept(), the server's end is ESTABLISHED with inode 0, counted in the LISTEN line's rx_queue",
            r.ServerLineBeforeAccept == "TCP_ESTABLISHED" && r.InodeBeforeAccept == 0 && r.ListenRxQueueBeforeAccept == 1,
            $"{r.ServerLineBeforeAccept}, inode {r.InodeBeforeAccept}, rx_queue {r.ListenRxQueueBeforeAccept}"),
        new("accept() returns at once with the queued connection, which then gets an inode",
            r.AcceptTookMicroseconds < 10_000 && r.InodeAfterAccept != 0,
            $"accept() took {r.AcceptTookMicroseconds:0} µs, inode after {r.InodeAfterAccept}"),
    ];
}
