using NetIpc.Harness;

namespace NetIpc.Performance;

/// <summary>Chapter 13's claims about the throughput sweep.</summary>
public static class ThroughputChecks
{
    /// <summary>The transport whose figure is set against the iperf3 recording.</summary>
    public const string LoopbackTcp = "TCP (loopback)";

    /// <summary>Each transport's points, smallest message first.</summary>
    public static IEnumerable<(string Transport, IReadOnlyList<ThroughputPoint> BySize)> ByTransport(this ThroughputResult sweep) =>
        sweep.Points.GroupBy(p => p.Transport).Select(g => (g.Key, (IReadOnlyList<ThroughputPoint>)g.OrderBy(p => p.MessageSize).ToList()));

    /// <summary>
    /// Every transport moved more bytes per second at its largest size than at its smallest — a send() costs about as
    /// much for 64 bytes as for thousands, so small messages move few bytes per call.
    /// </summary>
    public static IReadOnlyList<ProofCheck> GrowthChecks(this ThroughputResult sweep) =>
    [
        .. sweep.ByTransport().Where(t => t.BySize.Count >= 2).Select(t => new ProofCheck(
            "every transport moves more bytes per second with its largest messages than with its smallest",
            t.BySize[^1].MegabytesPerSecond > t.BySize[0].MegabytesPerSecond,
            $"{t.Transport}: {t.BySize[0].MegabytesPerSecond:N0} MB/s at {t.BySize[0].MessageSize:N0} bytes, {t.BySize[^1].MegabytesPerSecond:N0} MB/s at {t.BySize[^1].MessageSize:N0}")),
    ];

    /// <summary>The sweep's TCP point with the largest messages, the one set against the recording; null if it has none.</summary>
    public static ThroughputPoint? LargestTcp(this ThroughputResult sweep) =>
        sweep.Points.Where(p => p.Transport == LoopbackTcp).MaxBy(p => p.MessageSize);

    /// <summary>What any comparison with the sweep's TCP figure stands on: a TCP point in the sweep.</summary>
    public static IReadOnlyList<ProofCheck> TcpChecks(this ThroughputResult sweep) =>
    [
        new("the sweep measured TCP over loopback", sweep.LargestTcp() is not null, string.Join(", ", sweep.Points.Select(p => p.Transport).Distinct())),
    ];

    /// <summary>
    /// What the comparison between the sweep's TCP figure and the recording's stands on: a TCP point in the sweep, and
    /// rounds measured again just now with the recording's write size and run length.
    /// </summary>
    public static IReadOnlyList<ProofCheck> RerunChecks(this ThroughputResult sweep, IReadOnlyList<double> now) =>
    [
        .. sweep.TcpChecks(),
        new("the recording's write size and round length were measured again", now.Count > 0, $"{now.Count} rounds"),
    ];
}
