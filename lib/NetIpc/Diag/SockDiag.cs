using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Diag;

/// <summary>
/// The socket tables the way <c>ss</c> reads them: netlink sock_diag (AF_NETLINK, NETLINK_SOCK_DIAG,
/// SOCK_DIAG_BY_FAMILY), binary rows instead of the text /proc/net formats. Answers about the network namespace
/// of the calling thread, needs no privilege for it, and returns the entry types <see cref="ProcNet"/>'s parsers
/// return, so the two views compare row by row. Where the two differ, the kernel fills them from different places:
/// <list type="bullet">
/// <item>A LISTEN socket's TxQueue is idiag_wqueue, the backlog (what <c>ss</c> shows as Send-Q); /proc prints write_seq − snd_una, 0.</item>
/// <item>The timer's time left is idiag_expires in ms; TimerTicks here is that ÷ 10, /proc's USER_HZ unit, read at another instant.</item>
/// <item>Without tcp_info, Retransmits and Timeouts come from idiag_retrans, which the kernel fills only while a timer is pending.</item>
/// <item>A request socket (SYN_RECV) has uid 0 and idiag_retrans = num_retrans; /proc prints the listener's uid and num_timeout.</item>
/// <item>Slot is the row's index in the dump; RefCount is null (TCP) or 0 (UDP, UNIX): sock_diag reports no reference count.</item>
/// </list>
/// </summary>
public static class SockDiag
{
    /// <summary>TCP over IPv4 then IPv6, like <see cref="ProcNet.TcpAll"/>; <paramref name="states"/> is filtered by the kernel.</summary>
    public static TcpTable Tcp(TcpStateFilter states = TcpStateFilter.All) =>
        new(DumpTcp(states, withInfo: false, static (in InetDiag.Message m, TcpInfo? info, int slot) => InetDiag.ToTcpSocket(m, info, slot)));

    /// <summary>UDP over IPv4 then IPv6, like <see cref="ProcNet.UdpAll"/>, drops from INET_DIAG_SKMEMINFO.</summary>
    public static UdpTable Udp()
    {
        var rows = new SegmentedList<UdpSocketEntry>();
        Span<byte> request = stackalloc byte[InetDiag.RequestLength];
        using var socket = new NetlinkSocket();
        foreach (byte family in (byte[])[InetDiag.AfInet, InetDiag.AfInet6])
        {
            var addresses = new AddressCache();
            int slot = 0;
            InetDiag.WriteRequest(request, family, InetDiag.IpprotoUdp, InetDiag.Extension(InetDiag.InetDiagSkMemInfo), (uint)TcpStateFilter.All);
            string source = Source("UDP", family);
            socket.Dump(InetDiag.SockDiagByFamily, request, source, "inet_diag_msg", (payload, index) =>
            {
                var m = InetDiag.Read(payload, index, source, addresses);
                var (_, drops) = InetDiag.ReadAttributes(payload, index, source);
                rows.Add(InetDiag.ToUdp(m, drops, slot++));
            });
        }
        return new UdpTable(rows);
    }

    /// <summary>UNIX sockets, like <see cref="ProcNet.Unix"/>: type, state, inode, path.</summary>
    public static UnixTable Unix()
    {
        var rows = new SegmentedList<UnixSocketEntry>();
        foreach (var e in UnixWithPeers(UnixDiag.ShowName))
        {
            rows.Add(e.Socket);
        }
        return new UnixTable(rows);
    }

    /// <summary>
    /// TCP rows with what only netlink has; <paramref name="withInfo"/> asks the kernel for each socket's
    /// <c>struct tcp_info</c> (INET_DIAG_INFO: rtt, cwnd, retransmits; for a listener its accept queue and backlog).
    /// </summary>
    public static IReadOnlyList<TcpDiagEntry> TcpWithInfo(TcpStateFilter states = TcpStateFilter.All, bool withInfo = true) =>
        DumpTcp(states, withInfo, static (in InetDiag.Message m, TcpInfo? info, int slot) => InetDiag.ToTcp(m, info, slot));

    private delegate T TcpRow<T>(in InetDiag.Message message, TcpInfo? info, int slot);

    /// <summary>One dump per family on one socket, IPv4 first, as <c>ss -t</c> asks.</summary>
    private static SegmentedList<T> DumpTcp<T>(TcpStateFilter states, bool withInfo, TcpRow<T> row)
    {
        var rows = new SegmentedList<T>();
        byte extensions = withInfo ? InetDiag.Extension(InetDiag.InetDiagInfo) : (byte)0;
        Span<byte> request = stackalloc byte[InetDiag.RequestLength];
        using var socket = new NetlinkSocket();
        foreach (byte family in (byte[])[InetDiag.AfInet, InetDiag.AfInet6])
        {
            var addresses = new AddressCache();
            int slot = 0;
            InetDiag.WriteRequest(request, family, InetDiag.IpprotoTcp, extensions, (uint)states);
            string source = Source("TCP", family);
            socket.Dump(InetDiag.SockDiagByFamily, request, source, "inet_diag_msg", (payload, index) =>
            {
                var m = InetDiag.Read(payload, index, source, addresses);
                var info = withInfo ? InetDiag.ReadAttributes(payload, index, source).Info : null;
                rows.Add(row(m, info, slot++));
            });
        }
        return rows;
    }

    /// <summary>
    /// The bare TCP dump over IPv4 then IPv6: every reply received and its messages counted, no row decoded. The floor
    /// a netlink reader's decoding is measured against, as the bare read of /proc's bytes is for the text.
    /// </summary>
    public static int TcpMessageCount()
    {
        int count = 0;
        Span<byte> request = stackalloc byte[InetDiag.RequestLength];
        using var socket = new NetlinkSocket();
        foreach (byte family in (byte[])[InetDiag.AfInet, InetDiag.AfInet6])
        {
            InetDiag.WriteRequest(request, family, InetDiag.IpprotoTcp, 0, (uint)TcpStateFilter.All);
            socket.Dump(InetDiag.SockDiagByFamily, request, Source("TCP", family), "inet_diag_msg", (_, _) => count++);
        }
        return count;
    }

    /// <summary>The listening TCP sockets only, filtered by the kernel (<c>ss -tl</c>), each with its accept queue and backlog.</summary>
    public static IReadOnlyList<TcpDiagEntry> Listeners() => TcpWithInfo(TcpStateFilter.Listen, withInfo: false);

    /// <summary>UNIX rows with each socket's peer and queue lengths (UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN).</summary>
    public static IReadOnlyList<UnixDiagEntry> UnixWithPeers() => UnixWithPeers(UnixDiag.ShowName | UnixDiag.ShowPeer | UnixDiag.ShowRqLen);

    private static SegmentedList<UnixDiagEntry> UnixWithPeers(uint show)
    {
        var rows = new SegmentedList<UnixDiagEntry>();
        using var socket = new NetlinkSocket();
        Span<byte> request = stackalloc byte[UnixDiag.RequestLength];
        UnixDiag.WriteRequest(request, show);
        const string source = "sock_diag UNIX dump";
        socket.Dump(InetDiag.SockDiagByFamily, request, source, "unix_diag_msg", (payload, index) => rows.Add(UnixDiag.Read(payload, index, source)));
        return rows;
    }

    /// <summary>
    /// A TCP dump's reply bytes as the kernel sends them (netlink messages of type SOCK_DIAG_BY_FAMILY ending
    /// with NLMSG_DONE), e.g. recorded or crafted: the same checks as a live read.
    /// </summary>
    public static IReadOnlyList<TcpDiagEntry> ParseTcp(ReadOnlySpan<byte> reply, string source = "sock_diag TCP reply")
    {
        var rows = new List<TcpDiagEntry>();
        var addresses = new AddressCache();
        Netlink.WalkReply(reply, InetDiag.SockDiagByFamily, source, "inet_diag_msg", (payload, index) =>
        {
            var m = InetDiag.Read(payload, index, source, addresses);
            rows.Add(InetDiag.ToTcp(m, InetDiag.ReadAttributes(payload, index, source).Info, rows.Count));
        });
        return rows;
    }

    /// <summary>A UDP dump's reply bytes, as <see cref="ParseTcp"/>.</summary>
    public static UdpTable ParseUdp(ReadOnlySpan<byte> reply, string source = "sock_diag UDP reply")
    {
        var rows = new List<UdpSocketEntry>();
        var addresses = new AddressCache();
        Netlink.WalkReply(reply, InetDiag.SockDiagByFamily, source, "inet_diag_msg", (payload, index) =>
        {
            var m = InetDiag.Read(payload, index, source, addresses);
            rows.Add(InetDiag.ToUdp(m, InetDiag.ReadAttributes(payload, index, source).Drops, rows.Count));
        });
        return new UdpTable(rows);
    }

    /// <summary>A UNIX dump's reply bytes, as <see cref="ParseTcp"/>.</summary>
    public static IReadOnlyList<UnixDiagEntry> ParseUnix(ReadOnlySpan<byte> reply, string source = "sock_diag UNIX reply")
    {
        var rows = new List<UnixDiagEntry>();
        Netlink.WalkReply(reply, InetDiag.SockDiagByFamily, source, "unix_diag_msg", (payload, index) => rows.Add(UnixDiag.Read(payload, index, source)));
        return rows;
    }

    private static string Source(string protocol, byte family) =>
        $"sock_diag {protocol} dump ({(family == InetDiag.AfInet ? "AF_INET" : "AF_INET6")})";
}
