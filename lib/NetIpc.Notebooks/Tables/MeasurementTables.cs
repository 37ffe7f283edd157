using Microsoft.Data.Analysis;
using NetIpc.Experiments;

namespace NetIpc.Notebooks;

/// <summary>Timings as tables: loopback round trips (chapter 00) and the throughput sweep (13).</summary>
public static class MeasurementTables
{
    public static DataFrame ToDataFrame(this LoopbackRoundTripResult result) => new(
        new Int32DataFrameColumn("message", result.Trips.Select(t => t.Message)),
        new DoubleDataFrameColumn("microseconds", result.Trips.Select(t => t.Microseconds)));

    public static DataFrame ToDataFrame(this ThroughputResult result) => new(
        new StringDataFrameColumn("transport", result.Points.Select(p => p.Transport)),
        new Int32DataFrameColumn("message bytes", result.Points.Select(p => p.MessageSize)),
        new DoubleDataFrameColumn("MB/s", result.Points.Select(p => Math.Round(p.MegabytesPerSecond, 1))),
        new DoubleDataFrameColumn("median round trip (µs)", result.Points.Select(p => Math.Round(p.MedianRoundTripMicroseconds, 1))),
        new Int64DataFrameColumn("messages lost", result.Points.Select(p => p.MessagesLost)));

    /// <summary>iperf3 and the course, round by round and as medians (GB/s).</summary>
    public static DataFrame ToDataFrame(this NetIpc.Tools.Iperf3Comparison comparison) => new(
        new StringDataFrameColumn("measured by", ["iperf3", "the course (Experiments.TcpLoopbackMegabytesPerSecond)"]),
        new StringDataFrameColumn("GB/s per round", [Rounds(comparison.Iperf3GigabytesPerSecond), Rounds(comparison.OursGigabytesPerSecond)]),
        new DoubleDataFrameColumn("median GB/s", [Math.Round(comparison.Iperf3Median, 2), Math.Round(comparison.OursMedian, 2)]));

    private static string Rounds(IEnumerable<double> values) =>
        string.Join(", ", values.Select(v => v.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// At which message sizes a UNIX socket moved more bytes per second than TCP over loopback, stream
    /// against stream and datagram against TCP: chapter 13 states this from the run, not from the seed.
    /// </summary>
    public static string UnixVersusTcp(this NetIpc.Experiments.ThroughputResult run)
    {
        var sizes = run.Points.Select(p => p.MessageSize).Distinct().Order().ToList();
        double Rate(string transport, int size) => run.Points.Single(p => p.Transport == transport && p.MessageSize == size).MegabytesPerSecond;
        string Wins(string unix)
        {
            var won = sizes.Where(size => Rate(unix, size) > Rate("TCP (loopback)", size)).ToList();
            return $"{unix} beat TCP at {won.Count} of {sizes.Count} sizes" + (won.Count > 0 ? $" ({string.Join(", ", won)} bytes)" : "");
        }
        return $"Here: {Wins("UNIX stream")}; {Wins("UNIX datagram")}.";
    }
}
