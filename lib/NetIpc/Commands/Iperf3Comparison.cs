namespace NetIpc.Commands;

/// <summary>
/// The course's loopback figure next to iperf3's for one protocol, measured alternately in one run
/// (benchmarks/NetIpc.Benchmarks/compare-with-iperf3.sh records TCP and UDP under data/benchmarks).
/// For UDP both senders go as fast as they can (iperf3 -b 0), so the figure is what the receiver got,
/// and the share of datagrams lost is kept beside it.
/// </summary>
public sealed record Iperf3Comparison(
    string Protocol,
    int WriteSize,
    double SecondsPerRun,
    IReadOnlyList<double> OursGigabytesPerSecond,
    IReadOnlyList<double> Iperf3GigabytesPerSecond,
    IReadOnlyList<double>? OursLostPercent = null,
    IReadOnlyList<double>? Iperf3LostPercent = null)
{
    public double OursMedian => Stats.Median(OursGigabytesPerSecond);

    public double Iperf3Median => Stats.Median(Iperf3GigabytesPerSecond);

    public double Ratio => OursMedian / Iperf3Median;

    public bool WithinTwentyPercent => Math.Abs(Ratio - 1) <= 0.20;

    /// <summary>The median share of datagrams lost (null for TCP, which loses none).</summary>
    public double? OursLostMedian => OursLostPercent is { Count: > 0 } lost ? Stats.Median(lost) : null;

    public double? Iperf3LostMedian => Iperf3LostPercent is { Count: > 0 } lost ? Stats.Median(lost) : null;
}
