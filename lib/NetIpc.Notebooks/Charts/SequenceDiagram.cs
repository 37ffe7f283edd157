using Plotly.NET;
using Plotly.NET.CSharp;
using NetIpc.Hosts;

namespace NetIpc.Notebooks.Charts;

/// <summary>
/// The seed's call-flow figure, drawn from a live trace: the client's and the server's system calls on two
/// lifelines, the segments between them as horizontal arrows, one row per event in the order they happened
/// (row k drawn at y = −k, so time goes down; the µs are in the labels, since loopback puts dozens of events within a millisecond).
/// </summary>
public static class SequenceDiagramChart
{
    private const double Client = 0, Server = 1;

    public static GenericChart Chart(this SeedFlowTrace trace)
    {
        var events = trace.Calls.Select(c => (c.Microseconds, Kind: "call", Item: (object)c))
            .Concat(trace.Segments.Select(s => (s.Microseconds, Kind: "segment", Item: (object)s)))
            .OrderBy(e => e.Microseconds).ThenBy(e => e.Kind) // a call that returned at the same µs as a segment arrived goes after it
            .Select((e, row) => (e.Microseconds, e.Item, Row: (double)row))
            .ToList();
        var charts = new List<GenericChart>
        {
            Lifeline(Client, events.Count, "client"),
            Lifeline(Server, events.Count, "server"),
        };
        var clientCalls = events.Where(e => e.Item is FlowCall { Side: "client" }).ToList();
        var serverCalls = events.Where(e => e.Item is FlowCall { Side: "server" }).ToList();
        charts.Add(Calls(clientCalls, Client, "client's calls", StyleParam.TextPosition.MiddleLeft));
        charts.Add(Calls(serverCalls, Server, "server's calls", StyleParam.TextPosition.MiddleRight));
        foreach (var (us, item, row) in events.Where(e => e.Item is FlowSegment))
        {
            var segment = (FlowSegment)item;
            bool toServer = segment.From == "client";
            charts.Add(Plotly.NET.CSharp.Chart.Line<double, double, string>(
                // Three points so the label sits on the arrow's middle, clear of the calls' labels at its ends.
                x: [toServer ? Client : Server, 0.5, toServer ? Server : Client], y: [-row, -row, -row],
                Name: segment.Flags, ShowLegend: false, ShowMarkers: true,
                MultiText: new List<string> { "", $"{segment.Flags}{(segment.Payload > 0 ? $", {segment.Payload} B" : "")} · {us:0} µs", "" },
                TextPosition: StyleParam.TextPosition.TopCenter,
                MultiMarkerSymbol: new List<StyleParam.MarkerSymbol> { StyleParam.MarkerSymbol.Circle, StyleParam.MarkerSymbol.Circle, toServer ? StyleParam.MarkerSymbol.TriangleRight : StyleParam.MarkerSymbol.TriangleLeft },
                LineColor: Color.fromString(toServer ? "#1f77b4" : "#d62728")));
        }
        return Plotly.NET.CSharp.Chart.Combine(charts)
            .WithTitle($"The seed's flow, traced: client (port {trace.ClientPort}) and server (port {trace.ServerPort}), one row per event")
            .WithXAxisStyle<double, double, string>(TitleText: "client ← → server", MinMax: Tuple.Create(-0.9, 1.9), ShowGrid: false)
            .WithYAxisStyle<double, double, string>(TitleText: "event, in the order it happened (time goes down)", ShowGrid: false)
            .WithSize(Height: Math.Max(500, 28 * events.Count + 120));
    }

    private static GenericChart Lifeline(double x, int rows, string name) =>
        Plotly.NET.CSharp.Chart.Line<double, double, string>(x: [x, x], y: [1, -rows], Name: name, ShowLegend: false, LineColor: Color.fromString("#888888"));

    private static GenericChart Calls(List<(double Microseconds, object Item, double Row)> calls, double x, string name, StyleParam.TextPosition position) =>
        Plotly.NET.CSharp.Chart.Point<double, double, string>(
            x: calls.Select(_ => x), y: calls.Select(c => -c.Row), Name: name,
            MultiText: calls.Select(c => $"{((FlowCall)c.Item).Call} · {c.Microseconds:0} µs").ToList(), TextPosition: position);
}
