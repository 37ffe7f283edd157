using System.Runtime.InteropServices;
using System.Text;
using NetIpc.Proc;

namespace NetIpc.Diag;

/// <summary>
/// One UNIX socket as sock_diag reports it: the row /proc/net/unix would print (<see cref="Socket"/>) and what
/// only netlink gives.
/// </summary>
/// <param name="Socket">The /proc-shaped row (RefCount 0: sock_diag has no field for sk_refcnt).</param>
/// <param name="Cookie">udiag_cookie: the kernel's 64-bit id of the socket.</param>
/// <param name="PeerInode">UNIX_DIAG_PEER: the inode of the socket at the other end (null when there is none).</param>
/// <param name="ReceiveQueue">UNIX_DIAG_RQLEN's udiag_rqueue: for a listener, connections waiting for accept(); otherwise bytes (stream) or the first datagram's length waiting to be read.</param>
/// <param name="SendQueue">UNIX_DIAG_RQLEN's udiag_wqueue: for a listener, its backlog; otherwise bytes sent and not yet read by the peer.</param>
public sealed record UnixDiagEntry(UnixSocketEntry Socket, ulong Cookie, ulong? PeerInode, uint? ReceiveQueue, uint? SendQueue);

/// <summary>
/// SOCK_DIAG_BY_FAMILY for AF_UNIX (include/uapi/linux/unix_diag.h): the request <c>struct unix_diag_req</c>
/// (24 bytes) and the reply <c>struct unix_diag_msg</c> (16 bytes) followed by the attributes udiag_show asked for.
/// </summary>
internal static class UnixDiag
{
    public const int RequestLength = 24;
    public const int MessageLength = 16;
    public const byte AfUnix = 1;
    public const uint ShowName = 0x01;   // UDIAG_SHOW_NAME
    public const uint ShowPeer = 0x04;   // UDIAG_SHOW_PEER
    public const uint ShowRqLen = 0x10;  // UDIAG_SHOW_RQLEN
    private const ushort AttrName = 0;   // UNIX_DIAG_NAME
    private const ushort AttrPeer = 2;   // UNIX_DIAG_PEER
    private const ushort AttrRqLen = 4;  // UNIX_DIAG_RQLEN
    private const byte TcpEstablished = 1, TcpClose = 7, TcpListen = 10;

    /// <summary>struct unix_diag_req: sdiag_family, sdiag_protocol (0), pad, udiag_states (every state), udiag_ino (0: all), udiag_show, udiag_cookie.</summary>
    public static void WriteRequest(Span<byte> request, uint show)
    {
        request[..RequestLength].Clear();
        request[0] = AfUnix;
        MemoryMarshal.Write(request[4..], uint.MaxValue);
        MemoryMarshal.Write(request[12..], show);
        MemoryMarshal.Write(request[16..], uint.MaxValue); // UNIX_DIAG_NOCOOKIE
        MemoryMarshal.Write(request[20..], uint.MaxValue);
    }

    /// <summary>
    /// struct unix_diag_msg — udiag_family (0), udiag_type (1), udiag_state (2), pad, udiag_ino (4), udiag_cookie[2] (8) —
    /// and its attributes, as the row /proc/net/unix prints. /proc derives St and Flags from the same sk_state:
    /// LISTEN sets __SO_ACCEPTCON, ESTABLISHED is SS_CONNECTED, anything else SS_UNCONNECTED (for a socket with a
    /// struct socket; an embryo waiting in a listener's queue has none, and /proc prints SS_CONNECTING for it, which
    /// sock_diag cannot tell apart).
    /// </summary>
    public static UnixDiagEntry Read(ReadOnlySpan<byte> payload, int index, string source)
    {
        if (payload.Length < MessageLength)
        {
            throw Error(source, index, "unix_diag_msg", $"{payload.Length} bytes, the message needs {MessageLength} (truncated)");
        }
        if (payload[0] != AfUnix)
        {
            throw Error(source, index, "udiag_family", $"{payload[0]} is not AF_UNIX (1)");
        }
        byte type = payload[1];
        if (!Enum.IsDefined(typeof(UnixSocketType), (int)type))
        {
            throw Error(source, index, "udiag_type", $"{type} is not a UNIX socket type (1 stream, 2 dgram, 5 seqpacket)");
        }
        byte state = payload[2];
        if (state is not (TcpEstablished or TcpClose or TcpListen))
        {
            throw Error(source, index, "udiag_state", $"{state} is not a state a UNIX socket takes (1 ESTABLISHED, 7 CLOSE, 10 LISTEN)");
        }
        uint inode = MemoryMarshal.Read<uint>(payload[4..]);
        ulong cookie = MemoryMarshal.Read<uint>(payload[8..]) | ((ulong)MemoryMarshal.Read<uint>(payload[12..]) << 32);

        string? path = null;
        ulong? peer = null;
        uint? rqueue = null, wqueue = null;
        var attributes = new RtAttributes(payload[MessageLength..], source, index, "unix_diag_msg", AttributeName);
        foreach (var a in attributes)
        {
            var data = a.Data;
            string name = a.Name;
            switch (a.Type)
            {
                case AttrName:
                    path = PrintedPath(data);
                    break;
                case AttrPeer:
                    if (data.Length < 4)
                    {
                        throw Error(source, index, name, $"{data.Length} bytes, the peer's inode needs 4");
                    }
                    peer = MemoryMarshal.Read<uint>(data);
                    break;
                case AttrRqLen:
                    if (data.Length < 8)
                    {
                        throw Error(source, index, name, $"{data.Length} bytes, struct unix_diag_rqlen needs 8");
                    }
                    rqueue = MemoryMarshal.Read<uint>(data);
                    wqueue = MemoryMarshal.Read<uint>(data[4..]);
                    break;
            }
        }
        var socket = new UnixSocketEntry(RefCount: 0, Protocol: 0,
            Flags: state == TcpListen ? UnixSocketEntry.AcceptConnectionsFlag : 0,
            (UnixSocketType)type,
            state == TcpEstablished ? UnixSocketState.Connected : UnixSocketState.Unconnected,
            inode, path);
        return new UnixDiagEntry(socket, cookie, peer, rqueue, wqueue);
    }

    /// <summary>
    /// UNIX_DIAG_NAME holds sun_path as bound (addr->len − offsetof(sun_path) bytes): a file path with its
    /// terminating NUL, or an abstract name starting with NUL. /proc/net/unix prints the path without the NUL,
    /// and an abstract name with '@' for its first byte and for every NUL inside it: the same here.
    /// </summary>
    private static string PrintedPath(ReadOnlySpan<byte> sunPath)
    {
        if (sunPath.IsEmpty)
        {
            return "";
        }
        bool isAbstract = sunPath[0] == 0;
        var bytes = isAbstract ? sunPath : sunPath[..^1];
        var text = Encoding.UTF8.GetString(bytes);
        return text.Replace('\0', '@');
    }

    private static string AttributeName(ushort type) => type switch
    {
        AttrName => "UNIX_DIAG_NAME",
        AttrPeer => "UNIX_DIAG_PEER",
        AttrRqLen => "UNIX_DIAG_RQLEN",
        _ => $"attribute {type}",
    };

    private static ProcFormatException Error(string source, int index, string attribute, string problem) =>
        ProcFormatException.Netlink(source, index, "unix_diag_msg", attribute, problem);
}
