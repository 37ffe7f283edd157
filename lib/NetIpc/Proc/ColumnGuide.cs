using System.Globalization;

namespace NetIpc.Proc;

/// <summary>One column of a /proc/net line: its header name, the text printed, the decoded value, the meaning.</summary>
public sealed record ProcColumn(string Name, string Printed, string Decoded, string Meaning);

/// <summary>
/// One line of a /proc/net table taken apart column by column: what the kernel printed, what it
/// decodes to, and what the column means. The formats are those of tcp4_seq_show/udp4_format_sock/
/// unix_seq_show in the kernel; the values are whatever line you pass in.
/// </summary>
public static class ColumnGuide
{

    private const double TicksPerSecond = 100; // USER_HZ: clock_t in /proc is always 1/100 s

    public static IReadOnlyList<ProcColumn> TcpColumns(string line)
    {
        var e = TcpTable.ParseLine(line);
        var f = Fields(line);
        bool listen = e.State == KernelTcpState.Listen;
        var columns = new List<ProcColumn>
        {
            new("sl", f[0], e.Slot.ToString(CultureInfo.InvariantCulture), "line number of this dump (not stable between reads)"),
            new("local_address", f[1], e.Local.ToString(), "local address (network-order bytes printed as a host integer) : port"),
            new("rem_address", f[2], e.Remote.ToString(), "remote address and port; 0:0 while listening"),
            new("st", f[3], $"{(int)e.State} = {TcpStates.KernelName(e.State)}", "connection state (hex)"),
            new("tx_queue", f[4].Split(':')[0], e.TxQueue.ToString(CultureInfo.InvariantCulture), listen ? "0 for a listener (ss shows the backlog here, over netlink)" : "bytes the application wrote that the peer has not acknowledged — sent or not yet sent (write_seq − snd_una; SIOCOUTQ returns the same once connected)"),
            new("rx_queue", f[4].Split(':')[1], e.RxQueue.ToString(CultureInfo.InvariantCulture), listen ? "connections waiting in the accept queue" : "bytes received but not yet read"),
            new("tr", f[5].Split(':')[0], e.Timer.ToString(), "which timer is pending: 0 none, 1 retransmit, 2 keepalive, 3 TIME_WAIT, 4 zero-window probe"),
            new("tm->when", f[5].Split(':')[1], $"{e.TimerRemaining.TotalSeconds:0.##} s", "time until that timer fires, in 1/100 s"),
            new("retrnsmt", f[6], e.Retransmits.ToString(CultureInfo.InvariantCulture), "retransmissions of the oldest unacknowledged segment (hex)"),
            new("uid", f[7], e.Uid.ToString(CultureInfo.InvariantCulture), "user id of the socket's owner — not what matches socket:[N]"),
            new("timeout", f[8], e.Timeouts.ToString(CultureInfo.InvariantCulture), "despite the header: unanswered probes (zero-window or keepalive)"),
            new("inode", f[9], e.Inode.ToString(CultureInfo.InvariantCulture), e.Inode == 0 ? "0: no file owns this socket (TIME_WAIT, SYN_RECV, or still in an accept queue)" : "the N of socket:[N] in /proc/<pid>/fd"),
        };
        if (f.Length > 10)
        {
            columns.Add(new("(ref)", f[10], f[10], "reference count of the kernel's struct sock"));
        }
        if (f.Length > 11)
        {
            columns.Add(new("(pointer)", f[11], "hidden", PointerMeaning("struct sock")));
        }
        if (f.Length >= 17)
        {
            columns.Add(new("(rto)", f[12], $"{Ticks(f[12])} ms", "retransmission timeout"));
            columns.Add(new("(ato)", f[13], $"{Ticks(f[13])} ms", "delayed-ACK timeout"));
            int quick = int.Parse(f[14], CultureInfo.InvariantCulture);
            columns.Add(new("(quick ack, pingpong)", f[14], $"quick {quick >> 1}, pingpong {quick & 1}", "quick-ACK budget × 2 + interactive mode bit"));
            columns.Add(new("(snd_cwnd)", f[15], f[15], "congestion window, in segments"));
            columns.Add(new(listen ? "(fastopen queue)" : "(ssthresh)", f[16], f[16] == "-1" ? "-1 = still in initial slow start" : f[16],
                listen ? "TCP Fast Open queue limit of the listener" : "slow-start threshold, in segments"));
        }
        return columns;
    }

    public static IReadOnlyList<ProcColumn> UdpColumns(string line)
    {
        var e = UdpTable.ParseLine(line);
        var f = Fields(line);
        return
        [
            new("sl", f[0], e.Slot.ToString(CultureInfo.InvariantCulture), "hash bucket of the local port, not a line number: gaps and repeats are normal"),
            new("local_address", f[1], e.Local.ToString(), "bound address and port"),
            new("rem_address", f[2], e.Remote.ToString(), "the peer after connect(); 0:0 otherwise"),
            new("st", f[3], e.IsConnected ? "1 = connected" : "7 = unconnected", "UDP has no states; the kernel reuses TCP_ESTABLISHED and TCP_CLOSE"),
            new("tx_queue", f[4].Split(':')[0], e.TxQueue.ToString(CultureInfo.InvariantCulture), "memory charged to the send buffer"),
            new("rx_queue", f[4].Split(':')[1], e.RxQueue.ToString(CultureInfo.InvariantCulture), "memory charged to the receive buffer (whole sk_buffs, not payload bytes)"),
            new("tr:tm->when", f[5], "0", "UDP has no timers"),
            new("retrnsmt", f[6], "0", "UDP never retransmits"),
            new("uid", f[7], e.Uid.ToString(CultureInfo.InvariantCulture), "owner's user id"),
            new("timeout", f[8], "0", "unused for UDP"),
            new("inode", f[9], e.Inode.ToString(CultureInfo.InvariantCulture), "the N of socket:[N]"),
            new("ref", f[10], f[10], "reference count"),
            new("pointer", f[11], "hidden", PointerMeaning("struct sock")),
            new("drops", f[12], e.Drops.ToString(CultureInfo.InvariantCulture), "datagrams dropped at this socket: receive buffer full, bad checksum or a socket filter (sk_drops)"),
        ];
    }

    public static IReadOnlyList<ProcColumn> UnixColumns(string line)
    {
        var e = UnixTable.ParseLine(line);
        var f = Fields(line);
        return
        [
            new("Num", f[0], "hidden", PointerMeaning("the kernel's socket")),
            new("RefCount", f[1], e.RefCount.ToString(CultureInfo.InvariantCulture), "reference count"),
            new("Protocol", f[2], e.Protocol.ToString(CultureInfo.InvariantCulture), "always 0 for UNIX sockets"),
            new("Flags", f[3], e.IsListening ? "listening (__SO_ACCEPTCON)" : "none", "0x00010000 is set by listen()"),
            new("Type", f[4], e.Type.ToString(), "1 SOCK_STREAM, 2 SOCK_DGRAM, 5 SOCK_SEQPACKET"),
            new("St", f[5], e.State.ToString(), "socket state SS_*: 1 unconnected, 3 connected (not a TCP state)"),
            new("Inode", f[6], e.Inode.ToString(CultureInfo.InvariantCulture), "the N of socket:[N]"),
            new("Path", e.Path ?? "", e.Path is null ? "unbound" : e.IsAbstract ? "abstract name (no file; '@' stands for NUL)" : "a socket file on disk",
                "the bound name: may contain spaces; an accepted connection shows its listener's path"),
        ];
    }

    private static string[] Fields(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Ticks(string text) =>
        (long.Parse(text, CultureInfo.InvariantCulture) * 1000 / TicksPerSecond).ToString(CultureInfo.InvariantCulture);

    // %pK in the kernel's seq_printf: restricted_pointer (lib/vsprintf.c) decides by kernel.kptr_restrict, at read time.
    private static string PointerMeaning(string what) =>
        $"address of {what}, printed with %pK: hashed at kptr_restrict 0, real to a CAP_SYSLOG reader at 1 (zeros to others), zeros at 2";
}
