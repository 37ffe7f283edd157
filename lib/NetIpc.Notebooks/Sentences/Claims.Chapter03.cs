using NetIpc.Benchmarks;
using NetIpc.Harness;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Sentences;

public static partial class Claims
{
    /// <summary>
    /// 03: sock_diag and /proc, read at the same moment, agree on every field of the zoo's rows that both report;
    /// every difference is one the kernel explains. Returns the sentence with the counts and the reasons seen.
    /// </summary>
    public static string ViewsAgree(TwoViewsOfTheZoo views)
    {
        views.Checks().RequireAll();
        var reasons = views.Differences.GroupBy(d => d.Field).Select(g => $"{g.Key} on {g.Count()} row{(g.Count() == 1 ? "" : "s")}");
        return $"✓ sock_diag and /proc agree on the zoo's {views.Tcp.Compared} TCP, {views.Udp.Compared} UDP and {views.Unix.Compared} UNIX sockets, field by field. " +
               $"They differ only where the kernel fills the two from different places ({string.Join(", ", reasons.DefaultIfEmpty("nowhere this time"))})";
    }

    /// <summary>
    /// 03: a listener's tcp_info aliases two fields — tcpi_unacked is its accept queue, tcpi_sacked its backlog — and
    /// has no round-trip time; the connection's does. The accept queue is the same number three ways.
    /// </summary>
    public static string ListenerTcpInfo(ListenerInfoResult r)
    {
        r.Checks().RequireAll();
        return $"✓ {r.Waiting} connections wait: rx_queue, idiag_rqueue and tcpi_unacked all say {r.Waiting}; idiag_wqueue and tcpi_sacked say {r.Backlog}, the backlog. " +
               $"The listener's tcpi_rtt is 0 and its tcpi_snd_cwnd the initial {SockDiagViewsChecks.InitialCongestionWindow}; the connection's tcpi_rtt is {r.Client.Info!.RttMicroseconds} µs, its window {r.Client.Info.CongestionWindow} segments. " +
               $"Filtered for LISTEN, the kernel sent {r.ListeningRows} of the namespace's {r.AllRows} rows";
    }

    /// <summary>03: the recorded run has the netlink reader at least twice as fast as <c>ss -tan</c>, and faster than reading /proc's bytes alone.</summary>
    public static string SockDiagFaster(TcpTableBenchmark b)
    {
        b.Checks().RequireAll();
        string floor = b.NetlinkBytes is { } bare
            ? $" Decoding the rows cost {b.SockDiag.MedianMs - bare.MedianMs:F1} ms over the bare dump's {bare.MedianMs:F1} ms."
            : "";
        return $"✓ recorded, {b.Sockets:N0} sockets: sock_diag read the table in {b.SockDiag.MedianMs:F1} ms (median). " +
               $"ss -tan took {b.SpeedupOverSs:F1} times as long, and the bare read of /proc's text {b.ProcBytes.MedianMs / b.SockDiag.MedianMs:F1} times." + floor;
    }
}
