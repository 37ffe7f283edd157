using Microsoft.Data.Analysis;
using NetIpc.Benchmarks;
using NetIpc.Diag;
using NetIpc.Proc;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 03's "how ss reads the table": the two interfaces side by side, their differences, a listener's tcp_info.</summary>
public static class DiagTables
{
    /// <summary>The zoo's TCP rows, /proc's columns beside sock_diag's for the fields where the two may differ.</summary>
    public static DataFrame ToDataFrame(this TwoViewsOfTheZoo views) => new(
        new StringDataFrameColumn("state", views.ZooRows.Select(r => SocketTable.SsStateName(r.Proc.State))),
        new StringDataFrameColumn("local", views.ZooRows.Select(r => r.Proc.Local.ToString())),
        new StringDataFrameColumn("remote", views.ZooRows.Select(r => r.Proc.Remote.ToString())),
        new UInt64DataFrameColumn("/proc rx_queue", views.ZooRows.Select(r => r.Proc.RxQueue)),
        new UInt64DataFrameColumn("sock_diag idiag_rqueue", views.ZooRows.Select(r => r.Netlink.Socket.RxQueue)),
        new UInt64DataFrameColumn("/proc tx_queue", views.ZooRows.Select(r => r.Proc.TxQueue)),
        new UInt64DataFrameColumn("sock_diag idiag_wqueue", views.ZooRows.Select(r => r.Netlink.Socket.TxQueue)),
        new StringDataFrameColumn("/proc tr:tm->when", views.ZooRows.Select(r => $"{(int)r.Proc.Timer}: {r.Proc.TimerTicks * 10} ms")),
        new StringDataFrameColumn("sock_diag idiag_timer: idiag_expires", views.ZooRows.Select(r => $"{(int)r.Netlink.Socket.Timer}: {r.Netlink.ExpiresMilliseconds} ms")),
        new UInt64DataFrameColumn("/proc inode", views.ZooRows.Select(r => r.Proc.Inode)),
        new UInt64DataFrameColumn("sock_diag idiag_inode", views.ZooRows.Select(r => r.Netlink.Socket.Inode)));

    /// <summary>Every field on which the two views differed, with the kernel's reason.</summary>
    public static DataFrame DifferencesFrame(this TwoViewsOfTheZoo views)
    {
        var d = views.Differences.ToList();
        return new DataFrame(
            new StringDataFrameColumn("socket", d.Select(x => x.Row)),
            new StringDataFrameColumn("field", d.Select(x => x.Field)),
            new StringDataFrameColumn("/proc", d.Select(x => x.Proc)),
            new StringDataFrameColumn("sock_diag", d.Select(x => x.Netlink)),
            new StringDataFrameColumn("why (the kernel)", d.Select(x => x.KernelReason ?? "UNEXPLAINED")));
    }

    /// <summary>The listener and the connection, a few tcp_info fields each (µs for times).</summary>
    public static DataFrame ToDataFrame(this ListenerInfoResult r)
    {
        TcpDiagEntry[] rows = [r.Listener, r.Client];
        return new DataFrame(
            new StringDataFrameColumn("socket", rows.Select(e => $"{SocketTable.SsStateName(e.Socket.State)} {e.Socket.Local} → {e.Socket.Remote}")),
            new UInt64DataFrameColumn("idiag_rqueue", rows.Select(e => e.Socket.RxQueue)),
            new UInt64DataFrameColumn("idiag_wqueue", rows.Select(e => e.Socket.TxQueue)),
            new UInt32DataFrameColumn("tcpi_unacked", rows.Select(e => e.Info?.Unacked)),
            new UInt32DataFrameColumn("tcpi_sacked", rows.Select(e => e.Info?.Sacked)),
            new UInt32DataFrameColumn("tcpi_rtt (µs)", rows.Select(e => e.Info?.RttMicroseconds)),
            new UInt32DataFrameColumn("tcpi_rttvar (µs)", rows.Select(e => e.Info?.RttVarianceMicroseconds)),
            new UInt32DataFrameColumn("tcpi_rto (µs)", rows.Select(e => e.Info?.RtoMicroseconds)),
            new UInt32DataFrameColumn("tcpi_snd_cwnd", rows.Select(e => e.Info?.CongestionWindow)),
            new UInt32DataFrameColumn("tcpi_snd_mss", rows.Select(e => e.Info?.SendMss)),
            new UInt32DataFrameColumn("tcpi_total_retrans", rows.Select(e => e.Info?.TotalRetransmits)));
    }

    /// <summary>The recorded benchmark's rows: median, error and standard deviation, median over the baseline's, allocations.</summary>
    public static DataFrame ToDataFrame(this TcpTableBenchmark b) => new(
        new StringDataFrameColumn("method", b.Rows.Select(r => r.Method)),
        new DoubleDataFrameColumn("median (ms)", b.Rows.Select(r => r.MedianMs)),
        new DoubleDataFrameColumn("mean (ms)", b.Rows.Select(r => r.MeanMs)),
        new DoubleDataFrameColumn("error (ms)", b.Rows.Select(r => r.ErrorMs)),
        new DoubleDataFrameColumn("stddev (ms)", b.Rows.Select(r => r.StdDevMs)),
        new DoubleDataFrameColumn("median ÷ bare /proc read's", b.Rows.Select(r => Math.Round(b.RatioToBaseline(r), 2))),
        new StringDataFrameColumn("allocated", b.Rows.Select(r => r.Allocated)));
}
