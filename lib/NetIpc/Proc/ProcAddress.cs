using System.Net;

namespace NetIpc.Proc;

/// <summary>
/// The "ADDRESS:PORT" column of /proc/net/tcp, tcp6, udp and udp6.
/// The kernel prints each 32-bit word of the address as a host integer (so 127.0.0.1 is 0100007F
/// on little-endian) and the port as an ordinary number (9501 is 251D). The words are turned back
/// into bytes in this machine's order, which is right because the file was printed by this kernel.
/// </summary>
internal static class ProcAddress
{
    public static IPEndPoint Parse(ref FieldReader reader, string field, AddressCache? addresses = null)
    {
        var text = reader.Next(field);
        int colon = text.IndexOf(':');
        // The kernel prints %08X words and a %04X port: any other width is not its output.
        if ((colon != 8 && colon != 32) || text.Length != colon + 5)
        {
            throw reader.Error(field, $"expected 8 (IPv4) or 32 (IPv6) hex digits, ':' and a hex port, got '{text}'");
        }
        if (colon == 8)
        {
            uint v4 = (uint)reader.ParseHex(text[..8], field, 8);
            ushort v4Port = (ushort)reader.ParseHex(text[9..], field, 4);
            return new IPEndPoint(addresses?.Get(v4) ?? new IPAddress(BitConverter.GetBytes(v4)), v4Port);
        }
        Span<byte> bytes = stackalloc byte[colon / 2];
        for (int word = 0; word < colon / 8; word++)
        {
            uint value = (uint)reader.ParseHex(text.Slice(word * 8, 8), field, 8);
            BitConverter.TryWriteBytes(bytes.Slice(word * 4, 4), value);
        }
        ushort port = (ushort)reader.ParseHex(text[(colon + 1)..], field, 4);
        return new IPEndPoint(new IPAddress(bytes), port);
    }
}

/// <summary>
/// One IPAddress object per distinct IPv4 address within one parse: a table of 20,000 loopback
/// connections then holds a handful of addresses instead of 40,000 copies of 127.0.0.1.
/// (IPEndPoint is mutable, so endpoints are never shared.)
/// </summary>
internal sealed class AddressCache
{
    private readonly Dictionary<uint, IPAddress> v4 = [];

    public IPAddress Get(uint printed)
    {
        if (!v4.TryGetValue(printed, out var address))
        {
            v4[printed] = address = new IPAddress(BitConverter.GetBytes(printed));
        }
        return address;
    }
}
