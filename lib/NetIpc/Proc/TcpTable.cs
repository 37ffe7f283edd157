using System.Net;
using System.Net.Sockets;

namespace NetIpc.Proc;

/// <summary>
/// TCP states with the kernel's numbers (include/net/tcp_states.h), as the <c>st</c> column prints them in hex.
/// Not System.Net.NetworkInformation.TcpState, which numbers the same states differently (Closed = 1).
/// </summary>
public enum KernelTcpState
{
    Established = 1,
    SynSent = 2,
    SynRecv = 3,
    FinWait1 = 4,
    FinWait2 = 5,
    TimeWait = 6,
    Close = 7,
    CloseWait = 8,
    LastAck = 9,
    Listen = 10,
    Closing = 11,
}

/// <summary>The <c>tr</c> column: which timer is pending on the socket.</summary>
public enum TcpTimer
{
    None = 0,
    Retransmit = 1,
    Keepalive = 2,
    TimeWait = 3,
    ZeroWindowProbe = 4,
}

/// <summary>
/// One line of /proc/net/tcp or /proc/net/tcp6.
/// For a LISTEN socket <see cref="RxQueue"/> is the accept-queue length; otherwise <see cref="RxQueue"/> is
/// unread bytes (rcv_nxt − copied_seq) and <see cref="TxQueue"/> is bytes written and not yet acknowledged,
/// including bytes still waiting to be sent (write_seq − snd_una in get_tcp4_sock). <see cref="Timeouts"/> is the column the header calls "timeout":
/// the number of unanswered probes. TIME_WAIT and SYN_RECV lines are short: they have no
/// reference count beyond the one printed, and their <see cref="Inode"/> is 0 because no file owns them.
/// </summary>
public sealed record TcpSocketEntry(
    int Slot,
    IPEndPoint Local,
    IPEndPoint Remote,
    KernelTcpState State,
    ulong TxQueue,
    ulong RxQueue,
    TcpTimer Timer,
    ulong TimerTicks,
    ulong Retransmits,
    uint Uid,
    long Timeouts,
    ulong Inode,
    int? RefCount)
{
    /// <summary>Ticks of the timer column are USER_HZ (100 per second) on every Linux architecture.</summary>
    public TimeSpan TimerRemaining => TimeSpan.FromMilliseconds(TimerTicks * 10.0);

    public bool IsIPv6 => Local.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>"tcp" or "tcp6", the names the kernel's files and <c>ss</c> use.</summary>
    public string Netid => IsIPv6 ? "tcp6" : "tcp";
}

/// <summary>The parsed /proc/net/tcp or /proc/net/tcp6.</summary>
public sealed class TcpTable : ProcTable<TcpSocketEntry>
{
    public TcpTable(IReadOnlyList<TcpSocketEntry> entries) : base(entries)
    {
    }

    /// <param name="text">The whole file, header included.</param>
    /// <param name="file">Where the text came from, for error messages.</param>
    public static TcpTable Parse(string text, string file = "/proc/net/tcp") =>
        new(InetColumns.ParseTable<TcpSocketEntry>(text, file, ParseLine));

    /// <summary>The file's raw bytes, as read from /proc: the fast path of the live readers.</summary>
    public static TcpTable Parse(ReadOnlySpan<byte> utf8, string file = "/proc/net/tcp") =>
        new(InetColumns.ParseTable<TcpSocketEntry>(utf8, file, ParseLine));

    /// <summary>Each data line's text next to what it parses to, from one read of the file.</summary>
    public static IReadOnlyList<(string Text, TcpSocketEntry Entry)> ParseWithText(string text, string file = "/proc/net/tcp") =>
        ParseEntriesWithText(text, file, InetColumns.Header, (line, number) => ParseLine(line, file, number, null));

    /// <summary>One data line on its own, e.g. copied from a terminal (the header is not needed).</summary>
    public static TcpSocketEntry ParseLine(string line, string file = "line") => ParseLine(line.AsSpan(), file, 1, null);

    private static TcpSocketEntry ParseLine(ReadOnlySpan<char> line, string file, int number, AddressCache? addresses)
    {
        var reader = new FieldReader(line, file, number);
        var c = InetColumns.Read(ref reader, addresses, "TCP state", timerMustBeKnown: true);
        int? refCount = reader.AtEnd ? null : (int)reader.NextSignedDecimal("ref");
        return new TcpSocketEntry(c.Slot, c.Local, c.Remote, c.State, c.TxQueue, c.RxQueue, c.Timer, c.TimerTicks, c.Retransmits, c.Uid, c.Timeouts, c.Inode, refCount);
    }
}
