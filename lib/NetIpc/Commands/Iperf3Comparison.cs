namespace NetIpc.Commands;

/// <summary>
/// The course's loopback figure next to iperf3's for one protocol, measured alternately in one run
/// (<see cref="Iperf3Run"/>; chapter 13 runs it live, <see cref="Runs.Iperf3Tcp"/>).
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

    /// <summary>The medians apart as a factor of at least 1, whichever is larger.</summary>
    public double Gap => Math.Max(Ratio, 1 / Ratio);

    /// <summary>How far one tool's rounds lay apart at most (largest ÷ smallest, either tool): this run's own noise.</summary>
    public double RoundSpread => Math.Max(Spread(OursGigabytesPerSecond), Spread(Iperf3GigabytesPerSecond));

    /// <summary>
    /// Within 1.75×, or within <see cref="RoundSpread"/> where that is wider. Alternating 1 s rounds over loopback, the
    /// two tools' medians lay 1.13–1.56× apart on this course's machine (the course higher each time; 1.56 in a test
    /// run with every core busy), so ±20% is what a quiet, longer run may show, not what every run does; a wrong unit
    /// or a byte counted twice is 2× or more, and still fails. On a busy machine one tool's own rounds can lie further
    /// apart than that, and two medians closer than that cannot be told apart by the run.
    /// </summary>
    public bool AgreesWithinNoise => Gap <= Math.Max(SameOrder, RoundSpread);

    /// <summary>How far apart two sound measurements of the same stream may lie in one short run.</summary>
    public const double SameOrder = 1.75;

    /// <summary>The median share of datagrams lost (null for TCP, which loses none).</summary>
    public double? OursLostMedian => OursLostPercent is { Count: > 0 } lost ? Stats.Median(lost) : null;

    public double? Iperf3LostMedian => Iperf3LostPercent is { Count: > 0 } lost ? Stats.Median(lost) : null;

    private static double Spread(IReadOnlyList<double> rounds) => rounds.Count == 0 || rounds.Min() <= 0 ? double.PositiveInfinity : rounds.Max() / rounds.Min();
}
