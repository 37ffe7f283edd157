using NetIpc.Commands;
using NetIpc.Harness;
using NetIpc.Performance;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>
    /// 13: throughput against message size, transport by transport, from the medians: where it grew with every step,
    /// and where not (<see cref="ThroughputChecks.GrowthChecks"/>).
    /// </summary>
    public static string ThroughputGrowth(ThroughputResult sweep)
    {
        sweep.GrowthChecks().RequireAll();
        var grew = new List<string>();
        var dipped = new List<string>();
        foreach (var (transport, bySize) in sweep.ByTransport().Where(t => t.BySize.Count >= 2))
        {
            var falls = bySize.Zip(bySize.Skip(1)).Where(p => p.Second.MegabytesPerSecond <= p.First.MegabytesPerSecond).ToList();
            if (falls.Count == 0)
            {
                grew.Add(transport);
            }
            else
            {
                dipped.Add($"{transport} ({string.Join("; ", falls.Select(f => $"{f.First.MessageSize:N0} → {f.Second.MessageSize:N0} bytes: {Mb(f.First.MegabytesPerSecond)} → {Mb(f.Second.MegabytesPerSecond)} MB/s"))})");
            }
        }
        return $"✓ every transport moved more bytes per second with its largest messages than with its smallest. The median grew with every step in size for " +
               (grew.Count == 0 ? "none of them" : string.Join(", ", grew)) +
               (dipped.Count == 0 ? "" : $"; not for {string.Join(", ", dipped)}");
    }

    /// <summary>
    /// 13: what a round trip costs, from the run: the range of the medians, and four system calls that do nothing
    /// (getppid) set against the smallest messages' round trips — one thread makes a round trip's four calls (a send
    /// and a receive on each socket), so that share is the cost of entering and leaving the kernel. Nothing to check.
    /// </summary>
    public static string RoundTripCost(ThroughputResult sweep)
    {
        var fastest = sweep.Points.MinBy(p => p.MedianRoundTripMicroseconds)!;
        var slowest = sweep.Points.MaxBy(p => p.MedianRoundTripMicroseconds)!;
        string range = $"Median round trips from {fastest.MedianRoundTripMicroseconds:F1} µs ({fastest.Transport}, {fastest.MessageSize:N0} bytes) " +
                       $"to {slowest.MedianRoundTripMicroseconds:F1} µs ({slowest.Transport}, {slowest.MessageSize:N0} bytes)";
        if (double.IsNaN(sweep.FourSystemCallsMicroseconds))
        {
            return range;
        }
        int smallest = sweep.Points.Min(p => p.MessageSize);
        var small = sweep.Points.Where(p => p.MessageSize == smallest).OrderBy(p => p.MedianRoundTripMicroseconds).ToList();
        double bare = sweep.FourSystemCallsMicroseconds;
        double low = 100 * bare / small[^1].MedianRoundTripMicroseconds, high = 100 * bare / small[0].MedianRoundTripMicroseconds;
        string verdict = low > 50 ? "entering and leaving the kernel is most of every one of them"
            : high < 50 ? "most of each is the transport's own work, not the system calls as such"
            : "entering and leaving the kernel is most of the fastest ones, not of the slowest";
        return $"{range}. Four system calls that do nothing (getppid), as many as a round trip makes, took {bare:F1} µs here. " +
               $"That is {low:0}% to {high:0}% of the {smallest:N0}-byte round trips ({small[0].MedianRoundTripMicroseconds:F1} µs for {small[0].Transport} " +
               $"to {small[^1].MedianRoundTripMicroseconds:F1} µs for {small[^1].Transport}). So {verdict}";
    }

    /// <summary>
    /// 13: the sweep's TCP figure against the iperf3 comparison's. Measured live, the two are minutes apart on one
    /// machine, so only the settings differ (<see cref="SweepAgainstLive"/>); recorded, the recording's settings are
    /// run again just now to tell the settings from the day (<see cref="SweepAgainstRecording"/>).
    /// </summary>
    public static string SweepAgainstComparison(ThroughputResult sweep, Measured<Iperf3Comparison> comparison) =>
        comparison.IsRecorded
            ? SweepAgainstRecording(sweep, comparison.Result,
                Experiments.TcpLoopbackRounds(comparison.Result.WriteSize, TimeSpan.FromSeconds(comparison.Result.SecondsPerRun)))
            : SweepAgainstLive(sweep, comparison.Result);

    /// <summary>13: the sweep and a comparison measured just now: the same code and moment, other write sizes and run lengths.</summary>
    public static string SweepAgainstLive(ThroughputResult sweep, Iperf3Comparison live)
    {
        sweep.TcpChecks().RequireAll();
        var tcp = sweep.LargestTcp()!;
        var ours = live.OursGigabytesPerSecond.Select(g => g * 1000).ToList();
        double s = tcp.MegabytesPerSecond, l = ours.Order().ElementAt((ours.Count - 1) / 2); // the lower middle, as the sweep's medians
        double spread = Math.Max(tcp.MaxMegabytesPerSecond / tcp.MinMegabytesPerSecond, ours.Max() / ours.Min());
        double gap = Math.Max(s, l) / Math.Min(s, l);
        string verdict = gap <= Math.Max(1.25, spread)
            ? $"They differ by {gap:0.00}× only, no more than runs differ from each other: nothing to explain in this run"
            : $"Measured a minute apart on one machine, they differ by {gap:0.0}×. That comes from how each was measured — write size and run length — not from the day";
        return $"One measurement twice: one TCP stream over loopback, bytes received per second, the same code. " +
               $"The sweep's TCP, {tcp.MessageSize:N0}-byte messages in {sweep.SecondsPerRun:0.#} s runs: {Mb(s)} MB/s ({Mb(tcp.MinMegabytesPerSecond)}–{Mb(tcp.MaxMegabytesPerSecond)}). " +
               $"The comparison's, {live.WriteSize:N0}-byte writes in {live.SecondsPerRun:0.#} s rounds, just now: {Mb(l)} MB/s ({Mb(ours.Min())}–{Mb(ours.Max())}, {ours.Count} rounds). " +
               $"{verdict}. From one run to the next this machine varied by up to {spread:0.0}×.";
    }

    /// <summary>
    /// 13: why the sweep's TCP figure and the recorded iperf3 comparison's differ. Both are one TCP stream over
    /// loopback, bytes received per second, measured by the same code; they differ in write size, run length and
    /// moment. <paramref name="now"/> is the course's figure with the recording's write size and run length,
    /// measured just now: whichever of the two it lies closer to (by ratio) says which difference matters.
    /// </summary>
    public static string SweepAgainstRecording(ThroughputResult sweep, Iperf3Comparison recorded, IReadOnlyList<double> now)
    {
        sweep.RerunChecks(now).RequireAll();
        var tcp = sweep.LargestTcp()!;
        var c = recorded;
        double s = tcp.MegabytesPerSecond, r = c.OursMedian * 1000, l = now.Order().ElementAt((now.Count - 1) / 2); // the lower middle, as the sweep's medians
        double spread = Math.Max(tcp.MaxMegabytesPerSecond / tcp.MinMegabytesPerSecond, now.Max() / now.Min());
        double tolerance = Math.Max(1.25, spread);
        static double Factor(double a, double b) => Math.Max(a, b) / Math.Min(a, b);
        double gap = Factor(s, r);
        // One cause is named only when the re-run lands within this machine's spread of one figure and outside the
        // other's; otherwise the day and the settings both moved it, and the two factors are given.
        bool nearRecording = Factor(l, r) <= tolerance, nearSweep = Factor(l, s) <= tolerance;
        string verdict = gap <= tolerance
            ? $"Here the sweep's figure and the recording's differ by {gap:0.00}× only, no more than runs differ from each other: nothing to explain in this run"
            : nearRecording && !nearSweep
            ? $"With the recording's writes and rounds this machine gives about the recording's figure now. So the gap between the sweep and the recording comes from how each was measured — write size and run length — not from the day"
            : nearSweep && !nearRecording
            ? $"With the recording's writes and rounds this machine gives about the sweep's figure now. So the gap comes from the moment the recording was made (a busier machine, another kernel build, or its two threads scheduled differently), not from write size or run length"
            : nearRecording && nearSweep
            ? $"The re-run lies within this machine's spread of both figures, so this run cannot tell the settings from the day"
            : $"Both moved it: the day and the kernel build (the recording then against its settings now, {Factor(l, r):0.0}×) and the settings (those against the sweep's, {Factor(s, l):0.0}×)";
        return $"One measurement three times: one TCP stream over loopback, bytes received per second, the same code. " +
               $"The sweep's TCP, {tcp.MessageSize:N0}-byte messages in {sweep.SecondsPerRun:0.#} s runs: {Mb(s)} MB/s ({Mb(tcp.MinMegabytesPerSecond)}–{Mb(tcp.MaxMegabytesPerSecond)}). " +
               $"The recording's, {c.WriteSize:N0}-byte writes in {c.SecondsPerRun:0.#} s rounds (its label above): {Mb(r)} MB/s. " +
               $"The recording's writes and rounds again just now: {Mb(l)} MB/s ({Mb(now.Min())}–{Mb(now.Max())}, {now.Count} rounds). " +
               $"{verdict}. From one run to the next this machine varied by up to {spread:0.0}×.";
    }

    /// <summary>
    /// 13: the UDP comparison's verdict, from its loss column (<see cref="Iperf3ComparisonChecks.UdpLossChecks"/>). A
    /// received rate is the sending rate times the share that arrived, so the ratio of the two medians splits into how
    /// fast each sender sent and how much of it each receiver got.
    /// </summary>
    public static string UdpAgainstIperf3(Iperf3Comparison c)
    {
        c.UdpLossChecks().RequireAll();
        double ours = c.OursLostMedian!.Value, theirs = c.Iperf3LostMedian!.Value;
        double share = (100 - ours) / (100 - theirs);
        double sent = c.Ratio / share;
        string who = ours < theirs ? "the course's receiver got the larger share" : ours > theirs ? "iperf3's receiver got the larger share" : "both receivers got the same share";
        return $"UDP, {c.WriteSize:N0}-byte datagrams, {c.SecondsPerRun:0.#} s a round: the course's median ÷ iperf3's = {c.Ratio:F2}. " +
               $"Of the datagrams each sender sent, {ours:0.#}% of the course's and {theirs:0.#}% of iperf3's never reached the reader. So {who} ({100 - ours:0.#}% against {100 - theirs:0.#}% arrived, {share:0.00}×). " +
               $"Of the {c.Ratio:F2}×, the share that arrived makes {share:0.00}× and the senders' pace {sent:0.00}×";
    }

    /// <summary>13: the course's TCP measurement agrees with iperf3's: within 20%, within 1.75×, or within this run's noise, and which.</summary>
    public static string AgreesWithIperf3(Iperf3Comparison c)
    {
        c.AgreementChecks().RequireAll();
        string what = $"✓ TCP, one stream, {c.WriteSize:N0}-byte writes, {c.SecondsPerRun:0.#} s a round (the sweep above: 0.2 s runs of smaller messages): " +
                      $"the course's median ÷ iperf3's = {c.Ratio:F2}";
        return c.WithinTwentyPercent ? $"{what}, within ±20%"
            : c.Gap <= Iperf3Comparison.SameOrder ? $"{what}: more than 20% apart, within {Iperf3Comparison.SameOrder}×. Neither tool miscounts bytes or seconds; which is nearer the truth, this run cannot say"
            : $"{what}, more than {Iperf3Comparison.SameOrder}× apart. But one tool's rounds lay up to {c.RoundSpread:0.0}× apart in this run: this machine was too busy to tell the two closer than that. Run the cell again when it is quiet";
    }
}
