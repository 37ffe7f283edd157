using Microsoft.Data.Analysis;
using NetIpc.SocketTables;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 01's tables: the demo's descriptors, its lines of /proc/net/tcp, the counters its close moved.</summary>
public static class SocketsAreFilesTables
{
    public static DataFrame Descriptors(this SocketsAreFiles demo)
    {
        var rows = demo.DescriptorRows();
        return new DataFrame(
            new Int32DataFrameColumn("fd", rows.Select(r => r.Fd)),
            new StringDataFrameColumn("/proc/self/fd/<fd> →", rows.Select(r => r.Target)),
            new StringDataFrameColumn("role", rows.Select(r => r.Role)));
    }

    public static DataFrame Table(this SocketsAreFiles demo)
    {
        var rows = demo.TableRows();
        return new DataFrame(
            new StringDataFrameColumn("st", rows.Select(r => $"{(int)r.Entry.State:X2} {r.Entry.State}")),
            new StringDataFrameColumn("local_address", rows.Select(r => r.Entry.Local.ToString())),
            new StringDataFrameColumn("rem_address", rows.Select(r => r.Entry.Remote.ToString())),
            new UInt64DataFrameColumn("rx_queue", rows.Select(r => r.Entry.RxQueue)),
            new UInt64DataFrameColumn("inode", rows.Select(r => r.Entry.Inode)),
            new StringDataFrameColumn("owned by", rows.Select(r => r.OwnedBy)));
    }

    /// <summary>How the counters moved when the demo was closed (<see cref="SocketsAreFiles.Close"/>).</summary>
    public static DataFrame ToDataFrame(this DemoClosed closed) => new(
        new StringDataFrameColumn("counter", closed.Changes.Select(c => c.Counter)),
        new Int64DataFrameColumn("change", closed.Changes.Select(c => c.Change)));
}
