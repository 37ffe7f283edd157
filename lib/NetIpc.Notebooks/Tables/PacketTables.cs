using Microsoft.Data.Analysis;
using NetIpc.Packets;

namespace NetIpc.Notebooks.Tables;

/// <summary>Chapter 04's tables: an sk_buff's pointers step by step, and the frames captured on loopback.</summary>
public static class PacketTables
{
    /// <summary>The history as a table: one row per operation with every pointer after it.</summary>
    public static DataFrame HistoryFrame(this SkBuff skb) => new(
        new StringDataFrameColumn("operation", skb.History.Select(h => h.Operation)),
        new Int32DataFrameColumn("data", skb.History.Select(h => h.Data)),
        new Int32DataFrameColumn("tail", skb.History.Select(h => h.Tail)),
        new Int32DataFrameColumn("end", skb.History.Select(h => h.End)),
        new Int32DataFrameColumn("len", skb.History.Select(h => h.Len)),
        new Int32DataFrameColumn("headroom", skb.History.Select(h => h.Headroom)),
        new Int32DataFrameColumn("tailroom", skb.History.Select(h => h.Tailroom)));

    public static DataFrame ToDataFrame(this ReceivePathResult result) => new(
        new Int32DataFrameColumn("frame", result.Frames.Select(f => f.Number)),
        new StringDataFrameColumn("protocol", result.Frames.Select(f => f.Tcp is null ? "UDP" : "TCP")),
        new StringDataFrameColumn("from", result.Frames.Select(f => $"{f.Ip.Source}:{f.Tcp?.SourcePort ?? f.Udp!.SourcePort}")),
        new StringDataFrameColumn("to", result.Frames.Select(f => $"{f.Ip.Destination}:{f.Tcp?.DestinationPort ?? f.Udp!.DestinationPort}")),
        new StringDataFrameColumn("flags", result.Frames.Select(f => f.Tcp?.Flags.ToString() ?? "")),
        new StringDataFrameColumn("seq", result.Frames.Select(f => f.Tcp?.SequenceNumber.ToString() ?? "")),
        new StringDataFrameColumn("ack", result.Frames.Select(f => f.Tcp is { } t && t.Flags.HasFlag(TcpFlags.Ack) ? t.AcknowledgmentNumber.ToString() : "")),
        new StringDataFrameColumn("mss", result.Frames.Select(f => f.Tcp?.Mss?.ToString() ?? "")),
        new Int32DataFrameColumn("payload bytes", result.Frames.Select(f => f.PayloadLength)),
        new Int32DataFrameColumn("ttl", result.Frames.Select(f => (int)f.Ip.Ttl)),
        new BooleanDataFrameColumn("IP checksum ok", result.Frames.Select(f => f.Ip.ChecksumIsValid())),
        new BooleanDataFrameColumn("TCP/UDP checksum ok as captured", result.Frames.Select(f => f.TransportChecksumValid)));
}
