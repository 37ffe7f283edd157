using System.Net;
using System.Net.Sockets;

namespace NetIpc.Packets;

/// <summary>
/// The IPv4 header (RFC 791), fields in host order. <see cref="HeaderLength"/> is in bytes (IHL × 4);
/// options beyond the fixed 20 bytes are kept as bytes.
/// </summary>
public sealed record Ipv4Header(
    byte TypeOfService,
    ushort TotalLength,
    ushort Identification,
    bool DontFragment,
    bool MoreFragments,
    ushort FragmentOffset,
    byte Ttl,
    ProtocolType Protocol,
    ushort Checksum,
    IPAddress Source,
    IPAddress Destination,
    byte[]? Options = null)
{
    public const int MinimumLength = 20;

    public int Version => 4;

    public int HeaderLength => MinimumLength + (Options?.Length ?? 0);

    public static Ipv4Header Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinimumLength)
        {
            throw new PacketFormatException("IPv4", "length", $"{bytes.Length} bytes, the header needs at least {MinimumLength}");
        }
        int version = bytes[0] >> 4;
        int headerLength = (bytes[0] & 0x0F) * 4;
        if (version != 4)
        {
            throw new PacketFormatException("IPv4", "version", $"{version}, not 4");
        }
        if (headerLength < MinimumLength || headerLength > bytes.Length)
        {
            throw new PacketFormatException("IPv4", "IHL", $"header length {headerLength} bytes with {bytes.Length} available");
        }
        ushort flagsAndOffset = Wire.Read16(bytes, 6);
        return new Ipv4Header(
            TypeOfService: bytes[1],
            TotalLength: Wire.Read16(bytes, 2),
            Identification: Wire.Read16(bytes, 4),
            DontFragment: (flagsAndOffset & 0x4000) != 0,
            MoreFragments: (flagsAndOffset & 0x2000) != 0,
            FragmentOffset: (ushort)(flagsAndOffset & 0x1FFF),
            Ttl: bytes[8],
            Protocol: (ProtocolType)bytes[9],
            Checksum: Wire.Read16(bytes, 10),
            Source: new IPAddress(bytes[12..16]),
            Destination: new IPAddress(bytes[16..20]),
            Options: headerLength > MinimumLength ? bytes[MinimumLength..headerLength].ToArray() : null);
    }

    /// <summary>Writes the header as it stands, checksum field included.</summary>
    public void WriteTo(Span<byte> bytes)
    {
        if (Options is { Length: var n } && (n % 4 != 0 || n > 40))
        {
            throw new PacketFormatException("IPv4", "options", $"{n} bytes; options come in 4-byte words, at most 40");
        }
        bytes[0] = (byte)(0x40 | HeaderLength / 4);
        bytes[1] = TypeOfService;
        Wire.Write16(bytes, 2, TotalLength);
        Wire.Write16(bytes, 4, Identification);
        Wire.Write16(bytes, 6, (ushort)((DontFragment ? 0x4000 : 0) | (MoreFragments ? 0x2000 : 0) | (FragmentOffset & 0x1FFF)));
        bytes[8] = Ttl;
        bytes[9] = (byte)Protocol;
        Wire.Write16(bytes, 10, Checksum);
        Source.TryWriteBytes(bytes[12..16], out _);
        Destination.TryWriteBytes(bytes[16..20], out _);
        Options?.CopyTo(bytes[MinimumLength..]);
    }

    /// <summary>The same header with the checksum the kernel would compute over it.</summary>
    public Ipv4Header WithChecksum()
    {
        Span<byte> bytes = stackalloc byte[HeaderLength];
        (this with { Checksum = 0 }).WriteTo(bytes);
        return this with { Checksum = InternetChecksum.Compute(bytes) };
    }

    /// <summary>Whether the checksum field matches the header.</summary>
    public bool ChecksumIsValid()
    {
        Span<byte> bytes = stackalloc byte[HeaderLength];
        WriteTo(bytes);
        return InternetChecksum.Verify(bytes);
    }
}
