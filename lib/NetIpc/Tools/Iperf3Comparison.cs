namespace NetIpc.Tools;

/// <summary>
/// The course's TCP loopback figure next to iperf3's, measured alternately in one run
/// (tests/NetIpc.Benchmarks/compare-with-iperf3.sh records it under data/benchmarks).
/// </summary>
public sealed record Iperf3Comparison(int WriteSize, double SecondsPerRun, IReadOnlyList<double> OursGigabytesPerSecond, IReadOnlyList<double> Iperf3GigabytesPerSecond)
{
    public double OursMedian => Median(OursGigabytesPerSecond);

    public double Iperf3Median => Median(Iperf3GigabytesPerSecond);

    public double Ratio => OursMedian / Iperf3Median;

    public bool WithinTwentyPercent => Math.Abs(Ratio - 1) <= 0.20;

    private static double Median(IReadOnlyList<double> values) => values.Order().ElementAt(values.Count / 2);
}
