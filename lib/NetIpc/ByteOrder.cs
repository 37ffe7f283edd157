using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace NetIpc;

/// <summary>
/// The C byte-order helpers, with the same contracts: values go in and come out as host integers,
/// and "network order" means the bytes in memory are big-endian whatever the host is.
/// </summary>
public static class ByteOrder
{
    public static bool HostIsLittleEndian => BitConverter.IsLittleEndian;

    public static ushort Htons(ushort host) => HostIsLittleEndian ? BinaryPrimitives.ReverseEndianness(host) : host;

    public static ushort Ntohs(ushort network) => Htons(network);

    public static uint Htonl(uint host) => HostIsLittleEndian ? BinaryPrimitives.ReverseEndianness(host) : host;

    public static uint Ntohl(uint network) => Htonl(network);

    /// <summary>
    /// What C's <c>inet_addr</c> returns: the address's network-order bytes read as a host integer,
    /// so "127.0.0.1" is 0x0100007F on a little-endian machine. Accepts the same spellings as
    /// <c>inet_aton</c> ("127.1", "0x7f.0.0.1"), because <see cref="IPAddress.TryParse(string, out IPAddress)"/>
    /// follows the same rules. Unlike C, a bad address throws instead of returning INADDR_NONE,
    /// which C cannot tell apart from the valid "255.255.255.255".
    /// </summary>
    public static uint InetAddr(string dotted)
    {
        ArgumentNullException.ThrowIfNull(dotted);
        if (!IPAddress.TryParse(dotted, out var address) || address.AddressFamily != AddressFamily.InterNetwork
            || dotted.Contains(':') || dotted.Trim() != dotted)
        {
            throw new FormatException($"inet_addr: '{dotted}' is not an IPv4 address");
        }
        Span<byte> bytes = stackalloc byte[4];
        address.TryWriteBytes(bytes, out _);
        return BitConverter.ToUInt32(bytes);
    }

    /// <summary>The inverse of <see cref="InetAddr"/>, like C's <c>inet_ntoa</c>.</summary>
    public static string InetNtoa(uint networkOrderValue) =>
        new IPAddress(BitConverter.GetBytes(networkOrderValue)).ToString();

    /// <summary>
    /// The <c>struct sockaddr_in</c> (or <c>sockaddr_in6</c>) .NET hands to <c>bind()</c> for an endpoint,
    /// byte by byte: the family in host order, then the port and the address in network order.
    /// </summary>
    public static IReadOnlyList<SockaddrField> SockaddrFields(IPEndPoint endpoint)
    {
        var address = endpoint.Serialize();
        var bytes = address.Buffer.Span[..address.Size].ToArray();
        bool v4 = endpoint.AddressFamily == AddressFamily.InterNetwork;
        (string Field, int Offset, int Length)[] layout = v4
            ? [("sin_family", 0, 2), ("sin_port", 2, 2), ("sin_addr", 4, 4), ("sin_zero (padding)", 8, 8)]
            : [("sin6_family", 0, 2), ("sin6_port", 2, 2), ("sin6_flowinfo", 4, 4), ("sin6_addr", 8, 16), ("sin6_scope_id", 24, 4)];
        return layout.Select(f => new SockaddrField(f.Field, f.Offset, FormatBytes(bytes.AsSpan(f.Offset, f.Length)))).ToList();
    }

    /// <summary>What <see cref="InetAddr"/> returns for each address, as a value and as the bytes it occupies.</summary>
    public static IReadOnlyList<AddressView> AddressViews(params string[] dotted) =>
        dotted.Select(a =>
        {
            uint value = InetAddr(a);
            return new AddressView(a, $"0x{value:X8}", FormatBytes(BitConverter.GetBytes(value)), InetNtoa(value));
        }).ToList();

    internal static string FormatBytes(ReadOnlySpan<byte> bytes)
    {
        string hex = Convert.ToHexString(bytes);
        return string.Join(' ', Enumerable.Range(0, bytes.Length).Select(i => hex.Substring(2 * i, 2)));
    }

    /// <summary>Every way the seed writes 9501, computed on this host.</summary>
    public static PortView Show(ushort port) => new(port);
}

/// <summary>One field of a <c>struct sockaddr_in</c> (or <c>sockaddr_in6</c>): where it starts and the bytes it holds.</summary>
public sealed record SockaddrField(string Field, int Offset, string BytesInMemory);

/// <summary>A dotted address through <c>inet_addr</c> and back: the host integer, its bytes in memory, <c>inet_ntoa</c>'s answer.</summary>
public sealed record AddressView(string Address, string HostInteger, string BytesInMemory, string InetNtoaBack);

/// <summary>
/// A port number seen the ways the seed lists them: decimal, binary, hex, the value
/// <c>htons</c> returns, and the bytes actually in memory before and after <c>htons</c> on this host.
/// </summary>
public sealed record PortView(ushort Value)
{
    public ushort NetworkOrderValue => ByteOrder.Htons(Value);

    public string Decimal => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string Binary => $"{Convert.ToString(Value >> 8, 2).PadLeft(8, '0')} {Convert.ToString(Value & 0xFF, 2).PadLeft(8, '0')}";

    public string Hex => $"0x{Value:X4}";

    public string NetworkOrderHex => $"0x{NetworkOrderValue:X4}";

    /// <summary>The two bytes of the host integer as they lie in this machine's memory, lowest address first.</summary>
    public string HostMemory => FormatBytes(BitConverter.GetBytes(Value));

    /// <summary>The two bytes after <c>htons</c>: always the big-endian order that goes on the wire.</summary>
    public string NetworkMemory => FormatBytes(BitConverter.GetBytes(NetworkOrderValue));

    public IReadOnlyList<(string Form, string Value)> Rows =>
    [
        ("decimal", Decimal),
        ("binary", Binary),
        ("hex (host integer)", Hex),
        ($"htons({Decimal}) as hex", NetworkOrderHex),
        ("bytes in memory, host order", HostMemory),
        ("bytes in memory after htons", NetworkMemory),
        ("this host is", ByteOrder.HostIsLittleEndian ? "little-endian" : "big-endian"),
    ];

    private static string FormatBytes(byte[] bytes) => ByteOrder.FormatBytes(bytes);
}
