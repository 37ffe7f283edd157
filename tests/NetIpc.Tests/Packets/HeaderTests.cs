using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using CsCheck;
using NetIpc.Packets;

namespace NetIpc.Tests.Packets;

public class HeaderTests
{
    // Wikipedia, "Internet checksum" / "IPv4 header checksum" worked example (192.168.0.1 → 192.168.0.199, UDP, checksum 0xB861).
    private static readonly byte[] WikipediaIpv4Header = Convert.FromHexString("450000730000400040 11B861C0A80001C0A800C7".Replace(" ", ""));

    [Fact]
    public void Rfc1071_worked_example()
    {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to 0xddf2, so the checksum is 0x220d.
        Assert.Equal(0x220D, InternetChecksum.Compute(Convert.FromHexString("0001F203F4F5F6F7")));
    }

    [Fact]
    public void Published_ipv4_header_parses_and_its_checksum_verifies()
    {
        var header = Ipv4Header.Parse(WikipediaIpv4Header);
        Assert.Equal((4, 20, (ushort)0x73, (byte)64, ProtocolType.Udp, (ushort)0xB861), (header.Version, header.HeaderLength, header.TotalLength, header.Ttl, header.Protocol, header.Checksum));
        Assert.True(header.DontFragment);
        Assert.Equal(IPAddress.Parse("192.168.0.1"), header.Source);
        Assert.Equal(IPAddress.Parse("192.168.0.199"), header.Destination);
        Assert.True(header.ChecksumIsValid());
        Assert.Equal(0xB861, (header with { Checksum = 0 }).WithChecksum().Checksum);
        Assert.False((header with { Ttl = 63 }).ChecksumIsValid());
    }

    private static readonly Gen<IPAddress> Ipv4 = Gen.UInt.Select(v => new IPAddress(BitConverter.GetBytes(v)));

    private static readonly Gen<byte[]?> Options = Gen.Int[0, 10].SelectMany(words => Gen.Byte.Array[words * 4]).Select(b => b.Length == 0 ? null : b);

    private static readonly Gen<Ipv4Header> Ipv4Headers =
        Gen.Select(
            Gen.Select(Gen.Byte, Gen.UShort, Gen.UShort, Gen.Bool, (tos, length, id, df) => (tos, length, id, df)),
            Gen.Select(Gen.Bool, Gen.UShort[0, 0x1FFF], Gen.Byte, Gen.Byte, (mf, offset, ttl, protocol) => (mf, offset, ttl, protocol)),
            Gen.Select(Gen.UShort, Ipv4, Ipv4, Options, (checksum, source, destination, options) => (checksum, source, destination, options)),
            (a, b, c) => new Ipv4Header(a.tos, a.length, a.id, a.df, b.mf, b.offset, b.ttl, (ProtocolType)b.protocol, c.checksum, c.source, c.destination, c.options));

    private static readonly Gen<TcpHeader> TcpHeaders =
        Gen.Select(
            Gen.Select(Gen.UShort, Gen.UShort, Gen.UInt, Gen.UInt, (sport, dport, seq, ack) => (sport, dport, seq, ack)),
            Gen.Select(Gen.Byte, Gen.UShort, Gen.UShort, Gen.UShort, Options, (flags, window, checksum, urgent, options) => (flags, window, checksum, urgent, options)),
            (a, b) => new TcpHeader(a.sport, a.dport, a.seq, a.ack, (TcpFlags)b.flags, b.window, b.checksum, b.urgent, b.options));

    [Fact]
    public void Ipv4_header_round_trips()
    {
        Ipv4Headers.Sample(h =>
        {
            var bytes = new byte[h.HeaderLength];
            h.WriteTo(bytes);
            var back = Ipv4Header.Parse(bytes);
            var again = new byte[back.HeaderLength];
            back.WriteTo(again);
            return bytes.AsSpan().SequenceEqual(again) && back with { Options = h.Options } == h
                && h.WithChecksum().ChecksumIsValid();
        });
    }

    [Fact]
    public void Tcp_header_round_trips()
    {
        TcpHeaders.Sample(h =>
        {
            var bytes = new byte[h.HeaderLength];
            h.WriteTo(bytes);
            var back = TcpHeader.Parse(bytes);
            return back with { Options = h.Options } == h && back.HeaderLength == h.HeaderLength
                && (back.Options ?? []).AsSpan().SequenceEqual(h.Options ?? []);
        });
    }

    [Fact]
    public void Udp_and_ethernet_headers_round_trip()
    {
        Gen.Select(Gen.UShort, Gen.UShort, Gen.UShort, Gen.UShort).Sample((a, b, c, d) =>
        {
            var h = new UdpHeader(a, b, c, d);
            var bytes = new byte[8];
            h.WriteTo(bytes);
            return UdpHeader.Parse(bytes) == h && bytes[0] == a >> 8; // network order: high byte first
        });
        var ethernet = new EthernetHeader(PhysicalAddress.Parse("02-00-00-00-00-01"), PhysicalAddress.Parse("02-00-00-00-00-02"), EthernetHeader.IPv4);
        var frame = new byte[14];
        ethernet.WriteTo(frame);
        Assert.Equal("0200000000010200000000020800", Convert.ToHexString(frame));
        var back = EthernetHeader.Parse(frame);
        Assert.Equal((ethernet.Destination, ethernet.Source, ethernet.EtherType), (back.Destination, back.Source, back.EtherType));
    }

    [Fact]
    public void Mss_is_found_among_other_options()
    {
        // NOP, NOP, timestamps (kind 8, length 10), then MSS 1460, as Linux orders a SYN's options differently — any order must work.
        byte[] options = [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 2, 4, 0x05, 0xB4, 0, 0, 0, 0];
        Assert.Equal((ushort)1460, new TcpHeader(1, 2, 0, 0, TcpFlags.Syn, 0, 0, 0, options).Mss);
        Assert.Null(new TcpHeader(1, 2, 0, 0, TcpFlags.Ack, 0, 0).Mss);
        Assert.Null(new TcpHeader(1, 2, 0, 0, TcpFlags.Syn, 0, 0, 0, [2, 0, 0, 0]).Mss); // malformed length: no loop, no MSS
    }

    [Fact]
    public void Transport_checksum_verifies_and_catches_a_flipped_bit()
    {
        var skb = PacketBuilder.Udp(new IPEndPoint(IPAddress.Loopback, 40000), new IPEndPoint(IPAddress.Loopback, 9501), "hello"u8);
        var segment = skb.From(skb.TransportHeader);
        Assert.True(InternetChecksum.VerifyTransport(IPAddress.Loopback, IPAddress.Loopback, ProtocolType.Udp, segment));
        segment[^1] ^= 0x01;
        Assert.False(InternetChecksum.VerifyTransport(IPAddress.Loopback, IPAddress.Loopback, ProtocolType.Udp, segment));
    }

    [Fact]
    public void Builder_pushes_transport_then_network_into_the_headroom()
    {
        var skb = PacketBuilder.TcpSyn(new IPEndPoint(IPAddress.Parse("192.0.2.7"), 40000), new IPEndPoint(IPAddress.Loopback, 9501), 1000);
        Assert.Equal(["IPv4 header", "TCP header"], skb.History[^1].Regions.Select(r => r.What));
        Assert.Equal(skb.Data, skb.NetworkHeader);
        Assert.Equal(skb.Data + 20, skb.TransportHeader);
        var ip = Ipv4Header.Parse(skb.Packet);
        var tcp = TcpHeader.Parse(skb.From(skb.TransportHeader));
        Assert.Equal((44, TcpFlags.Syn, (ushort?)1460, 1000u), (ip.TotalLength, tcp.Flags, tcp.Mss, tcp.SequenceNumber));
        Assert.True(ip.ChecksumIsValid());
        Assert.True(InternetChecksum.VerifyTransport(ip.Source, ip.Destination, ProtocolType.Tcp, skb.From(skb.TransportHeader)));
    }

    [Theory]
    [InlineData("4500", "IPv4", "length")]
    [InlineData("6500000000000000401100000000000000000000", "IPv4", "version")]
    [InlineData("4F00000000000000401100000000000000000000", "IPv4", "IHL")]
    public void Bad_ipv4_input_names_the_field(string hex, string header, string field)
    {
        var error = Assert.Throws<PacketFormatException>(() => Ipv4Header.Parse(Convert.FromHexString(hex)));
        Assert.Equal((header, field), (error.Header, error.Field));
    }

    [Fact]
    public void Bad_tcp_data_offset_is_named()
    {
        var bytes = new byte[20];
        bytes[12] = 0xF0; // 60-byte header in 20 bytes
        Assert.Equal("data offset", Assert.Throws<PacketFormatException>(() => TcpHeader.Parse(bytes)).Field);
    }
}
