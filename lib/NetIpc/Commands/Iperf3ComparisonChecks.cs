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

    /// <summary>The course's TCP measurement agrees with iperf3's within 20%.</summary>
    public static IReadOnlyList<ProofCheck> AgreementChecks(this Iperf3Comparison c) =>
    [
        new("the course's TCP median is within 20% of iperf3's", c.WithinTwentyPercent, $"ratio {c.Ratio:F2}"),
    ];
}
