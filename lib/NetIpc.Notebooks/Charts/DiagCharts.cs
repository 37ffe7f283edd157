using NetIpc.Benchmarks;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace NetIpc.Notebooks.Charts;

/// <summary>Chapter 03's timings of the two interfaces.</summary>
public static class DiagCharts
{
    /// <summary>The recorded run's medians, one bar per way of reading the table, the standard deviation as error bars.</summary>
    public static GenericChart Chart(this TcpTableBenchmark b) =>
        Plotly.NET.CSharp.Chart.Column<double, string, string>(
                b.Rows.Select(r => r.MedianMs).ToList(), Keys: b.Rows.Select(r => r.Method).ToList(), Name: "median")
            .WithYRange(above: b.Rows.Select(r => r.StdDevMs), below: b.Rows.Select(r => r.StdDevMs))
            .WithTitle($"Reading a table of {b.Sockets:N0} TCP sockets (recorded; bars: ± one standard deviation)")
            .WithXAxisStyle<double, string, string>(TitleText: "how")
            .WithYAxisStyle<double, string, string>(TitleText: "time per read (ms, median)");
}
