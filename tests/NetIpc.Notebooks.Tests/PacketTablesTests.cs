using NetIpc.Harness;
using NetIpc.Notebooks.Tables;
using NetIpc.Packets;

namespace NetIpc.Notebooks.Tests;

/// <summary>The sk_buff's history and the receive-path proof as tables (Tables/PacketTables.cs).</summary>
public class PacketTablesTests
{
    [Fact]
    public void History_frame_has_a_row_per_operation()
    {
        var skb = SkBuff.Alloc(100);
        skb.Reserve(54);
        skb.Put(10, "payload");
        skb.Push(8, "UDP header");
        skb.Push(20, "IPv4 header");
        skb.Push(14, "Ethernet header");
        skb.Pull(20);
        Assert.Equal(skb.History.Count, skb.HistoryFrame().Rows.Count);
    }

    [ExperimentFact("receive-path")]
    public void Receive_path_frame_has_a_row_per_captured_frame()
    {
        var result = SkBuffProofs.ReceivePath();
        Assert.Equal(result.Frames.Count, result.ToDataFrame().Rows.Count);
    }

    [Fact]
    public void A_table_of_checks_shows_what_held_and_the_cell_that_requires_them_stops_on_a_cross()
    {
        ProofCheck[] checks =
        [
            new("the datagram arrived", true, "1 of 1"),
            new("the kernel counted the corrupted datagram", false, "Udp.InCsumErrors moved by 0"),
        ];

        var table = checks.ToDataFrame();
        Assert.Equal(["✓", "✗"], table.Columns["holds"].Cast<string>());
        var error = Assert.Throws<ProofFailedException>(() => checks.RequireAll().ToDataFrame());

        Assert.Contains("the kernel counted the corrupted datagram — seen: Udp.InCsumErrors moved by 0", error.Message);
        Assert.DoesNotContain("the datagram arrived", error.Message);
    }
}
