using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CsCheck;

namespace NetIpc.Tests;

public partial class ByteOrderTests
{
    [Fact]
    public void Seed_port_9501_is_0x251D_and_travels_as_0x1D25_on_this_host()
    {
        ushort network = ByteOrder.Htons(9501);
        Assert.Equal(BitConverter.IsLittleEndian ? (ushort)0x1D25 : (ushort)0x251D, network);
        Span<byte> wire = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(wire, 9501);
        Assert.Equal(wire.ToArray(), BitConverter.GetBytes(network));
    }

    [Fact]
    public void Show_lists_every_form_of_9501()
    {
        var view = ByteOrder.Show(9501);
        Assert.Equal("9501", view.Decimal);
        Assert.Equal("00100101 00011101", view.Binary);
        Assert.Equal("0x251D", view.Hex);
        Assert.Equal("25 1D", view.NetworkMemory);
        Assert.Equal(BitConverter.IsLittleEndian ? "1D 25" : "25 1D", view.HostMemory);
    }

    [Fact]
    public void Inet_addr_of_loopback_and_any()
    {
        Assert.Equal(BitConverter.IsLittleEndian ? 0x0100007Fu : 0x7F000001u, ByteOrder.InetAddr("127.0.0.1"));
        Assert.Equal(0u, ByteOrder.InetAddr("0.0.0.0"));
        Assert.Equal(uint.MaxValue, ByteOrder.InetAddr("255.255.255.255"));
        Assert.Equal("127.0.0.1", ByteOrder.InetNtoa(ByteOrder.InetAddr("127.0.0.1")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("256.0.0.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("::1")]
    [InlineData("localhost")]
    [InlineData(" 1.2.3.4")]
    public void Invalid_address_is_an_error_naming_it(string text)
    {
        var error = Assert.Throws<FormatException>(() => ByteOrder.InetAddr(text));
        Assert.Contains($"'{text}'", error.Message);
    }

    [Fact]
    public void Htons_and_ntohs_are_inverses_and_match_big_endian_bytes()
    {
        Gen.UShort.Sample(x =>
            ByteOrder.Ntohs(ByteOrder.Htons(x)) == x
            && BinaryPrimitives.ReadUInt16BigEndian(BitConverter.GetBytes(ByteOrder.Htons(x))) == x);
    }

    [Fact]
    public void Htonl_and_ntohl_are_inverses_and_match_big_endian_bytes()
    {
        Gen.UInt.Sample(x =>
            ByteOrder.Ntohl(ByteOrder.Htonl(x)) == x
            && BinaryPrimitives.ReadUInt32BigEndian(BitConverter.GetBytes(ByteOrder.Htonl(x))) == x);
    }

    [Fact]
    public void Inet_ntoa_then_inet_addr_round_trips_and_agrees_with_libc()
    {
        Gen.UInt.Sample(x =>
        {
            string dotted = ByteOrder.InetNtoa(x);
            return ByteOrder.InetAddr(dotted) == x && LibcInetAddr(dotted) == x;
        });
    }

    /// <summary>Dotted forms C accepts: one to four parts, each decimal, octal (leading 0) or hex (0x).</summary>
    private static readonly Gen<string> NumericForms =
        Gen.Select(Gen.Int[1, 4], Gen.UInt, Gen.Int[0, 2].Array[4], (parts, value, radixes) =>
        {
            // Split the value the way inet_aton reads it: the last part fills the remaining bytes.
            var pieces = new List<uint>();
            for (int i = 0; i < parts - 1; i++) pieces.Add((value >> (24 - 8 * i)) & 0xFF);
            pieces.Add(parts == 1 ? value : value & (uint.MaxValue >> (8 * (parts - 1))));
            return string.Join('.', pieces.Select((p, i) => radixes[i] switch
            {
                1 => "0" + Convert.ToString(p, 8),
                2 => "0x" + p.ToString("x"),
                _ => p.ToString(),
            }));
        });

    [Fact]
    public void Every_spelling_inet_aton_accepts_gives_the_value_libc_gives()
    {
        NumericForms.Sample(text => ByteOrder.InetAddr(text) == LibcInetAddr(text));
    }

    private static uint LibcInetAddr(string text)
    {
        Assert.True(InetAton(text, out uint value) != 0, $"libc inet_aton rejected '{text}'");
        return value;
    }

    [LibraryImport("libc", EntryPoint = "inet_aton", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InetAton(string text, out uint address);
}
