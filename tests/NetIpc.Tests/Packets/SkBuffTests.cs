using NetIpc.Packets;

namespace NetIpc.Tests.Packets;

/// <summary>Each operation against expectations worked by hand from include/linux/skbuff.h.</summary>
public class SkBuffTests
{
    private static SkBuff Built()
    {
        var skb = SkBuff.Alloc(100);
        skb.Reserve(54);
        skb.Put(10, "payload");
        skb.Push(8, "UDP header");
        skb.Push(20, "IPv4 header");
        skb.Push(14, "Ethernet header");
        return skb;
    }

    [Fact]
    public void Alloc_starts_empty_with_all_room_at_the_tail()
    {
        var skb = SkBuff.Alloc(100);
        Assert.Equal((0, 0, 0, 100, 0, 0, 100), (skb.Head, skb.Data, skb.Tail, skb.End, skb.Len, skb.Headroom, skb.Tailroom));
        Assert.Null(skb.MacHeader);
        Assert.Null(skb.NetworkHeader);
        Assert.Null(skb.TransportHeader);
    }

    [Fact]
    public void Reserve_moves_data_and_tail_together()
    {
        var skb = SkBuff.Alloc(100);
        skb.Reserve(54);
        Assert.Equal((54, 54, 0, 54, 46), (skb.Data, skb.Tail, skb.Len, skb.Headroom, skb.Tailroom));
    }

    [Fact]
    public void Put_returns_the_old_tail_region_and_grows_len()
    {
        var skb = SkBuff.Alloc(100);
        skb.Reserve(54);
        var region = skb.Put(10);
        region.Fill(0xAB);
        Assert.Equal((54, 64, 10, 36), (skb.Data, skb.Tail, skb.Len, skb.Tailroom));
        Assert.Equal(10, region.Length);
        Assert.All(skb.Buffer[54..64].ToArray(), b => Assert.Equal(0xAB, b));
    }

    [Fact]
    public void Push_grows_the_packet_into_the_headroom()
    {
        var skb = Built();
        Assert.Equal((12, 64, 52, 12, 36), (skb.Data, skb.Tail, skb.Len, skb.Headroom, skb.Tailroom));
    }

    [Fact]
    public void Headers_are_views_of_the_same_memory_not_copies()
    {
        var skb = SkBuff.Alloc(64);
        skb.Reserve(32);
        skb.Put(4)[0] = 7;
        var header = skb.Push(8);
        header[0] = 42;
        Assert.Equal(42, skb.Packet[0]);
        Assert.Equal(7, skb.Packet[8]);
        Assert.Equal(42, skb.Buffer[24]);
    }

    [Fact]
    public void Pull_removes_from_the_front()
    {
        var skb = Built();
        Assert.True(skb.Pull(14));
        Assert.Equal((26, 38), (skb.Data, skb.Len));
    }

    [Fact]
    public void Pull_past_len_refuses_and_changes_nothing()
    {
        var skb = Built();
        Assert.False(skb.Pull(53));
        Assert.Equal((12, 64, 52), (skb.Data, skb.Tail, skb.Len));
        Assert.True(skb.Pull(52));
        Assert.Equal(0, skb.Len);
    }

    [Fact]
    public void Put_past_end_panics_like_the_kernel()
    {
        var skb = Built();
        var panic = Assert.Throws<SkBuffPanicException>(() => skb.Put(37));
        Assert.Equal("skb_over_panic: len:89 put:37 head:0 data:12 tail:0x65 end:0x64 dev:<NULL>", panic.Message);
        Assert.Equal(64, skb.Tail);
        skb.Put(36); // exactly to end is fine
        Assert.Equal(0, skb.Tailroom);
    }

    [Fact]
    public void Push_before_head_panics_like_the_kernel()
    {
        var skb = Built();
        var panic = Assert.Throws<SkBuffPanicException>(() => skb.Push(13));
        Assert.Equal("skb_under_panic: len:65 put:13 head:0 data:-1 tail:0x40 end:0x64 dev:<NULL>", panic.Message);
        Assert.Equal(12, skb.Data);
    }

    [Fact]
    public void Reserve_is_for_an_empty_buffer_only()
    {
        var skb = Built();
        Assert.Throws<InvalidOperationException>(() => skb.Reserve(1));
        Assert.Throws<SkBuffPanicException>(() => SkBuff.Alloc(10).Reserve(11));
    }

    [Fact]
    public void Header_offsets_are_measured_from_head()
    {
        var skb = Built();
        skb.ResetMacHeader();
        skb.SetNetworkHeader(14);
        skb.SetTransportHeader(34);
        Assert.Equal((12, 26, 46), (skb.MacHeader, skb.NetworkHeader, skb.TransportHeader));
        skb.Pull(14);
        skb.ResetNetworkHeader();
        Assert.Equal(26, skb.NetworkHeader);
        Assert.Equal(38, skb.From(skb.NetworkHeader).Length);
    }

    [Fact]
    public void History_records_every_operation_and_labels_every_region()
    {
        var skb = Built();
        Assert.Equal(6, skb.History.Count);
        Assert.Equal(["Ethernet header", "IPv4 header", "UDP header", "payload"], skb.History[^1].Regions.Select(r => r.What));
        skb.Pull(20);
        Assert.Equal(["IPv4 header", "UDP header", "payload"], skb.History[^1].Regions.Select(r => r.What));
        Assert.Equal(14, skb.History[^1].Regions[0].Length); // the IPv4 header, 6 bytes of it pulled
    }
}
