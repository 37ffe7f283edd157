using Microsoft.Data.Analysis;
using NetIpc.Commands;

namespace NetIpc.Notebooks.Tables;

/// <summary>What ss printed, and its comparison with the course's own /proc join, as DataFrames.</summary>
public static class SsTables
{
    public static DataFrame ToDataFrame(this SsTable table) => new(
        new StringDataFrameColumn("state", table.Select(r => r.State)),
        new UInt64DataFrameColumn("recv_q", table.Select(r => r.RecvQ)),
        new UInt64DataFrameColumn("send_q", table.Select(r => r.SendQ)),
        new StringDataFrameColumn("local", table.Select(r => r.Local)),
        new StringDataFrameColumn("peer", table.Select(r => r.Peer)),
        new StringDataFrameColumn("process", table.Select(r => string.Join(", ", r.Owners))));

    public static DataFrame ToDataFrame(this SsComparison comparison) => new(
        new StringDataFrameColumn("state", comparison.Rows.Select(r => r.State)),
        new StringDataFrameColumn("local", comparison.Rows.Select(r => r.Local)),
        new StringDataFrameColumn("remote", comparison.Rows.Select(r => r.Remote)),
        new BooleanDataFrameColumn("in /proc", comparison.Rows.Select(r => r.FromProc)),
        new BooleanDataFrameColumn("in ss", comparison.Rows.Select(r => r.FromSs)),
        new BooleanDataFrameColumn("same process and fd", comparison.Rows.Select(r => r.OwnersAgree)),
        new BooleanDataFrameColumn("changed meanwhile", comparison.Rows.Select(r => r.ChangedDuringComparison)));
}
