using NetIpc.Harness;

namespace NetIpc.Benchmarks;

/// <summary>Chapter 03's claim about reading the TCP table fast.</summary>
public static class TcpTableBenchmarkChecks
{
    /// <summary>The netlink reader is at least twice as fast as <c>ss -tan</c>, and faster than reading /proc's bytes alone.</summary>
    public static IReadOnlyList<ProofCheck> Checks(this TcpTableBenchmark b) =>
    [
        new("the sock_diag reader is at least 2× faster than ss -tan", b.SpeedupOverSs >= 2,
            $"medians: sock_diag {b.SockDiag.MedianMs:F2} ms, ss -tan {b.Ss.MedianMs:F2} ms"),
        new("the sock_diag reader is faster than reading /proc/net/tcp's bytes alone", b.SockDiag.MedianMs < b.ProcBytes.MedianMs,
            $"medians: sock_diag {b.SockDiag.MedianMs:F2} ms, bare /proc read {b.ProcBytes.MedianMs:F2} ms"),
    ];
}
