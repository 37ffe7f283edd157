using System.Runtime.InteropServices;

namespace NetIpc.Packets;

/// <summary>
/// The one place where header fields cross between network order (on the wire, in the buffer) and
/// host order (in the header records): read the bytes as a host integer, then ntohs/ntohl — chapter 02's
/// functions, so the conversion a reader learned there is the one the headers use.
/// </summary>
internal static class Wire
{
    public static ushort Read16(ReadOnlySpan<byte> bytes, int offset) => ByteOrder.Ntohs(MemoryMarshal.Read<ushort>(bytes[offset..]));

    public static uint Read32(ReadOnlySpan<byte> bytes, int offset) => ByteOrder.Ntohl(MemoryMarshal.Read<uint>(bytes[offset..]));

    public static void Write16(Span<byte> bytes, int offset, ushort value) => MemoryMarshal.Write(bytes[offset..], ByteOrder.Htons(value));

    public static void Write32(Span<byte> bytes, int offset, uint value) => MemoryMarshal.Write(bytes[offset..], ByteOrder.Htonl(value));
}

/// <summary>A header that cannot be parsed: which header, which field, what was wrong.</summary>
public sealed class PacketFormatException(string header, string field, string problem)
    : FormatException($"{header}, field '{field}': {problem}")
{
    public string Header { get; } = header;

    public string Field { get; } = field;
}
