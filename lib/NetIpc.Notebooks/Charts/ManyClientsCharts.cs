using Plotly.NET;
using Plotly.NET.CSharp;
using NetIpc.Notebooks.Tables;
using NetIpc.Servers;

namespace NetIpc.Notebooks.Charts;

/// <summary>Chapter 14: round trips and memory per connection against the number of clients, for both server designs.</summary>
public static class ManyClientsCharts
{
    private static readonly ServerDesign[] Designs = [ServerDesign.ThreadPerClient, ServerDesign.EventLoop];

    /// <summary>
    /// Median and 99th-percentile round trip against clients, both axes on a log scale: from one client to a
    /// thousand the times span three orders of magnitude. Bars run from the lowest to the highest run.
    /// </summary>
    public static GenericChart LatencyChart(this ManyClientsResult result) =>
        Plotly.NET.CSharp.Chart.Combine(Designs.SelectMany(d => new[]
            {
                Line(result, d, $"{d.Name()}, median", p => (p.MedianMicroseconds, p.MinMedianMicroseconds, p.MaxMedianMicroseconds)),
                Line(result, d, $"{d.Name()}, 99th percentile", p => (p.P99Microseconds, p.MinP99Microseconds, p.MaxP99Microseconds)),
            }))
            .WithTitle($"Round trips of a {result.MessageSize}-byte message with all clients at once, median of {result.RunsPerPoint} runs")
            .WithXAxisStyle<int, double, string>(TitleText: "concurrent clients (log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<int, double, string>(TitleText: "round trip (µs, log scale; bars: lowest to highest run)", AxisType: StyleParam.AxisType.Log);

    /// <summary>
    /// The process's VmRSS growth and the machine's KernelStack growth, divided by the clients, from
    /// <paramref name="fromClients"/> clients up (100, or the largest number if that is fewer): below that, what a
    /// few connections take is lost in what the process's memory does on its own between the two readings. A
    /// linear axis: a run's growth can be negative.
    /// </summary>
    public static GenericChart MemoryChart(this ManyClientsResult result, int? fromClients = null)
    {
        int from = fromClients ?? Math.Min(100, result.TopClients);
        return Plotly.NET.CSharp.Chart.Combine(Designs.SelectMany(d => new[]
            {
                Line(result, d, $"{d.Name()}: VmRSS (user space)", p => (p.ResidentKbPerConnection, p.MinResidentKbPerConnection, p.MaxResidentKbPerConnection), from),
                Line(result, d, $"{d.Name()}: KernelStack", p => (p.KernelStackKbPerConnection, p.MinKernelStackKbPerConnection, p.MaxKernelStackKbPerConnection), from),
            }))
            .WithTitle($"Memory per connection at the peak, median of {result.RunsPerPoint} runs (from {from:N0} clients)")
            .WithXAxisStyle<int, double, string>(TitleText: "concurrent clients (log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<int, double, string>(TitleText: "growth per connection (kB; bars: lowest to highest run)");
    }

    private static GenericChart Line(ManyClientsResult result, ServerDesign design, string name, Func<ManyClientsPoint, (double Median, double Min, double Max)> value, int fromClients = 1)
    {
        var points = result.Points.Where(p => p.Design == design && p.Clients >= fromClients).OrderBy(p => p.Clients).ToList();
        var values = points.Select(value).ToList();
        return Plotly.NET.CSharp.Chart.Line<int, double, string>(x: points.Select(p => p.Clients), y: values.Select(v => v.Median), Name: name, ShowMarkers: true)
            .WithYRange(above: values.Select(v => v.Max - v.Median), below: values.Select(v => v.Median - v.Min));
    }
}
