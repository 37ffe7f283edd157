using System.Globalization;
using Microsoft.Data.Analysis;
using NetIpc.Servers;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 14's results as tables, and the sentences the chapter states from its run.</summary>
public static class ManyClientsTables
{
    /// <summary>A number as the chapter prints it; a value that rounds to zero is "0.0", never "-0.0".</summary>
    private static string F(double value, string format)
    {
        string text = value.ToString(format, CultureInfo.InvariantCulture);
        return text.TrimStart('-').All(c => c is '0' or '.' or ',') ? text.TrimStart('-') : text;
    }

    /// <summary>Rounded, and never −0 (adding +0.0 turns a negative zero into zero).</summary>
    private static double R(double value, int digits) => Math.Round(value, digits) + 0.0;

    private static string Range(double low, double high, string format) => $"{F(low, format)}–{F(high, format)}";

    /// <summary>The name a design goes by in tables and charts.</summary>
    public static string Name(this ServerDesign design) => design switch
    {
        ServerDesign.ThreadPerClient => "thread per client",
        _ => "event loop (async, epoll)",
    };

    /// <summary>One row per accept(): the descriptor it returned and the inode behind it, beside the listener's.</summary>
    public static DataFrame AcceptedFrame(this SharedPortResult result) => new(
        new StringDataFrameColumn("socket", ["listener (socket, bind, listen)", .. result.Accepted.Select((_, i) => $"accept() #{i + 1}")]),
        new Int32DataFrameColumn("fd", [result.ListenerFd, .. result.Accepted.Select(a => a.Fd)]),
        new UInt64DataFrameColumn("inode", [result.ListenerInode, .. result.Accepted.Select(a => a.Inode)]),
        new StringDataFrameColumn("state in /proc/net/tcp", [State(result.Rows.FirstOrDefault(r => r.Inode == result.ListenerInode)), .. result.Accepted.Select(a => State(result.RowOf(a)))]),
        new StringDataFrameColumn("local", [Local(result.Rows.FirstOrDefault(r => r.Inode == result.ListenerInode)), .. result.Accepted.Select(a => Local(result.RowOf(a)))]),
        new StringDataFrameColumn("remote (the client)", [Remote(result.Rows.FirstOrDefault(r => r.Inode == result.ListenerInode)), .. result.Accepted.Select(a => Remote(result.RowOf(a)))]));

    private static string State(Proc.SocketRow? row) => row?.State ?? "(not in the table)";

    private static string Local(Proc.SocketRow? row) => row?.Local ?? "";

    private static string Remote(Proc.SocketRow? row) => row?.Remote ?? "";

    /// <summary>
    /// The server's side of the table, listener first, as <c>ss -tanp sport = :port</c> prints it; the clients'
    /// rows are left out (<see cref="SharedPortResult.ClientRows"/> has them).
    /// </summary>
    public static DataFrame ServerFrame(this SharedPortResult result) => new Proc.SocketTable(result.ServerRows).ToDataFrame();

    /// <summary>One row per design and number of clients: medians over the runs, with their lowest–highest ranges.</summary>
    public static DataFrame ToDataFrame(this ManyClientsResult result)
    {
        var points = result.Points.OrderBy(p => p.Clients).ThenBy(p => p.Design).ToList();
        return new DataFrame(
            new StringDataFrameColumn("server", points.Select(p => p.Design.Name())),
            new Int32DataFrameColumn("clients", points.Select(p => p.Clients)),
            new Int32DataFrameColumn("round trips per client", points.Select(p => p.RoundTripsPerClient)),
            new DoubleDataFrameColumn("median round trip µs", points.Select(p => R(p.MedianMicroseconds, 0))),
            new StringDataFrameColumn("median µs, lowest–highest run", points.Select(p => Range(p.MinMedianMicroseconds, p.MaxMedianMicroseconds, "F0"))),
            new DoubleDataFrameColumn("p99 round trip µs", points.Select(p => R(p.P99Microseconds, 0))),
            new StringDataFrameColumn("p99 µs, lowest–highest run", points.Select(p => Range(p.MinP99Microseconds, p.MaxP99Microseconds, "F0"))),
            new DoubleDataFrameColumn("round trips per second (all clients)", points.Select(p => R(p.RoundTripsPerSecond, 0))),
            new DoubleDataFrameColumn("VmRSS growth kB per connection", points.Select(p => R(p.ResidentKbPerConnection, 1))),
            new StringDataFrameColumn("VmRSS kB/conn, lowest–highest run", points.Select(p => Range(p.MinResidentKbPerConnection, p.MaxResidentKbPerConnection, "F1"))),
            new DoubleDataFrameColumn("KernelStack growth kB per connection", points.Select(p => R(p.KernelStackKbPerConnection, 1))),
            new DoubleDataFrameColumn("sockstat TCP mem growth (pages)", points.Select(p => p.TcpPagesAdded)),
            new DoubleDataFrameColumn("threads added", points.Select(p => p.ThreadsAdded)),
            new StringDataFrameColumn("threads added, lowest–highest run", points.Select(p => Range(p.MinThreadsAdded, p.MaxThreadsAdded, "F0"))),
            new StringDataFrameColumn("server's own threads at the peak", points.Select(p => p.MinServerThreads == p.MaxServerThreads ? $"{p.MinServerThreads:N0}" : $"{p.MinServerThreads:N0}–{p.MaxServerThreads:N0}")));
    }

    /// <summary>
    /// Which design had the shorter round trips at each number of clients, by the median and by the p99, and
    /// whether every run agreed (one design's slowest run faster than the other's fastest): the chapter says
    /// which is faster only as this run found it. One row per number of clients, so no sentence has to list them.
    /// </summary>
    public static DataFrame LatencyComparison(this ManyClientsResult result)
    {
        string Who(ManyClientsPoint p) => p.Design == ServerDesign.ThreadPerClient ? "thread per client" : "event loop";
        var rows = result.ClientCounts.Select(n =>
        {
            var threads = result.At(ServerDesign.ThreadPerClient, n);
            var loop = result.At(ServerDesign.EventLoop, n);
            (string Faster, string Figures, string EveryRun) Compare(Func<ManyClientsPoint, double> value, Func<ManyClientsPoint, double> low, Func<ManyClientsPoint, double> high)
            {
                var (faster, slower) = value(threads) <= value(loop) ? (threads, loop) : (loop, threads);
                bool everyRun = high(faster) < low(slower);
                return (Who(faster), $"{F(value(faster), "N0")} against {F(value(slower), "N0")}", everyRun ? "yes" : "no, the runs overlap");
            }
            return (Clients: n,
                Median: Compare(p => p.MedianMicroseconds, p => p.MinMedianMicroseconds, p => p.MaxMedianMicroseconds),
                P99: Compare(p => p.P99Microseconds, p => p.MinP99Microseconds, p => p.MaxP99Microseconds));
        }).ToList();
        return new DataFrame(
            new Int32DataFrameColumn("clients", rows.Select(r => r.Clients)),
            new StringDataFrameColumn("shorter median round trip", rows.Select(r => r.Median.Faster)),
            new StringDataFrameColumn("median µs, shorter against longer", rows.Select(r => r.Median.Figures)),
            new StringDataFrameColumn($"median shorter in every one of {result.RunsPerPoint} runs", rows.Select(r => r.Median.EveryRun)),
            new StringDataFrameColumn("shorter p99", rows.Select(r => r.P99.Faster)),
            new StringDataFrameColumn("p99 µs, shorter against longer", rows.Select(r => r.P99.Figures)),
            new StringDataFrameColumn($"p99 shorter in every one of {result.RunsPerPoint} runs", rows.Select(r => r.P99.EveryRun)));
    }

    /// <summary>
    /// Memory per connection at the largest number of clients, where one connection's share stands out of the
    /// process's own drift most: the two designs' VmRSS growth, their KernelStack growth, and sockstat's TCP pages.
    /// </summary>
    public static string MemoryComparison(this ManyClientsResult result)
    {
        int n = result.TopClients;
        var threads = result.At(ServerDesign.ThreadPerClient, n);
        var loop = result.At(ServerDesign.EventLoop, n);
        string Rss(ManyClientsPoint p) => $"{F(p.ResidentKbPerConnection, "F1")} kB (runs {Range(p.MinResidentKbPerConnection, p.MaxResidentKbPerConnection, "F1")})";
        string verdict = threads.MinResidentKbPerConnection > loop.MaxResidentKbPerConnection
            ? $"thread per client took more in every run, {F(threads.ResidentKbPerConnection / Math.Max(loop.ResidentKbPerConnection, 0.1), "F0")}× by the medians"
            : loop.MinResidentKbPerConnection > threads.MaxResidentKbPerConnection
                ? "the event loop took more in every run"
                : "the runs overlap: this run cannot tell the two apart";
        return $"At {n:N0} clients, VmRSS grew per connection by {Rss(threads)} with a thread per client and {Rss(loop)} with the event loop. " +
            $"{char.ToUpperInvariant(verdict[0])}{verdict[1..]}. " +
            $"KernelStack (the whole machine) grew by {F(threads.KernelStackKbPerConnection, "F1")} kB per connection with threads, {F(loop.KernelStackKbPerConnection, "F1")} kB with the event loop. " +
            $"TCP mem in /proc/net/sockstat moved by {F(threads.TcpPagesAdded, "F0")} and {F(loop.TcpPagesAdded, "F0")} pages of {result.PageSize:N0} bytes — for {2 * n:N0} sockets.";
    }
}
