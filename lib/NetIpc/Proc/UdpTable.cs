using System.Net;
using System.Net.Sockets;

namespace NetIpc.Proc;

/// <summary>
/// One line of /proc/net/udp, udp6 (and raw, raw6, which share the format).
/// <see cref="Slot"/> is a hash bucket, so numbers skip and repeat. <see cref="State"/> reuses the TCP
/// numbers: Close (07) for an unconnected socket, Established (01) after <c>connect</c>.
/// <see cref="RxQueue"/> counts buffer memory charged to the socket, not payload bytes.
/// <see cref="Drops"/> counts datagrams the kernel threw away because the receive buffer was full.
/// </summary>
public sealed record UdpSocketEntry(
    int Slot,
    IPEndPoint Local,
    IPEndPoint Remote,
    TcpState State,
    ulong TxQueue,
    ulong RxQueue,
    uint Uid,
    ulong Inode,
    int RefCount,
    ulong Drops)
{
    public bool IsIPv6 => Local.AddressFamily == AddressFamily.InterNetworkV6;

    public string Netid => IsIPv6 ? "udp6" : "udp";

    public bool IsConnected => State == TcpState.Established;
}

/// <summary>The parsed /proc/net/udp or /proc/net/udp6.</summary>
public sealed class UdpTable : ProcTable<UdpSocketEntry>
{
    public UdpTable(IReadOnlyList<UdpSocketEntry> entries) : base(entries)
    {
    }

    public static UdpTable Parse(string text, string file = "/proc/net/udp")
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<UdpSocketEntry>();
        var addresses = new AddressCache();
        ForEachDataLine(text.AsSpan(), file, "local_address", (line, number) => entries.Add(ParseLine(line, file, number, addresses)));
        return new UdpTable(entries);
    }

    /// <summary>The file's raw bytes, as read from /proc: the fast path of the live readers.</summary>
    public static UdpTable Parse(ReadOnlySpan<byte> utf8, string file = "/proc/net/udp")
    {
        var entries = new List<UdpSocketEntry>();
        var addresses = new AddressCache();
        ForEachDataLine(utf8, file, "local_address", (line, number) => entries.Add(ParseLine(line, file, number, addresses)));
        return new UdpTable(entries);
    }

    /// <summary>One data line on its own, e.g. copied from a terminal (the header is not needed).</summary>
    public static UdpSocketEntry ParseLine(string line, string file = "line") => ParseLine(line.AsSpan(), file, 1, null);

    private static UdpSocketEntry ParseLine(ReadOnlySpan<char> line, string file, int number, AddressCache? addresses)
    {
        var reader = new FieldReader(line, file, number);
        int slot = ProcSlot.Parse(ref reader);
        var local = ProcAddress.Parse(ref reader, "local_address", addresses);
        var remote = ProcAddress.Parse(ref reader, "rem_address", addresses);
        ulong st = reader.NextHex("st", 2);
        if (st is < (ulong)TcpState.Established or > (ulong)TcpState.Closing)
        {
            throw reader.Error("st", $"0x{st:X2} is not a socket state the kernel prints (01 to 0B)");
        }
        if (local.AddressFamily != remote.AddressFamily)
        {
            throw reader.Error("rem_address", "the local and remote addresses are of different families");
        }
        var (tx, rx) = reader.NextHexPair("tx_queue:rx_queue", 8, 8);
        reader.NextHexPair("tr:tm->when", 2, 16);
        reader.NextHex("retrnsmt", 8);
        ulong uid = reader.NextDecimal("uid");
        if (uid > uint.MaxValue)
        {
            throw reader.Error("uid", $"{uid} does not fit a 32-bit uid");
        }
        reader.NextSignedDecimal("timeout");
        ulong inode = reader.NextDecimal("inode");
        long refCount = reader.NextSignedDecimal("ref");
        reader.Next("pointer");
        // Columns a newer kernel appends after drops are not ours to judge: read the known ones, leave the rest.
        ulong drops = reader.NextDecimal("drops");
        return new UdpSocketEntry(slot, local, remote, (TcpState)st, tx, rx, (uint)uid, inode, (int)refCount, drops);
    }
}
