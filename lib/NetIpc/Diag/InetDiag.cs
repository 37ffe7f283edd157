using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using NetIpc.Proc;
using NetIpc.Sockets;

namespace NetIpc.Diag;

/// <summary>
/// The TCP states as bits of <c>idiag_states</c> (1 &lt;&lt; state), the filter the kernel applies before it
/// formats a row: <c>ss state listening</c> sends <see cref="Listen"/> alone. Combine with |.
/// </summary>
[Flags]
public enum TcpStateFilter : uint
{
    None = 0,
    Established = 1u << 1,
    SynSent = 1u << 2,
    /// <summary>Also asks for request sockets (TCP_NEW_SYN_RECV); the kernel adds that bit itself.</summary>
    SynRecv = 1u << 3,
    FinWait1 = 1u << 4,
    FinWait2 = 1u << 5,
    TimeWait = 1u << 6,
    Close = 1u << 7,
    CloseWait = 1u << 8,
    LastAck = 1u << 9,
    Listen = 1u << 10,
    Closing = 1u << 11,
    /// <summary>Every state, request sockets (bit 12, TCP_NEW_SYN_RECV) included: what <c>ss -ta</c> asks for.</summary>
    All = 0x1FFE,
}

/// <summary>
/// One TCP socket as sock_diag reports it: the row /proc/net/tcp would print (<see cref="Socket"/>), and what
/// only netlink gives — the timer in milliseconds, the socket's cookie and, when asked, <c>struct tcp_info</c>.
/// </summary>
/// <param name="Socket">The /proc-shaped row. Its TxQueue for a LISTEN socket is idiag_wqueue, the backlog (see <see cref="Backlog"/>).</param>
/// <param name="ExpiresMilliseconds">idiag_expires: the pending timer's time left, ms (/proc prints it in 1/100 s).</param>
/// <param name="Cookie">idiag_cookie: the kernel's 64-bit id of the socket, unique for the boot (inode 0 rows have one too).</param>
/// <param name="Info">INET_DIAG_INFO, the socket's <c>struct tcp_info</c>; null unless asked (and for TIME_WAIT and request sockets, which have none).</param>
public sealed record TcpDiagEntry(TcpSocketEntry Socket, uint ExpiresMilliseconds, ulong Cookie, TcpInfo? Info)
{
    public bool IsListener => Socket.State == KernelTcpState.Listen;

    /// <summary>idiag_rqueue of a LISTEN socket: connections completed and waiting for accept() (sk_ack_backlog).</summary>
    public ulong? AcceptQueue => IsListener ? Socket.RxQueue : null;

    /// <summary>idiag_wqueue of a LISTEN socket: the backlog listen() was given, capped by somaxconn (sk_max_ack_backlog).</summary>
    public ulong? Backlog => IsListener ? Socket.TxQueue : null;
}

/// <summary>
/// SOCK_DIAG_BY_FAMILY for TCP and UDP (include/uapi/linux/inet_diag.h): the request
/// <c>struct inet_diag_req_v2</c> (56 bytes) and the reply <c>struct inet_diag_msg</c> (72 bytes) followed by
/// rtattr attributes. Addresses and ports are in network order; everything else in host order.
/// </summary>
internal static class InetDiag
{
    public const ushort SockDiagByFamily = 20;
    public const int RequestLength = 56;
    public const int MessageLength = 72;
    public const byte AfInet = 2;
    public const byte AfInet6 = 10;
    public const byte IpprotoTcp = 6;
    public const byte IpprotoUdp = 17;
    public const ushort InetDiagInfo = 2;
    public const ushort InetDiagSkMemInfo = 7;
    private const int SkMemInfoDrops = 8; // SK_MEMINFO_DROPS, include/uapi/linux/sock_diag.h

    /// <summary>The extension bit for an attribute: idiag_ext asks for attribute n with 1 &lt;&lt; (n − 1).</summary>
    public static byte Extension(ushort attribute) => (byte)(1 << (attribute - 1));

    /// <summary>
    /// struct inet_diag_req_v2: sdiag_family, sdiag_protocol, idiag_ext, pad, idiag_states, then an all-zero
    /// inet_diag_sockid (a dump matches every address and port; the cookie only matters to single-socket lookups).
    /// </summary>
    public static void WriteRequest(Span<byte> request, byte family, byte protocol, byte extensions, uint states)
    {
        request[..RequestLength].Clear();
        request[0] = family;
        request[1] = protocol;
        request[2] = extensions;
        MemoryMarshal.Write(request[4..], states);
    }

    /// <summary>The fixed part of one reply, checked.</summary>
    public readonly record struct Message(
        byte Family, KernelTcpState State, TcpTimer Timer, byte Retrans, IPEndPoint Local, IPEndPoint Remote,
        uint Interface, ulong Cookie, uint Expires, uint RQueue, uint WQueue, uint Uid, uint Inode);

    /// <summary>
    /// struct inet_diag_msg: idiag_family (0), idiag_state (1), idiag_timer (2), idiag_retrans (3), then
    /// inet_diag_sockid — idiag_sport (4), idiag_dport (6), idiag_src[4] (8), idiag_dst[4] (24), idiag_if (40),
    /// idiag_cookie[2] (44) — then idiag_expires (52), idiag_rqueue (56), idiag_wqueue (60), idiag_uid (64), idiag_inode (68).
    /// </summary>
    public static Message Read(ReadOnlySpan<byte> payload, int index, string source, AddressCache addresses)
    {
        if (payload.Length < MessageLength)
        {
            throw Error(source, index, "inet_diag_msg", $"{payload.Length} bytes, the message needs {MessageLength} (truncated)");
        }
        byte family = payload[0];
        if (family is not (AfInet or AfInet6))
        {
            throw Error(source, index, "idiag_family", $"{family} is neither AF_INET (2) nor AF_INET6 (10)");
        }
        byte state = payload[1];
        if (state is < (byte)KernelTcpState.Established or > (byte)KernelTcpState.Closing)
        {
            throw Error(source, index, "idiag_state", $"{state} is not a TCP state the kernel reports (1 to 11)");
        }
        byte timer = payload[2];
        if (timer > (byte)TcpTimer.ZeroWindowProbe)
        {
            throw Error(source, index, "idiag_timer", $"{timer} is not a timer kind (0 to 4)");
        }
        ushort sport = BinaryPrimitives.ReadUInt16BigEndian(payload[4..]);
        ushort dport = BinaryPrimitives.ReadUInt16BigEndian(payload[6..]);
        IPEndPoint local, remote;
        if (family == AfInet)
        {
            // The first word of idiag_src, read in host order, is the number /proc prints: the cache is shared.
            local = new IPEndPoint(addresses.Get(MemoryMarshal.Read<uint>(payload[8..])), sport);
            remote = new IPEndPoint(addresses.Get(MemoryMarshal.Read<uint>(payload[24..])), dport);
        }
        else
        {
            local = new IPEndPoint(new IPAddress(payload.Slice(8, 16)), sport);
            remote = new IPEndPoint(new IPAddress(payload.Slice(24, 16)), dport);
        }
        ulong cookie = MemoryMarshal.Read<uint>(payload[44..]) | ((ulong)MemoryMarshal.Read<uint>(payload[48..]) << 32);
        return new Message(family, (KernelTcpState)state, (TcpTimer)timer, payload[3], local, remote,
            MemoryMarshal.Read<uint>(payload[40..]), cookie, MemoryMarshal.Read<uint>(payload[52..]),
            MemoryMarshal.Read<uint>(payload[56..]), MemoryMarshal.Read<uint>(payload[60..]),
            MemoryMarshal.Read<uint>(payload[64..]), MemoryMarshal.Read<uint>(payload[68..]));
    }

    /// <summary>The attributes after the message: INET_DIAG_INFO and INET_DIAG_SKMEMINFO, each checked for length.</summary>
    public static (TcpInfo? Info, ulong? Drops) ReadAttributes(ReadOnlySpan<byte> payload, int index, string source)
    {
        TcpInfo? info = null;
        ulong? drops = null;
        var attributes = new RtAttributes(payload[Math.Min(payload.Length, MessageLength)..], source, index, "inet_diag_msg", AttributeName);
        foreach (var a in attributes)
        {
            switch (a.Type)
            {
                case InetDiagInfo:
                    if (a.Data.Length < TcpInfo.MinimumLength)
                    {
                        throw attributes.Error(a.Name, $"{a.Data.Length} bytes of struct tcp_info, the reader needs {TcpInfo.MinimumLength}");
                    }
                    info = TcpInfo.Parse(a.Data);
                    break;
                case InetDiagSkMemInfo:
                    if (a.Data.Length < (SkMemInfoDrops + 1) * 4)
                    {
                        throw attributes.Error(a.Name, $"{a.Data.Length} bytes, SK_MEMINFO_DROPS needs {(SkMemInfoDrops + 1) * 4}");
                    }
                    drops = MemoryMarshal.Read<uint>(a.Data[(SkMemInfoDrops * 4)..]);
                    break;
            }
        }
        return (info, drops);
    }

    /// <summary>A TCP reply message as the row /proc/net/tcp prints, plus what only netlink has.</summary>
    public static TcpDiagEntry ToTcp(in Message m, TcpInfo? info, int slot) => new(ToTcpSocket(m, info, slot), m.Expires, m.Cookie, info);

    /// <summary>The /proc-shaped row alone: what <see cref="SockDiag.Tcp"/> returns.</summary>
    public static TcpSocketEntry ToTcpSocket(in Message m, TcpInfo? info, int slot)
    {
        // idiag_retrans is icsk_retransmits under the retransmit timer and icsk_probes_out under the probe and
        // keepalive timers (inet_sk_diag_fill); /proc prints both always. tcp_info has both, when it was asked for.
        ulong retransmits = info?.Retransmits ?? (m.Timer == TcpTimer.Retransmit ? m.Retrans : 0u);
        long timeouts = info?.Probes ?? (m.Timer is TcpTimer.ZeroWindowProbe or TcpTimer.Keepalive ? m.Retrans : 0);
        return new TcpSocketEntry(slot, m.Local, m.Remote, m.State, m.WQueue, m.RQueue, m.Timer, m.Expires / 10,
            retransmits, m.Uid, timeouts, m.Inode, RefCount: null);
    }

    /// <summary>A UDP reply message as the row /proc/net/udp prints.</summary>
    public static UdpSocketEntry ToUdp(in Message m, ulong? drops, int slot) =>
        new(slot, m.Local, m.Remote, m.State, m.WQueue, m.RQueue, m.Uid, m.Inode, RefCount: 0, drops ?? 0);

    private static string AttributeName(ushort type) => type switch
    {
        1 => "INET_DIAG_MEMINFO",
        InetDiagInfo => "INET_DIAG_INFO",
        4 => "INET_DIAG_CONG",
        InetDiagSkMemInfo => "INET_DIAG_SKMEMINFO",
        _ => $"attribute {type}",
    };

    private static ProcFormatException Error(string source, int index, string attribute, string problem) =>
        ProcFormatException.Netlink(source, index, "inet_diag_msg", attribute, problem);
}
