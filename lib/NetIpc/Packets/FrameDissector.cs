using System.Net.Sockets;

namespace NetIpc.Packets;

/// <summary>One frame captured on loopback, taken apart by pulling each header off an SkBuff.</summary>
public sealed record CapturedFrame(
    int Number, Ipv4Header Ip, TcpHeader? Tcp, UdpHeader? Udp, int PayloadLength, bool TransportChecksumValid, SkBuff Skb)
{
    public string Summary => Tcp is not null
        ? $"TCP {Ip.Source}:{Tcp.SourcePort} → {Ip.Destination}:{Tcp.DestinationPort} [{Tcp.Flags}] seq {Tcp.SequenceNumber} ack {Tcp.AcknowledgmentNumber}"
        : $"UDP {Ip.Source}:{Udp!.SourcePort} → {Ip.Destination}:{Udp.DestinationPort} length {Udp.Length}";
}

/// <summary>Takes a captured Ethernet frame apart the way the kernel's receive path does, header by header off one <see cref="SkBuff"/>.</summary>
public static class FrameDissector
{
    /// <summary>The receive path in reverse order of the send path: Ethernet, then IPv4, then TCP or UDP, each pulled off the same SkBuff.</summary>
    public static CapturedFrame? TakeApart(int number, ReadOnlySpan<byte> frame)
    {
        var skb = SkBuff.Alloc(frame.Length);
        frame.CopyTo(skb.Put(frame.Length, "frame as captured"));
        skb.ResetMacHeader();
        var ethernet = EthernetHeader.Parse(skb.Packet);
        if (ethernet.EtherType != EthernetHeader.IPv4)
        {
            return null;
        }
        skb.Identify(EthernetHeader.Length, "Ethernet header");
        skb.Pull(EthernetHeader.Length);
        skb.ResetNetworkHeader();
        var ip = Ipv4Header.Parse(skb.Packet);
        skb.Identify(ip.HeaderLength, "IPv4 header");
        skb.Pull(ip.HeaderLength);
        skb.ResetTransportHeader();
        int segmentLength = ip.TotalLength - ip.HeaderLength;
        var segment = skb.Packet[..Math.Min(segmentLength, skb.Len)];
        bool checksumValid = InternetChecksum.VerifyTransport(ip.Source, ip.Destination, ip.Protocol, segment);
        if (ip.Protocol == ProtocolType.Tcp)
        {
            var tcp = TcpHeader.Parse(skb.Packet);
            skb.Identify(tcp.HeaderLength, "TCP header");
            skb.Pull(tcp.HeaderLength);
            return new CapturedFrame(number, ip, tcp, null, segmentLength - tcp.HeaderLength, checksumValid, skb);
        }
        if (ip.Protocol == ProtocolType.Udp)
        {
            var udp = UdpHeader.Parse(skb.Packet);
            skb.Identify(UdpHeader.HeaderLength, "UDP header");
            skb.Pull(UdpHeader.HeaderLength);
            return new CapturedFrame(number, ip, null, udp, udp.Length - UdpHeader.HeaderLength, checksumValid, skb);
        }
        return null;
    }
}
