using Microsoft.Data.Analysis;
using NetIpc.Performance;

namespace NetIpc.Notebooks.Tables;

/// <summary>Timings as tables: loopback round trips (chapter 00) and the throughput sweep (13).</summary>
public static class MeasurementTables
{
    public static DataFrame ToDataFrame(this LoopbackRoundTripResult result) => new(
        new Int32DataFrameColumn("message", result.Trips.Select(t => t.Message)),
        new DoubleDataFrameColumn("microseconds", result.Trips.Select(t => t.Microseconds)));

    /// <summary>One row per transport and size: medians over the runs, each with its lowest–highest range.</summary>
    public static DataFrame ToDataFrame(this ThroughputResult result) => new(
        new StringDataFrameColumn("transport", result.Points.Select(p => p.Transport)),
        new Int32DataFrameColumn("message bytes", result.Points.Select(p => p.MessageSize)),
        new DoubleDataFrameColumn("MB/s (median)", result.Points.Select(p => Math.Round(p.MegabytesPerSecond, 1))),
        new StringDataFrameColumn("MB/s lowest–highest", result.Points.Select(p => Range(p.MinMegabytesPerSecond, p.MaxMegabytesPerSecond))),
        new DoubleDataFrameColumn("round trip µs (median)", result.Points.Select(p => Math.Round(p.MedianRoundTripMicroseconds, 1))),
        new StringDataFrameColumn("round trip µs lowest–highest", result.Points.Select(p => Range(p.MinRoundTripMicroseconds, p.MaxRoundTripMicroseconds))),
        new StringDataFrameColumn("messages lost / sent", result.Points.Select(p => $"{p.MessagesLost} / {p.MessagesSent}")));

    private static string Range(double low, double high) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{low:F1}–{high:F1}");

    /// <summary>iperf3 and the course, round by round and as medians (GB/s; for UDP what arrived, and the share lost).</summary>
    public static DataFrame ToDataFrame(this NetIpc.Commands.Iperf3Comparison comparison)
    {
        string ours = comparison.Protocol == "UDP" ? "the course (Experiments.UdpLoopback)" : "the course (Experiments.TcpLoopbackMegabytesPerSecond)";
        var frame = new DataFrame(
            new StringDataFrameColumn("measured by", [$"iperf3 ({comparison.Protocol})", ours]),
            new StringDataFrameColumn("GB/s per round", [Rounds(comparison.Iperf3GigabytesPerSecond), Rounds(comparison.OursGigabytesPerSecond)]),
            new DoubleDataFrameColumn("median GB/s", [Math.Round(comparison.Iperf3Median, 2), Math.Round(comparison.OursMedian, 2)]));
        if (comparison is { Iperf3LostMedian: double theirs, OursLostMedian: double oursLost })
        {
            frame.Columns.Add(new DoubleDataFrameColumn("median % of datagrams lost", [Math.Round(theirs, 1), Math.Round(oursLost, 1)]));
        }
        return frame;
    }

    private static string Rounds(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// At which message sizes a UNIX socket moved more bytes per second than TCP over loopback, stream
    /// against stream and datagram against TCP, by the median and by every run (its slowest run faster
    /// than TCP's fastest): chapter 13 states this from the run, not from the seed.
    /// </summary>
    public static string UnixVersusTcp(this NetIpc.Performance.ThroughputResult run)
    {
        var sizes = run.Points.Select(p => p.MessageSize).Distinct().Order().ToList();
        ThroughputPoint? At(string transport, int size) => run.Points.SingleOrDefault(p => p.Transport == transport && p.MessageSize == size);
        string Wins(string unix)
        {
            var compared = sizes.Select(size => (Size: size, Unix: At(unix, size), Tcp: At("TCP (loopback)", size)))
                .Where(c => c.Unix is not null && c.Tcp is not null).ToList();
            var byMedian = compared.Where(c => c.Unix!.MegabytesPerSecond > c.Tcp!.MegabytesPerSecond).ToList();
            var clearly = byMedian.Count(c => c.Unix!.MinMegabytesPerSecond > c.Tcp!.MaxMegabytesPerSecond);
            return $"{unix} beat TCP at {byMedian.Count} of {compared.Count} sizes by the median"
                + (byMedian.Count > 0 ? $" ({string.Join(", ", byMedian.Select(c => c.Size))} bytes), at {clearly} of them in every run" : "");
        }
        return $"Here, over {run.RunsPerPoint} runs: {Wins("UNIX stream")}. {Wins("UNIX datagram")}.";
    }
}
