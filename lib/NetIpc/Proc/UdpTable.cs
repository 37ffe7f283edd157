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
    KernelTcpState State,
    ulong TxQueue,
    ulong RxQueue,
    uint Uid,
    ulong Inode,
    int RefCount,
    ulong Drops)
{
    public bool IsIPv6 => Local.AddressFamily == AddressFamily.InterNetworkV6;

    public string Netid => IsIPv6 ? "udp6" : "udp";

    public bool IsConnected => State == KernelTcpState.Established;
}

/// <summary>The parsed /proc/net/udp or /proc/net/udp6.</summary>
public sealed class UdpTable : ProcTable<UdpSocketEntry>
{
    public UdpTable(IReadOnlyList<UdpSocketEntry> entries) : base(entries)
    {
    }

    public static UdpTable Parse(string text, string file = "/proc/net/udp") =>
        new(InetColumns.ParseTable<UdpSocketEntry>(text, file, ParseLine));

    /// <summary>The file's raw bytes, as read from /proc: the fast path of the live readers.</summary>
    public static UdpTable Parse(ReadOnlySpan<byte> utf8, string file = "/proc/net/udp") =>
        new(InetColumns.ParseTable<UdpSocketEntry>(utf8, file, ParseLine));

    /// <summary>One data line on its own, e.g. copied from a terminal (the header is not needed).</summary>
    public static UdpSocketEntry ParseLine(string line, string file = "line") => ParseLine(line.AsSpan(), file, 1, null);

    private static UdpSocketEntry ParseLine(ReadOnlySpan<char> line, string file, int number, AddressCache? addresses)
    {
        var reader = new FieldReader(line, file, number);
        // The timer columns are printed for UDP too (always 0); only their format is checked.
        var c = InetColumns.Read(ref reader, addresses, "socket state", timerMustBeKnown: false);
        long refCount = reader.NextSignedDecimal("ref");
        reader.Next("pointer");
        // Columns a newer kernel appends after drops are not ours to judge: read the known ones, leave the rest.
        ulong drops = reader.NextDecimal("drops");
        return new UdpSocketEntry(c.Slot, c.Local, c.Remote, c.State, c.TxQueue, c.RxQueue, c.Uid, c.Inode, (int)refCount, drops);
    }
}
