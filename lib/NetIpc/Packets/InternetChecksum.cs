using System.Net;
using System.Net.Sockets;

namespace NetIpc.Packets;

/// <summary>
/// The Internet checksum of RFC 1071: the ones' complement of the ones' complement sum of 16-bit
/// big-endian words. IPv4 covers its header with it; TCP and UDP cover a pseudo-header (addresses,
/// protocol, length) plus their whole segment.
/// </summary>
public static class InternetChecksum
{
    /// <summary>The checksum to store in a header whose checksum field is zero while summing.</summary>
    public static ushort Compute(ReadOnlySpan<byte> bytes) => Finish(Sum(bytes, 0));

    /// <summary>True when the bytes, checksum field included, sum to 0xFFFF: the receiver's test.</summary>
    public static bool Verify(ReadOnlySpan<byte> bytes) => Fold(Sum(bytes, 0)) == 0xFFFF;

    /// <summary>The TCP or UDP checksum over the IPv4 pseudo-header and <paramref name="segment"/> (header + payload, checksum field zeroed).</summary>
    public static ushort Transport(IPAddress source, IPAddress destination, ProtocolType protocol, ReadOnlySpan<byte> segment) =>
        Finish(Sum(segment, PseudoHeaderSum(source, destination, protocol, segment.Length)));

    /// <summary>Whether a received segment (checksum field included) is intact.</summary>
    public static bool VerifyTransport(IPAddress source, IPAddress destination, ProtocolType protocol, ReadOnlySpan<byte> segment) =>
        Fold(Sum(segment, PseudoHeaderSum(source, destination, protocol, segment.Length))) == 0xFFFF;

    private static ulong PseudoHeaderSum(IPAddress source, IPAddress destination, ProtocolType protocol, int length)
    {
        if (source.AddressFamily != AddressFamily.InterNetwork || destination.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException("the pseudo-header here is IPv4's: both addresses must be IPv4");
        }
        Span<byte> pseudo = stackalloc byte[12];
        source.TryWriteBytes(pseudo[..4], out _);
        destination.TryWriteBytes(pseudo[4..8], out _);
        pseudo[8] = 0;
        pseudo[9] = (byte)protocol;
        Wire.Write16(pseudo, 10, checked((ushort)length));
        return Sum(pseudo, 0);
    }

    private static ulong Sum(ReadOnlySpan<byte> bytes, ulong sum)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2)
        {
            sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
        }
        if (i < bytes.Length)
        {
            sum += (uint)(bytes[i] << 8); // an odd last byte is padded with zero
        }
        return sum;
    }

    private static ushort Fold(ulong sum)
    {
        while (sum >> 16 != 0)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }
        return (ushort)sum;
    }

    // A result of 0 is sent as 0xFFFF for UDP (0 means "no checksum"); both are the same in ones' complement.
    private static ushort Finish(ulong sum) => (ushort)~Fold(sum);
}
