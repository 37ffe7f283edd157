using Plotly.NET;
using Plotly.NET.CSharp;
using NetIpc.Performance;
using NetIpc.Udp;

namespace NetIpc.Notebooks.Charts;

/// <summary>Measurements drawn: round trips (00), UDP drops (10), throughput and latency (13).</summary>
public static class MeasurementCharts
{
    /// <summary>
    /// Every trip on a log axis, with the median and 99th percentile drawn across: one slow trip (the first, or
    /// one the machine interrupted) is tens of times the median, and on a linear axis it flattens the rest to a line.
    /// </summary>
    public static GenericChart Chart(this LoopbackRoundTripResult result)
    {
        int first = result.Trips.Count == 0 ? 0 : result.Trips[0].Message, last = result.Trips.Count == 0 ? 0 : result.Trips[^1].Message;
        GenericChart Level(double value, string name) =>
            Plotly.NET.CSharp.Chart.Line<int, double, string>(x: [first, last], y: [value, value], Name: $"{name} {value:F1} µs");
        double max = result.Trips.Count == 0 ? double.NaN : result.Trips.Max(t => t.Microseconds);
        return Plotly.NET.CSharp.Chart.Combine(
            [
                Plotly.NET.CSharp.Chart.Point<int, double, string>(
                    x: result.Trips.Select(t => t.Message),
                    y: result.Trips.Select(t => t.Microseconds),
                    Name: "one round trip"),
                Level(result.MedianMicroseconds, "median"),
                Level(result.P99Microseconds, "99th percentile"),
            ])
            .WithTitle($"{result.Trips.Count} round trips of {result.MessageSize} bytes over loopback TCP (slowest {max:F0} µs)")
            .WithXAxisStyle<int, double, string>(TitleText: "message number")
            .WithYAxisStyle<int, double, string>(TitleText: "round-trip time (µs, log scale)", AxisType: StyleParam.AxisType.Log)
            .WithCountAxis(Axis.X);
    }

    public static GenericChart Chart(this UdpDropsResult result) => Plotly.NET.CSharp.Chart.Combine(
            result.Bursts.GroupBy(b => b.ReceiveBuffer).SelectMany(g => new[]
            {
                Plotly.NET.CSharp.Chart.Line<int, int, string>(x: g.Select(b => b.Sent), y: g.Select(b => b.Received), Name: $"received, SO_RCVBUF {g.Key:N0} bytes", ShowMarkers: true),
                Plotly.NET.CSharp.Chart.Line<int, long, string>(x: g.Select(b => b.Sent), y: g.Select(b => b.DropsColumn), Name: $"dropped (drops column), SO_RCVBUF {g.Key:N0} bytes", ShowMarkers: true),
            }))
        .WithTitle($"Bursts of {result.DatagramSize}-byte UDP datagrams into a receiver that reads only afterwards")
        .WithXAxisStyle<int, int, string>(TitleText: "datagrams sent in one burst")
        .WithYAxisStyle<int, int, string>(TitleText: "datagrams (count)")
        .WithCountAxis(Axis.X)
        .WithCountAxis(Axis.Y);

    /// <summary>On a log scale: from 64-byte to 64 KB messages the rates span three orders of magnitude, and on a linear axis the small sizes, where the transports differ most in proportion, lie flat on zero.</summary>
    public static GenericChart ThroughputChart(this ThroughputResult result) =>
        Sweep(result, "MB/s (log scale; median, bars: lowest to highest run)", p => (p.MegabytesPerSecond, p.MinMegabytesPerSecond, p.MaxMegabytesPerSecond),
            $"Throughput, one sender and one receiver on this machine, median of {result.RunsPerPoint} runs", StyleParam.AxisType.Log);

    public static GenericChart LatencyChart(this ThroughputResult result) =>
        Sweep(result, "round trip (µs; median; bars: lowest to highest run)", p => (p.MedianRoundTripMicroseconds, p.MinRoundTripMicroseconds, p.MaxRoundTripMicroseconds),
            $"Round-trip time of one message, median of {result.RunsPerPoint} runs", StyleParam.AxisType.Linear);

    private static GenericChart Sweep(ThroughputResult result, string axis, Func<ThroughputPoint, (double Median, double Min, double Max)> value, string title, StyleParam.AxisType yAxis) =>
        Plotly.NET.CSharp.Chart.Combine(result.Points.GroupBy(p => p.Transport).Select(g =>
            {
                var values = g.Select(value).ToList();
                return Plotly.NET.CSharp.Chart.Line<int, double, string>(x: g.Select(p => p.MessageSize), y: values.Select(v => v.Median), Name: g.Key, ShowMarkers: true)
                    .WithYRange(above: values.Select(v => v.Max - v.Median), below: values.Select(v => v.Median - v.Min));
            }))
            .WithTitle(title)
            .WithXAxisStyle<int, double, string>(TitleText: "message size (bytes, log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<int, double, string>(TitleText: axis, AxisType: yAxis);
}
