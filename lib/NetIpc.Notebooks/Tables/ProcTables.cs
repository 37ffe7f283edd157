using Microsoft.Data.Analysis;
using NetIpc.Proc;

namespace NetIpc.Notebooks.Tables;

/// <summary>The parsed /proc/net tables and counters as DataFrames, one column per field a chapter discusses.</summary>
public static class ProcTables
{
    public static DataFrame ToDataFrame(this TcpTable table) => new(
        new Int32DataFrameColumn("sl", table.Select(e => e.Slot)),
        new StringDataFrameColumn("netid", table.Select(e => e.Netid)),
        new StringDataFrameColumn("local", table.Select(e => e.Local.ToString())),
        new StringDataFrameColumn("remote", table.Select(e => e.Remote.ToString())),
        new StringDataFrameColumn("state", table.Select(e => e.State.ToString())),
        new UInt64DataFrameColumn("tx_queue", table.Select(e => e.TxQueue)),
        new UInt64DataFrameColumn("rx_queue", table.Select(e => e.RxQueue)),
        new StringDataFrameColumn("timer", table.Select(e => e.Timer.ToString())),
        new UInt64DataFrameColumn("timer_ticks", table.Select(e => e.TimerTicks)),
        new UInt64DataFrameColumn("retransmits", table.Select(e => e.Retransmits)),
        new UInt32DataFrameColumn("uid", table.Select(e => e.Uid)),
        new Int64DataFrameColumn("timeouts", table.Select(e => e.Timeouts)),
        new UInt64DataFrameColumn("inode", table.Select(e => e.Inode)));

    public static DataFrame ToDataFrame(this UdpTable table) => new(
        new Int32DataFrameColumn("sl", table.Select(e => e.Slot)),
        new StringDataFrameColumn("netid", table.Select(e => e.Netid)),
        new StringDataFrameColumn("local", table.Select(e => e.Local.ToString())),
        new StringDataFrameColumn("remote", table.Select(e => e.Remote.ToString())),
        new StringDataFrameColumn("state", table.Select(e => e.IsConnected ? "connected" : "unconnected")),
        new UInt64DataFrameColumn("tx_queue", table.Select(e => e.TxQueue)),
        new UInt64DataFrameColumn("rx_queue", table.Select(e => e.RxQueue)),
        new UInt32DataFrameColumn("uid", table.Select(e => e.Uid)),
        new UInt64DataFrameColumn("inode", table.Select(e => e.Inode)),
        new UInt64DataFrameColumn("drops", table.Select(e => e.Drops)));

    public static DataFrame ToDataFrame(this UnixTable table) => new(
        new StringDataFrameColumn("type", table.Select(e => e.Type.ToString().ToLowerInvariant())),
        new StringDataFrameColumn("state", table.Select(e => e.IsListening ? "listening" : e.State.ToString())),
        new Int32DataFrameColumn("ref_count", table.Select(e => e.RefCount)),
        new UInt64DataFrameColumn("inode", table.Select(e => e.Inode)),
        new StringDataFrameColumn("path", table.Select(e => e.Path ?? "")),
        new BooleanDataFrameColumn("abstract", table.Select(e => e.IsAbstract)));

    public static DataFrame ToDataFrame(this ArpTable table) => new(
        new StringDataFrameColumn("address", table.Select(e => e.Address.ToString())),
        new StringDataFrameColumn("link address (MAC)", table.Select(e => e.HardwareAddress)),
        new StringDataFrameColumn("device", table.Select(e => e.Device)),
        new BooleanDataFrameColumn("complete", table.Select(e => e.IsComplete)));

    public static DataFrame ToDataFrame(this SocketTable table) => new(
        new StringDataFrameColumn("netid", table.Select(r => r.Netid)),
        new StringDataFrameColumn("state", table.Select(r => r.State)),
        new UInt64DataFrameColumn("recv_q", table.Select(r => r.RecvQ)),
        new UInt64DataFrameColumn("send_q", table.Select(r => r.SendQ)),
        new StringDataFrameColumn("local", table.Select(r => r.Local)),
        new StringDataFrameColumn("remote", table.Select(r => r.Remote)),
        new UInt64DataFrameColumn("inode", table.Select(r => r.Inode)),
        new StringDataFrameColumn("process", table.Select(r => string.Join(", ", r.Owners))));

    public static DataFrame ToDataFrame(this NetCounters counters, Func<string, bool>? which = null)
    {
        var rows = counters.Where(kv => which?.Invoke(kv.Key) ?? true).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        return new DataFrame(
            new StringDataFrameColumn("counter", rows.Select(kv => kv.Key)),
            new Int64DataFrameColumn("value", rows.Select(kv => kv.Value)));
    }

    /// <summary>One row per sample: time_ms, then one column per probe.</summary>
    public static DataFrame ToDataFrame(this SampledSeries series) =>
        new(series.Columns.Select(name => (DataFrameColumn)new DoubleDataFrameColumn(name, series[name])));
}
