using System.Net.NetworkInformation;

namespace NetIpc.Packets;

/// <summary>The 14-byte Ethernet II header: destination MAC, source MAC, EtherType (0x0800 IPv4, 0x86DD IPv6).</summary>
public sealed record EthernetHeader(PhysicalAddress Destination, PhysicalAddress Source, ushort EtherType)
{
    public const int Length = 14;
    public const ushort IPv4 = 0x0800;
    public const ushort IPv6 = 0x86DD;

    public static EthernetHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Length)
        {
            throw new PacketFormatException("Ethernet", "length", $"{bytes.Length} bytes, the header needs {Length}");
        }
        return new EthernetHeader(new PhysicalAddress(bytes[..6].ToArray()), new PhysicalAddress(bytes[6..12].ToArray()), Wire.Read16(bytes, 12));
    }

    public void WriteTo(Span<byte> bytes)
    {
        Destination.GetAddressBytes().CopyTo(bytes);
        Source.GetAddressBytes().CopyTo(bytes[6..]);
        Wire.Write16(bytes, 12, EtherType);
    }
}
