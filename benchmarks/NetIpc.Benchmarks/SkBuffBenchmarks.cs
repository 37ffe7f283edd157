using BenchmarkDotNet.Attributes;
using NetIpc.Packets;

namespace NetIpc.Benchmarks;

/// <summary>
/// Chapter 04's question: why one buffer for every layer? A 1460-byte payload goes down four layers
/// (application → TCP → IPv4 → Ethernet), once by moving pointers in one SkBuff and once the naive way,
/// each layer allocating a bigger array and copying everything below it. Headers are written either way.
/// </summary>
[MemoryDiagnoser]
[InProcess]
public class SkBuffBenchmarks
{
    private const int TcpHeader = 20, IpHeader = 20, EthernetHeader = 14;
    private readonly byte[] payload = new byte[1460];

    [Benchmark(Baseline = true, Description = "copy at every layer")]
    public int CopyAtEachLayer()
    {
        var segment = new byte[TcpHeader + payload.Length];
        payload.CopyTo(segment, TcpHeader);
        segment[0] = 1;
        var packet = new byte[IpHeader + segment.Length];
        segment.CopyTo(packet, IpHeader);
        packet[0] = 0x45;
        var frame = new byte[EthernetHeader + packet.Length];
        packet.CopyTo(frame, EthernetHeader);
        frame[12] = 0x08;
        return frame.Length;
    }

    [Benchmark(Description = "one SkBuff: reserve, put, push × 3")]
    public int SkBuffPointerMoves()
    {
        var skb = SkBuff.Alloc(EthernetHeader + IpHeader + TcpHeader + payload.Length, recordHistory: false);
        skb.Reserve(EthernetHeader + IpHeader + TcpHeader);
        payload.CopyTo(skb.Put(payload.Length));
        skb.Push(TcpHeader)[0] = 1;
        skb.Push(IpHeader)[0] = 0x45;
        skb.Push(EthernetHeader)[12] = 0x08;
        return skb.Len;
    }
}
