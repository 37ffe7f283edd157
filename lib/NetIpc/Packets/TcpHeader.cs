namespace NetIpc.Packets;

/// <summary>The TCP flags byte (plus the two ECN bits), as tcpdump names them.</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
    Ece = 0x40,
    Cwr = 0x80,
}

/// <summary>
/// The TCP header (RFC 9293), fields in host order. <see cref="HeaderLength"/> is in bytes (data
/// offset × 4). Options are kept as bytes; the MSS option (kind 2) is decoded.
/// </summary>
public sealed record TcpHeader(
    ushort SourcePort,
    ushort DestinationPort,
    uint SequenceNumber,
    uint AcknowledgmentNumber,
    TcpFlags Flags,
    ushort Window,
    ushort Checksum,
    ushort UrgentPointer = 0,
    byte[]? Options = null)
{
    public const int MinimumLength = 20;

    public int HeaderLength => MinimumLength + (Options?.Length ?? 0);

    /// <summary>The maximum segment size the sender announces (SYN and SYN-ACK only), or null.</summary>
    public ushort? Mss
    {
        get
        {
            var options = Options ?? [];
            for (int i = 0; i < options.Length;)
            {
                byte kind = options[i];
                if (kind == 0)
                {
                    break; // end of options
                }
                if (kind == 1)
                {
                    i++; // no-op padding
                    continue;
                }
                if (i + 1 >= options.Length || options[i + 1] < 2)
                {
                    break; // malformed: stop rather than loop
                }
                if (kind == 2 && options[i + 1] == 4 && i + 4 <= options.Length)
                {
                    return Wire.Read16(options, i + 2);
                }
                i += options[i + 1];
            }
            return null;
        }
    }

    /// <summary>An options block holding just an MSS option, what a SYN carries at minimum.</summary>
    public static byte[] MssOption(ushort mss)
    {
        var option = new byte[4];
        option[0] = 2;
        option[1] = 4;
        Wire.Write16(option, 2, mss);
        return option;
    }

    public static TcpHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < MinimumLength)
        {
            throw new PacketFormatException("TCP", "length", $"{bytes.Length} bytes, the header needs at least {MinimumLength}");
        }
        int headerLength = (bytes[12] >> 4) * 4;
        if (headerLength < MinimumLength || headerLength > bytes.Length)
        {
            throw new PacketFormatException("TCP", "data offset", $"header length {headerLength} bytes with {bytes.Length} available");
        }
        return new TcpHeader(
            SourcePort: Wire.Read16(bytes, 0),
            DestinationPort: Wire.Read16(bytes, 2),
            SequenceNumber: Wire.Read32(bytes, 4),
            AcknowledgmentNumber: Wire.Read32(bytes, 8),
            Flags: (TcpFlags)bytes[13],
            Window: Wire.Read16(bytes, 14),
            Checksum: Wire.Read16(bytes, 16),
            UrgentPointer: Wire.Read16(bytes, 18),
            Options: headerLength > MinimumLength ? bytes[MinimumLength..headerLength].ToArray() : null);
    }

    public void WriteTo(Span<byte> bytes)
    {
        if (Options is { Length: var n } && (n % 4 != 0 || n > 40))
        {
            throw new PacketFormatException("TCP", "options", $"{n} bytes; options come in 4-byte words, at most 40");
        }
        Wire.Write16(bytes, 0, SourcePort);
        Wire.Write16(bytes, 2, DestinationPort);
        Wire.Write32(bytes, 4, SequenceNumber);
        Wire.Write32(bytes, 8, AcknowledgmentNumber);
        bytes[12] = (byte)(HeaderLength / 4 << 4);
        bytes[13] = (byte)Flags;
        Wire.Write16(bytes, 14, Window);
        Wire.Write16(bytes, 16, Checksum);
        Wire.Write16(bytes, 18, UrgentPointer);
        Options?.CopyTo(bytes[MinimumLength..]);
    }
}
