using System.Globalization;
using System.Net;

namespace NetIpc.Proc;

/// <summary>
/// The ten columns every line of /proc/net/tcp, tcp6, udp and udp6 begins with — sl, local_address,
/// rem_address, st, tx_queue:rx_queue, tr:tm->when, retrnsmt, uid, timeout, inode — read in the kernel's
/// order, each malformed one reported under its header name. What follows inode is each table's own.
/// </summary>
internal readonly record struct InetColumns(
    int Slot, IPEndPoint Local, IPEndPoint Remote, KernelTcpState State,
    ulong TxQueue, ulong RxQueue, TcpTimer Timer, ulong TimerTicks,
    ulong Retransmits, uint Uid, long Timeouts, ulong Inode)
{
    /// <summary>The word every header of the inet tables contains.</summary>
    public const string Header = "local_address";

    /// <summary>Parses one data line, with the table's address cache (null when parsing a single line).</summary>
    public delegate TEntry LineParser<TEntry>(ReadOnlySpan<char> line, string file, int number, AddressCache? addresses);

    /// <summary>Every data line of an inet table, addresses shared through one cache for the whole read.</summary>
    public static List<TEntry> ParseTable<TEntry>(string text, string file, LineParser<TEntry> parse)
    {
        ArgumentNullException.ThrowIfNull(text);
        var addresses = new AddressCache();
        return ProcTable<TEntry>.ParseEntries(text.AsSpan(), file, Header, (line, number) => parse(line, file, number, addresses));
    }

    /// <summary>The same from the file's raw bytes, as read from /proc: the fast path of the live readers.</summary>
    public static List<TEntry> ParseTable<TEntry>(ReadOnlySpan<byte> utf8, string file, LineParser<TEntry> parse)
    {
        var addresses = new AddressCache();
        return ProcTable<TEntry>.ParseEntries(utf8, file, Header, (line, number) => parse(line, file, number, addresses));
    }

    /// <param name="stateKind">How the error for an unknown <c>st</c> names the state ("TCP state", "socket state").</param>
    /// <param name="timerMustBeKnown">Whether a timer kind outside 0 to 4 is an error (TCP) or ignored (UDP never sets one).</param>
    public static InetColumns Read(ref FieldReader reader, AddressCache? addresses, string stateKind, bool timerMustBeKnown)
    {
        int slot = ReadSlot(ref reader);
        var local = ProcAddress.Parse(ref reader, "local_address", addresses);
        var remote = ProcAddress.Parse(ref reader, "rem_address", addresses);
        ulong st = reader.NextHex("st", 2);
        if (st is < (ulong)KernelTcpState.Established or > (ulong)KernelTcpState.Closing)
        {
            throw reader.Error("st", $"0x{st:X2} is not a {stateKind} the kernel prints (01 to 0B)");
        }
        if (local.AddressFamily != remote.AddressFamily)
        {
            throw reader.Error("rem_address", "the local and remote addresses are of different families");
        }
        var (tx, rx) = reader.NextHexPair("tx_queue:rx_queue", 8, 8);
        var (tr, when) = reader.NextHexPair("tr:tm->when", 2, 16);
        if (timerMustBeKnown && tr > (ulong)TcpTimer.ZeroWindowProbe)
        {
            throw reader.Error("tr:tm->when", $"timer kind {tr} is not one the kernel prints (0 to 4)");
        }
        ulong retransmits = reader.NextHex("retrnsmt", 8);
        ulong uid = reader.NextDecimal("uid");
        if (uid > uint.MaxValue)
        {
            throw reader.Error("uid", $"{uid} does not fit a 32-bit uid");
        }
        long timeouts = reader.NextSignedDecimal("timeout");
        ulong inode = reader.NextDecimal("inode");
        return new InetColumns(slot, local, remote, (KernelTcpState)st, tx, rx, (TcpTimer)tr, when, retransmits, (uint)uid, timeouts, inode);
    }

    /// <summary>The first column: a number and a colon ("  12:").</summary>
    private static int ReadSlot(ref FieldReader reader)
    {
        var text = reader.Next("sl");
        if (text.Length < 2 || text[^1] != ':' || !int.TryParse(text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out int slot))
        {
            throw reader.Error("sl", $"expected a slot number followed by ':', got '{text}'");
        }
        return slot;
    }
}
