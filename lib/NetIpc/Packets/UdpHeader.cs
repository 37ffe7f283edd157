namespace NetIpc.Packets;

/// <summary>The 8-byte UDP header (RFC 768), fields in host order. <see cref="Length"/> covers header and payload.</summary>
public sealed record UdpHeader(ushort SourcePort, ushort DestinationPort, ushort Length, ushort Checksum)
{
    public const int HeaderLength = 8;

    public static UdpHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < HeaderLength)
        {
            throw new PacketFormatException("UDP", "length", $"{bytes.Length} bytes, the header needs {HeaderLength}");
        }
        return new UdpHeader(Wire.Read16(bytes, 0), Wire.Read16(bytes, 2), Wire.Read16(bytes, 4), Wire.Read16(bytes, 6));
    }

    public void WriteTo(Span<byte> bytes)
    {
        Wire.Write16(bytes, 0, SourcePort);
        Wire.Write16(bytes, 2, DestinationPort);
        Wire.Write16(bytes, 4, Length);
        Wire.Write16(bytes, 6, Checksum);
    }
}
