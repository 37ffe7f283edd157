using Microsoft.Data.Analysis;
using NetIpc.Hosts;
using NetIpc.Proc;
using NetIpc.Tcp;

namespace NetIpc.Notebooks.Tables;

/// <summary>The TCP chapters' results as tables (05, 07, 08, 09, 12).</summary>
public static class TcpExperimentTables
{
    public static DataFrame StepsFrame(this LifecycleResult result) => new(
        new DoubleDataFrameColumn("time_ms", result.Steps.Select(s => s.TimeMs)),
        new StringDataFrameColumn("call", result.Steps.Select(s => s.Call)));

    public static DataFrame ToDataFrame(this AcceptQueueResult result) => new(
        new Int32DataFrameColumn("clients connected", result.Samples.Select(s => s.Clients)),
        new Int32DataFrameColumn("accept queue (rx_queue of LISTEN)", result.Samples.Select(s => s.Queued)),
        new Int32DataFrameColumn("accept queue (sock_diag idiag_rqueue)", result.Samples.Select(s => s.DiagQueued)),
        new Int32DataFrameColumn("backlog (sock_diag idiag_wqueue)", result.Samples.Select(s => s.DiagBacklog)),
        new Int32DataFrameColumn("clients ESTABLISHED", result.Samples.Select(s => s.Established)),
        new Int32DataFrameColumn("clients SYN_SENT", result.Samples.Select(s => s.SynSent)));

    public static DataFrame ToDataFrame(this AcceptOverflowResult result) => new(
        new DoubleDataFrameColumn("time_ms", result.Steps.Select(s => s.TimeMs)),
        new StringDataFrameColumn("step", result.Steps.Select(s => s.Step)),
        new StringDataFrameColumn("client's line", result.Steps.Select(s => s.ClientLine)),
        new StringDataFrameColumn("server's line for it", result.Steps.Select(s => s.ServerLine)),
        new Int32DataFrameColumn("accept queue", result.Steps.Select(s => s.AcceptQueue)),
        new Int64DataFrameColumn("ListenOverflows", result.Steps.Select(s => s.ListenOverflows)),
        new Int64DataFrameColumn("ListenDrops", result.Steps.Select(s => s.ListenDrops)),
        new Int64DataFrameColumn("Tcp.OutRsts", result.Steps.Select(s => s.OutRsts)));

    /// <summary>
    /// The client's SYNs by the kernel's rule for this run's sysctls, each beside what the run saw: the resends inside
    /// the watched time have a measured time, gap and tcpi_rto; the later ones are the rule alone.
    /// </summary>
    public static DataFrame ToDataFrame(this SynResendsResult result)
    {
        var (sends, _) = result.Expected();
        var rows = sends.Skip(1).Select(e => (Expected: e, Seen: result.Resends.FirstOrDefault(s => s.Number == e.Number))).ToList();
        return new(
            new Int32DataFrameColumn("resend", rows.Select(r => r.Expected.Number)),
            new DoubleDataFrameColumn("rule: at (s)", rows.Select(r => r.Expected.At.TotalSeconds)),
            new DoubleDataFrameColumn("rule: gap (s)", rows.Select(r => (r.Expected.At - sends[r.Expected.Number - 1].At).TotalSeconds)),
            new DoubleDataFrameColumn("seen at (ms)", rows.Select(r => r.Seen is null ? (double?)null : Math.Round(r.Seen.AtMs, 1))),
            new DoubleDataFrameColumn("seen gap (ms)", rows.Select(r => r.Seen is null ? (double?)null
                : Math.Round(r.Seen.AtMs - (r.Expected.Number == 1 ? 0 : result.Resends.First(s => s.Number == r.Expected.Number - 1).AtMs), 1))),
            new DoubleDataFrameColumn("tcpi_rto after (ms)", rows.Select(r => r.Seen?.RtoAfterMs)),
            new Int32DataFrameColumn("tcpi_backoff after", rows.Select(r => r.Seen?.BackoffAfter)));
    }

    public static DataFrame ToDataFrame(this SynQueueResult result) => new(
        new DoubleDataFrameColumn("time_ms", result.Samples.Select(s => s.TimeMs)),
        new Int32DataFrameColumn("SYN_RECV", result.Samples.Select(s => s.SynRecv)),
        new Int32DataFrameColumn("SYN-ACK retransmissions (max retrnsmt)", result.Samples.Select(s => s.Retransmits)),
        new Int64DataFrameColumn("TcpExt.SyncookiesSent", result.Samples.Select(s => s.SyncookiesSent)));

    public static DataFrame ToDataFrame(this BuffersResult result) => new(
        new DoubleDataFrameColumn("time_ms", result.Samples.Select(s => s.TimeMs)),
        new Int64DataFrameColumn("bytes write() accepted", result.Samples.Select(s => s.Written)),
        new Int64DataFrameColumn("receiver rx_queue", result.Samples.Select(s => s.ReceiverRxQueue)),
        new Int64DataFrameColumn("sender tx_queue", result.Samples.Select(s => s.SenderTxQueue)),
        new StringDataFrameColumn("sender timer", result.Samples.Select(s => s.SenderTimer)));

    public static DataFrame ToDataFrame(this CloseResult result) => new(
        new DoubleDataFrameColumn("time_ms", result.Steps.Select(s => s.TimeMs)),
        new StringDataFrameColumn("step", result.Steps.Select(s => s.Step)),
        new StringDataFrameColumn("client end", result.Steps.Select(s => s.ClientState)),
        new StringDataFrameColumn("client timer", result.Steps.Select(s => s.ClientTimer)),
        new StringDataFrameColumn("server end", result.Steps.Select(s => s.ServerState)),
        new StringDataFrameColumn("server timer", result.Steps.Select(s => s.ServerTimer)));

    /// <summary>The three closes side by side: what each left in the table, what the peer's calls returned, which counters moved.</summary>
    public static DataFrame ToDataFrame(this AbortiveCloseResult result) => new(
        new StringDataFrameColumn("how the client closed", result.Cases.Select(c => c.How)),
        new StringDataFrameColumn("client's line after", result.Cases.Select(c => c.CloserAfter)),
        new StringDataFrameColumn("server's line after", result.Cases.Select(c => c.PeerAfter)),
        new StringDataFrameColumn("server: read()", result.Cases.Select(c => c.PeerRead)),
        new StringDataFrameColumn("server: write() after it", result.Cases.Select(c => c.PeerWrite ?? "(closes instead)")),
        new Int64DataFrameColumn("Tcp.OutRsts", result.Cases.Select(c => c.OutRsts)),
        new Int64DataFrameColumn("TCPAbortOnData", result.Cases.Select(c => c.AbortOnData)),
        new Int64DataFrameColumn("TCPAbortOnClose", result.Cases.Select(c => c.AbortOnClose)),
        new Int64DataFrameColumn("TCPAbortOnLinger", result.Cases.Select(c => c.AbortOnLinger)),
        new Int64DataFrameColumn("Tcp.EstabResets", result.Cases.Select(c => c.EstabResets)));

    public static DataFrame HostsFrame(this TwoHostsResult result) => new(
        new StringDataFrameColumn("host", [result.Client.Name, result.Server.Name]),
        new StringDataFrameColumn("interface", [result.Client.Interface, result.Server.Interface]),
        new StringDataFrameColumn("address", [result.Client.Address, result.Server.Address]),
        new StringDataFrameColumn("link address (MAC)", [result.Client.LinkAddress, result.Server.LinkAddress]),
        new StringDataFrameColumn("neighbour table (/proc/net/arp)", [Neighbours(result.Client), Neighbours(result.Server)]),
        new Int32DataFrameColumn("lines in its /proc/net/tcp", [result.Client.Tcp.Count, result.Server.Tcp.Count]));

    private static string Neighbours(HostView h) => string.Join("; ", h.Neighbours.Select(n => $"{n.Address} is at {n.HardwareAddress}"));

    /// <summary>Both hosts' TCP tables side by side.</summary>
    public static DataFrame TablesFrame(this TwoHostsResult result)
    {
        var rows = result.Client.Tcp.Select(e => (result.Client.Name, e)).Concat(result.Server.Tcp.Select(e => (result.Server.Name, e))).ToList();
        return new DataFrame(
            new StringDataFrameColumn("read in", rows.Select(r => r.Name)),
            new StringDataFrameColumn("state", rows.Select(r => SocketTable.SsStateName(r.e.State))),
            new StringDataFrameColumn("local", rows.Select(r => r.e.Local.ToString())),
            new StringDataFrameColumn("remote", rows.Select(r => r.e.Remote.ToString())),
            new UInt64DataFrameColumn("inode", rows.Select(r => r.e.Inode)));
    }

    /// <summary>One sentence for an accept-queue run: the numbers chapter 07's check talks about.</summary>
    public static string Summary(this AcceptQueueResult run) =>
        $"backlog {run.Backlog}: peak {run.PeakQueued} queued, {run.StuckInSynSent} clients stuck in SYN_SENT, TcpExt.ListenOverflows +{run.ListenOverflows}";

    /// <summary>The counters of SYN-queue runs side by side: one row per tcp_syncookies setting.</summary>
    public static DataFrame CountersFrame(this IReadOnlyList<SynQueueResult> runs) => new(
        new StringDataFrameColumn("tcp_syncookies", runs.Select(r => r.Syncookies ? "1" : "0")),
        new Int32DataFrameColumn("peak SYN_RECV", runs.Select(r => r.PeakSynRecv)),
        new Int64DataFrameColumn("TCPReqQFullDrop", runs.Select(r => r.RequestQueueFullDrops)),
        new Int64DataFrameColumn("SyncookiesSent", runs.Select(r => r.SyncookiesSent)));

    /// <summary>Buffer runs side by side: what was asked, what the kernel granted, how far each queue filled.</summary>
    public static DataFrame SummaryFrame(this IReadOnlyList<BuffersResult> runs) => new(
        new StringDataFrameColumn("SO_RCVBUF asked", runs.Select(r => r.RequestedReceiveBuffer?.ToString() ?? "default")),
        new Int32DataFrameColumn("SO_RCVBUF granted", runs.Select(r => r.ReceiveBuffer)),
        new Int64DataFrameColumn("bytes write() accepted", runs.Select(r => r.BytesAccepted)),
        new Int64DataFrameColumn("peak receiver rx_queue", runs.Select(r => r.PeakRxQueue)),
        new Int64DataFrameColumn("peak sender tx_queue", runs.Select(r => r.PeakTxQueue)),
        new BooleanDataFrameColumn("write() left blocked", runs.Select(r => r.WriteBlocked)),
        new BooleanDataFrameColumn("zero-window probe timer seen", runs.Select(r => r.ZeroWindowProbeSeen)));
}
