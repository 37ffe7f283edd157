using NetIpc.Harness;

namespace NetIpc.Commands;

/// <summary>Chapter 13's claims about the course's measurement set against iperf3's.</summary>
public static class Iperf3ComparisonChecks
{
    /// <summary>Both senders are unthrottled, so what arrives is what each receiver managed to read: both must have lost datagrams.</summary>
    public static IReadOnlyList<ProofCheck> UdpLossChecks(this Iperf3Comparison c) =>
    [
        new("both unthrottled UDP senders outran their receivers and lost datagrams", c.OursLostMedian is > 0 && c.Iperf3LostMedian is > 0,
            $"lost: the course {c.OursLostMedian}%, iperf3 {c.Iperf3LostMedian}%"),
    ];

    /// <summary>
    /// The course's TCP measurement agrees with iperf3's within 1.75×, or, where one tool's rounds lay further apart
    /// than that, within this run's own noise: a measuring error would show as a gap wider than both
    /// (<see cref="Iperf3Comparison.AgreesWithinNoise"/>).
    /// </summary>
    public static IReadOnlyList<ProofCheck> AgreementChecks(this Iperf3Comparison c) =>
    [
        new($"the course's TCP median agrees with iperf3's within {Iperf3Comparison.SameOrder}×, or within the spread of this run's rounds where that is wider",
            c.AgreesWithinNoise, $"ratio {c.Ratio:F2}; rounds lay up to {c.RoundSpread:F2}× apart"),
    ];
}
