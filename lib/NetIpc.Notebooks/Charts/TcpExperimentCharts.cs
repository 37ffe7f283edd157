using Plotly.NET;
using Plotly.NET.CSharp;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Charts;

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
            .WithCountAxis(Axis.Y)
            .WithSize(Height: 480);
    }

    public static GenericChart Chart(this ReusePortResult result) =>
        Plotly.NET.CSharp.Chart.Column<int, string, string>(values: result.PerListener, Keys: result.PerListener.Select((_, i) => $"listener {i + 1}").ToList(), Name: "connections")
            .WithTitle($"{result.Connections} connections to port {result.Port}, shared by {result.PerListener.Count} SO_REUSEPORT listeners")
            .WithXAxisStyle<int, string, string>(TitleText: "listener (one socket, one accept queue each)")
            .WithYAxisStyle<int, string, string>(TitleText: "connections in its accept queue (count)")
            .WithCountAxis(Axis.Y);

    /// <summary>
    /// The SYN queue over time, one line per run (tcp_syncookies 0 and 1): the number of SYN_RECV lines only.
    /// Resends are a different quantity and have a chart of their own (<see cref="SynAckResends"/>).
    /// </summary>
    public static GenericChart SynQueueChart(IReadOnlyList<SynQueueResult> runs) =>
        Plotly.NET.CSharp.Chart.Combine(runs.Select(r => Plotly.NET.CSharp.Chart.Line<double, int, string>(
                x: r.Samples.Select(s => s.TimeMs), y: r.Samples.Select(s => s.SynRecv), Name: $"tcp_syncookies = {(r.Syncookies ? 1 : 0)}", ShowMarkers: true)))
            .WithTitle($"{runs[0].Syns} SYNs that are never answered, to a listener with backlog {runs[0].Backlog}: half-open requests kept")
            .WithXAxisStyle<double, int, string>(TitleText: "time since the first SYN (ms)")
            .WithYAxisStyle<double, int, string>(TitleText: "SYN_RECV lines (requests in the SYN queue)")
            .WithCountAxis(Axis.Y);

    /// <summary>
    /// The most timeouts of any request, one line per run. For a request the retrnsmt column is num_timeout, the
    /// firings of its timer (get_openreq4); here each firing resent the SYN-ACK. The title says how long each run was
    /// sampled, which is shorter than a request left alone lives.
    /// </summary>
    public static GenericChart SynAckResends(IReadOnlyList<SynQueueResult> runs) =>
        Plotly.NET.CSharp.Chart.Combine(runs.Select(r => Plotly.NET.CSharp.Chart.Line<double, int, string>(
                x: r.Samples.Select(s => s.TimeMs), y: r.Samples.Select(s => s.Retransmits), Name: $"tcp_syncookies = {(r.Syncookies ? 1 : 0)}", ShowMarkers: true)))
            .WithTitle("SYN-ACKs resent for those requests while each run was sampled (" +
                string.Join(", ", runs.Select(r => $"tcp_syncookies = {(r.Syncookies ? 1 : 0)}: {(r.Samples.Count == 0 ? 0 : r.Samples[^1].TimeMs) / 1000:0.0} s")) + ")")
            .WithXAxisStyle<double, int, string>(TitleText: "time since the first SYN (ms)")
            .WithYAxisStyle<double, int, string>(TitleText: "request timeouts (highest retrnsmt = num_timeout of a SYN_RECV line)")
            .WithCountAxis(Axis.Y);

    /// <summary>
    /// On log axes: write() hands the kernel megabytes within the first milliseconds and the receiver's queue
    /// is some thirty times smaller than the sender's, so on linear axes the order of events is a vertical
    /// jump and the receive queue lies flat on zero. A zero cannot be drawn on a log axis: a sample where a
    /// queue was empty leaves a gap in that line (the table has every value).
    /// </summary>
    public static GenericChart Chart(this BuffersResult result)
    {
        var t = result.Samples.Select(s => s.TimeMs).ToList();
        return Plotly.NET.CSharp.Chart.Combine(
            [
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.Written), Name: "bytes write() accepted", ShowMarkers: true),
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.SenderTxQueue), Name: "sender tx_queue (written, not yet acknowledged: sent or not; SIOCOUTQ)", ShowMarkers: true),
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.SenderNotSent), Name: "of which never sent (SIOCOUTQNSD, read with it)", ShowMarkers: true),
                Plotly.NET.CSharp.Chart.Line<double, long, string>(x: t, y: result.Samples.Select(s => s.ReceiverRxQueue), Name: "receiver rx_queue (received, unread)", ShowMarkers: true),
            ])
            .WithTitle($"A writer whose peer never reads (SO_RCVBUF {result.ReceiveBuffer:N0} bytes, SO_SNDBUF {result.SendBuffer:N0} bytes)")
            .WithXAxisStyle<double, long, string>(TitleText: "time since the first write (ms, log scale)", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, long, string>(TitleText: "bytes (log scale)", AxisType: StyleParam.AxisType.Log)
            .WithSize(Height: 520);
    }
}
