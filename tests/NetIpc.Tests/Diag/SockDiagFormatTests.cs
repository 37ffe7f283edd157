using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using NetIpc.Diag;
using NetIpc.Native;
using NetIpc.Proc;

namespace NetIpc.Tests.Diag;

/// <summary>Crafted replies: what the parser makes of well-formed bytes, and that every malformed one is named.</summary>
public class SockDiagFormatTests
{
    private const ushort SockDiagByFamily = 20;

    /// <summary>One inet_diag_msg for 127.0.0.1:9501 → 127.0.0.1:40000, and its attributes.</summary>
    private static byte[] InetMessage(byte state = 1, byte timer = 0, byte family = 2, uint rqueue = 5, uint wqueue = 0, params byte[][] attributes)
    {
        var m = new byte[72];
        m[0] = family;
        m[1] = state;
        m[2] = timer;
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(4), 9501);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(6), 40000);
        IPAddress.Loopback.GetAddressBytes().CopyTo(m, 8);
        IPAddress.Loopback.GetAddressBytes().CopyTo(m, 24);
        MemoryMarshal.Write(m.AsSpan(52), 1234u); // idiag_expires, ms
        MemoryMarshal.Write(m.AsSpan(56), rqueue);
        MemoryMarshal.Write(m.AsSpan(60), wqueue);
        MemoryMarshal.Write(m.AsSpan(64), 1000u);
        MemoryMarshal.Write(m.AsSpan(68), 424242u);
        return [.. m, .. attributes.SelectMany(a => a)];
    }

    private static byte[] Attribute(ushort type, byte[] data)
    {
        var a = new byte[(4 + data.Length + 3) & ~3];
        MemoryMarshal.Write(a.AsSpan(0), (ushort)(4 + data.Length));
        MemoryMarshal.Write(a.AsSpan(2), type);
        data.CopyTo(a, 4);
        return a;
    }

    private static byte[] Message(ushort type, byte[] payload, uint? lengthOverride = null)
    {
        var h = new byte[(16 + payload.Length + 3) & ~3];
        MemoryMarshal.Write(h.AsSpan(0), lengthOverride ?? (uint)(16 + payload.Length));
        MemoryMarshal.Write(h.AsSpan(4), type);
        payload.CopyTo(h, 16);
        return h;
    }

    private static byte[] Done => Message(3, new byte[4]);

    [Fact]
    public void A_well_formed_reply_becomes_the_rows_proc_would_print()
    {
        var tcpInfo = new byte[232];
        tcpInfo[0] = 1;
        tcpInfo[2] = 2; // tcpi_retransmits
        MemoryMarshal.Write(tcpInfo.AsSpan(68), 45u); // tcpi_rtt
        MemoryMarshal.Write(tcpInfo.AsSpan(80), 10u); // tcpi_snd_cwnd
        byte[] reply = [.. Message(SockDiagByFamily, InetMessage(timer: 1, attributes: Attribute(2, tcpInfo))), .. Message(SockDiagByFamily, InetMessage(state: 10, wqueue: 128)), .. Done];

        var rows = SockDiag.ParseTcp(reply);

        Assert.Equal(2, rows.Count);
        var e = rows[0].Socket;
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9501), e.Local);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 40000), e.Remote);
        Assert.Equal((KernelTcpState.Established, 5UL, TcpTimer.Retransmit, 123UL, 2UL, 1000u, 424242UL), (e.State, e.RxQueue, e.Timer, e.TimerTicks, e.Retransmits, e.Uid, e.Inode));
        Assert.Equal(45u, rows[0].Info!.RttMicroseconds);
        Assert.Equal(10u, rows[0].Info!.CongestionWindow);
        Assert.Equal(128UL, rows[1].Backlog);
        Assert.Equal(5UL, rows[1].AcceptQueue);
    }

    public static TheoryData<string, byte[], string, string> Malformed => new()
    {
        { "payload shorter than inet_diag_msg", [.. Message(SockDiagByFamily, new byte[40]), .. Done], "inet_diag_msg", "message 1 (inet_diag_msg)" },
        { "nlmsg_len beyond the datagram", [.. Message(SockDiagByFamily, InetMessage(), lengthOverride: 500)], "nlmsg_len", "message 1 (inet_diag_msg)" },
        { "cut in the middle of a header", [.. Message(SockDiagByFamily, InetMessage()), 1, 2, 3], "nlmsg_len", "message 2 (nlmsghdr)" },
        { "no NLMSG_DONE", Message(SockDiagByFamily, InetMessage()), "nlmsg_type", "message 2 (NLMSG_DONE)" },
        { "unknown family", [.. Message(SockDiagByFamily, InetMessage(family: 7)), .. Done], "idiag_family", "message 1" },
        { "unknown state", [.. Message(SockDiagByFamily, InetMessage(state: 13)), .. Done], "idiag_state", "message 1" },
        { "unknown timer", [.. Message(SockDiagByFamily, InetMessage(timer: 9)), .. Done], "idiag_timer", "message 1" },
        { "tcp_info too short", [.. Message(SockDiagByFamily, InetMessage(attributes: Attribute(2, new byte[100]))), .. Done], "INET_DIAG_INFO", "message 1" },
        { "attribute longer than the message", [.. Message(SockDiagByFamily, [.. InetMessage(), 200, 0, 2, 0]), .. Done], "INET_DIAG_INFO", "rta_len 200" },
        { "a message of another type", [.. Message(16, InetMessage()), .. Done], "nlmsg_type", "message 1 (type 16)" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void A_malformed_reply_is_a_format_error_naming_the_message_and_the_attribute(string what, byte[] reply, string attribute, string inMessage)
    {
        var e = Assert.Throws<ProcFormatException>(() => SockDiag.ParseTcp(reply));
        Assert.True(e.Field == attribute, $"{what}: {e.Message}");
        Assert.Contains(inMessage, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_message_carries_the_kernels_errno()
    {
        byte[] payload = [.. BitConverter.GetBytes(-13), .. new byte[16]];
        var e = Assert.Throws<NetlinkErrorException>(() => SockDiag.ParseTcp(Message(2, payload)));
        Assert.Equal(Errno.EACCES, e.Errno);
        Assert.Contains("EACCES", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unix_names_print_as_proc_prints_them()
    {
        static byte[] UnixMessage(byte type, byte state, uint inode, byte[] name)
        {
            var m = new byte[16];
            m[0] = 1;
            m[1] = type;
            m[2] = state;
            MemoryMarshal.Write(m.AsSpan(4), inode);
            return [.. m, .. Attribute(0, name)];
        }
        byte[] good =
        [
            .. Message(SockDiagByFamily, UnixMessage(1, 10, 7, [.. "/tmp/a b.sock"u8, 0])),
            .. Message(SockDiagByFamily, UnixMessage(2, 1, 8, [0, .. "x"u8, 0, .. "y"u8])),
        ];
        var e = Assert.Throws<ProcFormatException>(() => SockDiag.ParseUnix([.. good, .. Message(SockDiagByFamily, UnixMessage(9, 1, 9, [])), .. Done]));
        Assert.Equal("udiag_type", e.Field);
        Assert.Contains("message 3 (unix_diag_msg)", e.Message, StringComparison.Ordinal);

        var rows = SockDiag.ParseUnix([.. good, .. Done]);
        Assert.Equal("/tmp/a b.sock", rows[0].Socket.Path);
        Assert.True(rows[0].Socket.IsListening);
        Assert.Equal("@x@y", rows[1].Socket.Path);
        Assert.Equal(UnixSocketState.Connected, rows[1].Socket.State);
    }
}
