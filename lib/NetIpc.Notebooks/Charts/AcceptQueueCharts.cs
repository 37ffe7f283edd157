using Plotly.NET;
using Plotly.NET.CSharp;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Charts;

/// <summary>Charts of accept-queue runs.</summary>
public static class AcceptQueueCharts
{
    /// <summary>Queue length against clients, one line per run, with each run's backlog+1 ceiling dotted.</summary>
    public static GenericChart QueueVersusClients(IEnumerable<AcceptQueueResult> runs)
    {
        var charts = new List<GenericChart>();
        foreach (var run in runs)
        {
            string label = run.Somaxconn is int s && s < run.Backlog ? $"backlog {run.Backlog}, somaxconn {s}" : $"backlog {run.Backlog}";
            charts.Add(Plotly.NET.CSharp.Chart.Line<int, int, string>(
                x: run.Samples.Select(p => p.Clients), y: run.Samples.Select(p => p.Queued), Name: label, ShowMarkers: true));
        }
        return Plotly.NET.CSharp.Chart.Combine(charts)
            .WithTitle("Accept queue (rx_queue of the LISTEN line) as clients connect to a listener that never accepts")
            .WithXAxisStyle<int, int, string>(TitleText: "clients that called connect()")
            .WithYAxisStyle<int, int, string>(TitleText: "connections waiting in the accept queue")
            .WithCountAxis(Axis.X)
            .WithCountAxis(Axis.Y);
    }

    public static GenericChart Chart(this AcceptQueueResult result) => QueueVersusClients([result]);
}
