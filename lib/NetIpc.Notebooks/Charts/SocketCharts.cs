using NetIpc.Proc;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace NetIpc.Notebooks.Charts;

/// <summary>Charts of what the kernel's socket tables say.</summary>
public static class SocketCharts
{
    /// <summary>
    /// TCP sockets per state in the kernel's order, stacked: the ones <paramref name="highlight"/> picks
    /// (e.g. an experiment's own) on top of the rest of the namespace. States with no socket are left out.
    /// </summary>
    public static GenericChart States(IEnumerable<TcpSocketEntry> table, Func<TcpSocketEntry, bool> highlight, string highlightName, string title)
    {
        var entries = table.ToList();
        var states = Enum.GetValues<KernelTcpState>().Where(s => entries.Any(e => e.State == s)).ToList();
        var names = states.Select(SocketTable.SsStateName).ToList();
        int Count(KernelTcpState s, bool mine) => entries.Count(e => e.State == s && highlight(e) == mine);
        return Plotly.NET.CSharp.Chart.Combine(
            [
                Plotly.NET.CSharp.Chart.StackedColumn<int, string, string>(states.Select(s => Count(s, false)), Keys: names, Name: "rest of this network namespace"),
                Plotly.NET.CSharp.Chart.StackedColumn<int, string, string>(states.Select(s => Count(s, true)), Keys: names, Name: highlightName),
            ])
            .WithTitle(title)
            .WithXAxisStyle<int, string, string>(TitleText: "state (as ss names it)")
            .WithYAxisStyle<int, string, string>(TitleText: "sockets in /proc/net/tcp + tcp6")
            .WithCountAxis(Axis.Y);
    }
}
