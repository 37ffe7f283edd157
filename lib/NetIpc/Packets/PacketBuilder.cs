using System.Net;
using System.Net.Sockets;

namespace NetIpc.Packets;

/// <summary>
/// Builds packets the way the kernel's TCP send path does (tcp_stream_alloc_skb reserves MAX_TCP_HEADER,
/// __tcp_transmit_skb and __ip_queue_xmit each push their header): allocate with headroom for every header,
/// put the payload, then push each header in front of it, transport first, network last — one buffer, no
/// copies between layers. The kernel's UDP path is different (__ip_append_data puts IPv4 + UDP header +
/// payload in one skb_put and fills the headers in place); <see cref="Udp"/> follows the TCP pattern anyway,
/// because the layer-by-layer push is what chapter 04 teaches. The listen-backlog chapter uses <see cref="TcpSyn"/> to fill a SYN queue.
/// </summary>
public static class PacketBuilder
{
    /// <summary>
    /// 14 + 60 + 60: room for Ethernet and the largest IPv4 and TCP headers (options included), so any header
    /// the course builds fits. The course's own choice, not a kernel constant: the kernel's TCP reserves
    /// MAX_TCP_HEADER (128 + MAX_HEADER), its UDP the device's LL_RESERVED_SPACE.
    /// </summary>
    public const int Headroom = EthernetHeader.Length + 60 + 60;

    /// <summary>A UDP datagram over IPv4, checksums computed, ready for a raw IPPROTO_RAW socket.</summary>
    public static SkBuff Udp(IPEndPoint source, IPEndPoint destination, ReadOnlySpan<byte> payload, byte ttl = 64, ushort identification = 1)
    {
        var skb = SkBuff.Alloc(Headroom + payload.Length);
        skb.Reserve(Headroom);
        payload.CopyTo(skb.Put(payload.Length, "payload"));

        var udpBytes = skb.Push(UdpHeader.HeaderLength, "UDP header");
        skb.ResetTransportHeader();
        ushort length = checked((ushort)(UdpHeader.HeaderLength + payload.Length));
        new UdpHeader((ushort)source.Port, (ushort)destination.Port, length, 0).WriteTo(udpBytes);
        ushort checksum = InternetChecksum.Transport(source.Address, destination.Address, ProtocolType.Udp, skb.Packet);
        (UdpHeader.Parse(udpBytes) with { Checksum = checksum == 0 ? (ushort)0xFFFF : checksum }).WriteTo(udpBytes);

        PushIpv4(skb, source.Address, destination.Address, ProtocolType.Udp, ttl, identification);
        return skb;
    }

    /// <summary>A bare TCP SYN with an MSS option, as a connect() would send it.</summary>
    public static SkBuff TcpSyn(IPEndPoint source, IPEndPoint destination, uint sequenceNumber, ushort mss = 1460, ushort window = 64240, byte ttl = 64)
    {
        var syn = new TcpHeader((ushort)source.Port, (ushort)destination.Port, sequenceNumber, 0, TcpFlags.Syn, window, 0, 0, TcpHeader.MssOption(mss));
        var skb = SkBuff.Alloc(Headroom);
        skb.Reserve(Headroom);
        var tcpBytes = skb.Push(syn.HeaderLength, "TCP header");
        skb.ResetTransportHeader();
        syn.WriteTo(tcpBytes);
        ushort checksum = InternetChecksum.Transport(source.Address, destination.Address, ProtocolType.Tcp, skb.Packet);
        (syn with { Checksum = checksum }).WriteTo(tcpBytes);

        PushIpv4(skb, source.Address, destination.Address, ProtocolType.Tcp, ttl, (ushort)(sequenceNumber & 0xFFFF));
        return skb;
    }

    private static void PushIpv4(SkBuff skb, IPAddress source, IPAddress destination, ProtocolType protocol, byte ttl, ushort identification)
    {
        int segmentLength = skb.Len;
        var ipBytes = skb.Push(Ipv4Header.MinimumLength, "IPv4 header");
        skb.ResetNetworkHeader();
        new Ipv4Header(0, checked((ushort)(Ipv4Header.MinimumLength + segmentLength)), identification, DontFragment: true, MoreFragments: false,
            FragmentOffset: 0, ttl, protocol, 0, source, destination).WithChecksum().WriteTo(ipBytes);
    }
}
