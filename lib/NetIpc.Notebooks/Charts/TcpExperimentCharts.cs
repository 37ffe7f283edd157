using NetIpc.Experiments;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace NetIpc.Notebooks;

/// <summary>The TCP chapters' results over time (05, 06, 07, 08).</summary>
public static class TcpExperimentCharts
{
    /// <summary>Sockets per state over time, one line per state, the calls marked along the top.</summary>
    public static GenericChart Chart(this LifecycleResult result)
    {
        var samples = result.Samples;
        var states = samples.Select(s => s.State).Distinct().ToList();
        var times = samples.Select(s => s.TimeMs).Distinct().Order().ToList();
        var lines = states.Select(state =>
        {
            var counts = samples.Where(s => s.State == state).ToDictionary(s => s.TimeMs, s => s.Count);
            return Plotly.NET.CSharp.Chart.Line<double, int, string>(x: times, y: times.Select(t => counts.GetValueOrDefault(t)), Name: state, ShowMarkers: false);
        }).ToList();
        int top = samples.Count == 0 ? 1 : samples.Max(s => s.Count) + 1;
        lines.Add(Plotly.NET.CSharp.Chart.Point<double, int, string>(
            x: result.Steps.Select(s => s.TimeMs), y: result.Steps.Select(_ => top), Name: "calls", MultiText: result.Steps.Select(s => s.Call).ToList(),
            TextPosition: StyleParam.TextPosition.TopCenter));
        return Plotly.NET.CSharp.Chart.Combine(lines)
            .WithTitle($"The seed's flow on port {result.Port}: the kernel's TCP states between the calls")
            .WithXAxisStyle<double, int, string>(TitleText: "time (ms)")
            .WithYAxisStyle<double, int, string>(TitleText: "sockets in the state")
            .WithSize(1000, 480);
    }

    public static GenericChart Chart(this ReusePortResult result) =>
        Plotly.NET.CSharp.Chart.Column<int, string, string>(values: result.PerListener, Keys: result.PerListener.Select((_, i) => $"listener {i + 1}").ToList(), Name: "connections")
            .WithTitle($"{result.Connections} connections to port {result.Port}, shared by {result.PerListener.Count} SO_REUSEPORT listeners")
            .WithXAxisStyle<int, string, string>(TitleText: "listener (one socket, one accept queue each)")
            .WithYAxisStyle<int, string, string>(TitleText: "connections in its accept queue (count)");

    public static GenericChart Chart(this SynQueueResult result)
    {
        var time = result.Samples.Select(s => s.TimeMs).ToList();
        return Plotly.NET.CSharp.Chart.Combine(
            [
                Plotly.NET.CSharp.Chart.Line<double, int, string>(x: time, y: result.Samples.Select(s => s.SynRecv), Name: "SYN_RECV lines (the SYN queue)", ShowMarkers: true),
                Plotly.NET.CSharp.Chart.Line<double, int, string>(x: time, y: result.Samples.Select(s => s.Retransmits), Name: "SYN-ACKs resent (retrnsmt)", ShowMarkers: true),
            ])
            .WithTitle($"{result.Syns} SYNs to a listener with backlog {result.Backlog}, tcp_syncookies = {(result.Syncookies ? 1 : 0)}")
            .WithXAxisStyle<double, double, string>(TitleText: "time since the first SYN (ms)")
            .WithYAxisStyle<double, double, string>(TitleText: "count");
    }

    public static GenericChart Chart(this BuffersResult result)
    {
        var t = result.Samples.Select(s => s.TimeMs).ToList();
        return Plotly.NET.CSharp.Chart.Combine(
            [
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.Written), Name: "bytes write() accepted"),
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.ReceiverRxQueue), Name: "receiver rx_queue (unread)"),
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.SenderTxQueue), Name: "sender tx_queue (unacknowledged)"),
            ])
            .WithTitle($"A writer whose peer never reads (SO_RCVBUF {result.ReceiveBuffer}, SO_SNDBUF {result.SendBuffer})")
            .WithXAxisStyle<double, long, string>(TitleText: "time (ms)")
            .WithYAxisStyle<double, long, string>(TitleText: "bytes");
    }
}
